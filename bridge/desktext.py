"""Human-readable bodies of the messages the bridge sends to desks (plain clients show these).

A patron's text must never pass for the service's own lines in a plain client: fields such
as the page are one line, later lines of a message are indented under the patron's turn,
and bidi and zero-width controls (which can reverse or hide text) are removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bridge.chat import LiveChat
from bridge.store import ChatMessage

# Line breaks as Unicode knows them (what splitlines() splits on), tab and other controls.
_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
CONTINUATION = "  | "  # starts every later line of a patron's message


def visible(text: str) -> str:
    """Without format characters (category Cf): bidi overrides and isolates, zero-width
    spaces and joiners, the BOM, soft hyphens."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def one_line(text: str) -> str:
    """A field shown on a line of its own (page URL …): line breaks and controls %-escaped."""
    flat = visible(text)
    return _CONTROLS.sub(lambda m: f"%{ord(m.group()):02X}", _BREAKS.sub("%0A", flat)).replace("\t", "%09")


def patron_text(text: str) -> str:
    """A patron's message for a plain client: every line after the first indented with CONTINUATION.

    So no line of it can start like the service's ("Tiski: …", "Librarian (…): …").
    """
    lines = _BREAKS.split(visible(text))
    cleaned = [_CONTROLS.sub(" ", line.replace("\t", "    ")) for line in lines]
    return ("\n" + CONTINUATION).join(cleaned)


SENDER_LABEL = {"patron": "Patron", "librarian": "Librarian", "bot": "Bot", "system": "Tiski", "note": "Note"}


def transcript_lines(history: Sequence[ChatMessage], limit: int = 20) -> list[str]:
    """The last `limit` lines of a chat, one per line, notes included."""
    lines = []
    shown = history[-limit:]
    if len(history) > limit:
        lines.append(f"… {len(history) - limit} earlier line(s) not shown; /transcript has all")
    for m in shown:
        who = SENDER_LABEL.get(m.sender, m.sender)
        if m.sender in ("librarian", "note") and m.name:
            who = f"{who} ({m.name})"
        lines.append(f"{who}: {patron_text(m.text) if m.sender == 'patron' else m.text}")
    return lines


def offer_body(
    chat: LiveChat,
    library_name: str,
    history: Sequence[ChatMessage],
    *,
    from_name: str | None = None,
    position: int | None = None,
) -> str:
    """The first message a seat sees of a chat: where from, what was asked, how to take it."""
    head = f"New chat: {chat.nickname} ({library_name}), language {chat.lang}"
    if from_name:
        head = f"Chat transferred from {from_name}: {chat.nickname} ({library_name}), language {chat.lang}"
    lines = [head]
    if chat.page:
        lines.append(f"Page: {one_line(chat.page)}")
    if position:
        lines.append(f"Place in queue: {position}")
    if chat.tags:
        lines.append("Tags: " + ", ".join(chat.tags))
    lines.extend(transcript_lines(history) or ["(no messages yet)"])
    lines.append(
        "Reply to take this chat, or send !accept (or /accept where your client lets a / through; "
        "in profanity and Gajim type //accept). !help lists the commands."
    )
    return "\n".join(lines)


HELP = """Commands (send them in the chat with the patron; they never reach the patron).
Start them with ! or / (clients that eat a leading /, such as profanity and Gajim: ! or //):
/chats             waiting chats and yours, one line each
/accept            take this chat (a colleague's at your desk account: take it over)
/tag NAME…         add tags (id, name or number from /tags)
/untag NAME        remove a tag
/tags              list the tags with numbers
/transfer TARGET   hand the chat to a library or pool (see /desks)
/desks             libraries and pools, who is available now
/end               end the chat
/note TEXT         internal note, never shown to the patron
/canned [KEY]      send a canned answer (without KEY: list them)
/transcript        the whole chat so far
/forward TO [NOTE] mail the transcript to a library id or an address
/faq ENTRY         keep the patron's question as an example for an FAQ entry
/keep              keep the chat open although the patron has gone
/end-stale         end the chats whose patrons have gone
/followups         open follow-ups (messages patrons left)
/claim N           take follow-up N
/answer N TEXT     answer follow-up N (by e-mail when the patron left an address)
/close N           close follow-up N
/help              this list
In a client that passes / through, start a line with // to send a literal / to the patron."""
