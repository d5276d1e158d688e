"""The words of the bridge's e-mails: answers to patrons (in their language), transcripts for staff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bridge.desktext import SENDER_LABEL
from bridge.store import ChatMessage
from rota.text import clock_text, date_text, datetime_text

ANSWER_SUBJECT = {
    "fi": "Vastaus viestiisi – {library}",
    "sv": "Svar på ditt meddelande – {library}",
    "en": "Answer to your message – {library}",
}
YOU_WROTE = {"fi": "Kirjoitit {when}:", "sv": "Du skrev {when}:", "en": "You wrote on {when}:"}
SIGNATURE = {
    "fi": "{library} – kirjaston chat",
    "sv": "{library} – bibliotekets chatt",
    "en": "{library} – library chat",
}


def _lang(lang: str) -> str:
    return lang if lang in ANSWER_SUBJECT else "en"


def answer_subject(lang: str, library: str) -> str:
    """The subject of a follow-up answer, in the patron's language."""
    return ANSWER_SUBJECT[_lang(lang)].format(library=library)


def answer_body(lang: str, library: str, answer: str, original: str, left_at: datetime) -> str:
    """The librarian's answer, signed by the library, with the patron's message quoted below."""
    lang = _lang(lang)
    quoted = "\n".join(f"> {line}" for line in original.splitlines() or [""])
    return (
        f"{answer.strip()}\n\n-- \n{SIGNATURE[lang].format(library=library)}\n\n"
        f"{YOU_WROTE[lang].format(when=datetime_text(left_at, lang))}\n{quoted}\n"
    )


def transcript_subject(nickname: str, library: str, started: datetime) -> str:
    """The subject of a forwarded transcript (staff read it: English like the desk texts)."""
    return f"Chat transcript: {nickname} ({library}), {date_text(started, 'en')}"


def transcript_body(
    *,
    session_id: str,
    library: str,
    lang: str,
    page: str | None,
    started: datetime,
    tags: Sequence[str],
    lines: Sequence[tuple[datetime, ChatMessage]],
    left: Sequence[tuple[datetime, str]],
    forwarded_by: str,
    note: str,
) -> str:
    """A chat's lines for a library's address; internal notes and contact details left out."""
    out = [f"Forwarded by {forwarded_by}."]
    if note.strip():
        out += ["", note.strip()]
    out += [
        "",
        f"Chat {session_id}, library {library}, language {lang}, started {datetime_text(started, 'en')}",
    ]
    if page:
        out.append(f"Page: {page}")
    if tags:
        out.append("Tags: " + ", ".join(tags))
    out.append("")
    for at, m in lines:
        who = SENDER_LABEL.get(m.sender, m.sender)
        if m.sender == "librarian" and m.name:
            who = f"{who} ({m.name})"
        out.append(f"{clock_text(at, 'en')} {who}: {m.text}")
    for at, text in left:
        out.append(f"{clock_text(at, 'en')} Left message: {text}")
    if not lines and not left:
        out.append("(no lines)")
    return "\n".join(out) + "\n"
