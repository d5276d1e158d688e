"""Parsing the desk protocol's stanza parts into the console's types (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import deskproto
from console.backend import (
    KIND_EVENTS,
    ChatEvent,
    ChatInfo,
    ChatLine,
    ChatMeta,
    ChatStateName,
    ChatSummary,
    CommandResult,
    Followup,
    FollowupStatus,
    Line,
    Stats,
    Tag,
    Target,
)

DESK_NS = deskproto.DESK_NS
CHAT_TAG = deskproto.CHAT_ELEMENT


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time (with Z or an offset); None when empty or unreadable."""
    if not value:
        return None
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def parse_meta(attrs: Mapping[str, str]) -> ChatMeta:
    """The `<chat/>` element's attributes."""
    position = attrs.get("position", "")
    return ChatMeta(
        session=attrs.get("session", ""),
        library=attrs.get("library", ""),
        lang=attrs.get("lang", ""),
        state=ChatStateName.parse(attrs.get("state", "queued")),
        owner=attrs.get("owner", ""),
        kind=attrs.get("kind", ""),
        page=attrs.get("page", ""),
        position=int(position) if position.isdigit() else None,
        waiting_since=parse_time(attrs.get("waiting_since")),
        tags=tuple(t for t in attrs.get("tags", "").split(",") if t),
        from_target=attrs.get("from_target", ""),
        target=attrs.get("target", ""),
        msg_id=attrs.get("msg_id", ""),
        sender=attrs.get("sender", ""),
        name=attrs.get("name", ""),
        followup=attrs.get("followup", "").lstrip("#"),
        by=attrs.get("by", ""),
        left_at=parse_time(attrs.get("left_at")),
    )


def chat_event(
    attrs: Mapping[str, str], body: str, ts: datetime | None = None, now: datetime | None = None
) -> ChatEvent:
    """The event a desk message stands for; a line without a delay stamp is from `now`."""
    meta = parse_meta(attrs)
    cls = KIND_EVENTS.get(meta.kind, ChatInfo)
    label = attrs.get("label")
    if label and body.startswith(f"[{label}] "):
        body = body[len(label) + 3 :]  # the bridge's label for plain clients
    if cls is ChatLine:
        sender = meta.sender or "patron"
        prefix = f"[{sender}] "
        text = body[len(prefix) :] if sender != "patron" and body.startswith(prefix) else body
        line = Line(meta.session, ts or now or datetime.now(UTC), sender, meta.name, text, meta.msg_id)
        return ChatLine(meta, text, line)
    return cls(meta, body)


def first(values: Mapping[str, Any], key: str) -> str:
    value = values.get(key, "")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def command_result(values: Mapping[str, Any]) -> CommandResult:
    """The `status` and `message` fields of a result form (and the rest as lists)."""
    fields = {k: (v if isinstance(v, list) else [str(v)]) for k, v in values.items() if v is not None}
    return CommandResult(first(values, "status") == "ok", first(values, "message"), fields)


def targets(rows: Sequence[Mapping[str, Any]]) -> list[Target]:
    """Rows of the `desks` command."""
    out = []
    for r in rows:
        avail = first(r, "available")
        out.append(
            Target(
                first(r, "id"),
                first(r, "kind") or "library",
                first(r, "name"),
                int(avail) if avail.isdigit() else 0,
                tuple(s for s in first(r, "seats").split(",") if s),
                first(r, "on_duty") == "1",
                first(r, "phone"),
            )
        )
    return out


def tags(rows: Sequence[Mapping[str, Any]]) -> list[Tag]:
    """Rows of the `tags` command, in the tag list's order."""
    out = []
    for i, r in enumerate(rows, 1):
        number = first(r, "number")
        out.append(
            Tag(
                int(number) if number.isdigit() else i,
                first(r, "id"),
                first(r, "name"),
                first(r, "name_fi"),
                first(r, "name_en"),
                first(r, "name_sv"),
            )
        )
    return out


def summaries(rows: Sequence[Mapping[str, Any]]) -> list[ChatSummary]:
    """Rows of the `chats` command."""
    return [
        ChatSummary(
            first(r, "session"),
            ChatStateName.parse(first(r, "state")),
            first(r, "library"),
            first(r, "target"),
            first(r, "owner"),
            parse_time(first(r, "waiting_since")),
            first(r, "first_line"),
            tuple(t for t in first(r, "tags").split(",") if t),
        )
        for r in rows
    ]


def transcript(session: str, rows: Sequence[Mapping[str, Any]], now: datetime | None = None) -> list[Line]:
    """Rows of the `transcript` command (a row without a time is from `now`)."""
    now = now or datetime.now(UTC)
    return [
        Line(
            session,
            parse_time(first(r, "ts")) or now,
            first(r, "sender"),
            first(r, "name"),
            first(r, "text").rstrip("\n"),
        )
        for r in rows
    ]


def followups(rows: Sequence[Mapping[str, Any]]) -> list[Followup]:
    """Rows of the `followups` command."""
    return [
        Followup(
            first(r, "id").lstrip("#"),
            first(r, "library"),
            parse_time(first(r, "ts")),
            first(r, "text"),
            first(r, "contact"),
            FollowupStatus.parse(first(r, "status")),
            first(r, "claimed_by"),
        )
        for r in rows
    ]


def _int(values: Mapping[str, Any], key: str) -> int:
    value = first(values, key)
    return int(value) if value.isdigit() else 0


def _seconds(values: Mapping[str, Any], key: str) -> float | None:
    try:
        return float(first(values, key))
    except ValueError:
        return None


def stats(values: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> Stats:
    """The `stats` command's result fields and its (group, key, count) table."""

    def group(name: str) -> tuple[tuple[str, int], ...]:
        return tuple((first(r, "key"), _int(r, "count")) for r in rows if first(r, "group") == name)

    return Stats(
        scope=first(values, "scope"),
        conversations=_int(values, "conversations"),
        answered=_int(values, "answered"),
        unanswered=_int(values, "unanswered"),
        left_message=_int(values, "left_message"),
        interrupted=_int(values, "interrupted"),
        wait_median=_seconds(values, "wait_median"),
        wait_p90=_seconds(values, "wait_p90"),
        by_tag=group("tag"),
        by_weekday=group("weekday"),
    )
