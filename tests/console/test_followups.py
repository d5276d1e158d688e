"""Follow-ups in the console: the live list, its notice and unread mark, claim, answer, close."""

from __future__ import annotations

from console.backend import FollowupStatus
from console.screens.followups import AnswerScreen, FollowupScreen
from console.screens.help import HelpScreen
from console.widgets.panels import StatusBar

from .helpers import list_text, options_text, static_text


async def test_notice_counts_rings_and_stays_out_of_the_chat_list(make_app, fake):
    app = make_app()
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        fake.leave_message("Onko Seitsemän veljestä hyllyssä?", "Matti, matti@example.org")
        await pilot.pause(0.2)
        assert rings == [1]
        status = static_text(app, "#status")
        assert "Follow-ups 1 ●1" in status
        assert app.query_one(StatusBar).has_class("-followup")
        assert "New follow-up #1" in " ".join(n.message for n in app._notifications)
        assert "Seitsemän" not in list_text(app)  # a left message is not a live chat

        await pilot.press("alt+f")
        await pilot.pause(0.2)
        assert isinstance(app.screen, FollowupScreen)
        listing = options_text(app, "#followup-list")
        assert "#1" in listing and "Tampere" in listing and "open" in listing and "new" in listing
        detail = static_text(app, "#followup-detail")
        assert "Onko Seitsemän veljestä hyllyssä?" in detail
        assert "The bridge e-mails the answer to matti@example.org" in detail

        await pilot.press("escape")
        await pilot.pause(0.2)
        assert "●1" not in static_text(app, "#status")  # seen
        assert not app.query_one(StatusBar).has_class("-followup")


async def test_list_updates_live_while_open(make_app, fake):
    app = make_app()
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        fake.leave_message("Eka viesti", "040 123 4567")
        await pilot.pause()
        await pilot.press("alt+f")
        await pilot.pause(0.2)
        fake.leave_message("Toka viesti", "toka@example.org", library="nokia")
        await pilot.pause(0.3)
        listing = options_text(app, "#followup-list")
        assert "Eka viesti" in listing and "Toka viesti" in listing and "Nokia" in listing


async def test_claim_answer_by_email_and_close(make_app, fake):
    app = make_app()
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        fake.leave_message("Onko kirja hyllyssä?", "Matti, matti@example.org")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause(0.2)

        await pilot.press("c")
        await pilot.pause(0.3)
        assert ("followup-claim", ("1",)) in fake.calls
        assert "claimed (desk-1)" in options_text(app, "#followup-list")

        await pilot.press("a")
        await pilot.pause(0.2)
        assert isinstance(app.screen, AnswerScreen)
        assert "The bridge e-mails the answer to matti@example.org" in static_text(app, "#answer-about")
        await pilot.press(*"Hei Matti!", "enter", *"Kirja on hyllyssä.")
        await pilot.press("escape")  # the draft is kept
        await pilot.pause(0.2)
        assert isinstance(app.screen, FollowupScreen)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert ("followup-answer", ("1", "Hei Matti!\nKirja on hyllyssä.")) in fake.calls
        assert "sent to matti@example.org" in " ".join(n.message for n in app._notifications)
        assert "answered" in options_text(app, "#followup-list")

        await pilot.press("a")  # answered once only
        await pilot.pause(0.1)
        assert isinstance(app.screen, FollowupScreen)

        await pilot.press("x")  # closing asks first (Enter / Esc)
        await pilot.pause(0.2)
        assert fake.followup_list["1"].status is FollowupStatus.ANSWERED
        assert "Close follow-up #1?" in static_text(app, "#confirm-text")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert fake.followup_list["1"].status is FollowupStatus.CLOSED
        assert "#1" not in options_text(app, "#followup-list")
        assert "No follow-ups waiting." in static_text(app, "#followup-detail")


async def test_answer_without_address_says_it_is_only_recorded(make_app, fake):
    app = make_app(lang="fi")
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        fake.leave_message("Soittakaa minulle", "040 123 4567")
        await pilot.pause()
        await pilot.press("alt+f")
        await pilot.pause(0.2)
        assert "Ei sähköpostiosoitetta" in static_text(app, "#followup-detail")
        assert "040 123 4567" in static_text(app, "#followup-detail")
        await pilot.press("a")
        await pilot.pause(0.2)
        assert "vain kirjataan" in static_text(app, "#answer-about")


async def test_claimed_elsewhere_is_refused_with_the_reason(make_app, fake):
    from dataclasses import replace

    app = make_app()
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        f = fake.leave_message("Kysymys", "")
        fake.followup_list[f.id] = replace(
            f, status=FollowupStatus.CLAIMED, claimed_by="nokia@chat.localhost/desk-1"
        )
        await pilot.press("alt+f")
        await pilot.pause(0.2)
        await pilot.press("c")
        await pilot.pause(0.3)
        messages = " ".join(n.message for n in app._notifications)
        assert "Failed:" in messages and "nokia@chat.localhost/desk-1 has claimed" in messages


async def test_palette_offers_claim_answer_close_in_the_list(make_app, fake):
    app = make_app()
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        fake.leave_message("Kysymys", "a@example.org")
        await pilot.press("alt+f")
        await pilot.pause(0.2)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Claim the follow-up", "Answer the follow-up", "Close the follow-up"} <= set(titles)
        main_titles = [c.title for c in app.get_system_commands(app.screen_stack[0])]
        assert "Follow-ups" in main_titles and "Statistics" in main_titles and "Quiet mode" in main_titles
        assert "Claim the follow-up" not in main_titles
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Claim the follow")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert ("followup-claim", ("1",)) in fake.calls


async def test_help_lists_the_new_keys(make_app):
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = static_text(app, "#help-text")
        for expected in ("Alt+F / Ctrl+F", "Follow-ups", "Alt+G / Ctrl+G", "Statistics", "Alt+M", "Quiet"):
            assert expected in text
        assert "claim the highlighted one" in text and "e-mailed when the patron left an address" in text


async def test_notice_for_a_waiting_chat_updates_it_and_stops_its_repeats(make_app, fake):
    from console.backend import ChatStateName

    app = make_app()
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei, onko ketään?")
        await pilot.pause()
        fake.leave_message("Soittakaa", "040 1", session="p-aaaa")
        await pilot.pause()
        assert app.book.chats["p-aaaa"].meta.state is ChatStateName.CLOSED
        assert "Hei, onko ketään?" in list_text(app)


def test_followup_and_stats_rows_are_parsed() -> None:
    from console import stanzas

    [f] = stanzas.followups(
        [
            {
                "id": "12",
                "library": "tampere",
                "ts": "2026-11-23T10:15:00Z",
                "text": "Kysymys",
                "contact": "Matti, matti@example.org",
                "status": "claimed",
                "claimed_by": "tampere@chat.localhost/desk-1",
            }
        ]
    )
    assert f.id == "12" and f.status is FollowupStatus.CLAIMED and f.email == "matti@example.org"
    assert f.ts is not None and f.ts.hour == 10
    values = {"status": "ok", "scope": "desk", "conversations": "2", "answered": "2", "wait_median": "35.5"}
    rows = [
        {"group": "tag", "key": "loans", "count": "2"},
        {"group": "weekday", "key": "mon", "count": "2"},
    ]
    s = stanzas.stats(values, rows)
    assert (s.conversations, s.answered, s.wait_median, s.wait_p90) == (2, 2, 35.5, None)
    assert s.by_tag == (("loans", 2),) and s.by_weekday == (("mon", 2),)
    meta = stanzas.parse_meta({"session": "p-1", "kind": "followup", "followup": "#12"})
    assert meta.followup == "12"
    event = stanzas.chat_event({"session": "p-1", "kind": "followup", "followup": "12"}, "Follow-up #12")
    assert type(event).__name__ == "ChatFollowup"
