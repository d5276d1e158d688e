"""Coordinator and statistics commands over XEP-0050: statistics, and editing the tag list.

Everyone at a desk sees their own desk's figures; service-wide figures and tag edits are for
the roster's coordinators only (the bridge enforces it here, not the client).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from slixmpp import JID

from bridge.errors import CommandError
from bridge.storage import PostgresUrl
from tags import Tag, TagError
from tags.db import load_conversations
from tags.editing import add_tag as add_tag_text
from tags.editing import make_id, move_tag, remove_tag, rename_tag
from tags.files import edit_tags_file
from tags.period import Period, parse_day
from tags.stats import count_by, summarize

if TYPE_CHECKING:
    from slixmpp.plugins.xep_0004 import Form

    from bridge.adhoc import AdhocCommands

LANGS = ("fi", "sv", "en")


class AdminCommands:
    """Runners for `stats`, `tag-add`, `tag-rename`, `tag-remove`, `tag-move`."""

    def __init__(self, adhoc: AdhocCommands) -> None:
        self.adhoc = adhoc
        self.service = adhoc.actions.service

    def table(self) -> list[tuple[str, str, tuple[str, ...], Any]]:
        return [
            ("stats", "Statistics", ("scope", "from", "to"), self.stats),
            ("tag-add", "Add a tag (coordinators)", ("name_fi", "name_sv", "name_en"), self.tag_add),
            (
                "tag-rename",
                "Rename a tag (coordinators)",
                ("tag", "name_fi", "name_sv", "name_en"),
                self.tag_rename,
            ),
            ("tag-remove", "Remove a tag (coordinators)", ("tag",), self.tag_remove),
            ("tag-move", "Move a tag up or down (coordinators)", ("tag", "direction"), self.tag_move),
        ]

    def is_coordinator(self, seat: str) -> bool:
        return JID(seat).bare in self.service.roster.coordinators

    def _require_coordinator(self, seat: str) -> None:
        if not self.is_coordinator(seat):
            raise CommandError("Only the roster's coordinators may do this.")

    # statistics

    async def stats(self, seat: str, v: dict[str, Any]) -> Form:
        scope = _opt(v, "scope") or ("service" if self.is_coordinator(seat) else "desk")
        if scope not in ("desk", "service"):
            raise CommandError("scope: choose desk or service")
        if scope == "service" and not self.is_coordinator(seat):
            raise CommandError(
                "Only the roster's coordinators may see service-wide figures; "
                "choose scope 'desk' for your own desk's chats."
            )
        tz = self.service.roster.timezone
        try:
            first = parse_day(_opt(v, "from")) if _opt(v, "from") else None
            last = parse_day(_opt(v, "to"), last=True) if _opt(v, "to") else None
        except ValueError as e:
            raise CommandError(f"from/to: {e}; use a date like 2026-11-01 or a month like 2026-11") from e
        period = Period(first, last, tz)
        database = self.service.svc.config.database
        where = database.url if isinstance(database, PostgresUrl) else database
        convs = await asyncio.to_thread(load_conversations, where, period)
        if scope == "desk":
            desk = JID(seat).bare
            convs = [c for c in convs if c.desk == desk]
        s = summarize(convs)
        by_tag = count_by(convs, "tag", tz, tagset=self.service.svc.tagset)
        by_weekday = count_by(convs, "weekday", tz)
        wait = f"{s.wait_median:.0f} s" if s.wait_median is not None else "–"
        message = (
            f"{'Your desk' if scope == 'desk' else 'The whole service'}: "
            f"{s.conversations} conversations, {s.answered} answered, "
            f"{s.left_message} left a message, {s.interrupted} interrupted; "
            f"median wait {wait}"
        )
        form = self.adhoc._table(
            message,
            ("group", "key", "count"),
            [
                *({"group": "tag", "key": k, "count": str(n)} for k, n in by_tag),
                *({"group": "weekday", "key": k, "count": str(n)} for k, n in by_weekday),
            ],
        )
        for var, value in (
            ("scope", scope),
            ("conversations", s.conversations),
            ("answered", s.answered),
            ("unanswered", s.unanswered),
            ("left_message", s.left_message),
            ("interrupted", s.interrupted),
            ("wait_median", s.wait_median),
            ("wait_p90", s.wait_p90),
        ):
            label = var.replace("_", " ").capitalize() + (" (s)" if var.startswith("wait") else "")
            text = "" if value is None else str(value)
            form.add_field(var=var, ftype="text-single", label=label, value=text)
        return form

    # tag edits

    async def _edit(self, seat: str, edit: Any, done: str) -> Form:
        self._require_coordinator(seat)
        path = self.service.svc.config.tags
        if path is None:
            raise CommandError("The bridge has no tag file configured (tags: in its config).")
        try:
            tagset = await asyncio.to_thread(edit_tags_file, path, edit)
        except TagError as e:
            raise CommandError(str(e)) from e
        self.service.svc.tagset = tagset
        self.service.files.prime([path])
        return self.adhoc._result("ok", done)

    def _names(self, v: dict[str, Any]) -> dict[str, str]:
        names = {lang: _opt(v, f"name_{lang}") for lang in LANGS}
        return {lang: n for lang, n in names.items() if n}

    def _tag_id(self, v: dict[str, Any]) -> str:
        name = _opt(v, "tag")
        if not name:
            raise CommandError("Choose a tag.")
        tag = self.service.svc.tagset.get(name)
        if tag is None:
            try:
                tag = self.service.svc.tagset.resolve(name, "fi")
            except TagError as e:
                raise CommandError(str(e)) from e
        return tag.id

    async def tag_add(self, seat: str, v: dict[str, Any]) -> Form:
        names = self._names(v)
        if "fi" not in names:
            raise CommandError("Give at least the Finnish name (name_fi).")
        tagset = self.service.svc.tagset
        tag = Tag(make_id(names, {t.id for t in tagset.tags}), names, None, False)
        return await self._edit(
            seat, lambda text, src: add_tag_text(text, tag, source=src), f"Added the tag {tag.id!r}."
        )

    async def tag_rename(self, seat: str, v: dict[str, Any]) -> Form:
        tag_id, names = self._tag_id(v), self._names(v)
        if not names:
            raise CommandError("Give at least one new name (name_fi, name_sv or name_en).")
        return await self._edit(
            seat,
            lambda text, src: rename_tag(text, tag_id, names, source=src),
            f"Renamed {tag_id!r}; its id and history stay.",
        )

    async def tag_remove(self, seat: str, v: dict[str, Any]) -> Form:
        tag_id = self._tag_id(v)
        return await self._edit(
            seat,
            lambda text, src: remove_tag(text, tag_id, source=src),
            f"Removed {tag_id!r} from the pickers; past chats keep it.",
        )

    async def tag_move(self, seat: str, v: dict[str, Any]) -> Form:
        tag_id = self._tag_id(v)
        direction = _opt(v, "direction")
        if direction not in ("up", "down"):
            raise CommandError("direction: choose up or down")
        step = -1 if direction == "up" else 1
        return await self._edit(
            seat, lambda text, src: move_tag(text, tag_id, step, source=src), f"Moved {tag_id!r} {direction}."
        )


def _opt(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()
