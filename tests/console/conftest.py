"""Fixtures for the console's Pilot tests: the real app with a fake desk back end."""

from __future__ import annotations

import pytest

from console.app import ConsoleApp
from console.canned import Canned
from console.fake import FakeDesk
from console.log import ChatLog

CANNED = [
    Canned(
        "new-pin",
        {"fi": "Uusi tunnusluku", "en": "New PIN"},
        {
            "fi": "Uuden tunnusluvun saat kirjastosta – {desk}",
            "en": "You can get a new PIN at the library – {desk}",
        },
        ("login",),
    ),
    Canned(
        "renew",
        {"fi": "Uusiminen", "en": "Renewing"},
        {"fi": "Voit uusia lainat verkkokirjastossa.", "en": "Renew your loans online."},
    ),
]


@pytest.fixture
def fake() -> FakeDesk:
    return FakeDesk()


@pytest.fixture
def make_app(fake: FakeDesk, tmp_path):
    def make(lang: str = "en", **kwargs) -> ConsoleApp:
        kwargs.setdefault("canned", CANNED)
        return ConsoleApp(fake, ChatLog(tmp_path / "console.sqlite3"), lang=lang, **kwargs)

    return make
