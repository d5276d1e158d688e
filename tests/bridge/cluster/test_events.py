"""The bus's payloads: ids only, parsed back to the same typed event; anything else refused."""

from __future__ import annotations

import pytest

from bridge.cluster.events import (
    BadEvent,
    ChatEvent,
    LineEvent,
    Notice,
    SeatEvent,
    TypingEvent,
    format_event,
    parse_event,
    parse_notice,
)


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        (LineEvent("p-abc", 12), "line p-abc 12"),
        (ChatEvent("p-abc"), "chat p-abc"),
        (SeatEvent("tampere@chat.example/desk-1"), "seat tampere@chat.example/desk-1"),
        (TypingEvent("p-abc", "composing"), "typing p-abc composing"),
    ],
)
def test_an_event_travels_as_ids_and_comes_back_the_same(event: object, payload: str) -> None:
    assert format_event(event) == payload  # type: ignore[arg-type]
    assert parse_event(payload) == event


@pytest.mark.parametrize(
    "payload",
    ["", "line p-abc", "line p-abc x", "line p-abc -1", "chat", "chat a b", "typing p-abc dancing", "hello"],
)
def test_a_payload_that_is_no_event_is_refused_with_its_text(payload: str) -> None:
    with pytest.raises(BadEvent, match="bus payload"):
        parse_event(payload)


def test_an_id_with_a_space_cannot_be_sent() -> None:
    with pytest.raises(BadEvent, match="not an id"):
        format_event(SeatEvent("desk@chat.example/two words"))


def test_a_payload_may_name_the_bridge_whose_write_it_announces() -> None:
    payload = format_event(LineEvent("p-abc", 3), "host:41:ab12cd")
    assert payload == "line p-abc 3 @host:41:ab12cd"
    assert parse_notice(payload) == Notice(LineEvent("p-abc", 3), "host:41:ab12cd")
    assert parse_notice("chat p-abc") == Notice(ChatEvent("p-abc"), "")
    with pytest.raises(BadEvent, match="not a bridge's name"):
        parse_notice("chat p-abc @ ")
