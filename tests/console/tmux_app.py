"""The real console with the fake desk, for key tests in a real terminal (tmux): three waiting chats."""

from __future__ import annotations

import sys
from pathlib import Path

import console.app
from console.app import ConsoleApp
from console.fake import FakeDesk
from console.log import ChatLog


class KeysApp(ConsoleApp):
    CSS_PATH = str(Path(console.app.__file__).with_name("console.tcss"))

    def on_ready(self) -> None:
        fake = self.backend
        assert isinstance(fake, FakeDesk)
        fake.offer("p-aaaa", "eka kysymys")
        fake.offer("p-bbbb", "toka kysymys", library="nokia")
        fake.offer("p-cccc", "kolmas kysymys", library="akaa")


if __name__ == "__main__":
    KeysApp(FakeDesk(), ChatLog(Path(sys.argv[1]) / "console.sqlite3")).run()
