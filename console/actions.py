"""What each key does: accept, switch, reply, tag, transfer, end, note, canned, search."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from textual.app import App

from console.backend import CommandResult, DeskBackend, Line, Tag, Target
from console.canned import Canned
from console.duty import Roster
from console.errors import NotConnected
from console.i18n import Texts
from console.log import ChatLog
from console.model import ChatBook, Section
from console.widgets.chat_list import ChatList
from console.widgets.reply import ReplyInput
from console.widgets.transcript import TranscriptView

log = logging.getLogger(__name__)


class DeskActions(App[None]):
    """The console's actions; ConsoleApp (app.py) adds the layout and the live state."""

    backend: DeskBackend
    chat_log: ChatLog
    texts: Texts
    book: ChatBook
    active: str | None
    drafts: dict[str, str]
    outbox: list[tuple[str, str, int]]
    tag_list: list[Tag]
    targets: list[Target]
    canned: list[Canned]
    roster: Roster
    _typing_sent: dict[str, tuple[str, float]]
    clock: Callable[[], datetime]

    def open_chat(self, session: str) -> None:
        raise NotImplementedError

    def library_name(self, lib_id: str) -> str:
        raise NotImplementedError

    def refresh_all(self) -> None:
        raise NotImplementedError

    async def save_draft(self) -> None:
        raise NotImplementedError

    def load_history(self, session: str) -> None:
        raise NotImplementedError

    # -- helpers ---------------------------------------------------------------------------
    def _run(
        self,
        coro: Awaitable[CommandResult],
        what: str,
        on_ok: Callable[[CommandResult], None] | None = None,
    ) -> None:
        """Run a bridge command in the background and report its result."""

        async def runner() -> None:
            try:
                result = await coro
            except NotConnected:
                self.notify(self.texts("not_connected"), severity="warning")
                return
            except Exception as exc:
                log.exception("%s failed", what)
                self.notify(self.texts("failed", why=str(exc)), severity="error")
                return
            if result.ok and on_ok is not None:
                on_ok(result)
            if result.ok:
                self.notify(self.texts("done", what=result.message or what), timeout=2)
            else:
                self.notify(self.texts("failed", why=result.message or what), severity="error")

        self.run_worker(runner(), group="commands", exit_on_error=False)

    def _current(self, need_open: bool = True) -> str | None:
        chat = self.book.get(self.active) if self.active else None
        if chat is None:
            self.notify(self.texts("no_chat"), severity="warning")
            return None
        if need_open and chat.section(self.book.me) is Section.ENDED:
            self.notify(self.texts("ended"), severity="warning")
            return None
        return chat.session

    # -- chats -----------------------------------------------------------------------------
    def action_accept_next(self) -> None:
        """Accept the open chat if it waits, else the one waiting longest."""
        chat = self.book.get(self.active) if self.active else None
        if chat is None or chat.section(self.book.me) is not Section.WAITING:
            chat = self.book.next_waiting()
        if chat is None:
            self.notify(self.texts("no_waiting"))
            return
        self.open_chat(chat.session)
        self.query_one(ReplyInput).focus()
        self._run(self.backend.accept(chat.session), self.texts("act.accept"))

    def _step(self, delta: int) -> None:
        sessions = self.query_one(ChatList).sessions
        if not sessions:
            return
        index = sessions.index(self.active) if self.active in sessions else -delta
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
        self.screen.toggle_class("-show-side")

    def action_scroll_transcript(self, direction: int) -> None:
        view = self.query_one(TranscriptView)
        page = max(1, view.scrollable_content_region.height - 1)
        view.scroll_to(y=view.scroll_y + direction * page, animate=False, immediate=True)

    # -- replying ----------------------------------------------------------------------------
    async def on_reply_input_submitted(self, event: ReplyInput.Submitted) -> None:
        """Enter in the reply line: send to the patron (queued while disconnected)."""
        text = event.text.strip("\n")
        if not text.strip():
            return
        session = self._current()
        if session is None:
            return
        chat = self.book.chats[session]
        if chat.section(self.book.me) is Section.TAKEN:
            self.notify(self.texts("taken_by", who=chat.meta.owner), severity="warning")
            return
        reply = self.query_one(ReplyInput)
        reply.load_text("")
        self.drafts.pop(session, None)
        await self.chat_log.set_draft(session, "")
        now = datetime.now(UTC)
        try:
            msg_id = await self.backend.send_line(session, text)
            line = Line(session, now, "librarian", self.texts("you"), text, msg_id)
        except NotConnected:
            line = Line(session, now, "librarian", self.texts("you"), text, pending=True)
            self.outbox.append((session, text, len(chat.lines)))
            self.notify(self.texts("sent_offline"), severity="warning")
        chat.add(line)
        self._typing_sent.pop(session, None)
        if not line.pending:
            await self.chat_log.save_line(line)
        if session == self.active:
            self.query_one(TranscriptView).append(line)

    async def flush_outbox(self) -> None:
        """Send lines written while disconnected, in order."""
        while self.outbox and self.backend.connected:
            session, text, index = self.outbox[0]
            try:
                msg_id = await self.backend.send_line(session, text)
            except NotConnected:
                return
            self.outbox.pop(0)
            chat = self.book.chats[session]
            old = chat.lines[index]
            sent = Line(session, old.ts, old.sender, old.name, text, msg_id)
            chat.lines[index] = sent
            await self.chat_log.save_line(sent)
            if session == self.active:
                self.query_one(TranscriptView).replace_line(index, sent)

    def on_text_area_changed(self, event: ReplyInput.Changed) -> None:
        """A key press in the reply line: keep the draft, tell the patron we are typing."""
        if not isinstance(event.text_area, ReplyInput):
            return
        session = self.active
        chat = self.book.get(session) if session else None
        if session is None or chat is None:
            return
        text = event.text_area.text
        self.drafts[session] = text
        if chat.section(self.book.me) not in (Section.MINE, Section.WAITING):
            return
        if not chat.meta.owner:
            return  # typing into a waiting chat is not yet talking to the patron
        now = time.monotonic()
        state, at = self._typing_sent.get(session, ("", 0.0))
        if text.strip() and (state != "composing" or now - at > TYPING_REPEAT_S):
            self._send_typing(session, "composing")
        elif not text.strip() and state == "composing":
            self._send_typing(session, "active")
        self.set_timer(TYPING_PAUSE_S, lambda: self._maybe_paused(session))
        self.set_timer(0.5, self._persist_draft)

    def _send_typing(self, session: str, state: str) -> None:
        self._typing_sent[session] = (state, time.monotonic())
        if self.backend.connected:
            self.run_worker(self.backend.send_typing(session, state), exit_on_error=False)

    def _maybe_paused(self, session: str) -> None:
        state, at = self._typing_sent.get(session, ("", 0.0))
        if state == "composing" and time.monotonic() - at >= TYPING_PAUSE_S - 0.1:
            self._send_typing(session, "paused")

    async def _persist_draft(self) -> None:
        await self.save_draft()

    # -- commands with pickers ------------------------------------------------------------
    async def action_tag(self) -> None:
        from console.screens.pickers import TagPicker

        session = self._current()
        if session is None:
            return
        if not self.tag_list:
            self.tag_list = await self.backend.tags()
        current = self.book.chats[session].meta.tags

        def chosen(tags: tuple[str, ...] | None) -> None:
            if tags is None:
                return
            added = [t for t in tags if t not in current]
            removed = [t for t in current if t not in tags]
            if added:
                self._run(self.backend.tag(session, added), self.texts("act.tag"), retagged)
            if removed:
                self._run(self.backend.untag(session, removed), self.texts("act.tag"), retagged)

        def retagged(result: CommandResult) -> None:
            """The result form lists the chat's tags now; not every bridge also sends `tagged`."""
            chat = self.book.get(session)
            if chat is not None and "tags" in result.fields:
                tags = tuple(t for v in result.fields["tags"] for t in v.split(",") if t)
                chat.meta = replace(chat.meta, tags=tags)
                self.refresh_all()

        self.push_screen(TagPicker(self.tag_list, current, self.texts), chosen)

    async def action_transfer(self) -> None:
        from console.screens.pickers import TransferPicker

        session = self._current()
        if session is None:
            return
        try:
            self.targets = await self.backend.desks()
        except Exception as exc:
            self.notify(self.texts("failed", why=str(exc)), severity="error")
            return

        def chosen(target: str | None) -> None:
            if target:
                self._run(self.backend.transfer(session, target), self.texts("act.transfer"))

        self.push_screen(TransferPicker(self.targets, self.texts), chosen)

    def action_end_chat(self) -> None:
        from console.screens.dialogs import ConfirmScreen

        session = self._current()
        if session is None:
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self._run(self.backend.end(session), self.texts("act.end"))

        self.push_screen(ConfirmScreen(self.texts("end.confirm", session=session)), chosen)

    def action_note(self) -> None:
        from console.screens.dialogs import NoteScreen

        session = self._current(need_open=False)
        if session is None:
            return

        def noted(result: CommandResult, text: str) -> None:
            """Show the note at once; the bridge stores it but need not send it back."""
            chat = self.book.get(session)
            line = Line(session, datetime.now(UTC), "note", self.texts("you"), text)
            if chat is not None and chat.add_note(line):
                self.run_worker(self.chat_log.save_line(line))
                if session == self.active:
                    self.query_one(TranscriptView).append(line)

        def chosen(text: str | None) -> None:
            if text:
                self._run(
                    self.backend.note(session, text),
                    self.texts("act.note"),
                    lambda result: noted(result, text),
                )

        self.push_screen(NoteScreen(self.texts), chosen)

    async def action_canned(self) -> None:
        """Canned answers from the config's file (inserted for editing), else the bridge's."""
        from console.screens.pickers import BridgeCannedPicker, CannedPicker

        chat = self.book.get(self.active) if self.active else None
        if not self.canned:
            await self._bridge_canned(chat.session if chat else None, BridgeCannedPicker)
            return
        lang = (chat.meta.lang if chat else "") or self.texts.lang
        desk = self.roster.desk_name(self.backend.jid)
        fill: dict[str, Any] = {
            "desk": self.library_name(desk),
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

        self.push_screen(CannedPicker(self.canned, lang, fill, self.texts), chosen)

    async def _bridge_canned(self, session: str | None, picker: Any) -> None:
        """Without a canned file the bridge's answers are sent by key (not editable)."""
        try:
            answers = await self.backend.canned_keys()
        except Exception as exc:
            log.info("canned keys: %s", exc)
            answers = []
        if not answers or session is None:
            self.notify(self.texts("canned.none" if not answers else "no_chat"), severity="warning")
            return

        def reload(result: CommandResult) -> None:
            chat = self.book.get(session)
            if chat is not None:  # the bridge wrote the line: fetch it with the transcript
                chat.history_loaded = False
                self.load_history(session)

        def chosen(key: str | None) -> None:
            if key:
                self._run(self.backend.canned(session, key), self.texts("act.canned"), reload)

        self.push_screen(picker(answers, self.texts), chosen)

    def action_search(self) -> None:
        from console.screens.search import SearchScreen

        self.push_screen(SearchScreen(self.chat_log, self.texts))

    def action_stats(self) -> None:
        """Statistics: the whole service for the roster's coordinators, else this desk's own."""
        from console.screens.stats import StatsScreen

        scope = "service" if self.roster.is_coordinator(self.backend.jid) else "desk"
        today = self.clock().astimezone().date()
        self.push_screen(StatsScreen(self.backend, self.texts, self.tag_name, today, scope))

    def tag_name(self, tag_id: str) -> str:
        raise NotImplementedError

    def action_help(self) -> None:
        from console.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.texts))


TYPING_REPEAT_S = 4.0
TYPING_PAUSE_S = 5.0
