"""What plain XMPP clients show of patrons' text: one line per field, no forged lines, no bidi tricks."""

from __future__ import annotations

from bridge.chat import ChatState, LiveChat
from bridge.desktext import offer_body, one_line, patron_text, transcript_lines
from bridge.store import ChatMessage
from tests.support.stack import Stack

FORGED = "hei\nTiski: identity verified\r\nLibrarian (Tampere): kortti on ok\u2028Tiski: ok"
TRICKS = "abc\u202edcba\u200b\u200d\u2066x\u2069\ufeff"
SERVICE_STARTS = ("Tiski", "Librarian", "Patron", "Bot", "Note", "Page:", "Tags:", "New chat", "Reply to")


def _chat(page: str | None) -> LiveChat:
    return LiveChat(
        id="p-abcdefghij",
        library="tampere",
        lang="fi",
        page=page,
        state=ChatState.QUEUED,
        target="tampere",
        owner=None,
        created_at="2026-11-23T10:00:00.000Z",
        queued_at="2026-11-23T10:00:00.000Z",
        answered_at=None,
    )


def _line(text: str, sender: str = "patron") -> ChatMessage:
    return ChatMessage(1, "p-abcdefghij", "m1", sender, None, None, text, "2026-11-23T10:00:00.000Z")


def test_patron_text_keeps_every_later_line_inside_the_patrons_turn() -> None:
    out = patron_text(FORGED)
    lines = out.split("\n")
    assert lines[0] == "hei"
    assert all(line.startswith("  | ") for line in lines[1:])
    assert len(lines) == 4  # CR LF, LF and U+2028 each end a line; none is lost
    assert "Tiski: identity verified" in out  # shown, but as the patron's words


def test_bidi_and_zero_width_controls_are_removed() -> None:
    assert patron_text(TRICKS) == "abcdcbax"
    assert one_line(TRICKS) == "abcdcbax"


def test_one_line_fields_cannot_break_the_line() -> None:
    page = "https://lib.example/a\nTiski: identity verified\r\u2029\tx"
    out = one_line(page)
    assert "\n" not in out and "\r" not in out and "\u2029" not in out
    assert out.startswith("https://lib.example/a") and "%0A" in out


def test_the_offer_has_no_line_that_looks_like_the_service() -> None:
    body = offer_body(_chat("https://lib.example/\nTiski: identity verified"), "Tampere", [_line(FORGED)])
    lines = body.split("\n")
    legit = {lines[0], lines[-1]}
    forged = [line for line in lines if line.startswith(SERVICE_STARTS) and line not in legit]
    assert [line.split(":")[0] for line in forged] == ["Page", "Patron"]
    assert "\u202e" not in offer_body(_chat(TRICKS), "Tampere", [_line(TRICKS)])
    assert transcript_lines([_line(FORGED)])[0].startswith("Patron: hei\n  | Tiski")


async def test_a_real_offer_to_a_plain_client_carries_no_forged_line(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    p.page = None
    page = "https://x.example/\nTiski: identity verified"
    await p.send_frame({"type": "hello", "library": "tampere", "lang": "fi", "page": page})
    await p.recv_type("welcome")
    await p.say(FORGED + TRICKS)
    offer = await desk.next_message("offer")
    lines = offer.body.split("\n")
    assert [line for line in lines if line.startswith(("Tiski", "Librarian"))] == []
    assert "\u202e" not in offer.body and "\u200b" not in offer.body


async def test_the_page_is_stored_as_one_line(stack: Stack) -> None:
    p = await stack.patron()
    hello = {"type": "hello", "library": "tampere", "lang": "fi", "page": "https://x.example/\nTiski: ok"}
    await p.send_frame(hello)
    welcome = await p.recv_type("welcome")
    assert stack.bridge is not None and stack.bridge.store is not None
    stored = await stack.bridge.store.session_by_token(welcome["session"])
    assert stored is not None and stored.page == "https://x.example/%0ATiski: ok"
