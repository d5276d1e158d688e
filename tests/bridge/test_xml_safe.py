"""A patron's text with characters XML forbids must not cost the component its stream."""

from __future__ import annotations

from bridge.patron import xml_safe
from tests.support.stack import Stack


def test_forbidden_characters_become_replacement_characters() -> None:
    frame = {"type": "message", "id": "m\x0b1", "text": "a\x01b\ud800c\td\ne\r\x7f ä", "n": 3}
    assert xml_safe(frame) == {
        "type": "message",
        "id": "m\ufffd1",
        "text": "a\ufffdb\ufffdc\td\ne\r\x7f ä",
        "n": 3,
    }


async def test_control_character_reaches_the_desk_and_the_stream_stays_up(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    assert (await p.say("hei\x01 maailma"))["type"] == "ack"
    offer = await desk.next_message("offer")
    assert "hei\ufffd maailma" in offer.body
    desk.say(f"{offer.session}@{stack.component}", "moi")
    assert (await p.recv_type("message", **{"from": "librarian"}))["text"] == "moi"
    assert stack.bridge is not None and stack.bridge.component is not None
    assert stack.bridge.component.online
