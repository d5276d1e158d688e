"""Follow-ups at the desk: the live list, its notices and unread mark, claim, answer, close."""

from __future__ import annotations

import logging

from console.actions import DeskActions
from console.backend import ChatFollowup, CommandResult, Followup, FollowupStatus
from console.widgets.panels import StatusBar

log = logging.getLogger(__name__)


class FollowupActions(DeskActions):
    """The follow-up list this seat may see, kept fresh from notices and the `followups` node."""

    followup_items: list[Followup]
    followups_new: set[str]  # numbers from notices not yet looked at
    followup_drafts: dict[str, str]

    def init_followups(self) -> None:
        self.followup_items = []
        self.followups_new = set()
        self.followup_drafts = {}

    def ring(self) -> None:
        raise NotImplementedError

    # -- live state ------------------------------------------------------------------------
    def followup_notice(self, event: ChatFollowup) -> None:
        """A patron left a message: mark it new, tell the librarian, reload the list."""
        number = event.meta.followup
        if number:
            self.followups_new.add(number)
        self.ring()
        library = self.library_name(event.meta.library)
        self.notify(self.texts("fu.notice", id=number or "?", library=library), timeout=8)
        self.query_one(StatusBar).add_class("-followup")
        self.reload_followups()

    def reload_followups(self) -> None:
        # A callable, not a coroutine: an exclusive worker replaced before it starts is never awaited.
        worker = self._reload_followups
        self.run_worker(worker, group="followups", exclusive=True, exit_on_error=False)  # type: ignore[arg-type]

    async def _reload_followups(self) -> None:
        if not self.backend.connected:
            self.show_followups()
            return
        try:
            self.followup_items = await self.backend.followups()
        except Exception as exc:  # a bridge without follow-ups, a timeout: keep what we had
            log.info("followups: %s", exc)
        self.show_followups()

    def show_followups(self) -> None:
        """The count in the status line, and the list when its screen is open."""
        from console.screens.followups import FollowupScreen

        waiting = sum(1 for f in self.followup_items if f.status is FollowupStatus.OPEN)
        status = self.query_one(StatusBar)
        status.followups = self.texts("fu.count", n=waiting) if waiting or self.followups_new else ""
        if self.followups_new:
            status.followups += f" ●{len(self.followups_new)}"
        status.set_class(bool(self.followups_new), "-followup")
        status.redraw()
        for screen in self.screen_stack:
            if isinstance(screen, FollowupScreen):
                screen.show(self.followup_items, self.followups_new)

    # -- actions ---------------------------------------------------------------------------
    def action_followups(self) -> None:
        """Open the follow-up list; what was new is seen when it closes."""
        from console.screens.followups import FollowupScreen

        if any(isinstance(s, FollowupScreen) for s in self.screen_stack):
            return

        def closed(_: None) -> None:
            self.followups_new.clear()
            self.show_followups()

        screen = FollowupScreen(self.texts, self.library_name)
        self.push_screen(screen, closed)
        screen.call_after_refresh(lambda: screen.show(self.followup_items, self.followups_new))
        self.reload_followups()

    def _selected_followup(self) -> Followup | None:
        from console.screens.followups import FollowupScreen

        screen = self.screen
        f = screen.selected if isinstance(screen, FollowupScreen) else None
        if f is None:
            self.notify(self.texts("fu.none_selected"), severity="warning")
        return f

    def _after(self, result: CommandResult) -> None:
        self.reload_followups()

    def action_followup_claim(self) -> None:
        f = self._selected_followup()
        if f is not None:
            self._run(self.backend.followup_claim(f.id), self.texts("act.fu_claim"), self._after)

    def action_followup_close(self) -> None:
        f = self._selected_followup()
        if f is not None:
            self._run(self.backend.followup_close(f.id), self.texts("act.fu_close"), self._after)

    def action_followup_reload(self) -> None:
        self.reload_followups()

    def action_followup_answer(self) -> None:
        from console.screens.followups import AnswerScreen

        f = self._selected_followup()
        if f is None:
            return
        if f.status in (FollowupStatus.ANSWERED, FollowupStatus.CLOSED):
            self.notify(self.texts("fu.already_answered", id=f.id), severity="warning")
            return

        def sent(result: CommandResult) -> None:
            self.followup_drafts.pop(f.id, None)
            self.reload_followups()

        def chosen(text: str | None) -> None:
            if text:
                self.followup_drafts[f.id] = text  # kept until the bridge confirms
                self._run(self.backend.followup_answer(f.id, text), self.texts("act.fu_answer"), sent)

        draft = self.followup_drafts.get(f.id, "")
        self.push_screen(AnswerScreen(f, self.texts, draft, self.followup_drafts), chosen)
