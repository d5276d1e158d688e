"""Every console action, driven with keys through Pilot against a fake desk back end."""

from __future__ import annotations

from console.screens.dialogs import ConfirmScreen, NoteScreen
from console.screens.help import HelpScreen
from console.screens.pickers import CannedPicker, TagPicker, TransferPicker
from console.screens.search import PastChatScreen, SearchScreen
from console.widgets.chat_list import ChatList
from console.widgets.reply import ReplyInput

from .helpers import list_text, options_text, reply_text, static_text, transcript_text


async def test_waiting_chat_shows_time_library_and_first_line(make_app, fake):
    app = make_app()
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Miten uusin lainat?", library="nokia")
        await pilot.pause()
        text = list_text(app)
        assert "Waiting (1)" in text
        assert "<1 min Nokia fi" in text
        assert "Miten uusin lainat?" in text
        assert rings == [1]
        assert app.query_one(ChatList).has_class("-alert")


async def test_alerts_can_be_turned_off(make_app, fake):
    from console.config import AlertSettings

    app = make_app(alerts=AlertSettings(bell=False, highlight=False))
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        assert rings == []
        assert not app.query_one(ChatList).has_class("-alert")


async def test_accept_next_then_reply_with_enter(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei, kirjastokortti hukassa")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert ("accept", ("p-aaaa",)) in fake.calls
        assert "Mine (1)" in list_text(app)
        await pilot.press(*"Moi!", "enter")
        await pilot.pause()
        assert fake.sent == [("p-aaaa", "Moi!")]
        assert reply_text(app) == ""
        assert "you: Moi!" in transcript_text(app)


async def test_accept_alternative_key_takes_longest_waiting(make_app, fake):
    from datetime import UTC, datetime, timedelta

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        old = datetime.now(UTC) - timedelta(minutes=5)
        fake.offer("p-new1", "uusi")
        fake.offer("p-old1", "vanha", when=old)
        await pilot.pause()
        await pilot.press("f5")  # move away from the first chat so F2 picks the longest
        await pilot.press("alt+a")
        await pilot.pause()
        assert fake.calls[-1][0] == "accept"


async def test_new_line_key_and_multi_line_reply(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", *"rivi 1", "ctrl+j", *"rivi 2")
        assert reply_text(app) == "rivi 1\nrivi 2"
        await pilot.press("enter")
        await pilot.pause()
        assert fake.sent == [("p-aaaa", "rivi 1\nrivi 2")]


async def test_switch_between_chats(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for n in range(3):
            fake.offer(f"p-000{n}", f"kysymys {n}")
        await pilot.pause()
        sessions = app.query_one(ChatList).sessions
        assert app.active == sessions[0]
        await pilot.press("f6")
        assert app.active == sessions[1]
        await pilot.press("ctrl+down")
        assert app.active == sessions[2]
        await pilot.press("alt+up")
        assert app.active == sessions[1]
        await pilot.press("f5")
        assert app.active == sessions[0]
        await pilot.press("alt+3")
        assert app.active == sessions[2]
        assert "kysymys 2" in transcript_text(app)
        await pilot.press("f12", "down", "down", "enter")  # from the list itself
        assert app.focused is app.query_one(ReplyInput)


async def test_tag_picker_in_tag_order_several_tags_type_to_filter(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        options = options_text(app, "#choices").splitlines()
        assert options[0] == "[ ]  1. Login" and options[-1] == "[ ]  9. Interrupted"
        await pilot.press(*"loan")
        assert options_text(app, "#choices") == "[ ]  4. Loans"
        await pilot.press("space")
        await pilot.press(*["backspace"] * 4, *"card", "space", "enter")
        await pilot.pause()
        assert ("tag", ("p-aaaa", ("card", "loans"))) in fake.calls
        assert "Library card, Loans" in static_text(app, "#side")


async def test_untag_by_unticking(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await fake.tag("p-aaaa", ["login", "fees"])
        await pilot.pause()
        await pilot.press("f7", *"login", "space", "enter")
        await pilot.pause()
        assert ("untag", ("p-aaaa", ("login",))) in fake.calls


async def test_transfer_picker_shows_availability(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, TransferPicker)
        text = options_text(app, "#choices")
        assert "Tampere (tampere) 2 available · on duty" in text
        assert "Akaa (akaa) nobody available" in text
        await pilot.press(*"nok", "enter")
        await pilot.pause()
        assert ("transfer", ("p-aaaa", "nokia")) in fake.calls
        assert "transferred to nokia" in list_text(app)


async def test_transfer_alternative_key(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", "alt+r")
        await pilot.pause()
        assert isinstance(app.screen, TransferPicker)
        await pilot.press("escape")
        assert not isinstance(app.screen, TransferPicker)


async def test_end_asks_first(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", "f10")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert not any(c[0] == "end" for c in fake.calls)
        await pilot.press("alt+e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert ("end", ("p-aaaa",)) in fake.calls
        assert "Ended today (1)" in list_text(app)
        assert app.query_one(ReplyInput).read_only


async def test_internal_note(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", "f9")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"soita takaisin", "enter")
        await pilot.pause()
        assert ("note", ("p-aaaa", "soita takaisin")) in fake.calls
        assert "soita takaisin" in transcript_text(app)
        assert fake.sent == []


async def test_canned_answer_is_inserted_for_editing(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Unohdin PIN-koodin", lang="en")
        await pilot.press("f2", "f3")
        await pilot.pause()
        assert isinstance(app.screen, CannedPicker)
        await pilot.press(*"pin", "enter")
        await pilot.pause()
        assert reply_text(app) == "You can get a new PIN at the library – Tampere"
        assert fake.sent == []
        await pilot.press(*" :)", "enter")
        await pilot.pause()
        assert fake.sent == [("p-aaaa", "You can get a new PIN at the library – Tampere :)")]


async def test_search_past_transcripts(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Miten uusin lainat verkossa?")
        fake.offer("p-bbbb", "Aukioloajat?")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"lain")
        await pilot.pause(0.2)
        hits = options_text(app, "#hits")
        assert "Miten uusin lainat verkossa?" in hits and "Aukioloajat" not in hits
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PastChatScreen)
        assert app.screen.session == "p-aaaa"


async def test_help_screen_lists_keys(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = static_text(app, "#help-text")
        assert "F2 / Alt+A / Ctrl+N" in text and "Accept the open waiting chat" in text
        assert "Ctrl+J" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_runs_actions(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Transfer")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TransferPicker)


async def test_keys_do_nothing_under_a_dialog(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", "f9", "f2", "f8")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert [c[0] for c in fake.calls] == ["accept"]


async def test_without_a_canned_file_the_bridge_sends_its_answers(fake, tmp_path):
    from console.app import ConsoleApp
    from console.log import ChatLog
    from console.screens.pickers import BridgeCannedPicker

    app = ConsoleApp(fake, ChatLog(tmp_path / "l.sqlite3"))
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "PIN?")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, BridgeCannedPicker)
        await pilot.press(*"tunnus", "enter")
        await pilot.pause(0.2)
        assert ("canned", ("p-aaaa", "new-pin")) in fake.calls
        assert "[canned new-pin]" in transcript_text(app)


async def test_no_canned_answers_anywhere_says_where_to_configure(fake, tmp_path):
    from console.app import ConsoleApp
    from console.log import ChatLog

    async def none() -> list[tuple[str, str]]:
        return []

    fake.canned_keys = none
    app = ConsoleApp(fake, ChatLog(tmp_path / "l.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        fake.offer("p-aaaa", "PIN?")
        await pilot.press("f3")
        await pilot.pause()
        assert "config `canned`" in [n.message for n in app._notifications][-1]


async def test_piki_canned_file_fills_desk_and_hours(fake, tmp_path):
    from pathlib import Path

    from console.app import ConsoleApp
    from console.canned import load_canned
    from console.duty import Roster
    from console.log import ChatLog

    piki = Path(__file__).parents[2] / "examples" / "piki"
    app = ConsoleApp(
        fake,
        ChatLog(tmp_path / "l.sqlite3"),
        canned=load_canned(piki / "canned.yaml"),
        roster=Roster.load(piki / "rota.yaml"),
    )
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", "f3", *"tervehdys", "enter")
        await pilot.pause()
        assert reply_text(app).startswith(
            "Hei! Olet yhteydessä PIKI-kirjastojen chattiin, vastaamassa Tampere."
        )
