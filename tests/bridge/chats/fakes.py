"""Hand-written fakes for unit tests of the chat core (no server, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bridge.chat import ChatState, LiveChat


@dataclass
class FakeStore:
    """Records what the transitions write, in order."""

    writes: list[tuple[str, Any]] = field(default_factory=list)
    left: list[tuple[str, str, str | None]] = field(default_factory=list)

    async def set_state(self, session_id: str, state: ChatState, event: str, **kw: Any) -> bool:
        kw.pop("expect", None)
        self.writes.append(("state", (session_id, state, event, kw)))
        return True

    async def update_session(self, session_id: str, **fields: Any) -> None:
        self.writes.append(("update", (session_id, fields)))

    async def leave_message(self, session_id: str, text: str, contact: str | None) -> None:
        self.left.append((session_id, text, contact))

    def last_state(self) -> tuple[str, ChatState, str, dict[str, Any]]:
        _kind, value = [w for w in self.writes if w[0] == "state"][-1]
        return value  # type: ignore[no-any-return]


def chat(chat_id: str = "p-aaaa", *, state: ChatState = ChatState.BOT, **kw: Any) -> LiveChat:
    return LiveChat(id=chat_id, library="tampere", lang="fi", page=None, state=state, **kw)
