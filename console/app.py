"""The console App: layout, live state from the desk back end, and the local log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static

from console import keys
from console.alerting import AlertActions
from console.backend import (
    ChatEvent,
    ChatFollowup,
    ChatLine,
    ChatOffered,
    ChatStateName,
    ConnectionChanged,
    DeskBackend,
    DeskEvent,
    Link,
    Tag,
    Target,
    Typing,
)
from console.canned import Canned
from console.config import AlertSettings
from console.duty import Roster
from console.i18n import Texts
from console.log import ChatLog
from console.model import ChatBook, Section, merge_lines
from console.sync import apply_summaries, my_targets
from console.text import one_line
from console.widgets.chat_list import ChatList
from console.widgets.panels import SidePanel, StatusBar
from console.widgets.reply import ReplyInput
from console.widgets.transcript import TranscriptView

log = logging.getLogger(__name__)


class BackendEvent(Message):
    """A desk event, delivered on the app's message queue."""

    def __init__(self, event: DeskEvent) -> None:
        super().__init__()
        self.event = event


def utc_now() -> datetime:
    return datetime.now(UTC)


class ConsoleApp(AlertActions):
    """A librarian's desk: chat list, transcript, context panel and reply line."""

    CSS_PATH = "console.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (typed by App)

    def __init__(
        self,
        backend: DeskBackend,
        chat_log: ChatLog,
        *,
        lang: str = "en",
        alerts: AlertSettings | None = None,
        retention_days: int = 365,
        roster: Roster | None = None,
        canned: Sequence[Canned] = (),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.chat_log = chat_log
        self.texts = Texts(lang)
        self.init_alerts(alerts or AlertSettings(), clock)
        self.init_followups()
        self.retention_days = retention_days
        self.roster = roster or Roster(None)
        self.canned = list(canned)
        self.book = ChatBook(backend.jid)
        self.active: str | None = None
        self.drafts: dict[str, str] = {}
        self.outbox: list[tuple[str, str, int]] = []  # (session, text, index in chat.lines)
        self.tag_list: list[Tag] = []
        self.targets: list[Target] = []
        self._typing_sent: dict[str, tuple[str, float]] = {}
        self._list_pending = False
        self.title = self.texts("title")
        for key, action, description, show in keys.bindings(self.texts):
            self._bindings.bind(key, action, description, show=show, priority=True)

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(self.texts, self.backend.jid, id="status")
        with Horizontal(id="main"):
            yield ChatList(self.texts, self.library_name, id="chats")
            with Vertical(id="center"):
                yield Static(id="chat-header", markup=False)
                yield TranscriptView(id="transcript", pending_label=self.texts("pending"))
                yield Static(id="typing", markup=False)
                yield ReplyInput(id="reply", placeholder=self.texts("input.placeholder"))
            yield SidePanel(self.texts, id="side")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.chat_log.open()
        await self.chat_log.prune(self.retention_days)
        self.drafts = await self.chat_log.drafts()
        await self.restore_today()
        self.backend.set_sink(self._deliver)
        self.set_interval(1.0, self.tick)
        self.set_interval(30.0, self.refresh_desks)
        self.set_interval(60.0, self.reload_followups)
        self.set_interval(3600.0, self.prune_log)
        self.open_first()
        self.refresh_all()
        if self.quiet:
            self.query_one(StatusBar).quiet = self.texts("quiet.on")
        self.query_one(ReplyInput).focus()
        self.run_worker(self.backend.start(), name="backend-start", exit_on_error=False)

    def open_first(self) -> None:
        """With no chat open, open one: my own first, else the longest waiting."""
        if self.active is not None and self.active in self.book.chats:
            return
        ordered = dict(self.book.ordered())
        for section in (Section.MINE, Section.WAITING):
            if ordered[section]:
                self.open_chat(ordered[section][0].session)
                return

    def _deliver(self, event: DeskEvent) -> None:
        self.post_message(BackendEvent(event))

    async def restore_today(self) -> None:
        """Today's chats from the local log, so a restart keeps the list (the bridge corrects it)."""
        midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        for meta, first_seen, last_seen in await self.chat_log.chats_since(midnight):
            chat = self.book.ensure(meta)
            chat.first_seen = first_seen
            if meta.state is ChatStateName.ENDED:
                chat.ended_at = last_seen
            for line in await self.chat_log.lines(meta.session):
                chat.add(line)

    async def on_unmount(self) -> None:
        await self.save_draft()
        # Lines still waiting for the connection become drafts, so quitting loses nothing.
        for session, text, _ in reversed(self.outbox):
            draft = self.drafts.get(session, "")
            self.drafts[session] = text + ("\n" + draft if draft else "")
            await self.chat_log.set_draft(session, self.drafts[session])
        await self.backend.stop()
        await self.chat_log.close()

    # -- names ---------------------------------------------------------------------------
    def library_name(self, lib_id: str) -> str:
        name = self.roster.library_name(lib_id)
        if name == lib_id:
            for t in self.targets:
                if t.id == lib_id:
                    return t.name
        return name

    def tag_name(self, tag_id: str) -> str:
        for tag in self.tag_list:
            if tag.id == tag_id:
                return tag.label(self.texts.lang)
        return tag_id

    # -- events from the back end ----------------------------------------------------------
    @on(BackendEvent)
    async def _backend_event(self, message: BackendEvent) -> None:
        event = message.event
        if isinstance(event, ConnectionChanged):
            await self.connection_changed(event)
        elif isinstance(event, Typing):
            chat = self.book.get(event.session)
            if chat is not None:
                chat.typing = event.state == "composing"
                self.refresh_typing()
                self.refresh_list()
        elif isinstance(event, ChatFollowup):
            # A left message is not a live chat: it joins the list only if the chat is there already.
            if self.book.get(event.session) is not None:
                self.book.apply(event, self.active)
                self.refresh_all()
            self.followup_notice(event)
        elif isinstance(event, ChatEvent):
            await self.chat_event(event)

    async def chat_event(self, event: ChatEvent) -> None:
        known = self.book.get(event.session)
        was_waiting = known is not None and known.section(self.book.me) is Section.WAITING
        chat = self.book.apply(event, self.active)
        await self.chat_log.save_chat(chat.meta)
        if isinstance(event, ChatLine) and event.line is not None:
            await self.chat_log.save_line(event.line)
            if event.session == self.active and chat.lines and chat.lines[-1] is event.line:
                self.query_one(TranscriptView).append(event.line)
        elif event.session == self.active and len(chat.lines) != len(self.query_one(TranscriptView).lines):
            self.query_one(TranscriptView).set_lines(chat.lines, key=event.session)
        if isinstance(event, ChatOffered):
            if not chat.history_loaded:
                self.load_history(event.session)
            if not was_waiting and event.meta.kind == "offer":
                self.alert(chat.meta)
        if self.active is None and chat.section(self.book.me) is not Section.ENDED:
            self.open_chat(event.session)
        self.refresh_list()
        if event.session == self.active:
            self.refresh_active_context()

    def load_history(self, session: str) -> None:
        self.run_worker(self._load_history(session), group="history", exit_on_error=False)

    async def _load_history(self, session: str) -> None:
        chat = self.book.get(session)
        if chat is None:
            return
        chat.history_loaded = True
        try:
            lines = await self.backend.transcript(session)
        except Exception as exc:  # history is a nicety; the live lines still arrive
            log.warning("transcript of %s: %s", session, exc)
            chat.history_loaded = False
            return
        stored = await self.chat_log.lines(session)
        merged = merge_lines(stored, lines, chat.lines)
        if len(merged) != len(chat.lines):
            chat.lines[:] = []
            chat._ids.clear()
            for line in merged:
                chat.add(line)
            await self.chat_log.save_lines(lines)
            if session == self.active:
                self.query_one(TranscriptView).set_lines(chat.lines)
            self.refresh_list()

    async def connection_changed(self, event: ConnectionChanged) -> None:
        self.query_one(StatusBar).set_link(event.link, event.detail, event.retry_in)
        if event.link is Link.CONNECTED:
            self.run_worker(self.sync_after_connect(), exit_on_error=False)
        elif event.link is Link.STOPPED and (event.conflict or event.detail):
            self.show_stopped(event)  # a stop with a reason: say it, do not retry silently

    async def sync_after_connect(self) -> None:
        """After (re)connecting: send what waited, learn tags, desks and open chats."""
        await self.flush_outbox()
        try:
            self.tag_list = await self.backend.tags()
            self.targets = await self.backend.desks()
            summaries = await self.backend.chats()
        except Exception as exc:
            log.warning("sync after connect: %s", exc)
            return
        self.reload_followups()
        targets = my_targets(self.targets, self.book.me, self.roster.ids_of_desk(self.book.me))
        for chat in apply_summaries(self.book, summaries, targets):
            await self.chat_log.save_chat(chat.meta)
            if chat.section(self.book.me) is Section.MINE:
                chat.history_loaded = False  # lines may have come while we were away
                if chat.session == self.active:
                    self.load_history(chat.session)
        self.open_first()
        self.refresh_all()

    def show_stopped(self, event: ConnectionChanged) -> None:
        from console.screens.dialogs import StoppedScreen

        t = self.texts
        if event.conflict:
            title = t("conflict.title")
            text = t("conflict.text", jid=self.backend.jid) + f"\n\n{event.detail}"
        else:
            title, text = t("stopped.title"), event.detail

        async def chosen(choice: str | None) -> None:
            if choice == "reconnect":
                self.run_worker(self.backend.start(), exit_on_error=False)
            else:
                self.exit(message=f"{title}: {event.detail}")

        self.push_screen(StoppedScreen(title, text, t("conflict.keys")), chosen)

    async def prune_log(self) -> None:
        """Retention also applies to a console left running for days."""
        await self.chat_log.prune(self.retention_days)

    async def refresh_desks(self) -> None:
        if self.backend.connected:
            try:
                self.targets = await self.backend.desks()
            except Exception as exc:
                log.info("desks: %s", exc)
            self.refresh_active_context()

    # -- drawing -------------------------------------------------------------------------
    def refresh_all(self) -> None:
        self.refresh_list()
        self.refresh_active_context()

    def refresh_list(self) -> None:
        """Redraw the chat list once, after the events queued now are handled."""
        if not self._list_pending:
            self._list_pending = True
            self.call_later(self._redraw_list)

    def _redraw_list(self) -> None:
        self._list_pending = False
        chats = self.query_one(ChatList)
        chats.active = self.active
        chats.rebuild(self.book)
        counts = {s: len(c) for s, c in self.book.ordered()}
        status = self.query_one(StatusBar)
        status.counts = (
            f"{self.texts('sec.waiting')} {counts[Section.WAITING]} · "
            f"{self.texts('sec.mine')} {counts[Section.MINE]}"
        )
        status.redraw()

    def refresh_typing(self) -> None:
        chat = self.book.get(self.active) if self.active else None
        text = self.texts("typing") if chat is not None and chat.typing else ""
        self.query_one("#typing", Static).update(text)

    def refresh_active_context(self) -> None:
        chat = self.book.get(self.active) if self.active else None
        duty = self.roster.duty_lines(datetime.now(UTC), self.targets)
        self.query_one(SidePanel).show(chat, self.library_name, self.tag_name, duty)
        header = self.query_one("#chat-header", Static)
        reply = self.query_one(ReplyInput)
        if chat is None:
            header.update(self.texts("no_chat"))
            reply.read_only = True
            return
        meta = chat.meta
        section = chat.section(self.book.me)
        bits = [self.library_name(meta.library), meta.lang, meta.state.value]
        if section is Section.TAKEN:
            bits.append(self.texts("taken_by", who=meta.owner))
        if meta.from_target:
            bits.append(self.texts("from_target", target=self.library_name(meta.from_target)))
        if meta.tags:
            bits.append(", ".join(self.tag_name(t) for t in meta.tags))
        header.update(
            Content.assemble((meta.session, "bold"), " · ", one_line(" · ".join(b for b in bits if b), 200))
        )
        reply.read_only = section in (Section.TAKEN, Section.ENDED)
        self.refresh_typing()

    def open_chat(self, session: str) -> None:
        """Show a chat: its transcript, context and draft; its lines are read now."""
        chat = self.book.get(session)
        if chat is None:
            return
        reply = self.query_one(ReplyInput)
        if self.active and self.active != session:
            self.drafts[self.active] = reply.text
            self.run_worker(self.chat_log.set_draft(self.active, reply.text))
        self.active = session
        chat.unread = 0
        self.query_one(TranscriptView).set_lines(chat.lines, key=session)
        with reply.prevent(ReplyInput.Changed):
            reply.load_text(self.drafts.get(session, ""))
        reply.move_cursor(reply.document.end)
        if not chat.history_loaded:
            self.load_history(session)
        self.refresh_all()

    async def save_draft(self) -> None:
        """Write the open chat's draft (kept current by every key press) to the log."""
        if self.active and self.chat_log.is_open:
            await self.chat_log.set_draft(self.active, self.drafts.get(self.active, ""))

    # -- the palette and the modal guard -----------------------------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for a in keys.ACTIONS:
            if "(" in a.action:
                continue
            yield SystemCommand(self.texts(a.label), keys.pretty(a.keys), getattr(self, f"action_{a.action}"))
        from console.screens.followups import FollowupScreen

        if isinstance(screen, FollowupScreen):
            for action, label, key in keys.FOLLOWUP_COMMANDS:
                yield SystemCommand(self.texts(label), key, getattr(self, f"action_{action}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The desk's keys do nothing while a dialog is open (except F1 for help)."""
        if isinstance(self.screen, ModalScreen) and action in keys.ACTION_NAMES:
            return False
        return True

    @on(OptionList.OptionSelected, "#chats")
    def _chat_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_chat(event.option.id)
            self.query_one(ReplyInput).focus()
