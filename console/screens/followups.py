"""Follow-ups: messages patrons left for a library; claim, answer (e-mailed when possible), close."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from console.backend import CommandResult, Followup, FollowupStatus
from console.clock import Times
from console.i18n import Texts
from console.text import clean, one_line
from console.widgets.chat_list import seat_name

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from console.desk_state import DeskState

Parts = list[str | tuple[str, str]]

STATUS_STYLE = {
    FollowupStatus.OPEN: "bold $warning",
    FollowupStatus.CLAIMED: "bold $accent",
    FollowupStatus.ANSWERED: "bold $success",
    FollowupStatus.CLOSED: "dim",
}


def when(f: Followup, times: Times) -> str:
    return times.datetime(f.ts) if f.ts else "?"


def followup_prompt(
    f: Followup, texts: Texts, times: Times, library_name: Callable[[str], str], new: bool
) -> Content:
    """Two lines: number, library, time, status and who claimed it; the message's first line."""
    parts: Parts = [("● " if new else "  ", "bold $warning")]
    parts += [(f"#{f.id}", "bold"), " ", (one_line(library_name(f.library) or f.library, 24), "bold"), " "]
    parts += [(when(f, times), "dim"), " ", (texts(f"fu.status.{f.status.value}"), STATUS_STYLE[f.status])]
    if f.claimed_by:
        parts.append(f" {texts('fu.by', who=seat_name(f.claimed_by))}")
    if new:
        parts.append((f" {texts('fu.new')}", "bold reverse $warning"))
    parts += ["\n    ", one_line(f.text, 100)]
    return Content.assemble(*parts)


def delivery(f: Followup, texts: Texts) -> str:
    """What happens to an answer: e-mailed by the bridge, or only recorded (call the patron)."""
    if f.email:
        return texts("fu.email", address=clean(f.email))
    return texts("fu.no_email", contact=one_line(f.contact, 120) or "–")


def followup_detail(
    f: Followup | None, texts: Texts, times: Times, library_name: Callable[[str], str]
) -> Content:
    """The whole message, the contact details and where an answer would go."""
    if f is None:
        return Content.styled(texts("fu.none"), "dim")
    parts: Parts = [(f"#{f.id} · {one_line(library_name(f.library), 40)} · {when(f, times)}\n", "bold")]
    parts += [clean(f.text).rstrip("\n"), "\n\n", (texts("fu.contact") + ": ", "bold")]
    parts += [one_line(f.contact, 200) or "–", "\n", (delivery(f, texts), "italic")]
    return Content.assemble(*parts)


class FollowupScreen(ModalScreen[None]):
    """The follow-up list; C claims, A or Enter answers, X closes, R reloads, Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", show=False),
        Binding("c", "followup_claim", show=False),
        Binding("a", "followup_answer", show=False),
        Binding("x", "followup_close", show=False),
        Binding("r", "followup_reload", show=False),
    ]

    def __init__(
        self,
        desk: DeskState,
        texts: Texts,
        times: Times,
        library_name: Callable[[str], str],
        reload: Callable[[], object],
    ) -> None:
        super().__init__()
        self.desk, self.texts, self.times, self.library_name = desk, texts, times, library_name
        self.reload = reload
        self.items: list[Followup] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="followups-box"):
            yield Label(self.texts("fu.title"), classes="dialog-title")
            yield OptionList(id="followup-list")
            yield Static(id="followup-detail")
            yield Static(self.texts("fu.keys"), markup=False, classes="dialog-keys")

    def show(self, items: Sequence[Followup], new: Collection[str]) -> None:
        """Redraw the list, keeping the highlighted follow-up."""
        options = self.query_one("#followup-list", OptionList)
        keep = self.selected.id if self.selected else None
        self.items = list(items)
        options.set_options(
            Option(followup_prompt(f, self.texts, self.times, self.library_name, f.id in new), id=f.id)
            for f in items
        )
        ids = [f.id for f in self.items]
        if ids:
            options.highlighted = ids.index(keep) if keep in ids else 0
        self._detail()

    @property
    def selected(self) -> Followup | None:
        options = self.query_one("#followup-list", OptionList)
        index = options.highlighted
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    @on(OptionList.OptionHighlighted, "#followup-list")
    def _detail(self) -> None:
        self.query_one("#followup-detail", Static).update(
            followup_detail(self.selected, self.texts, self.times, self.library_name)
        )

    @on(OptionList.OptionSelected, "#followup-list")
    def _enter(self) -> None:
        self.action_followup_answer()

    # -- actions ---------------------------------------------------------------------------
    def _selected(self) -> Followup | None:
        f = self.selected
        if f is None:
            self.notify(self.texts("fu.none_selected"), severity="warning")
        return f

    @work(group="followup-commands", exit_on_error=False)
    async def command(
        self, coro: Awaitable[CommandResult], what: str, on_ok: Callable[[CommandResult], None] | None = None
    ) -> None:
        from console.screens.desk import run_command

        result = await run_command(self, self.texts, coro, what)
        if result is not None and on_ok is not None:
            on_ok(result)
        self.reload()

    def action_followup_claim(self) -> None:
        f = self._selected()
        if f is not None:
            self.command(self.desk.backend.followup_claim(f.id), self.texts("did.fu_claim", id=f.id))

    def action_followup_close(self) -> None:
        """Closing asks first: a closed follow-up leaves every desk's list."""
        from console.screens.dialogs import ConfirmScreen

        f = self._selected()
        if f is None:
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.command(self.desk.backend.followup_close(f.id), self.texts("did.fu_close", id=f.id))

        self.app.push_screen(ConfirmScreen(self.texts("fu.close_confirm", id=f.id)), chosen)

    def action_followup_reload(self) -> None:
        self.reload()

    def action_followup_answer(self) -> None:
        f = self._selected()
        if f is None:
            return
        if f.status in (FollowupStatus.ANSWERED, FollowupStatus.CLOSED):
            self.notify(self.texts("fu.already_answered", id=f.id), severity="warning")
            return
        drafts = self.desk.followup_drafts

        def sent(result: CommandResult) -> None:
            drafts.pop(f.id, None)

        def chosen(text: str | None) -> None:
            if text:
                drafts[f.id] = text  # kept until the bridge confirms
                if f.email:
                    what = self.texts("did.fu_answer_mail", id=f.id, email=f.email)
                else:
                    what = self.texts("did.fu_answer_kept", id=f.id)
                self.command(self.desk.backend.followup_answer(f.id, text), what, sent)

        self.app.push_screen(AnswerScreen(f, self.texts, drafts.get(f.id, ""), drafts), chosen)


class AnswerScreen(ModalScreen[str | None]):
    """Write the answer to a follow-up; Ctrl+S sends, Esc cancels (the draft is kept)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", show=False, priority=True),
        Binding("escape", "cancel", show=False),
    ]

    def __init__(self, followup: Followup, texts: Texts, draft: str, drafts: dict[str, str]) -> None:
        super().__init__()
        self.followup, self.texts, self.draft, self.drafts = followup, texts, draft, drafts

    def compose(self) -> ComposeResult:
        f, t = self.followup, self.texts
        with Vertical(classes="dialog wide", id="answer-box"):
            yield Label(t("fu.answer_title", id=f.id), classes="dialog-title")
            yield Static(
                Content.assemble(
                    ("> " + one_line(f.text, 300), "italic"), "\n", (delivery(f, t), "bold $accent")
                ),
                id="answer-about",
            )
            yield TextArea(self.draft, id="answer-text", soft_wrap=True, show_line_numbers=False)
            yield Static(t("fu.answer_keys"), markup=False, classes="dialog-keys")

    def on_mount(self) -> None:
        area = self.query_one("#answer-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_send(self) -> None:
        text = self.query_one("#answer-text", TextArea).text.strip()
        if text:
            self.dismiss(text)

    def action_cancel(self) -> None:
        self.drafts[self.followup.id] = self.query_one("#answer-text", TextArea).text
        self.dismiss(None)
