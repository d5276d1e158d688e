"""What the patron does shows at once (issue 17, items 5, 8 and 10): Pilot with the fake desk."""

from __future__ import annotations

from .helpers import list_text, transcript_text


def notices(app) -> str:
    return " | ".join(n.message for n in app._notifications)


async def test_a_withdrawn_chat_leaves_the_waiting_list_with_a_notice(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Onko kirjasto auki?")
        fake.offer("p-bbbb", "Hei", library="nokia")
        await pilot.pause()
        assert "Waiting (2)" in list_text(app)
        fake.withdraw("p-bbbb")
        await pilot.pause()
        text = list_text(app)
        assert "Waiting (1)" in text
        assert "Ended today (1)" in text and "left before an answer" in text
        assert "A patron left before an answer: Nokia left the queue." in notices(app)
        assert app.desk.book.next_waiting().session == "p-aaaa"


async def test_the_patron_leaving_and_coming_back_is_told_at_once(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        fake.patron_leaves("p-aaaa")
        await pilot.pause()
        assert "The patron left: Tampere" in notices(app)
        assert "(patron left)" in list_text(app)
        assert "Tiski: The patron left at" in transcript_text(app).replace("\n  ", " ")
        fake.patron_returns("p-aaaa")
        await pilot.pause()
        assert "The patron is back: Tampere" in notices(app)
        assert "(patron left)" not in list_text(app)
        assert "Tiski: The patron is back." in transcript_text(app).replace("\n  ", " ")


async def test_the_patrons_end_is_a_line_in_the_chat(make_app, fake):
    app = make_app(lang="fi")
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        fake.end_elsewhere("p-aaaa", by="patron")
        await pilot.pause()
        assert "Tiski: Keskustelu päättyi: asiakas lopetti keskustelun." in transcript_text(app).replace(
            "\n  ", " "
        )
        fake.end_elsewhere("p-aaaa", by="patron")  # told again (a second seat's notice): one line
        await pilot.pause()
        assert transcript_text(app).count("Keskustelu päättyi") == 1


async def test_an_ended_chat_can_be_tagged_and_the_end_offers_the_tag_list(make_app, fake):
    from console.screens.dialogs import ConfirmScreen
    from console.screens.pickers import TagPicker

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Miten uusin lainat?")
        await pilot.press("f2")
        await pilot.pause()
        fake.end_elsewhere("p-aaaa", by="patron")
        await pilot.pause()
        # The closing prompt: the chat ended untagged.
        assert isinstance(app.screen, ConfirmScreen)
        assert "ended without a tag" in str(app.screen.query_one("#confirm-text").render())
        await pilot.press("escape")
        await pilot.pause()
        assert "Ended today (1)" in list_text(app)
        # F7 still works on the ended chat.
        await pilot.press("f7")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"loans", "space", "enter")
        await pilot.pause(0.2)
        assert ("tag", ("p-aaaa", ("loans",))) in fake.calls
        assert app.book.chats["p-aaaa"].meta.tags == ("loans",)


async def test_the_closing_prompt_opens_the_tag_list(make_app, fake):
    from console.screens.dialogs import ConfirmScreen
    from console.screens.pickers import TagPicker

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f10")  # the librarian ends it, untagged
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TagPicker)
        assert "Tiski: The chat ended: you ended it." in transcript_text(app)


async def test_a_chat_that_ended_tagged_asks_nothing_and_a_colleagues_chat_cannot_be_tagged(make_app, fake):
    from console.screens.dialogs import ConfirmScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.press("f2")
        await pilot.pause()
        await fake.tag("p-aaaa", ["loans"])
        await pilot.pause()
        fake.end_elsewhere("p-aaaa", by="patron")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        fake.offer("p-bbbb", "Moi")
        await pilot.pause()
        fake.taken_elsewhere("p-bbbb", "nokia@chat.localhost/desk-1")  # a coordinator sees it
        fake.end_elsewhere("p-bbbb", by="patron")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)  # not mine: no prompt here
        app.open_chat("p-bbbb")
        await pilot.press("f7")
        await pilot.pause()
        assert "Only the desk that had the chat can tag it." in notices(app)


async def test_wide_characters_keep_each_chat_list_entry_on_its_two_rows(make_app, fake):
    from rich.cells import cell_len

    from console.widgets.chat_list import ChatList

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "日本語の本を借りたいのですが、図書館カードはどこで作れますか")
        fake.offer(
            "p-bbbb", "👍🏽👍🏽👍🏽👍🏽👍🏽👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽 kiitos"
        )
        fake.offer("p-cccc", "Hei")
        await pilot.pause()
        chats = app.query_one(ChatList)
        width = chats.scrollable_content_region.width
        for option in chats.options:
            for row in str(option.prompt).split("\n"):
                assert cell_len(row) <= width, row
        # One heading and two rows per chat: nothing wrapped onto a third row.
        assert chats.virtual_size.height == 1 + 2 * 3
        assert "日本語の本" in list_text(app) and "…" in list_text(app)
        assert "👍🏽👍🏽" in list_text(app)
