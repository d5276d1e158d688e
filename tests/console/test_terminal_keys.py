"""Alt keys as xterm-like terminals send them (ESC + key), through tmux and the real app."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (./tiski test installs it)")

ROOT = Path(__file__).parents[2]


class Pane:
    """A window of a private tmux server (its own socket: no one else's sessions are touched)."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "keys", *keys)

    def text(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "keys").stdout.decode()

    def until(self, check: Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if check(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{text}")
            time.sleep(0.05)


def header(text: str) -> str:
    """The chat header: the row with the open chat's session ("p-aaaa · Tampere · fi · …")."""
    return next((row for row in text.splitlines() if re.search(r"p-[a-z]{4} · ", row)), "")


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    command = f"{sys.executable} {ROOT / 'tests' / 'console' / 'tmux_app.py'} {tmp_path}"
    p = Pane(f"tiski-keys-{tmp_path.name}")
    p.tmux("new-session", "-d", "-s", "keys", "-x", "120", "-y", "36", "-e", f"PYTHONPATH={ROOT}", command)
    try:
        p.until(lambda t: "Waiting (3)" in t, "the console with three waiting chats")
        yield p
    finally:
        subprocess.run(["tmux", "-L", p.socket, "kill-server"], capture_output=True, check=False)


def test_alt_digits_switch_chats_and_type_nothing(pane: Pane) -> None:
    pane.until(lambda t: "p-aaaa" in header(t), "the first chat open")
    pane.keys("M-3")  # what a terminal sends for Alt+3: ESC 3
    text = pane.until(lambda t: "p-cccc" in header(t), "Alt+3 opens the third chat")
    pane.keys("Escape", "2")
    text = pane.until(lambda t: "p-bbbb" in header(t), "ESC 2 opens the second chat")
    for ch in "¡™£¢∞§¶•ª":
        assert ch not in text


def test_alt_f_opens_the_follow_ups_and_unhandled_alt_keys_type_nothing(pane: Pane) -> None:
    for key in ("M-z", "M-q", "M-1"):  # no binding (z, q), then chat 1; one key press at a time
        pane.keys(key)
        time.sleep(0.3)
    pane.keys("h", "e", "i", "p", "p", "a")
    text = pane.until(lambda t: "heippa" in t, "the typed reply")
    assert "zheippa" not in text and "qheippa" not in text and "zq" not in text
    pane.keys("M-f")
    pane.until(lambda t: "Follow-ups (messages patrons left)" in t, "Alt+F opens the follow-ups")
    pane.keys("Escape")
    text = pane.until(lambda t: "Follow-ups (messages patrons left)" not in t, "back to the desk")
    assert "heippa" in text  # Alt+F did not move the cursor or touch the reply
