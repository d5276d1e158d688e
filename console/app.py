"""The console App: wiring only. DeskState holds the desk, DeskScreen draws it, Alerter rings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from console import keys
from console.alerting import Alerter
from console.backend import ConnectionChanged, DeskBackend, DeskEvent, Link
from console.canned import Canned
from console.clock import Clock, Times, system_clock
from console.config import AlertSettings
from console.desk_state import Changes, DeskState
from console.duty import Roster
from console.i18n import Texts
from console.log import ChatLog
from console.model import ChatBook, Section
from console.screens.desk import DeskScreen, desk_screen

keys.read_alt_as_alt()


class BackendEvent(Message):
    """A desk event, delivered on the app's message queue."""

    def __init__(self, event: DeskEvent) -> None:
        super().__init__()
        self.event = event


class ConsoleApp(App[None]):
    """A librarian's desk: chat list, transcript, context panel and reply line."""

    CSS_PATH = "console.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (typed by App)
    # F1 also works while a dialog is open (the desk's own keys are the DeskScreen's).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1", "help", show=False)]

    def __init__(
        self,
        backend: DeskBackend,
        chat_log: ChatLog,
        *,
        lang: str = "en",
        alerts: AlertSettings | None = None,
        retention_days: int = 365,
        receipt_resend_seconds: int = 15,
        roster: Roster | None = None,
        canned: Sequence[Canned] = (),
        clock: Clock = system_clock,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.chat_log = chat_log
        self.texts = Texts(lang)
        self.roster = roster or Roster(None)
        self.times = Times(self.texts.lang, self.roster.timezone)
        self.retention_days = retention_days
        self.canned = list(canned)
        self._clock = clock
        book = ChatBook(backend.jid, self.now, self.times.day, self.texts, self.times.clock)
        self.desk = DeskState(
            backend,
            chat_log,
            clock=self.now,
            you=self.texts("you"),
            roster_ids=self.roster.ids_of_desk(backend.jid),
            book=book,
            resend_after=receipt_resend_seconds,
        )
        self.alerter = Alerter(alerts or AlertSettings(), self.now)
        self.title = self.texts("title")

    # -- the one clock (tests move it) ---------------------------------------------------------
    def now(self) -> datetime:
        """The one clock everything in the console asks; `clock` replaces it (tests move time)."""
        return self._clock()

    @property
    def clock(self) -> Clock:
        return self._clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self._clock = clock

    @property
    def alerts(self) -> AlertSettings:
        return self.alerter.settings

    @alerts.setter
    def alerts(self, settings: AlertSettings) -> None:
        self.alerter.settings = settings

    # -- what tests and the benchmark reach -------------------------------------------------------
    @property
    def book(self) -> ChatBook:
        return self.desk.book

    @property
    def active(self) -> str | None:
        return self.desk.active

    @property
    def desk_screen(self) -> DeskScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, DeskScreen)
        return screen

    def open_chat(self, session: str) -> None:
        self.desk_screen.open_chat(session)

    def tick(self) -> None:
        self.desk_screen.tick()

    def refresh_list(self) -> None:
        self.desk_screen.refresh_list()

    # -- start and stop ---------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return desk_screen(
            self.desk, self.alerter, self.texts, self.times, self.roster, self.canned, self.ring
        )

    def ring(self) -> None:
        self.bell()

    async def on_mount(self) -> None:
        await self.desk.open(self.retention_days)
        self.backend.set_sink(self._deliver)
        screen = self.desk_screen
        self.set_interval(1.0, screen.tick)
        self.set_interval(30.0, screen.refresh_chats)
        self.set_interval(5.0, screen.resend_overdue)
        self.set_interval(60.0, screen.reload_followups)
        self.set_interval(3600.0, self.prune_log)
        screen.show(Changes())
        self.start_backend()

    def _deliver(self, event: DeskEvent) -> None:
        self.post_message(BackendEvent(event))

    @work(exit_on_error=False)
    async def start_backend(self) -> None:
        await self.backend.start()

    async def on_unmount(self) -> None:
        await self.desk.close()
        await self.backend.stop()

    async def prune_log(self) -> None:
        """Retention also applies to a console left running for days."""
        await self.chat_log.prune(self.retention_days)

    # -- events from the back end ----------------------------------------------------------
    @on(BackendEvent)
    async def _backend_event(self, message: BackendEvent) -> None:
        changes = await self.desk.on_event(message.event)
        if not self.screen_stack:
            return  # the app is closing: no screen is left to show it on
        screen = self.desk_screen
        screen.show(changes)
        if changes.sync:
            screen.sync()
        event = message.event
        if (
            isinstance(event, ConnectionChanged)
            and event.link is Link.STOPPED
            and (event.conflict or event.detail)
        ):
            self.show_stopped(event)  # a stop with a reason: say it, do not retry silently

    def show_stopped(self, event: ConnectionChanged) -> None:
        from console.screens.dialogs import StoppedScreen

        t = self.texts
        if event.conflict:
            title = t("conflict.title")
            text = t("conflict.text", jid=self.backend.jid) + f"\n\n{event.detail}"
        else:
            title, text = t("stopped.title"), event.detail

        def chosen(choice: str | None) -> None:
            if choice == "reconnect":
                self.start_backend()
            else:
                self.exit(message=f"{title}: {event.detail}")

        self.push_screen(StoppedScreen(title, text, t("conflict.keys")), chosen)

    # -- app-wide actions ---------------------------------------------------------------------
    def action_help(self) -> None:
        from console.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.texts))

    async def action_quit(self) -> None:
        """Ctrl+Q: asks first while this seat owns chats (they would wait for the release grace)."""
        from console.screens.dialogs import ConfirmScreen

        owned = [c for c in self.desk.book.chats.values() if c.section(self.desk.book.me) is Section.MINE]
        if not owned:
            self.exit()
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(self.texts("quit.confirm", n=len(owned))), chosen)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from console.screens.followups import FollowupScreen

        yield from super().get_system_commands(screen)
        if isinstance(screen, DeskScreen):
            for a in keys.ACTIONS:
                if "(" not in a.action:
                    yield SystemCommand(
                        self.texts(a.label), keys.pretty(a.keys), getattr(screen, f"action_{a.action}")
                    )
        if isinstance(screen, FollowupScreen):
            for action, label, key in keys.FOLLOWUP_COMMANDS:
                yield SystemCommand(self.texts(label), key, getattr(screen, f"action_{action}"))
