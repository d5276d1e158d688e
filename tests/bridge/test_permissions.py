"""Another library's desk can neither read, take, nor write into a chat a Tampere seat has."""

from __future__ import annotations

from tests.support.stack import start_stack


async def test_other_library_cannot_read_take_or_write_an_owned_chat(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        tampere = await s.desk("tampere@chat.localhost")
        nokia = await s.desk("nokia@chat.localhost")
        p = await s.patron()
        await p.say("korttini numero on 1234567890 ja PIN 1234")
        offer = await tampere.next_message("offer")
        tampere.say(offer.frm, "Hei, autan mielelläni.")
        await p.recv(lambda f: f["type"] == "message" and f["from"] == "librarian")

        nokia.say(offer.frm, "/transcript")
        refused = await nokia.next_message("info")
        assert "has this chat" in refused.body and "1234567890" not in refused.body

        for command in ("/transfer nokia", "/tag login", "/note katsoin", "/end", "/accept"):
            nokia.say(offer.frm, command)
            answer = await nokia.next_message("info")
            assert "has this chat" in answer.body, (command, answer.body)

        nokia.say(offer.frm, "Nokiasta päivää")
        assert (await nokia.next_message("info")).body.startswith("Not sent:")
        await p.no_frame(1.0, lambda f: f.get("type") == "message")

        res = await nokia.command("transcript", session=offer.session)
        assert res["values"]["status"] == "error" and "has this chat" in res["values"]["message"]
        listed = await nokia.command("chats")
        assert offer.session not in {r["session"] for r in listed["items"]}

        history = await s.bridge.store.history(offer.session)
        assert [m.sender for m in history] == ["patron", "librarian"]  # no note, no line from Nokia
        assert await s.bridge.store.tags(offer.session) == []
        assert s.bridge.service.chats[offer.session].owner == "tampere@chat.localhost/desk-1"

        coordinator = await s.desk("coordinator@chat.localhost", resource="laptop")
        res = await coordinator.command("transcript", session=offer.session)
        assert res["values"]["status"] == "ok"  # coordinators may read
    finally:
        await s.close()


async def test_colleague_at_the_same_account_takes_over_explicitly(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        one = await s.desk("tampere@chat.localhost", resource="desk-1")
        two = await s.desk("tampere@chat.localhost", resource="desk-2")
        p = await s.patron()
        await p.say("hei")
        offer = await one.next_message("offer")
        await two.next_message("offer")
        one.say(offer.frm, "/accept")
        await two.next_message("taken")
        two.say(offer.frm, "minä vastaan")
        assert "/accept" in (await two.next_message("info")).body
        two.say(offer.frm, "/accept")
        await two.next_message("accepted")
        assert "taken by tampere@chat.localhost/desk-2" in (await one.next_message("taken")).body
        two.say(offer.frm, "nyt minä vastaan")
        line = await p.recv(lambda f: f["type"] == "message" and f["from"] == "librarian")
        assert line["text"] == "nyt minä vastaan"
    finally:
        await s.close()
