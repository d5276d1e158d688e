"""Desk presence: re-offering when a desk leaves before accepting; subscriptions across restarts."""

from __future__ import annotations

import asyncio

from tests.support.stack import Stack


async def test_chat_reoffered_when_on_duty_desk_goes_offline_before_accepting(stack: Stack) -> None:
    tampere = await stack.desk("tampere@chat.localhost")
    nokia = await stack.desk("nokia@chat.localhost")
    p = await stack.patron()
    await p.say("Onko Tampereella ketään?")
    offer = await tampere.next_message("offer")
    await nokia.no_message(0.3, kind="offer")
    await tampere.close()
    stack.clients.remove(tampere)
    again = await nokia.next_message("offer", timeout=5)
    assert again.session == offer.session and again.chat["target"] == "nokia"
    nokia.say(again.frm, "Nokiasta vastataan")
    assert (await p.recv_type("message", **{"from": "librarian"}))["name"] == "Nokia"


async def test_subscribed_desk_keeps_working_across_bridge_restarts(stack: Stack) -> None:
    # No directed presence: the desk only accepted the bridge's subscription request once.
    desk = await stack.desk("tampere@chat.localhost", directed=False)
    for _ in range(50):
        roster = desk.client_roster[stack.component]
        if roster["subscription"] in ("from", "both"):
            break
        await asyncio.sleep(0.1)
    assert desk.client_roster[stack.component]["subscription"] in ("from", "both")
    p = await stack.patron()
    await p.say("ennen uudelleenkäynnistystä")
    await desk.next_message("offer", timeout=5)

    await stack.stop_bridge()
    await stack.start_bridge()
    await asyncio.sleep(0.5)
    p2 = await stack.patron()
    await p2.say("uudelleenkäynnistyksen jälkeen")
    bodies = [(await desk.next_message("offer", timeout=5)).body for _ in range(2)]
    # the chat still waiting from before the restart is offered again, and the new one reaches it
    assert sum("ennen uudelleenkäynnistystä" in b for b in bodies) == 1
    assert sum("uudelleenkäynnistyksen jälkeen" in b for b in bodies) == 1
