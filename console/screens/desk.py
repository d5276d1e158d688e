"""The desk screen: draws the DeskState and turns keys into intents. No desk rule lives here."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from console import keys
from console.alerting import Alerter
from console.backend import ChatMeta, CommandResult, Link, Mark
from console.canned import Canned
from console.clock import Times
from console.desk_state import Changes, DeskState, Notice, waiting_chats
from console.duty import Roster
from console.errors import NotConnected
from console.i18n import Texts
from console.model import Section
from console.text import one_line
from console.widgets.chat_list import ChatList
from console.widgets.panels import SidePanel, StatusBar
from console.widgets.reply import ReplyInput
from console.widgets.transcript import TranscriptView

log = logging.getLogger(__name__)

LEVEL_CLASSES = tuple(f"-waiting-{n}" for n in range(1, 4))
TYPING_REPEAT_S = 4.0
TYPING_PAUSE_S = 5.0


async def run_command(
    screen: Screen[Any], texts: Texts, coro: Awaitable[CommandResult], what: str
) -> CommandResult | None:
    """Await a bridge command and tell the librarian how it went; the result when it succeeded."""
    try:
        result = await coro
    except NotConnected:
        screen.notify(texts("not_connected"), severity="warning")
        return None
    except Exception as exc:
        log.exception("%s failed", what)
        screen.notify(texts("failed", why=str(exc)), severity="error")
        return None
    if result.ok:
        screen.notify(texts("done", what=what), timeout=2)
        return result
    screen.notify(texts("failed", why=result.message or what), severity="error")
    return None


class DeskScreen(Screen[None]):
    """Chat list, transcript, context panel and reply line. Build it with `desk_screen()`."""

    def __init__(
        self,
        desk: DeskState,
        alerter: Alerter,
        texts: Texts,
        times: Times,
        roster: Roster,
        canned: Sequence[Canned],
        ring: Callable[[], None],
    ) -> None:
        super().__init__()
        self.desk, self.alerter, self.texts, self.times = desk, alerter, texts, times
        self.roster, self.canned, self.ring = roster, list(canned), ring
        self._typing_sent: dict[str, tuple[str, float]] = {}
        self._list_pending = False

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.texts
        yield StatusBar(t, self.desk.backend.jid, id="status")
        with Horizontal(id="main"):
            yield ChatList(t, self.library_name, id="chats")
            with Vertical(id="center"):
                yield Static(id="chat-header", markup=False)
                yield TranscriptView(id="transcript", texts=t, times=self.times)
                yield Static(id="typing", markup=False)
                yield ReplyInput(id="reply", placeholder=t("input.placeholder"))
            yield SidePanel(t, id="side")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.alerter.quiet:
            self.query_one(StatusBar).quiet = self.texts("quiet.on")
        self.query_one(ReplyInput).focus()

    # -- names ---------------------------------------------------------------------------
    def library_name(self, lib_id: str) -> str:
        name = self.roster.library_name(lib_id)
        if name == lib_id:
            for t in self.desk.targets:
                if t.id == lib_id:
                    return t.name
        return name

    def tag_name(self, tag_id: str) -> str:
        for tag in self.desk.tag_list:
            if tag.id == tag_id:
                return tag.label(self.texts.lang)
        return tag_id

    # -- drawing what changed ----------------------------------------------------------------
    def show(self, changes: Changes) -> None:
        """Draw one step's changes: lines, marks, the list, notices, alerts."""
        desk = self.desk
        if not self.is_attached or not self.query(TranscriptView):
            return  # the app is closing: an event that comes now changes the state only
        view = self.query_one(TranscriptView)
        if desk.active in changes.redraw:
            chat = desk.chat(desk.active)
            if chat is not None:
                view.set_lines(chat.lines, key=chat.session)
        else:
            for line in changes.appended:
                if line.session == desk.active and view.key == line.session:
                    view.append(line)
        for session in changes.history:
            self.load_history(session)
        if changes.link is not None:
            self.query_one(StatusBar).set_link(changes.link.link, changes.link.detail, changes.link.retry_in)
        if changes.bridge:
            self.query_one(StatusBar).set_bridge(desk.bridge_up)
        for n in changes.notices:
            self.tell(n)
        if changes.alert is not None:
            self.alert(changes.alert)
        for session in sorted(changes.untagged):
            self.closing_prompt(session)
        if changes.ring:
            self.ring_if_allowed()
        if changes.followups:
            self.show_followups()
        if changes.fetch_followups:
            self.reload_followups()
        if desk.active is None or desk.active not in desk.book.chats:
            first = desk.first_to_open()
            if first is not None:
                self.open_chat(first)
        if changes.typing:
            self.refresh_typing()
        self.refresh_list()
        if desk.active in changes.chats or changes.link is not None or changes.bridge:
            self.refresh_context()

    def tell(self, n: Notice) -> None:
        values = dict(n.values)
        if "library" in values:
            values["library"] = self.library_name(values["library"])
        if n.key == "new_line":
            self.ring_if_allowed()
        self.notify(self.texts(n.key, **values), severity=n.severity, timeout=n.timeout)  # type: ignore[arg-type]

    def refresh_list(self) -> None:
        """Redraw the chat list once, after the events queued now are handled."""
        if not self._list_pending:
            self._list_pending = True
            self.call_later(self._redraw_list)

    def _redraw_list(self) -> None:
        self._list_pending = False
        if not self.is_attached or not self.query(ChatList):
            return  # the app is closing
        book = self.desk.book
        chats = self.query_one(ChatList)
        chats.active = self.desk.active
        chats.rebuild(book, book.clock())
        counts = {s: len(c) for s, c in book.ordered()}
        t = self.texts
        status = self.query_one(StatusBar)
        status.counts = (
            f"{t('sec.waiting')} {counts[Section.WAITING]} · {t('sec.mine')} {counts[Section.MINE]}"
        )
        unread = self.desk.unread_total()
        status.unread = t("unread", n=unread) if unread else ""
        status.redraw()

    def refresh_typing(self) -> None:
        chat = self.desk.chat(self.desk.active)
        text = self.texts("typing") if chat is not None and chat.typing else ""
        self.query_one("#typing", Static).update(text)

    def refresh_context(self) -> None:
        desk = self.desk
        chat = desk.chat(desk.active)
        now = desk.book.clock()
        duty = self.roster.duty_lines(now, desk.targets)
        self.query_one(SidePanel).show(chat, self.library_name, self.tag_name, duty, now)
        header = self.query_one("#chat-header", Static)
        reply = self.query_one(ReplyInput)
        if chat is None:
            header.update(self.texts("no_chat"))
            reply.read_only = True
            return
        meta = chat.meta
        section = chat.section(desk.book.me)
        bits = [self.library_name(meta.library), meta.lang, self.texts(f"state.{meta.state.value}")]
        if section is Section.TAKEN:
            bits.append(self.texts("taken_by", who=meta.owner))
        if meta.from_target:
            bits.append(self.texts("from_target", target=self.library_name(meta.from_target)))
        if meta.tags:
            bits.append(", ".join(self.tag_name(t) for t in meta.tags))
        held = sum(1 for line in chat.lines if line.mark is Mark.HELD)
        if held and not desk.bridge_up:
            bits.append(self.texts("held", n=held))
        header.update(
            Content.assemble((meta.session, "bold"), " · ", one_line(" · ".join(b for b in bits if b), 200))
        )
        reply.read_only = section in (Section.TAKEN, Section.ENDED)
        self.refresh_typing()

    def open_chat(self, session: str) -> None:
        """Show a chat: its transcript, context and draft; its lines are read now."""
        desk = self.desk
        if desk.chat(session) is None:
            return
        reply = self.query_one(ReplyInput)
        if desk.active and desk.active != session:
            desk.set_draft(desk.active, reply.text)
            self.save_draft(desk.active)
        changes = desk.select(session)
        with reply.prevent(ReplyInput.Changed):
            reply.load_text(desk.drafts.get(session, ""))
        reply.move_cursor(reply.document.end)
        self.show(changes)
        self.refresh_context()

    # -- alerts -------------------------------------------------------------------------------
    def ring_if_allowed(self) -> None:
        if self.alerter.bell:
            self.ring()

    def alert(self, meta: ChatMeta) -> None:
        """A new chat: bell and highlight, as configured (once for a burst of offers)."""
        if not self.alerter.new_chat():
            return
        self.ring_if_allowed()
        if self.alerter.settings.highlight:
            chats = self.query_one(ChatList)
            chats.add_class("-alert")
            self.set_timer(3.0, lambda: chats.remove_class("-alert"))
            self.notify(self.texts("new_chat", library=self.library_name(meta.library)), timeout=4)

    def tick(self) -> None:
        """Once a second: waiting times, and the repeated, escalating alert for waiting chats."""
        if not self.query(ChatList) or not self.query(StatusBar):
            return  # the screen is not composed yet, or is being taken down as the console quits
        book = self.desk.book
        if book.next_waiting() is not None:
            self.refresh_list()
            chat = self.desk.chat(self.desk.active)
            if chat is not None and chat.section(book.me) is Section.WAITING:
                self.refresh_context()
        step = self.alerter.tick(waiting_chats(book))
        if step.ring:
            self.ring_if_allowed()
        for widget in (self.query_one(ChatList), self.query_one(StatusBar)):
            for n, name in enumerate(LEVEL_CLASSES, 1):
                widget.set_class(n == step.level, name)
        if step.rising:
            chat = book.next_waiting()
            library = self.library_name(chat.meta.library) if chat else "?"
            self.notify(self.texts("still_waiting", library=library), severity="warning", timeout=6)

    def action_toggle_quiet(self) -> None:
        """Quiet mode for this session: no bell; highlights and counts stay."""
        quiet = self.alerter.toggle_quiet()
        status = self.query_one(StatusBar)
        status.quiet = self.texts("quiet.on") if quiet else ""
        status.redraw()
        self.notify(self.texts("quiet.now_on" if quiet else "quiet.now_off"), timeout=3)

    # -- workers --------------------------------------------------------------------------
    @work(group="history", exit_on_error=False)
    async def load_history(self, session: str) -> None:
        self.show(await self.desk.load_history(session))

    @work(exit_on_error=False)
    async def save_draft(self, session: str) -> None:
        await self.desk.save_draft(session)

    @work(group="commands", exit_on_error=False)
    async def command(
        self, coro: Awaitable[CommandResult], what: str, on_ok: Callable[[CommandResult], None] | None = None
    ) -> None:
        """Run a bridge command in the background and report its result."""
        result = await run_command(self, self.texts, coro, what)
        if result is not None and on_ok is not None:
            on_ok(result)

    @work(group="followups", exclusive=True, exit_on_error=False)
    async def reload_followups(self) -> None:
        self.show(await self.desk.reload_followups())

    @work(exit_on_error=False)
    async def sync(self) -> None:
        self.show(await self.desk.sync())

    @work(group="resend", exclusive=True, exit_on_error=False)
    async def resend_overdue(self) -> None:
        """Lines still without the bridge's receipt after a while go again (same id)."""
        self.show(await self.desk.resend_overdue())

    @work(group="refresh", exclusive=True, exit_on_error=False)
    async def refresh_chats(self) -> None:
        if self.desk.backend.connected:
            self.show(await self.desk.refresh_chats())
            self.refresh_context()

    def show_followups(self) -> None:
        """The count in the status line, and the list when its screen is open."""
        from console.screens.followups import FollowupScreen

        desk = self.desk
        waiting = desk.followups_open()
        status = self.query_one(StatusBar)
        status.followups = self.texts("fu.count", n=waiting) if waiting or desk.followups_new else ""
        if desk.followups_new:
            status.followups += f" ●{len(desk.followups_new)}"
        status.set_class(bool(desk.followups_new), "-followup")
        status.redraw()
        for screen in self.app.screen_stack:
            if isinstance(screen, FollowupScreen):
                screen.show(desk.followup_items, desk.followups_new)

    # -- replying ----------------------------------------------------------------------------
    @on(ReplyInput.Submitted)
    async def _submitted(self, event: ReplyInput.Submitted) -> None:
        """Enter in the reply line: the line is shown at once and sent (or held)."""
        session = self.desk.active
        outcome = await self.desk.submit(session, event.text)
        if outcome.accepted:
            reply = self.query_one(ReplyInput)
            with reply.prevent(ReplyInput.Changed):
                reply.load_text("")
            if session is not None:
                self._typing_sent.pop(session, None)
        self.show(outcome.changes)

    @on(ReplyInput.Changed)
    def _typed(self, event: ReplyInput.Changed) -> None:
        """A key press in the reply line: keep the draft, tell the patron we are typing."""
        desk = self.desk
        session = desk.active
        chat = desk.chat(session)
        if session is None or chat is None:
            return
        text = event.text_area.text
        desk.set_draft(session, text)
        if chat.section(desk.book.me) not in (Section.MINE, Section.WAITING) or not chat.meta.owner:
            return  # typing into a waiting chat is not yet talking to the patron
        now = time.monotonic()
        state, at = self._typing_sent.get(session, ("", 0.0))
        if text.strip() and (state != "composing" or now - at > TYPING_REPEAT_S):
            self._send_typing(session, "composing")
        elif not text.strip() and state == "composing":
            self._send_typing(session, "active")
        self.set_timer(TYPING_PAUSE_S, lambda: self._maybe_paused(session))
        self.set_timer(0.5, lambda: self.save_draft(session))

    def _send_typing(self, session: str, state: str) -> None:
        self._typing_sent[session] = (state, time.monotonic())
        if self.desk.backend.connected:
            self.send_typing(session, state)

    @work(exit_on_error=False)
    async def send_typing(self, session: str, state: str) -> None:
        await self.desk.backend.send_typing(session, state)

    def _maybe_paused(self, session: str) -> None:
        state, at = self._typing_sent.get(session, ("", 0.0))
        if state == "composing" and time.monotonic() - at >= TYPING_PAUSE_S - 0.1:
            self._send_typing(session, "paused")

    async def action_retry(self) -> None:
        """Send again the open chat's lines that failed."""
        self.show(await self.desk.retry(self.desk.active))

    # -- moving around ----------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#chats")
    def _chat_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_chat(event.option.id)
            self.query_one(ReplyInput).focus()

    def _step(self, delta: int) -> None:
        sessions = self.query_one(ChatList).sessions
        if not sessions:
            return
        active = self.desk.active
        index = sessions.index(active) if active in sessions else -delta
        self.open_chat(sessions[(index + delta) % len(sessions)])

    def action_next_chat(self) -> None:
        self._step(1)

    def action_prev_chat(self) -> None:
        self._step(-1)

    def action_goto_chat(self, n: int) -> None:
        sessions = self.query_one(ChatList).sessions
        if 0 < n <= len(sessions):
            self.open_chat(sessions[n - 1])
            self.query_one(ReplyInput).focus()

    def action_focus_list(self) -> None:
        self.query_one(ChatList).focus()

    def action_toggle_side(self) -> None:
        self.toggle_class("-show-side")

    def action_scroll_transcript(self, direction: int) -> None:
        view = self.query_one(TranscriptView)
        page = max(1, view.scrollable_content_region.height - 1)
        view.scroll_to(y=view.scroll_y + direction * page, animate=False, immediate=True)

    def action_help(self) -> None:
        self.app.action_help()  # type: ignore[attr-defined]

    # -- actions on the open chat -------------------------------------------------------------
    def _current(self, need_open: bool = True) -> str | None:
        chat = self.desk.chat(self.desk.active)
        if chat is None:
            self.notify(self.texts("no_chat"), severity="warning")
            return None
        if need_open and chat.section(self.desk.book.me) is Section.ENDED:
            self.notify(self.texts("ended"), severity="warning")
            return None
        return chat.session

    def action_accept_next(self) -> None:
        """Accept the open chat if it waits, else the one waiting longest."""
        desk = self.desk
        chat = desk.chat(desk.active)
        if chat is None or chat.section(desk.book.me) is not Section.WAITING:
            chat = desk.book.next_waiting()
        if chat is None:
            self.notify(self.texts("no_waiting"))
            return
        self.open_chat(chat.session)
        self.query_one(ReplyInput).focus()
        self.command(desk.backend.accept(chat.session), self.texts("act.accept"))

    async def action_tag(self) -> None:
        from console.screens.pickers import TagPicker

        desk = self.desk
        session = self._current(need_open=False)
        if session is None:
            return
        if not desk.may_tag(session):
            self.notify(self.texts("tag.not_yours"), severity="warning")
            return
        if not desk.tag_list:
            try:
                desk.tag_list = await desk.backend.tags()
            except Exception as exc:
                self.notify(self.texts("failed", why=str(exc)), severity="error")
                return
        current = desk.book.chats[session].meta.tags

        def retagged(result: CommandResult) -> None:
            if "tags" in result.fields:
                tags = tuple(t for v in result.fields["tags"] for t in v.split(",") if t)
                self.show(desk.retag(session, tags))

        def chosen(tags: tuple[str, ...] | None) -> None:
            if tags is None:
                return
            added = [t for t in tags if t not in current]
            removed = [t for t in current if t not in tags]
            names = ", ".join(self.tag_name(t) for t in tags) or "–"
            if added:
                self.command(desk.backend.tag(session, added), self.texts("did.tag", tags=names), retagged)
            if removed:
                self.command(
                    desk.backend.untag(session, removed), self.texts("did.tag", tags=names), retagged
                )

        self.app.push_screen(TagPicker(desk.tag_list, current, self.texts), chosen)

    def closing_prompt(self, session: str) -> None:
        """An own chat ended without a tag: offer the tag list (F7 works for a while after the end)."""
        from console.screens.dialogs import ConfirmScreen

        chat = self.desk.chat(session)
        if chat is None:
            return
        library = self.library_name(chat.meta.library)
        if session != self.desk.active or self.app.screen is not self:
            self.notify(self.texts("untagged.notice", library=library), severity="warning", timeout=10)
            return

        def chosen(yes: bool | None) -> None:
            if yes and self.desk.active == session:
                self.call_later(self.action_tag)

        self.app.push_screen(ConfirmScreen(self.texts("untagged.confirm", library=library)), chosen)

    async def action_transfer(self) -> None:
        from console.screens.pickers import TransferPicker

        desk = self.desk
        session = self._current()
        if session is None:
            return
        try:
            desk.targets = await desk.backend.desks()
        except Exception as exc:
            self.notify(self.texts("failed", why=str(exc)), severity="error")
            return

        def chosen(target: str | None) -> None:
            if target:
                what = self.texts("did.transfer", target=self.library_name(target))
                self.command(desk.backend.transfer(session, target), what)

        self.app.push_screen(TransferPicker(desk.targets, self.texts), chosen)

    def action_end_chat(self) -> None:
        from console.screens.dialogs import ConfirmScreen

        session = self._current()
        if session is None:
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.command(self.desk.backend.end(session), self.texts("did.end"))

        self.app.push_screen(ConfirmScreen(self.texts("end.confirm", session=session)), chosen)

    def action_note(self) -> None:
        from console.screens.dialogs import NoteScreen

        session = self._current(need_open=False)
        if session is None:
            return

        def chosen(text: str | None) -> None:
            if text:
                self.command(
                    self.desk.backend.note(session, text),
                    self.texts("did.note"),
                    lambda _: self.show(self.desk.add_own_note(session, text)),
                )

        self.app.push_screen(NoteScreen(self.texts), chosen)

    async def action_canned(self) -> None:
        """Canned answers from the config's file (inserted for editing), else the bridge's."""
        from console.screens.pickers import CannedPicker

        desk = self.desk
        chat = desk.chat(desk.active)
        if not self.canned:
            await self._bridge_canned(chat.session if chat else None)
            return
        lang = (chat.meta.lang if chat else "") or self.texts.lang
        fill: dict[str, Any] = {
            "desk": self.library_name(self.roster.desk_name(desk.backend.jid)),
            "library": self.library_name(chat.meta.library) if chat else "",
        }
        hours = self.roster.hours(lang)
        if hours:
            fill["hours"] = hours

        def chosen(text: str | None) -> None:
            if text:
                reply = self.query_one(ReplyInput)
                reply.insert(text)
                reply.focus()

        self.app.push_screen(CannedPicker(self.canned, lang, fill, self.texts), chosen)

    async def _bridge_canned(self, session: str | None) -> None:
        """Without a canned file the bridge's answers are sent by key (not editable)."""
        from console.screens.pickers import BridgeCannedPicker

        desk = self.desk
        try:
            answers = await desk.backend.canned_keys()
        except Exception as exc:
            log.info("canned keys: %s", exc)
            answers = []
        if not answers or session is None:
            self.notify(self.texts("canned.none" if not answers else "no_chat"), severity="warning")
            return

        def reload(_: CommandResult) -> None:
            chat = desk.chat(session)
            if chat is not None:  # the bridge wrote the line: fetch it with the transcript
                chat.history_loaded = False
                self.load_history(session)

        def chosen(key: str | None) -> None:
            if key:
                self.command(desk.backend.canned(session, key), self.texts("act.canned"), reload)

        self.app.push_screen(BridgeCannedPicker(answers, self.texts), chosen)

    def action_search(self) -> None:
        from console.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.desk.log, self.texts, self.times))

    def action_stats(self) -> None:
        """Statistics: the whole service for the roster's coordinators, else this desk's own."""
        from console.screens.stats import StatsScreen

        desk = self.desk
        scope = "service" if self.roster.is_coordinator(desk.backend.jid) else "desk"
        today = self.times.local(desk.book.clock()).date()
        self.app.push_screen(StatsScreen(desk.backend, self.texts, self.tag_name, today, scope))

    def action_followups(self) -> None:
        """Open the follow-up list; what was new is seen when it closes."""
        from console.screens.followups import FollowupScreen

        if any(isinstance(s, FollowupScreen) for s in self.app.screen_stack):
            return

        def closed(_: None) -> None:
            self.desk.followups_seen()
            self.show_followups()

        screen = FollowupScreen(self.desk, self.texts, self.times, self.library_name, self.reload_followups)
        self.app.push_screen(screen, closed)
        screen.call_after_refresh(lambda: screen.show(self.desk.followup_items, self.desk.followups_new))
        self.reload_followups()

    @property
    def link(self) -> Link:
        return self.desk.link


def desk_screen(
    desk: DeskState,
    alerter: Alerter,
    texts: Texts,
    times: Times,
    roster: Roster,
    canned: Sequence[Canned],
    ring: Callable[[], None],
) -> DeskScreen:
    """A DeskScreen whose BINDINGS come from the key table in the UI language."""
    cls = _CLASSES.get(texts.lang)
    if cls is None:
        cls = type(f"DeskScreen_{texts.lang}", (DeskScreen,), {"BINDINGS": keys.bindings(texts)})
        _CLASSES[texts.lang] = cls
    return cls(desk, alerter, texts, times, roster, canned, ring)


_CLASSES: dict[str, type[DeskScreen]] = {}
