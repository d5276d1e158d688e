"""The console shows what really happened (issue 17): Pilot tests where the screen is the point."""

from __future__ import annotations

from console.screens.dialogs import ConfirmScreen
from console.widgets.reply import ReplyInput

from .helpers import list_text, static_text, transcript_text


async def test_enter_twice_at_once_sends_the_line_once(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        reply = app.query_one(ReplyInput)
        reply.insert("Kerran vain")
        await pilot.pause()
        # Two Enter keys reach the reply line before the first one has been handled.
        await reply._on_key(_key("enter"))
        await reply._on_key(_key("enter"))
        await pilot.pause(0.2)
        assert fake.sent == [("p-aaaa", "Kerran vain")]
        assert transcript_text(app).count("Kerran vain") == 1


def _key(name: str):
    from textual import events

    return events.Key(name, None)


async def test_wrapped_lines_keep_their_last_character(make_app, fake):
    app = make_app()
    number = "".join(str(i % 10) for i in range(300))  # a card number, a URL: no spaces to wrap at
    async with app.run_test(size=(100, 30)) as pilot:
        fake.offer("p-bbbb", "lyhyt")
        fake.offer("p-aaaa", "eka")
        for n in range(40):  # longer than the screen: the transcript gets a scrollbar
            fake.patron("p-aaaa", f"rivi {n}")
        fake.patron("p-aaaa", number)
        await pilot.pause()
        await pilot.press("f6")  # open the long chat
        await pilot.pause(0.3)
        assert app.active == "p-aaaa"
        rows = transcript_text(app).splitlines()
        start = next(i for i, r in enumerate(rows) if ": 0123" in r)
        shown = rows[start].split(": ", 1)[1] + "".join(r.strip() for r in rows[start + 1 :])
        assert shown == number


async def test_a_command_and_its_answer_are_system_lines(make_app, fake):
    app = make_app(lang="fi")
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"/desks", "enter")
        await pilot.pause()
        fake.info("p-aaaa", "Tampere: 2 paikalla")
        await pilot.pause()
        text = transcript_text(app)
        assert "sinä: /desks" not in text
        assert "komento: /desks" in text
        assert "Tiski: Tampere: 2 paikalla" in text
        assert fake.sent == []


async def test_the_status_line_says_when_the_bridge_is_not_answering(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        fake.set_bridge(False)
        await pilot.pause()
        assert "bridge not answering" in static_text(app, "#status")
        await pilot.press(*"Odota", "enter")
        await pilot.pause()
        assert "Odota (waiting for connection)" in transcript_text(app)
        assert fake.sent == []
        fake.set_bridge(True)
        await pilot.pause(0.2)
        assert fake.sent == [("p-aaaa", "Odota")]
        assert "Odota ✓" in transcript_text(app)
        assert "bridge not answering" not in static_text(app, "#status")


async def test_a_refused_line_is_red_and_ctrl_r_sends_it_again(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        fake.confirm = False
        await pilot.press(*"Numero 1234", "enter")
        await pilot.pause()
        line_id = app.book.chats["p-aaaa"].lines[-1].msg_id
        fake.refuse_line("p-aaaa", line_id, "remote-server-timeout")
        await pilot.pause()
        assert "Numero 1234 (NOT SENT – Ctrl+R sends again)" in transcript_text(app).replace("\n  ", " ")
        fake.confirm = True
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Numero 1234 ✓" in transcript_text(app)


async def test_notes_are_marked_and_the_patron_has_one_name(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f9", *"soita takaisin", "enter")
        await pilot.pause(0.3)
        text = transcript_text(app)
        assert "(note) you: soita takaisin" in text
        assert "Patron AAAA: Hei" in text


async def test_new_lines_in_another_chat_ring_and_count(make_app, fake):
    app = make_app()
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "eka")
        await pilot.pause()
        await pilot.press("f2")
        fake.offer("p-bbbb", "toka")
        await pilot.pause(1.2)
        await pilot.press("f6")  # to p-bbbb; take it
        await pilot.press("f2")
        await pilot.pause()
        assert app.active == "p-bbbb"
        before = len(rings)
        fake.patron("p-aaaa", "Oletko siellä?")
        await pilot.pause()
        assert len(rings) == before + 1
        assert "New line: Tampere" in " ".join(n.message for n in app._notifications)
        assert "1 unread" in static_text(app, "#status")
        assert "●1" in list_text(app)


async def test_quit_asks_first_while_i_own_chats(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "You have 1 open chats" in static_text(app, "#confirm-text")
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
