"""An in-memory desk back end that behaves like the bridge, for tests, the benchmark and demos."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from console.backend import (
    BridgeChanged,
    ChatAccepted,
    ChatEnded,
    ChatFollowup,
    ChatInfo,
    ChatLine,
    ChatMeta,
    ChatNote,
    ChatOffered,
    ChatPatronBack,
    ChatPatronLeft,
    ChatStateName,
    ChatSummary,
    ChatTagged,
    ChatTaken,
    ChatTransferred,
    ChatWithdrawn,
    CommandResult,
    ConnectionChanged,
    DeskEvent,
    EventSink,
    Followup,
    FollowupStatus,
    Line,
    LineMarked,
    Link,
    Mark,
    Stats,
    Tag,
    Target,
    Typing,
)
from console.errors import CommandFailed, NotConnected

DEFAULT_TAGS = [
    Tag(1, "login", "Login", "Kirjautumisasiat", "Login"),
    Tag(2, "card", "Library card", "Kirjastokortti", "Library card"),
    Tag(3, "materials", "Library materials", "Kirjastoaineisto", "Library materials"),
    Tag(4, "loans", "Loans", "Lainaus – lainat", "Loans"),
    Tag(5, "fees", "Fees and payment", "Maksut ja maksaminen", "Fees and payment"),
    Tag(6, "reservations", "Reservations", "Varaaminen", "Reservations"),
    Tag(
        7, "hours", "Opening hours and contacts", "Aukioloajat ja yhteystiedot", "Opening hours and contacts"
    ),
    Tag(8, "other", "Other", "Muu aihe / tiedustelu", "Other"),
    Tag(9, "interrupted", "Interrupted", "Keskeytynyt", "Interrupted"),
]

DEFAULT_TARGETS = [
    Target("tampere", "library", "Tampere", 2, ("tampere@chat.localhost/desk-1",), True, "044 423 6225"),
    Target("nokia", "library", "Nokia", 1, ("nokia@chat.localhost/desk-1",), False, "03 5650"),
    Target("akaa", "library", "Akaa", 0, (), False, "040 335 3600"),
    Target("pool-1", "pool", "Pool 1", 1, ("akaa@chat.localhost/desk-1",), False, ""),
]

DEFAULT_STATS = Stats(
    "desk",
    42,
    38,
    4,
    3,
    1,
    35.0,
    140.0,
    (("loans", 12), ("card", 9), ("login", 7), ("other", 2), ("(none)", 4)),
    (("mon", 10), ("tue", 8), ("wed", 9), ("thu", 7), ("fri", 6), ("sat", 2), ("sun", 0)),
)
SERVICE_STATS = Stats(
    "service",
    310,
    280,
    30,
    21,
    9,
    48.0,
    190.0,
    (("loans", 90), ("card", 70), ("login", 50), ("hours", 40), ("other", 20)),
    (("mon", 70), ("tue", 60), ("wed", 62), ("thu", 55), ("fri", 45), ("sat", 10), ("sun", 8)),
)


class FakeDesk:
    """Implements DeskBackend in memory; tests drive the patron side with offer()/patron()."""

    def __init__(self, jid: str = "tampere@chat.localhost/desk-1") -> None:
        self.jid = jid
        self.sink: EventSink | None = None
        self._connected = False
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.sent: list[tuple[str, str]] = []  # what the bridge stored, once per line id
        self.sent_ids: list[str] = []  # every send, repeats included
        self.bridge_up = True  # False: lines reach the server but no bridge stores them
        self.lose_lines = False  # True: lines vanish on a dead route while pings still answer
        self.confirm = True  # the bridge confirms each stored line (XEP-0184 receipt)
        self.typing_sent: list[tuple[str, str]] = []
        self.history: dict[str, list[Line]] = {}
        self.metas: dict[str, ChatMeta] = {}
        self.tag_list = list(DEFAULT_TAGS)
        self.targets = list(DEFAULT_TARGETS)
        self._ids = itertools.count(1)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.followup_list: dict[str, Followup] = {}
        self.followup_answers: dict[str, str] = {}
        self._stored: set[str] = set()
        self.commands: list[tuple[str, str]] = []  # text commands the bridge received
        self.coordinator = False  # may see the whole service's statistics
        self.figures: dict[str, Stats] = {"desk": DEFAULT_STATS, "service": SERVICE_STATS}

    # -- DeskBackend -------------------------------------------------------------------
    def set_sink(self, sink: EventSink) -> None:
        self.sink = sink

    @property
    def connected(self) -> bool:
        return self._connected

    async def start(self) -> None:
        self.set_link(Link.CONNECTED)

    async def stop(self) -> None:
        self._connected = False

    async def send_line(self, session: str, text: str, line_id: str) -> str:
        if not self._connected:
            raise NotConnected("not connected")
        self.sent_ids.append(line_id)
        if not self.bridge_up or self.lose_lines:
            return line_id  # lost on the way, as when the component is down
        if line_id in self._stored:
            self._receipt(session, line_id)  # the bridge keeps a line once, and confirms again
            return line_id
        self._stored.add(line_id)
        msg_id = line_id
        if text.startswith("/") and not text.startswith("//"):
            self.commands.append((session, text))
            return msg_id
        self.sent.append((session, text))
        meta = self.metas.get(session)
        if meta is not None and not meta.owner:
            self._update(session, owner=self.jid, state=ChatStateName.ACTIVE)
            self.emit(ChatAccepted(self.metas[session], "accepted"))
        self._record(session, "librarian", "Tampere", text)
        self._receipt(session, line_id)
        return msg_id

    def _receipt(self, session: str, line_id: str) -> None:
        if self.confirm:
            self.emit(LineMarked(session, line_id, Mark.STORED))

    async def send_typing(self, session: str, state: str) -> None:
        self.typing_sent.append((session, state))

    async def accept(self, session: str) -> CommandResult:
        self.calls.append(("accept", (session,)))
        meta = self.metas.get(session)
        if meta is None:
            return CommandResult(False, f"no chat {session}")
        if meta.owner and meta.owner != self.jid:
            return CommandResult(False, f"already taken by {meta.owner}")
        self._update(session, owner=self.jid, state=ChatStateName.ACTIVE, kind="accepted")
        self.emit(ChatAccepted(self.metas[session], "You have the chat now."))
        return CommandResult(True, "accepted")

    async def tag(self, session: str, tags: Sequence[str]) -> CommandResult:
        self.calls.append(("tag", (session, tuple(tags))))
        meta = self.metas[session]
        merged = tuple(dict.fromkeys([*meta.tags, *tags]))
        self._update(session, tags=merged, kind="tagged")
        self.emit(ChatTagged(self.metas[session], "tagged"))
        return CommandResult(True, "tagged", {"tags": list(merged)})

    async def untag(self, session: str, tags: Sequence[str]) -> CommandResult:
        self.calls.append(("untag", (session, tuple(tags))))
        meta = self.metas[session]
        kept = tuple(t for t in meta.tags if t not in tags)
        self._update(session, tags=kept, kind="tagged")
        self.emit(ChatTagged(self.metas[session], "tagged"))
        return CommandResult(True, "untagged", {"tags": list(kept)})

    async def transfer(self, session: str, target: str) -> CommandResult:
        self.calls.append(("transfer", (session, target)))
        self._update(session, owner="", target=target, state=ChatStateName.QUEUED, kind="transferred")
        self.emit(ChatTransferred(self.metas[session], f"Transferred to {target}"))
        return CommandResult(True, f"transferred to {target}")

    async def end(self, session: str) -> CommandResult:
        self.calls.append(("end", (session,)))
        self._update(session, state=ChatStateName.ENDED, kind="ended", by="desk")
        self.emit(ChatEnded(self.metas[session], "The chat was ended by the desk."))
        return CommandResult(True, "ended")

    async def note(self, session: str, text: str) -> CommandResult:
        self.calls.append(("note", (session, text)))
        self._update(session, kind="note", name="desk-1")
        self.emit(ChatNote(self.metas[session], text))
        return CommandResult(True, "noted")

    async def canned_keys(self) -> list[tuple[str, str]]:
        return [("new-pin", "Uusi tunnusluku"), ("renew", "Uusiminen")]

    async def canned(self, session: str, key: str) -> CommandResult:
        self.calls.append(("canned", (session, key)))
        self._record(session, "librarian", "Tampere", f"[canned {key}]")
        return CommandResult(True, "sent")

    async def chats(self) -> list[ChatSummary]:
        return [
            ChatSummary(m.session, m.state, m.library, m.target, m.owner, m.waiting_since)
            for m in self.metas.values()
        ]

    async def desks(self) -> list[Target]:
        return list(self.targets)

    async def tags(self) -> list[Tag]:
        return list(self.tag_list)

    async def transcript(self, session: str) -> list[Line]:
        return list(self.history.get(session, []))

    async def followups(self) -> list[Followup]:
        return [f for f in self.followup_list.values() if f.status is not FollowupStatus.CLOSED]

    def _followup(self, followup_id: str) -> Followup | None:
        return self.followup_list.get(followup_id.strip().lstrip("#"))

    async def followup_claim(self, followup_id: str) -> CommandResult:
        self.calls.append(("followup-claim", (followup_id,)))
        f = self._followup(followup_id)
        if f is None:
            return CommandResult(False, f"No follow-up {followup_id!r}")
        if f.status is not FollowupStatus.OPEN and f.claimed_by != self.jid:
            who = f.claimed_by or "someone"
            return CommandResult(False, f"Follow-up #{f.id}: {who} has claimed it ({f.status.value})")
        self.followup_list[f.id] = replace(f, status=FollowupStatus.CLAIMED, claimed_by=self.jid)
        return CommandResult(True, f"Follow-up #{f.id} is yours now; answer it with followup-answer.")

    async def followup_answer(self, followup_id: str, text: str) -> CommandResult:
        self.calls.append(("followup-answer", (followup_id, text)))
        f = self._followup(followup_id)
        if f is None:
            return CommandResult(False, f"No follow-up {followup_id!r}")
        if f.status in (FollowupStatus.ANSWERED, FollowupStatus.CLOSED):
            return CommandResult(False, f"Follow-up #{f.id} is already answered; close it.")
        if f.claimed_by and f.claimed_by.split("/")[0] != self.jid.split("/")[0]:
            return CommandResult(False, f"{f.claimed_by} has claimed follow-up #{f.id}")
        self.followup_answers[f.id] = text
        self.followup_list[f.id] = replace(
            f, status=FollowupStatus.ANSWERED, claimed_by=f.claimed_by or self.jid
        )
        if f.email:
            return CommandResult(True, f"Answer to follow-up #{f.id} sent to {f.email}.")
        return CommandResult(True, f"No e-mail address: the answer is recorded. Contact: {f.contact or '–'}")

    async def followup_close(self, followup_id: str) -> CommandResult:
        self.calls.append(("followup-close", (followup_id,)))
        f = self._followup(followup_id)
        if f is None:
            return CommandResult(False, f"No follow-up {followup_id!r}")
        self.followup_list[f.id] = replace(f, status=FollowupStatus.CLOSED)
        return CommandResult(True, f"Follow-up #{f.id} closed.")

    async def stats(self, scope: str, first: str = "", last: str = "") -> Stats:
        self.calls.append(("stats", (scope, first, last)))
        if scope == "service" and not self.coordinator:
            raise CommandFailed(
                "Only the roster's coordinators may see service-wide figures; "
                "choose scope 'desk' for your own desk's chats."
            )
        return self.figures[scope]

    # -- test drivers ------------------------------------------------------------------
    def emit(self, event: DeskEvent) -> None:
        if self.sink is not None:
            self.sink(event)

    def set_link(self, link: Link, detail: str = "", conflict: bool = False) -> None:
        self._connected = link is Link.CONNECTED
        retry = 2.0 if link is Link.RECONNECTING else None
        self.emit(ConnectionChanged(link, detail, retry, conflict))

    def offer(
        self,
        session: str,
        text: str,
        library: str = "tampere",
        lang: str = "fi",
        page: str = "https://piki.example/search",
        when: datetime | None = None,
    ) -> None:
        """A patron starts a chat and it is offered to this desk."""
        ts = when or self.clock()
        self.metas[session] = ChatMeta(
            session=session,
            library=library,
            lang=lang,
            state=ChatStateName.QUEUED,
            kind="offer",
            page=page,
            position=len(self.metas) + 1,
            waiting_since=ts,
            target=library,
        )
        self._record(session, "patron", f"Patron {session[-4:].upper()}", text, ts)
        self.emit(ChatOffered(self.metas[session], text))
        self.emit(self._line_event(session, self.history[session][-1]))

    def patron(self, session: str, text: str) -> None:
        """The patron writes another line."""
        line = self._record(session, "patron", f"Patron {session[-4:].upper()}", text)
        self.emit(self._line_event(session, line))

    def patron_typing(self, session: str, state: str = "composing") -> None:
        self.emit(Typing(session, state))

    def leave_message(
        self,
        text: str,
        contact: str = "",
        library: str = "tampere",
        session: str = "",
        notify: bool = True,
    ) -> Followup:
        """A patron leaves a message: a new follow-up, and its notice to this seat."""
        number = str(len(self.followup_list) + 1)
        session = session or f"p-left{number}"
        f = Followup(number, library, self.clock(), text, contact)
        self.followup_list[number] = f
        if notify:
            meta = ChatMeta(session, library, "fi", ChatStateName.CLOSED, kind="followup", followup=number)
            contact_line = f"Contact: {contact}" if contact else "No contact details."
            self.emit(ChatFollowup(meta, f"Follow-up #{number}:\n{text}\n{contact_line}"))
        return f

    def set_bridge(self, up: bool) -> None:
        """The bridge component stops (or starts again) answering; the server link stays."""
        self.bridge_up = up
        self.emit(BridgeChanged(up, "" if up else "no answer to ping"))

    def refuse_line(self, session: str, line_id: str, reason: str) -> None:
        """The server or the bridge answers a line with an error."""
        self.emit(LineMarked(session, line_id, Mark.FAILED, reason))

    def deliver(self, session: str, line_id: str) -> None:
        """The line reached the patron's browser."""
        self.emit(LineMarked(session, line_id, Mark.DELIVERED))

    def info(self, session: str, text: str) -> None:
        """The bridge answers a text command (or tells something) in the chat."""
        self._update(session, kind="info")
        self.emit(ChatInfo(replace(self.metas[session], kind="info"), text))

    def end_elsewhere(self, session: str, by: str = "desk") -> None:
        """The seat that has the chat (or the patron: `by="patron"`) ends it; every seat is told."""
        self._update(session, state=ChatStateName.ENDED, kind="ended", by=by)
        self.emit(ChatEnded(self.metas[session], f"The chat was ended by the {by}."))

    def withdraw(self, session: str) -> None:
        """The patron left before anyone answered: the chat is no longer offered."""
        self._update(session, state=ChatStateName.ENDED, kind="withdrawn")
        self.emit(ChatWithdrawn(self.metas[session], "The patron left before anyone answered."))

    def patron_leaves(self, session: str) -> None:
        """The patron of an owned chat closes the page."""
        self._update(session, kind="patron_left", left_at=self.clock())
        self.emit(ChatPatronLeft(self.metas[session], "The patron left the chat."))

    def patron_returns(self, session: str) -> None:
        self._update(session, kind="patron_back", left_at=None)
        self.emit(ChatPatronBack(self.metas[session], "The patron is back."))

    def colleague_line(self, session: str, text: str, name: str = "Tampere") -> Line:
        """Another seat writes to the patron (the bridge stores it; this seat is not told)."""
        return self._record(session, "librarian", name, text)

    def offer_again(self, session: str, from_target: str = "") -> None:
        """The chat comes back: released by a colleague's seat, or transferred back."""
        self._update(session, owner="", state=ChatStateName.QUEUED, kind="offer", from_target=from_target)
        body = "\n".join(line.text for line in self.history.get(session, []))
        self.emit(ChatOffered(self.metas[session], body))

    def taken_elsewhere(self, session: str, owner: str) -> None:
        self._update(session, owner=owner, state=ChatStateName.ACTIVE, kind="taken")
        self.emit(ChatTaken(self.metas[session], f"Taken by {owner}"))

    # -- helpers -----------------------------------------------------------------------
    def _update(self, session: str, **changes: object) -> None:
        self.metas[session] = replace(self.metas[session], **changes)  # type: ignore[arg-type]

    def _record(self, session: str, sender: str, name: str, text: str, ts: datetime | None = None) -> Line:
        line = Line(session, ts or self.clock(), sender, name, text, msg_id=f"m-{next(self._ids)}")
        self.history.setdefault(session, []).append(line)
        return line

    def _line_event(self, session: str, line: Line) -> ChatLine:
        meta = replace(
            self.metas[session], kind="line", msg_id=line.msg_id, sender=line.sender, name=line.name
        )
        return ChatLine(meta, line.text, line)
