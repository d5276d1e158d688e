"""Every action's keys in one table: the app's bindings, the help screen and the docs use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import _ansi_sequences
from textual.binding import Binding


@dataclass(frozen=True)
class KeyAction:
    """An action, its keys (first one shown in the footer) and its help text key."""

    action: str
    keys: str
    label: str
    footer: bool = True
    help: str = ""  # a longer text for the help screen; the label when empty


ACTIONS: list[KeyAction] = [
    KeyAction("help", "f1,alt+h", "act.help"),
    KeyAction("accept_next", "f2,alt+a,ctrl+n", "act.accept_next", help="help.accept_next"),
    KeyAction("canned", "f3,alt+c", "act.canned", help="help.canned"),
    KeyAction("search", "f4,alt+s", "act.search", help="help.search"),
    KeyAction("prev_chat", "f5,alt+up,ctrl+up", "act.prev_chat", help="help.prev_chat"),
    KeyAction("next_chat", "f6,alt+down,ctrl+down", "act.next_chat", help="help.next_chat"),
    KeyAction("tag", "f7,alt+t,ctrl+t", "act.tag", help="help.tag"),
    KeyAction("transfer", "f8,alt+r", "act.transfer", help="help.transfer"),
    KeyAction("note", "f9,alt+n", "act.note", help="help.note"),
    KeyAction("end_chat", "f10,alt+e", "act.end", help="help.end"),
    KeyAction("focus_list", "f12,alt+l", "act.focus_list", footer=False, help="help.focus_list"),
    KeyAction("toggle_side", "f11,alt+i", "act.side", footer=False),
    KeyAction("followups", "alt+f,ctrl+f", "act.followups", footer=False, help="help.followups"),
    KeyAction("stats", "alt+g,ctrl+g", "act.stats", footer=False, help="help.stats"),
    KeyAction("toggle_quiet", "alt+m", "act.quiet", footer=False, help="help.quiet"),
    KeyAction("retry", "ctrl+r", "act.retry", footer=False, help="help.retry"),
    KeyAction(
        "scroll_transcript(-1)", "shift+pageup,alt+pageup", "act.scroll", footer=False, help="help.scroll_up"
    ),
    KeyAction(
        "scroll_transcript(1)",
        "shift+pagedown,alt+pagedown",
        "act.scroll",
        footer=False,
        help="help.scroll_down",
    ),
]

# Shown in the help screen but handled by widgets, not app bindings.
OTHER_KEYS: list[tuple[str, str]] = [
    ("Alt+1 … Alt+9", "act.goto"),
    ("Enter", "act.send"),
    ("Ctrl+J / Shift+Enter / Alt+Enter", "act.newline"),
    ("Ctrl+P", "act.palette"),
    ("Ctrl+Q", "act.quit"),
]

# Keys of the follow-up and statistics screens (their own bindings), for the help screen.
SCREEN_KEYS: list[tuple[str, str]] = [
    ("C", "help.fu_claim"),
    ("A / Enter", "help.fu_answer"),
    ("Ctrl+S", "help.fu_send"),
    ("X", "help.fu_close"),
    ("R", "help.reload"),
    ("D / S", "help.stats_scope"),
    ("M / L / A", "help.stats_period"),
]

# Follow-up actions offered in the command palette while the follow-up list is open.
FOLLOWUP_COMMANDS: list[tuple[str, str, str]] = [
    ("followup_claim", "act.fu_claim", "C"),
    ("followup_answer", "act.fu_answer", "A"),
    ("followup_close", "act.fu_close", "X"),
]


def bindings(texts: Callable[[str], str]) -> list[Binding]:
    """The desk screen's bindings; priority, so they work while the reply line has the focus.

    Only an action's first key is shown in the footer.
    """
    result = []
    for a in ACTIONS:
        for i, key in enumerate(a.keys.split(",")):
            result.append(Binding(key, a.action, texts(a.label), show=a.footer and i == 0, priority=True))
    for n in range(1, 10):
        result.append(Binding(f"alt+{n}", f"goto_chat({n})", texts("act.goto"), show=False, priority=True))
    return result


NAMES = {"pageup": "PgUp", "pagedown": "PgDn", "up": "Up", "down": "Down", "enter": "Enter"}


def pretty(keys: str) -> str:
    """'f2,alt+a' → 'F2 / Alt+A'."""
    out = []
    for key in keys.split(","):
        parts = [
            NAMES.get(p) or (p.upper() if len(p) == 1 or p[1:].isdigit() else p.capitalize())
            for p in key.split("+")
        ]
        out.append("+".join(parts))
    return " / ".join(out)


# ESC followed by a key is how xterm-like terminals (xterm, GNOME Terminal, Konsole, PuTTY,
# Windows Terminal, tmux) send Alt+key. Textual reads ESC 1 … ESC 0 as the macOS Option
# characters ¡ ™ £ ¢ ∞ § ¶ • ª º and ESC f / ESC b as Ctrl+Right / Ctrl+Left (iTerm's word
# moves), so Alt+1 typed ¡ into the reply and Alt+F moved the cursor. Without these entries
# Textual reports them as alt+1 … alt+0, alt+f and alt+b, like every other ESC-prefixed key.
ESC_PREFIXED = tuple(f"\x1b{c}" for c in "1234567890fb-=§")


def read_alt_as_alt() -> None:
    """Have Textual report ESC-prefixed digits and f/b as Alt keys (once per process)."""
    for sequence in ESC_PREFIXED:
        _ansi_sequences.ANSI_SEQUENCES_KEYS.pop(sequence, None)  # type: ignore[attr-defined]
