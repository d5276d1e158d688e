"""Bringing the chat book up to date with the bridge's `chats` list after (re)connecting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from console.backend import ChatMeta, ChatStateName, ChatSummary, Line, Target
from console.model import Chat, ChatBook, Section


def my_targets(targets: Sequence[Target], me: str, roster_ids: Iterable[str] = ()) -> set[str]:
    """Libraries and pools this account answers for: where its seats are listed, or the roster."""
    bare = me.split("/", 1)[0]
    mine = {t.id for t in targets if any(s.split("/", 1)[0] == bare for s in t.seats)}
    return mine | set(roster_ids)


def apply_summaries(
    book: ChatBook, summaries: Sequence[ChatSummary], targets: set[str], now: datetime | None = None
) -> list[Chat]:
    """Update the book from the open chats the bridge lists; returns the chats that changed.

    The list is service-wide: a chat is taken in when this seat knows it already, when a seat
    of this account owns it, or when it is routed to one of `targets`. A chat this seat thought
    open that the bridge no longer lists has ended.
    """
    now = now or book.clock()
    bare = book.me.split("/", 1)[0]
    listed: set[str] = set()
    changed: list[Chat] = []
    for s in summaries:
        listed.add(s.session)
        known = book.get(s.session)
        ours = s.owner.split("/", 1)[0] == bare or s.target in targets
        if known is None and not ours:
            continue
        meta = ChatMeta(
            s.session,
            library=s.library,
            state=s.state,
            owner=s.owner,
            waiting_since=s.waiting_since,
            tags=s.tags,
            target=s.target,
            kind="sync",
        )
        chat = book.ensure(meta)
        chat.meta = replace(
            meta, lang=chat.meta.lang, page=chat.meta.page, library=s.library or chat.meta.library
        )
        chat.transferred_to = "" if ours else (s.target or "?")  # it went to another desk
        if not chat.lines and s.first_line:
            chat.add(Line(s.session, s.waiting_since or now, "patron", "", s.first_line))
        changed.append(chat)
    for chat in book.chats.values():
        if chat.session not in listed and chat.section(book.me) is not Section.ENDED:
            chat.meta = replace(chat.meta, state=ChatStateName.ENDED)
            chat.ended_at = now
            changed.append(chat)
    return changed
