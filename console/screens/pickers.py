"""Type-to-filter pickers: tags (several, in the tag list's order), transfer targets, canned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from console.backend import Tag, Target
from console.canned import Canned
from console.i18n import Texts
from console.text import fold, one_line

T = TypeVar("T")


class FilterInput(Input):
    """The filter line; optionally turns Space into a toggle instead of a character."""

    class Toggle(Message):
        """Space was pressed in a multi-select picker."""

    def __init__(self, *, space_toggles: bool, placeholder: str) -> None:
        super().__init__(id="filter", placeholder=placeholder)
        self.space_toggles = space_toggles

    async def _on_key(self, event: events.Key) -> None:
        if self.space_toggles and event.key == "space":
            event.stop()
            event.prevent_default()
            self.post_message(self.Toggle())
            return
        await super()._on_key(event)


@dataclass
class Item(Generic[T]):
    """One choice: what it returns, how it reads, and the text the filter searches."""

    value: T
    key: str
    label: Content
    search: str


class Picker(ModalScreen[T | None]):
    """A filter line above a list; Up/Down move, Enter chooses, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("pagedown", "move(10)", show=False, priority=True),
        Binding("pageup", "move(-10)", show=False, priority=True),
    ]
    multi = False

    def __init__(self, title: str, items: Sequence[Item[T]], texts: Texts) -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.texts = texts
        self.shown: list[Item[T]] = list(items)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield FilterInput(space_toggles=self.multi, placeholder=self.texts("filter"))
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self.refill()

    def label(self, item: Item[T]) -> Content:
        return item.label

    def refill(self) -> None:
        words = fold(self.query_one(FilterInput).value).split()
        self.shown = [i for i in self.items if all(w in i.search for w in words)]
        choices = self.query_one("#choices", OptionList)
        old = choices.highlighted
        choices.set_options(Option(self.label(i), id=i.key) for i in self.shown)
        if self.shown:
            choices.highlighted = min(old or 0, len(self.shown) - 1) if not words else 0

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.refill()

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if not self.shown:
            return
        current = choices.highlighted or 0
        choices.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def current(self) -> Item[T] | None:
        index = self.query_one("#choices", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(Input.Submitted, "#filter")
    def _submit(self) -> None:
        self.choose()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self) -> None:
        self.choose()

    def choose(self) -> None:
        item = self.current()
        if item is not None:
            self.dismiss(item.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagPicker(Picker[tuple[str, ...]]):
    """Several tags: Space toggles the highlighted one, Enter saves the set."""

    multi = True

    def __init__(self, tags: Sequence[Tag], current: Sequence[str], texts: Texts) -> None:
        items: list[Item[tuple[str, ...]]] = [
            Item(
                (t.id,),
                t.id,
                Content(f"{t.number:>2}. {one_line(t.label(texts.lang), 60)}"),
                fold(f"{t.number} {t.id} {t.name} {t.name_fi} {t.name_sv} {t.name_en}"),
            )
            for t in tags
        ]
        super().__init__(texts("tag.title"), items, texts)
        self.chosen: list[str] = [t.id for t in tags if t.id in current]
        self.order = [t.id for t in tags]

    def label(self, item: Item[tuple[str, ...]]) -> Content:
        box = "[x] " if item.key in self.chosen else "[ ] "
        return Content.assemble((box, "bold"), item.label)

    @on(FilterInput.Toggle)
    def _toggle(self) -> None:
        item = self.current()
        if item is None:
            return
        if item.key in self.chosen:
            self.chosen.remove(item.key)
        else:
            self.chosen.append(item.key)
        choices = self.query_one("#choices", OptionList)
        choices.replace_option_prompt(item.key, self.label(item))

    def choose(self) -> None:
        if not self.chosen:  # Enter alone on a highlighted tag picks just that one
            item = self.current()
            if item is None:
                return
            self.chosen.append(item.key)
        self.dismiss(tuple(sorted(self.chosen, key=self.order.index)))


def target_items(targets: Sequence[Target], texts: Texts) -> list[Item[str]]:
    """Transfer choices: libraries and pools with who is available now."""
    items = []
    for t in targets:
        avail = texts("transfer.available", n=t.available) if t.available else texts("transfer.nobody")
        parts: list[str | tuple[str, str]] = [(one_line(t.name, 30), "bold"), f" ({t.id}) "]
        parts.append((avail, "$success" if t.available else "dim"))
        if t.on_duty:
            parts.append((" · " + texts("transfer.on_duty"), "bold $warning"))
        if t.phone:
            parts.append(f" · ☎ {one_line(t.phone, 30)}")
        items.append(Item(t.id, t.id, Content.assemble(*parts), fold(f"{t.id} {t.name}")))
    return items


class TransferPicker(Picker[str]):
    """Pick a library or pool to hand the chat to."""

    def __init__(self, targets: Sequence[Target], texts: Texts) -> None:
        super().__init__(texts("transfer.title"), target_items(targets, texts), texts)


class BridgeCannedPicker(Picker[str]):
    """The bridge's canned answers by title; returns the key (the bridge sends the text)."""

    def __init__(self, answers: Sequence[tuple[str, str]], texts: Texts) -> None:
        items = [
            Item(
                key,
                key,
                Content.assemble((one_line(title, 50), "bold"), f"  ({key})"),
                fold(f"{key} {title}"),
            )
            for key, title in answers
        ]
        super().__init__(texts("canned.bridge_title"), items, texts)


class CannedPicker(Picker[str]):
    """Pick a canned answer; returns its text (placeholders filled) for editing."""

    def __init__(self, answers: Sequence[Canned], lang: str, fill: dict[str, str], texts: Texts) -> None:
        items = []
        for a in answers:
            text = a.render(lang, fill)
            label = Content.assemble(
                (one_line(a.title_in(lang), 40), "bold"), ("  " + one_line(text, 70), "dim")
            )
            items.append(Item(text, a.key, label, fold(f"{a.key} {a.title_in(lang)} {text}")))
        super().__init__(texts("canned.title"), items, texts)
