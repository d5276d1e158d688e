"""The console's view of the chats it knows: pure state, updated from desk events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from console.backend import (
    ChatAccepted,
    ChatEnded,
    ChatEvent,
    ChatInfo,
    ChatLine,
    ChatMeta,
    ChatNote,
    ChatOffered,
    ChatPatronBack,
    ChatPatronLeft,
    ChatReleased,
    ChatStateName,
    ChatTaken,
    ChatTransferred,
    ChatWithdrawn,
    Line,
    Mark,
)
from console.clock import Clock, system_clock
from console.i18n import Texts


class Section(Enum):
    """Where a chat appears in the chat list, in display order."""

    WAITING = "waiting"
    MINE = "mine"
    TAKEN = "taken"
    ENDED = "ended"


@dataclass
class Chat:
    """One chat as this seat knows it."""

    meta: ChatMeta
    lines: list[Line] = field(default_factory=list)
    unread: int = 0
    typing: bool = False
    first_seen: datetime = field(default_factory=system_clock)
    ended_at: datetime | None = None
    transferred_to: str = ""
    history_loaded: bool = False
    patron_gone: datetime | None = None  # the patron left (closed the page) and is not back
    withdrawn: bool = False  # the patron left before anyone answered
    _ids: set[str] = field(default_factory=set, repr=False)

    @property
    def session(self) -> str:
        return self.meta.session

    @property
    def first_line(self) -> str:
        """The patron's first line, to show in the list without opening the chat."""
        for line in self.lines:
            if line.sender == "patron":
                return line.text.split("\n", 1)[0]
        return ""

    @property
    def waiting_since(self) -> datetime:
        return self.meta.waiting_since or self.first_seen

    def section(self, me: str) -> Section:
        if self.meta.state is ChatStateName.ENDED or self.transferred_to:
            return Section.ENDED
        if self.meta.owner == me:
            return Section.MINE
        if self.meta.owner:
            return Section.TAKEN
        return Section.WAITING

    def add_note(self, line: Line) -> bool:
        """Add a note unless the same note was just shown (written here, then echoed)."""
        for old in self.lines[-5:]:
            if (
                old.sender == "note"
                and old.text == line.text
                and abs((old.ts - line.ts).total_seconds()) <= SAME_LINE_WINDOW
            ):
                return False
        return self.add(line)

    def mark(self, line_id: str, mark: Mark) -> Line | None:
        """Set the delivery mark of an own line (never back from delivered); the line, or None."""
        for i in range(len(self.lines) - 1, -1, -1):
            line = self.lines[i]
            if line.msg_id == line_id:
                if mark is not Mark.FAILED and RANK[mark] <= RANK[line.mark]:
                    return None
                self.lines[i] = replace(line, mark=mark)
                return self.lines[i]
        return None

    def add(self, line: Line) -> bool:
        """Append a line unless its id was seen already; True when it was new."""
        if line.msg_id:
            if line.msg_id in self._ids:
                return False
            self._ids.add(line.msg_id)
        self.lines.append(line)
        return True


RANK = {Mark.NONE: 0, Mark.FAILED: 0, Mark.HELD: 1, Mark.SENT: 2, Mark.STORED: 3, Mark.DELIVERED: 4}
SAME_LINE_WINDOW = 120.0  # seconds: the same sender and text this close is the same line


def merge_lines(*sources: Iterable[Line]) -> list[Line]:
    """Lines from several sources (log, bridge transcript, live), each once, in time order.

    Lines with an id match by id. The bridge's transcript has no ids and its times are the
    store's, not the moment a line reached this seat, so otherwise the same sender and text
    within SAME_LINE_WINDOW seconds is the same line.
    """
    ids: set[str] = set()
    earlier: dict[tuple[str, str], list[datetime]] = {}  # lines of earlier sources
    out: list[Line] = []
    for source in sources:
        available = {key: list(times) for key, times in earlier.items()}
        added: list[Line] = []
        for line in source:
            if line.msg_id and line.msg_id in ids:
                continue
            times = available.get((line.sender, line.text.rstrip("\n")), [])
            match = next((t for t in times if abs((line.ts - t).total_seconds()) <= SAME_LINE_WINDOW), None)
            if match is not None:
                times.remove(match)  # one earlier line stands for one line here, so repeats stay
                continue
            added.append(line)
        for line in added:
            earlier.setdefault((line.sender, line.text.rstrip("\n")), []).append(line.ts)
            if line.msg_id:
                ids.add(line.msg_id)
        out.extend(added)
    out.sort(key=lambda x: x.ts)
    return out


def parse_offer_body(session: str, body: str, ts: datetime) -> list[Line]:
    """A fallback transcript from an offer's human-readable body (one line per entry)."""
    lines = []
    for raw in body.splitlines():
        if raw.strip():
            lines.append(Line(session, ts, "system", "", raw))
    return lines


class ChatBook:
    """All chats of this seat, keyed by session, with the rules for applying events."""

    def __init__(
        self,
        me: str,
        clock: Clock = system_clock,
        day: Callable[[datetime], date] | None = None,
        texts: Callable[..., str] | None = None,
        local: Callable[[datetime], str] | None = None,
    ) -> None:
        self.me = me
        self.clock = clock
        self.day = day or (lambda moment: moment.astimezone().date())
        self.texts: Callable[..., str] = texts or Texts("en")
        self.local = local or (lambda moment: moment.astimezone().strftime("%H:%M"))
        self.chats: dict[str, Chat] = {}

    def _event_line(self, chat: Chat, key: str, **values: Any) -> None:
        """What happened to the chat, as a system line in the UI language."""
        chat.add(Line(chat.session, self.clock(), "system", "", self.texts(key, **values)))

    def ended_by(self, chat: Chat, event: ChatEvent) -> str:
        """Who ended the chat, as a sentence."""
        by = event.meta.by
        if by == "patron":
            return self.texts("ended.patron")
        if by == "desk" and chat.meta.owner == self.me:
            return self.texts("ended.you")
        if by == "desk" and chat.meta.owner:
            return self.texts("ended.seat", who=chat.meta.owner.split("/", 1)[-1])
        if by == "bridge" or chat.patron_gone is not None:
            return self.texts("ended.gone")
        return event.body.strip() or self.texts("ended.other")

    def get(self, session: str) -> Chat | None:
        return self.chats.get(session)

    def ensure(self, meta: ChatMeta) -> Chat:
        chat = self.chats.get(meta.session)
        if chat is None:
            chat = Chat(meta=meta, first_seen=self.clock())
            self.chats[meta.session] = chat
        return chat

    def _merge(self, chat: Chat, meta: ChatMeta) -> None:
        """Take the newer element's attributes, keeping what it leaves empty."""
        old = chat.meta
        chat.meta = replace(
            meta,
            library=meta.library or old.library,
            lang=meta.lang or old.lang,
            page=meta.page or old.page,
            waiting_since=meta.waiting_since or old.waiting_since,
            target=meta.target or old.target,
            from_target=meta.from_target or old.from_target,
            position=meta.position if meta.position is not None else old.position,
        )

    def apply(self, event: ChatEvent, active: str | None = None) -> Chat:
        """Apply one event; `active` is the chat on screen (its lines are not unread).

        A chat that comes back to this seat (offered again after a colleague had it, or
        transferred back) has its transcript reloaded: the other seat's lines are not here.
        """
        known = self.chats.get(event.session)
        before = known.section(self.me) if known is not None else None
        owner = known.meta.owner if known is not None else ""
        chat = self.ensure(event.meta)
        if known is None or not isinstance(event, ChatInfo):
            self._merge(chat, event.meta)  # an answer to a command changes nothing about the chat
        if isinstance(event, ChatOffered):
            chat.transferred_to = ""
            chat.ended_at = None
        elif isinstance(event, ChatLine) and event.line is not None:
            if chat.add(event.line) and event.session != active:
                chat.unread += 1
            if event.line.sender == "patron":
                chat.typing = False
        elif isinstance(event, ChatNote):
            chat.add_note(Line(event.session, self.clock(), "note", event.meta.name, event.body))
        elif isinstance(event, ChatInfo) and event.body.strip():
            # A command's answer or the bridge's notice: a system line, never a librarian's.
            chat.add(Line(event.session, self.clock(), "system", "", event.body.rstrip("\n")))
        elif isinstance(event, ChatTransferred):
            if event.meta.owner != self.me:
                chat.transferred_to = event.meta.target or "?"
        elif isinstance(event, ChatEnded):
            if chat.ended_at is None:
                self._event_line(chat, "line.ended", what=self.ended_by(chat, event))
            chat.meta = replace(chat.meta, state=ChatStateName.ENDED)
            chat.ended_at = self.clock()
            chat.typing = False
        elif isinstance(event, ChatWithdrawn):
            chat.meta = replace(chat.meta, state=ChatStateName.ENDED)
            chat.ended_at = self.clock()
            chat.withdrawn = True
            chat.typing = False
            self._event_line(chat, "line.withdrawn")
        elif isinstance(event, ChatPatronLeft):
            chat.patron_gone = event.meta.left_at or self.clock()
            chat.typing = False
            self._event_line(chat, "line.patron_left", time=self.local(chat.patron_gone))
        elif isinstance(event, ChatPatronBack):
            if chat.patron_gone is not None:
                self._event_line(chat, "line.patron_back")
            chat.patron_gone = None
        elif isinstance(event, ChatAccepted):
            chat.meta = replace(chat.meta, owner=event.meta.owner or self.me)
        elif isinstance(event, (ChatTaken, ChatReleased)):
            pass  # the element's owner attribute says it all
        after = chat.section(self.me)
        came_back = before in (Section.TAKEN, Section.ENDED) or (owner not in ("", self.me))
        if came_back and after in (Section.WAITING, Section.MINE):
            chat.history_loaded = False
        return chat

    def ordered(self, today: datetime | None = None) -> list[tuple[Section, list[Chat]]]:
        """Chats by section; waiting ones longest-waiting first; ended ones only from today."""
        day = self.day(today or self.clock())
        groups: dict[Section, list[Chat]] = {s: [] for s in Section}
        for chat in self.chats.values():
            section = chat.section(self.me)
            if section is Section.ENDED:
                ended = chat.ended_at or chat.first_seen
                if self.day(ended) != day:
                    continue
            groups[section].append(chat)
        groups[Section.WAITING].sort(key=lambda c: c.waiting_since)
        groups[Section.MINE].sort(key=lambda c: c.first_seen)
        groups[Section.TAKEN].sort(key=lambda c: c.first_seen)
        groups[Section.ENDED].sort(key=lambda c: c.ended_at or c.first_seen, reverse=True)
        return [(s, groups[s]) for s in Section]

    def flat(self) -> list[Chat]:
        """The chats in list order."""
        return [c for _, chats in self.ordered() for c in chats]

    def next_waiting(self) -> Chat | None:
        for section, chats in self.ordered():
            if section is Section.WAITING and chats:
                return chats[0]
        return None
