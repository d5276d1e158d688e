"""The desk without a screen: chats, drafts, own lines and their delivery, the local log, the
sync after (re)connecting, colleagues' chats and follow-ups.

DeskState takes the back end's events and the librarian's intents and answers with `Changes`,
which the screen draws. It imports nothing from Textual, so every rule is tested with plain
asserts against console.fake.FakeDesk.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from console.backend import (
    BridgeChanged,
    ChatEnded,
    ChatEvent,
    ChatFollowup,
    ChatLine,
    ChatMeta,
    ChatOffered,
    ChatPatronBack,
    ChatPatronLeft,
    ChatStateName,
    ChatWithdrawn,
    ConnectionChanged,
    DeskBackend,
    DeskEvent,
    Followup,
    FollowupStatus,
    Line,
    LineMarked,
    Link,
    Mark,
    Tag,
    Target,
    Typing,
)
from console.clock import Clock
from console.errors import NotConnected
from console.log import ChatLog
from console.model import Chat, ChatBook, Section, merge_lines
from console.sync import apply_summaries, my_targets

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """Something to tell the librarian: a text key of console.i18n, its values and a severity."""

    key: str
    values: tuple[tuple[str, str], ...] = ()
    severity: str = "information"
    timeout: float = 4.0


def notice(key: str, severity: str = "information", timeout: float = 4.0, **values: str) -> Notice:
    return Notice(key, tuple(values.items()), severity, timeout)


@dataclass
class Changes:
    """What a step changed, for the screen to draw."""

    chats: set[str] = field(default_factory=set)  # list entries (and context) to redraw
    appended: list[Line] = field(default_factory=list)  # lines added at the end of their chat
    redraw: set[str] = field(default_factory=set)  # transcripts changed otherwise (marks, merges)
    history: set[str] = field(default_factory=set)  # transcripts to fetch from the bridge
    alert: ChatMeta | None = None  # a new chat was offered
    notices: list[Notice] = field(default_factory=list)
    typing: bool = False
    followups: bool = False  # the follow-up list or its count changed
    fetch_followups: bool = False  # ask the bridge for the follow-up list
    ring: bool = False  # ring the bell (a follow-up arrived)
    link: ConnectionChanged | None = None
    bridge: bool = False  # the bridge's state changed
    sync: bool = False  # (re)connected: run sync()
    untagged: set[str] = field(default_factory=set)  # own chats that just ended without a tag

    def __ior__(self, other: Changes) -> Changes:
        self.chats |= other.chats
        self.appended += other.appended
        self.redraw |= other.redraw
        self.history |= other.history
        self.alert = other.alert or self.alert
        self.notices += other.notices
        self.typing |= other.typing
        self.followups |= other.followups
        self.fetch_followups |= other.fetch_followups
        self.ring |= other.ring
        self.link = other.link or self.link
        self.bridge |= other.bridge
        self.sync |= other.sync
        self.untagged |= other.untagged
        return self


@dataclass(frozen=True)
class Submitted:
    """The outcome of Enter in the reply line: whether the text left the reply line."""

    accepted: bool
    changes: Changes


class DeskState:
    """One seat's desk: the single writer of the chat book, drafts, outbox and follow-ups."""

    def __init__(
        self,
        backend: DeskBackend,
        chat_log: ChatLog,
        *,
        clock: Clock,
        you: str,
        roster_ids: list[str] | None = None,
        book: ChatBook | None = None,
        resend_after: float = 15.0,
    ) -> None:
        self.backend = backend
        self.log = chat_log
        self.clock = clock
        self.you = you  # the name own lines carry ("you", "sinä")
        self.roster_ids = roster_ids or []
        self.book = book or ChatBook(backend.jid, clock)
        self.active: str | None = None
        self.drafts: dict[str, str] = {}
        self.outbox: list[tuple[str, str]] = []  # (session, line id) of own lines not yet stored
        self.sent_at: dict[str, datetime] = {}  # line id → when it was last sent unconfirmed
        self.resend_after = resend_after  # seconds without a receipt before sending again (0: never)
        self.tag_list: list[Tag] = []
        self.targets: list[Target] = []
        self.link = Link.CONNECTING
        self.bridge_up = True  # until a ping says otherwise
        self.followup_items: list[Followup] = []
        self.followups_new: set[str] = set()  # numbers from notices not looked at yet
        self.followup_drafts: dict[str, str] = {}
        self._prefix = secrets.token_hex(3)
        self._numbers = itertools.count(1)

    # -- start and stop ---------------------------------------------------------------------
    async def open(self, retention_days: int) -> None:
        """Open the local log, prune it, read drafts and today's chats."""
        await self.log.open()
        await self.log.prune(retention_days)
        self.drafts = await self.log.drafts()
        now = self.clock()
        for meta, first_seen, last_seen in await self.log.chats_since(now - timedelta(days=1)):
            if self.book.day(last_seen) != self.book.day(now):
                continue  # today's chats only (in the roster's zone); the bridge corrects the rest
            chat = self.book.ensure(meta)
            chat.first_seen = first_seen
            if meta.state is ChatStateName.ENDED:
                chat.ended_at = last_seen
            for line in await self.log.lines(meta.session):
                chat.add(line)

    async def close(self) -> None:
        """Lines never sent become the front of their chat's draft, so quitting loses nothing."""
        await self.save_draft()
        for session, line_id in reversed(self.outbox):
            line = self._own_line(session, line_id)
            if line is None or line.mark is not Mark.HELD:
                continue
            draft = self.drafts.get(session, "")
            self.drafts[session] = line.text + ("\n" + draft if draft else "")
            await self.log.set_draft(session, self.drafts[session])
        await self.log.close()

    # -- reading ---------------------------------------------------------------------------
    def chat(self, session: str | None) -> Chat | None:
        return self.book.get(session) if session else None

    @property
    def can_send(self) -> bool:
        return self.backend.connected and self.bridge_up

    def unread_total(self) -> int:
        """Unread lines in every chat of mine or waiting, except the open one."""
        return sum(
            c.unread
            for c in self.book.chats.values()
            if c.session != self.active and c.section(self.book.me) in (Section.WAITING, Section.MINE)
        )

    def may_tag(self, session: str) -> bool:
        """Open chats of mine or waiting, and ended ones this account had (the bridge allows a
        grace period after the end, `tag_after_end_seconds`, and says so when it is over)."""
        chat = self.book.get(session)
        if chat is None:
            return False
        section = chat.section(self.book.me)
        if section is not Section.ENDED:
            return section is not Section.TAKEN
        bare = self.book.me.split("/", 1)[0]
        return not chat.transferred_to and chat.meta.owner.split("/", 1)[0] == bare

    def owned(self) -> list[Chat]:
        return [c for c in self.book.chats.values() if c.section(self.book.me) is Section.MINE]

    # -- back-end events -------------------------------------------------------------------
    async def on_event(self, event: DeskEvent) -> Changes:
        if isinstance(event, ConnectionChanged):
            return self._link(event)
        if isinstance(event, BridgeChanged):
            return await self._bridge(event)
        if isinstance(event, LineMarked):
            return self._marked(event)
        if isinstance(event, Typing):
            chat = self.book.get(event.session)
            if chat is None:
                return Changes()
            chat.typing = event.state == "composing"
            return Changes(chats={event.session}, typing=True)
        if isinstance(event, ChatFollowup):
            return self._followup_notice(event)
        return await self._chat_event(event)

    def _link(self, event: ConnectionChanged) -> Changes:
        self.link = event.link
        changes = Changes(link=event, sync=event.link is Link.CONNECTED)
        if event.link is not Link.CONNECTED:
            changes.redraw |= self._hold_unconfirmed()
        return changes

    async def _bridge(self, event: BridgeChanged) -> Changes:
        was, self.bridge_up = self.bridge_up, event.up
        changes = Changes(bridge=was != event.up)
        if was and not event.up:
            changes.redraw |= self._hold_unconfirmed()
            changes.notices.append(notice("bridge.down", "warning", 8))
        elif event.up and not was:
            changes.notices.append(notice("bridge.up", timeout=4))
            changes |= await self.flush_outbox()
        return changes

    def _hold_unconfirmed(self) -> set[str]:
        """Lines sent but not confirmed may be lost with the link: hold them to send again (same id)."""
        touched = set()
        for session, line_id in self.outbox:
            chat, line = self.book.get(session), self._own_line(session, line_id)
            if chat is not None and line is not None and line.mark is Mark.SENT:
                chat.lines[chat.lines.index(line)] = replace(line, mark=Mark.HELD)
                touched.add(session)
        return touched

    def _marked(self, event: LineMarked) -> Changes:
        chat = self.book.get(event.session)
        if chat is None:
            return Changes()
        line = chat.mark(event.line_id, event.mark)
        if line is None:
            return Changes()
        changes = Changes(redraw={event.session})
        self.outbox = [o for o in self.outbox if o[1] != event.line_id]  # stored, or retried by hand
        self.sent_at.pop(event.line_id, None)
        if event.mark is Mark.FAILED:
            changes.notices.append(
                notice("line.failed", "error", 10, why=event.reason or "?", text=line.text[:40])
            )
        return changes

    async def _chat_event(self, event: ChatEvent) -> Changes:
        known = self.book.get(event.session)
        was_waiting = known is not None and known.section(self.book.me) is Section.WAITING
        was_mine = known is not None and known.section(self.book.me) is Section.MINE
        before = len(known.lines) if known is not None else 0
        chat = self.book.apply(event, self.active)
        await self.log.save_chat(chat.meta)
        changes = Changes(chats={event.session})
        if len(chat.lines) == before + 1:
            line = chat.lines[-1]
            changes.appended.append(line)
            if isinstance(event, ChatLine):
                await self.log.save_line(line)
                if (
                    event.session != self.active
                    and line.sender == "patron"
                    and chat.section(self.book.me) is Section.MINE
                ):
                    changes.notices.append(
                        notice("new_line", timeout=4, library=chat.meta.library, session=chat.session)
                    )
        elif len(chat.lines) != before:
            changes.redraw.add(event.session)
        if not chat.history_loaded and chat.section(self.book.me) in (Section.WAITING, Section.MINE):
            changes.history.add(event.session)
        if isinstance(event, ChatOffered) and not was_waiting and event.meta.kind == "offer":
            changes.alert = chat.meta
        changes.notices += self._patron_notices(event, chat, was_waiting)
        if isinstance(event, ChatEnded) and was_mine and not chat.meta.tags:
            changes.untagged.add(event.session)
        if isinstance(event, ChatOffered) and not chat.history_loaded:
            changes.history.add(event.session)
        return changes

    def _patron_notices(self, event: ChatEvent, chat: Chat, was_waiting: bool) -> list[Notice]:
        """At once when a patron leaves a waiting chat, leaves one of mine, or comes back."""
        library = chat.meta.library
        if isinstance(event, ChatWithdrawn) and was_waiting:
            return [notice("notice.withdrawn", timeout=5, library=library)]
        mine = chat.meta.owner.split("/", 1)[0] == self.book.me.split("/", 1)[0]
        if isinstance(event, ChatPatronLeft) and mine:
            return [notice("notice.patron_left", "warning", 8, library=library)]
        if isinstance(event, ChatPatronBack) and mine:
            return [notice("notice.patron_back", timeout=5, library=library)]
        return []

    # -- the open chat -----------------------------------------------------------------------
    def select(self, session: str) -> Changes:
        """Open a chat: its lines are read now; its transcript is fetched once."""
        chat = self.book.get(session)
        if chat is None:
            return Changes()
        self.active = session
        chat.unread = 0
        changes = Changes(chats={session}, redraw={session})
        if not chat.history_loaded:
            changes.history.add(session)
        return changes

    def first_to_open(self) -> str | None:
        """With no chat open: my own first, else the longest waiting."""
        if self.active is not None and self.active in self.book.chats:
            return None
        ordered = dict(self.book.ordered())
        for section in (Section.MINE, Section.WAITING):
            if ordered[section]:
                return ordered[section][0].session
        return None

    def set_draft(self, session: str, text: str) -> None:
        self.drafts[session] = text

    async def save_draft(self, session: str | None = None) -> None:
        session = session or self.active
        if session and self.log.is_open:
            await self.log.set_draft(session, self.drafts.get(session, ""))

    # -- own lines -------------------------------------------------------------------------
    def new_line_id(self) -> str:
        """An id for an own line, unique across restarts and seats: sent again, it is the same line."""
        return f"c-{self._prefix}-{next(self._numbers)}"

    async def submit(self, session: str | None, text: str) -> Submitted:
        """Enter in the reply line. A line is shown at once and marked until the bridge stores it."""
        text = text.strip("\n")
        chat = self.book.get(session) if session else None
        if not text.strip():
            return Submitted(False, Changes())
        if chat is None:
            return Submitted(False, Changes(notices=[notice("no_chat", "warning")]))
        section = chat.section(self.book.me)
        if section is Section.TAKEN:
            return Submitted(False, Changes(notices=[notice("taken_by", "warning", who=chat.meta.owner)]))
        if section is Section.ENDED:
            return Submitted(False, Changes(notices=[notice("ended", "warning")]))
        if text.startswith("/") and not text.startswith("//"):
            return await self._command(chat, text)
        line = Line(chat.session, self.clock(), "librarian", self.you, text, self.new_line_id(), Mark.HELD)
        chat.add(line)
        self.outbox.append((chat.session, line.msg_id))
        self.drafts.pop(chat.session, None)
        await self.log.set_draft(chat.session, "")
        changes = Changes(chats={chat.session}, appended=[line])
        if self.can_send:
            changes |= await self._send(chat.session, line.msg_id)
        held = self._own_line(chat.session, line.msg_id)
        if held is not None and held.mark is Mark.HELD:
            key = "sent_offline" if not self.backend.connected else "held_for_bridge"
            changes.notices.append(notice(key, "warning"))
        return Submitted(True, changes)

    async def _command(self, chat: Chat, text: str) -> Submitted:
        """A text command goes to the bridge; it is shown as a system line and never logged."""
        if not self.can_send:
            return Submitted(False, Changes(notices=[notice("not_connected", "warning")]))
        try:
            await self.backend.send_line(chat.session, text, self.new_line_id())
        except NotConnected:
            return Submitted(False, Changes(notices=[notice("not_connected", "warning")]))
        line = Line(chat.session, self.clock(), "command", "", text)
        chat.add(line)
        self.drafts.pop(chat.session, None)
        await self.log.set_draft(chat.session, "")
        return Submitted(True, Changes(chats={chat.session}, appended=[line]))

    def _own_line(self, session: str, line_id: str) -> Line | None:
        chat = self.book.get(session)
        if chat is None:
            return None
        for line in reversed(chat.lines):
            if line.msg_id == line_id:
                return line
        return None

    async def _send(self, session: str, line_id: str) -> Changes:
        line = self._own_line(session, line_id)
        chat = self.book.get(session)
        if line is None or chat is None:
            return Changes()
        try:
            await self.backend.send_line(session, line.text, line_id)
        except NotConnected:
            return Changes()
        i = chat.lines.index(line)
        if chat.lines[i].mark in (Mark.HELD, Mark.FAILED):
            chat.lines[i] = replace(chat.lines[i], mark=Mark.SENT)
        if chat.lines[i].mark is Mark.SENT:
            self.sent_at[line_id] = self.clock()
        await self.log.save_line(chat.lines[i])
        return Changes(redraw={session})

    async def flush_outbox(self) -> Changes:
        """Send held lines, in order, while the connection and the bridge are there."""
        changes = Changes()
        for session, line_id in list(self.outbox):
            if not self.can_send:
                break
            line = self._own_line(session, line_id)
            if line is not None and line.mark is Mark.HELD:
                changes |= await self._send(session, line_id)
        return changes

    async def resend_overdue(self) -> Changes:
        """Send again, with the same id, lines sent `resend_after` seconds ago and still without a
        receipt. A line can vanish with no error when the bridge that should take it died while
        this desk's own link stayed up; the bridge keeps a line once per id, so a resend is safe."""
        changes = Changes()
        if not self.resend_after or not self.can_send:
            return changes
        due = self.clock() - timedelta(seconds=self.resend_after)
        for session, line_id in list(self.outbox):
            line = self._own_line(session, line_id)
            sent = self.sent_at.get(line_id)
            if line is not None and line.mark is Mark.SENT and sent is not None and sent <= due:
                changes |= await self._send(session, line_id)
        return changes

    async def retry(self, session: str | None) -> Changes:
        """Send again the open chat's lines that failed (same ids: the bridge keeps each once)."""
        chat = self.book.get(session) if session else None
        if chat is None:
            return Changes()
        failed = [line for line in chat.lines if line.mark is Mark.FAILED]
        if not failed:
            return Changes(notices=[notice("retry.none")])
        for line in failed:
            i = chat.lines.index(line)
            chat.lines[i] = replace(line, mark=Mark.HELD)
            self.outbox.append((chat.session, line.msg_id))
        changes = Changes(redraw={chat.session})
        changes |= await self.flush_outbox()
        return changes

    def add_own_note(self, session: str, text: str) -> Changes:
        """Show a note at once; the bridge stores it but need not send it back."""
        chat = self.book.get(session)
        line = Line(session, self.clock(), "note", self.you, text)
        if chat is None or not chat.add_note(line):
            return Changes()
        return Changes(chats={session}, appended=[line])

    def retag(self, session: str, tags: tuple[str, ...]) -> Changes:
        """The tag command's result lists the chat's tags now; not every bridge sends `tagged`."""
        chat = self.book.get(session)
        if chat is None:
            return Changes()
        chat.meta = replace(chat.meta, tags=tags)
        return Changes(chats={session})

    # -- the bridge's view ------------------------------------------------------------------
    async def load_history(self, session: str) -> Changes:
        """The chat's whole transcript from the bridge, merged with what is here."""
        chat = self.book.get(session)
        if chat is None:
            return Changes()
        chat.history_loaded = True
        try:
            lines = await self.backend.transcript(session)
        except Exception as exc:  # history is a nicety; the live lines still arrive
            log.warning("transcript of %s: %s", session, exc)
            chat.history_loaded = False
            return Changes()
        stored = await self.log.lines(session)
        merged = merge_lines(stored, lines, chat.lines)
        if len(merged) == len(chat.lines):
            return Changes()
        chat.lines[:] = []
        chat._ids.clear()
        for line in merged:
            chat.add(line)
        await self.log.save_lines(lines)
        return Changes(chats={session}, redraw={session})

    async def sync(self) -> Changes:
        """After (re)connecting: send what waited, learn tags, desks and open chats."""
        changes = await self.flush_outbox()
        try:
            self.tag_list = await self.backend.tags()
        except Exception as exc:
            log.warning("sync after connect: %s", exc)
            return changes
        changes |= await self.refresh_chats(reload_mine=True)
        changes.fetch_followups = True
        return changes

    async def refresh_chats(self, reload_mine: bool = False) -> Changes:
        """The bridge's open chats and desks: colleagues' chats that ended or moved follow."""
        try:
            self.targets = await self.backend.desks()
            summaries = await self.backend.chats()
        except Exception as exc:
            log.info("chats: %s", exc)
            return Changes()
        changes = Changes()
        targets = my_targets(self.targets, self.book.me, self.roster_ids)
        for chat in apply_summaries(self.book, summaries, targets):
            await self.log.save_chat(chat.meta)
            changes.chats.add(chat.session)
            if reload_mine and chat.section(self.book.me) is Section.MINE:
                chat.history_loaded = False  # lines may have come while we were away
                if chat.session == self.active:
                    changes.history.add(chat.session)
        return changes

    # -- follow-ups --------------------------------------------------------------------------
    def _followup_notice(self, event: ChatFollowup) -> Changes:
        """A patron left a message: not a live chat; it joins the list only if the chat is there."""
        changes = Changes(followups=True, ring=True, fetch_followups=True)
        if self.book.get(event.session) is not None:
            self.book.apply(event, self.active)
            changes.chats.add(event.session)
        number = event.meta.followup
        if number:
            self.followups_new.add(number)
        changes.notices.append(notice("fu.notice", timeout=8, id=number or "?", library=event.meta.library))
        return changes

    async def reload_followups(self) -> Changes:
        if not self.backend.connected:
            return Changes(followups=True)
        try:
            self.followup_items = await self.backend.followups()
        except Exception as exc:  # a bridge without follow-ups, a timeout: keep what we had
            log.info("followups: %s", exc)
        return Changes(followups=True)

    def followups_open(self) -> int:
        """Open follow-ups, counting those announced by a notice before the list has them."""
        listed = {f.id.lstrip("#") for f in self.followup_items}
        announced = sum(1 for n in self.followups_new if n and n not in listed)
        return sum(1 for f in self.followup_items if f.status is FollowupStatus.OPEN) + announced

    def followups_seen(self) -> None:
        self.followups_new.clear()


def waiting_chats(book: ChatBook) -> list[Chat]:
    """Chats that wait for a librarian (queued, nobody has them), longest first."""
    return [c for c in dict(book.ordered())[Section.WAITING] if c.meta.state is ChatStateName.QUEUED]
