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
from bridge.desklang import HELP_EN, TEXTS, Text, render, say
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


def sender_label(sender: str, lang: str) -> str:
    """Who said a line, as a desk reads it in `lang` ("Patron", "Asiakas" …)."""
    return say(lang, f"sender.{sender}") if f"sender.{sender}" in TEXTS else sender


def transcript_lines(history: Sequence[ChatMessage], limit: int = 20, lang: str = "en") -> list[str]:
    """The last `limit` lines of a chat, one per line, notes included."""
    lines = []
    shown = history[-limit:]
    if len(history) > limit:
        lines.append(say(lang, "transcript.earlier", n=len(history) - limit))
    for m in shown:
        who = sender_label(m.sender, lang)
        if m.sender in ("librarian", "note") and m.name:
            who = f"{who} ({m.name})"
        lines.append(f"{who}: {patron_text(m.text) if m.sender == 'patron' else m.text}")
    return lines


def offer_body(
    chat: LiveChat,
    library_name: str,
    history: Sequence[ChatMessage],
    *,
    from_name: Text | None = None,
    position: int | None = None,
    lang: str = "en",
) -> str:
    """The first message a seat sees of a chat: where from, what was asked, how to take it."""
    about = {"nick": chat.nickname, "library": library_name, "lang": chat.lang}
    if from_name:
        lines = [say(lang, "offer.transferred", source=render(from_name, lang), **about)]
    else:
        lines = [say(lang, "offer.new", **about)]
    if chat.page:
        lines.append(say(lang, "offer.page", page=one_line(chat.page)))
    if position:
        lines.append(say(lang, "offer.place", place=position))
    if chat.tags:
        lines.append(say(lang, "offer.tags", tags=", ".join(chat.tags)))
    lines.extend(transcript_lines(history, lang=lang) or [say(lang, "transcript.none")])
    lines.append(say(lang, "offer.how"))
    return "\n".join(lines)


HELP = HELP_EN  # the English list; desks get theirs with say(lang, "help")
