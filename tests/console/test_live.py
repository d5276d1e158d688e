"""Live state: typing both ways, unread counts, "taken by", connection loss, conflicts."""

from __future__ import annotations

from textual.widgets import Static

from console.backend import Link
from console.screens.dialogs import StoppedScreen
from console.widgets.reply import ReplyInput
from console.widgets.transcript import TranscriptView

from .helpers import list_text, static_text, transcript_text


async def test_patron_typing_indicator(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        fake.patron_typing("p-aaaa", "composing")
        await pilot.pause()
        assert static_text(app, "#typing") == "patron is typing…"
        assert "✎" in list_text(app)
        fake.patron("p-aaaa", "kirjoitin")
        await pilot.pause()
        assert static_text(app, "#typing") == ""


async def test_own_typing_is_sent_to_the_patron(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"hetki")
        await pilot.pause()
        assert fake.typing_sent == [("p-aaaa", "composing")]
        await pilot.press(*["backspace"] * 5)
        await pilot.pause()
        assert fake.typing_sent[-1] == ("p-aaaa", "active")


async def test_unread_counts(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "eka")
        fake.offer("p-bbbb", "toka")
        await pilot.pause()
        assert app.active == "p-aaaa"
        fake.patron("p-bbbb", "lisää")
        fake.patron("p-bbbb", "vielä")
        await pilot.pause()
        assert "●3" in list_text(app)  # the offer's line and two more
        await pilot.press("f6")
        assert app.active == "p-bbbb"
        assert "●" not in list_text(app)


async def test_taken_by_another_seat(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        fake.taken_elsewhere("p-aaaa", "tampere@chat.localhost/desk-2")
        await pilot.pause()
        text = list_text(app)
        assert "Taken by others (1)" in text and "taken by desk-2" in text
        assert "taken by tampere@chat.localhost/desk-2" in static_text(app, "#chat-header")
        assert app.query_one(ReplyInput).read_only


async def test_connection_status_and_no_lost_input(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        assert static_text(app, "#status").startswith("● connected")
        fake.set_link(Link.RECONNECTING, "connection lost")
        await pilot.pause()
        assert "disconnected – retrying in 2 s" in static_text(app, "#status")
        await pilot.press(*"odota hetki", "enter")
        await pilot.pause()
        assert fake.sent == []
        assert "odota hetki (waiting for connection)" in transcript_text(app)
        fake.set_link(Link.CONNECTED)
        await pilot.pause(0.2)
        assert fake.sent == [("p-aaaa", "odota hetki")]
        assert "waiting for connection" not in transcript_text(app)


async def test_conflict_stops_with_an_explanation(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.set_link(Link.STOPPED, "stream error: conflict", conflict=True)
        await pilot.pause()
        assert isinstance(app.screen, StoppedScreen)
        text = str(app.screen.query_one("#stopped-text", Static).render())
        assert "same seat name (tampere@chat.localhost/desk-1)" in text
        assert "will not reconnect" in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_patron_text_is_never_markup_or_control_codes(make_app, fake):
    app = make_app()
    evil = "[@click=app.quit]klik[/] [b]lihava[/b] \x1b[31mpunainen\x07 $accent"
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", evil, library="[red]x[/red]")
        await pilot.pause()
        text = transcript_text(app).replace("\n  ", " ")
        assert "[@click=app.quit]klik[/] [b]lihava[/b] ␛[31mpunainen␇ $accent" in text
        assert "[@click=app.quit]klik[/]" in list_text(app)
        for strip_row in range(3):
            for seg in app.query_one(TranscriptView).render_line(strip_row):
                assert "\x1b" not in seg.text and "\x07" not in seg.text
        await pilot.click("#transcript", offset=(20, 0))
        await pilot.pause()
        assert app.is_running


async def test_drafts_survive_a_restart(make_app, fake, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2", *"puolikas vastaus")
        await pilot.pause(0.7)
    from console.app import ConsoleApp
    from console.fake import FakeDesk
    from console.log import ChatLog

    fake2 = FakeDesk()
    app2 = ConsoleApp(fake2, ChatLog(tmp_path / "console.sqlite3"))
    async with app2.run_test(size=(120, 36)) as pilot:
        fake2.offer("p-aaaa", "Hei")
        await pilot.pause()
        assert app2.query_one(ReplyInput).text == "puolikas vastaus"


async def test_finnish_ui(make_app, fake):
    app = make_app(lang="fi")
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        assert "Odottaa (1)" in list_text(app)
        assert "Päivystää nyt" in static_text(app, "#side")


async def test_usable_at_80x24(make_app, fake):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        fake.offer("p-aaaa", "Miten uusin lainat?")
        await pilot.press("f2")
        await pilot.pause()
        assert not app.query_one("#side").display
        assert "Tampere" in static_text(app, "#chat-header")
        assert app.query_one(ReplyInput).region.height >= 1
        assert app.query_one(TranscriptView).region.width >= 40
        await pilot.press("f11")
        await pilot.pause()
        assert app.query_one("#side").display


async def test_unsent_lines_become_drafts_when_quitting(make_app, fake, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        fake.set_link(Link.RECONNECTING, "connection lost")
        await pilot.pause()
        await pilot.press(*"ei vielä lähetetty", "enter")
        await pilot.pause()
    from console.log import ChatLog

    log = await ChatLog(tmp_path / "console.sqlite3").open()
    try:
        assert (await log.drafts())["p-aaaa"] == "ei vielä lähetetty"
    finally:
        await log.close()


async def test_restart_keeps_todays_chats_and_the_bridge_corrects_them(make_app, fake, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Ensimmäinen")
        fake.offer("p-bbbb", "Toinen")
        await pilot.press("f2", *"vastaus", "enter")
        await pilot.pause()
    from console.app import ConsoleApp
    from console.fake import FakeDesk
    from console.log import ChatLog

    fake2 = FakeDesk()  # its bridge lists only p-bbbb as still open
    fake2.offer("p-bbbb", "Toinen")
    app2 = ConsoleApp(fake2, ChatLog(tmp_path / "console.sqlite3"))
    async with app2.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        text = list_text(app2)
        assert "Ended today (1)" in text and "Waiting (1)" in text
        app2.open_chat("p-aaaa")
        await pilot.pause()
        assert "Ensimmäinen" in transcript_text(app2) and "you: vastaus" in transcript_text(app2)


async def test_alert_repeats_while_a_chat_waits(make_app, fake):
    from datetime import UTC, datetime, timedelta

    from console.config import AlertSettings

    app = make_app(alerts=AlertSettings(repeat_seconds=1))
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei", when=datetime.now(UTC) - timedelta(seconds=5))
        await pilot.pause(2.3)
        assert len(rings) >= 2
        await pilot.press("f2")
        await pilot.pause(0.1)
        count = len(rings)
        await pilot.pause(1.5)
        assert len(rings) == count  # nothing waits any more


async def test_own_typing_pauses_after_a_quiet_moment(make_app, fake, monkeypatch):
    monkeypatch.setattr("console.screens.desk.TYPING_PAUSE_S", 0.3)  # moved with the screen
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"hetki")
        await pilot.pause(0.6)
        assert fake.typing_sent == [("p-aaaa", "composing"), ("p-aaaa", "paused")]


async def test_other_stops_are_explained_too(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.set_link(Link.STOPPED, "the server refused the password of tampere@chat.localhost")
        await pilot.pause()
        assert isinstance(app.screen, StoppedScreen)
        assert "refused the password" in str(app.screen.query_one("#stopped-text", Static).render())
        await pilot.press("r")
        await pilot.pause()
        assert fake.connected  # R tries again


def test_bad_config_is_reported_on_the_command_line(tmp_path, capsys):
    from console.__main__ import main

    bad = tmp_path / "c.yaml"
    bad.write_text(
        "xmpp: {jid: a@example.org/d, password: x, host: chat.example.org, tls: off}\nbridge: p.example.org\n"
    )
    assert main(["--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "tls: off" in err and "chat.example.org" in err


async def test_an_event_that_arrives_while_the_app_closes_is_dropped(make_app, fake):
    # The bridge's last events can still be in the queue while the app takes its screens down.
    from console.app import BackendEvent
    from console.backend import Typing

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
    assert not app.screen_stack
    await app._backend_event(BackendEvent(Typing("p-aaaa", "composing")))
