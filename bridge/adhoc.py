"""XEP-0050 ad-hoc commands on the component's JID (docs/desk-protocol.md).

Each command runs the usual two steps (execute → form → submit) or one step when the
execute request already carries a submitted form.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import XMPPError
from slixmpp.plugins.xep_0004 import Form
from slixmpp.stanza import Iq

from bridge.admin import AdminCommands
from bridge.clock import parse_ts
from bridge.desk import DeskActions
from bridge.desktext import SENDER_LABEL
from bridge.errors import CommandError
from bridge.followup_adhoc import FollowupCommands
from rota.text import clock_text, datetime_text

log = logging.getLogger(__name__)

XDATA = "{jabber:x:data}x"
Fields = dict[str, Any]
Runner = Callable[[str, Fields], Awaitable[Form]]


class AdhocCommands:
    """Builds the forms and runs the commands through DeskActions."""

    def __init__(self, actions: DeskActions, make_form: Callable[..., Form]) -> None:
        self.actions = actions
        self.make_form = make_form
        self.table: list[tuple[str, str, tuple[str, ...], Runner]] = [
            ("accept", "Accept a chat", ("session",), self._accept),
            ("tag", "Tag a chat", ("session", "tags"), self._tag),
            ("untag", "Remove a tag", ("session", "tags"), self._untag),
            ("transfer", "Transfer a chat", ("session", "target"), self._transfer),
            ("end", "End a chat", ("session",), self._end),
            ("note", "Internal note", ("session", "text"), self._note),
            ("canned", "Send a canned answer", ("session", "key"), self._canned),
            ("chats", "Open and waiting chats", (), self._chats),
            ("desks", "Libraries, pools and who is available", (), self._desks),
            ("tags", "The tag list", (), self._tags),
            ("transcript", "A chat's transcript", ("session",), self._transcript),
            ("end-stale", "End the chats whose patrons have gone", (), self._end_stale),
            ("faq", "Keep the question as an FAQ example", ("session", "entry"), self._faq),
        ]
        self.table += AdminCommands(self).table()
        self.followups = FollowupCommands(self)
        self.table += self.followups.table()

    def handlers(self) -> list[tuple[str, str, Callable[[Iq, dict[str, Any]], Awaitable[dict[str, Any]]]]]:
        return [(node, name, self._handler(node, fields, run)) for node, name, fields, run in self.table]

    def _handler(self, node: str, fields: tuple[str, ...], run: Runner) -> Callable[..., Any]:
        async def start(iq: Iq, session: dict[str, Any]) -> dict[str, Any]:
            seat = iq["from"]
            self._authorize(seat)
            submitted = iq["command"].xml.find(XDATA)
            if not fields or (submitted is not None and submitted.get("type") == "submit"):
                values = iq["command"]["form"].get_values() if submitted is not None else {}
                if "session" in fields and not values.get("session") and iq["to"].user:
                    values["session"] = str(iq["to"].user)
                return await self._complete(seat.full, run, values, session)
            to = iq["to"]
            chat_id = str(to.user) if to.user else None  # run from a chat: that chat preselected
            session["payload"] = self._input_form(node, fields, seat.full, chat_id)
            session["next"] = submit
            session["has_next"] = False
            session["allow_complete"] = True
            return session

        async def submit(payload: Any, session: dict[str, Any]) -> dict[str, Any]:
            form = payload[0] if isinstance(payload, list) else payload
            values = form.get_values() if form is not None else {}
            return await self._complete(session["from"].full, run, values, session)

        return start

    def _authorize(self, seat: JID) -> None:
        roster = self.actions.service.roster
        if not self.actions.service.is_desk(seat) and seat.bare not in roster.coordinators:
            raise XMPPError("forbidden", text="Only desk accounts of the roster can use these commands.")

    async def _complete(
        self, seat: str, run: Runner, values: Fields, session: dict[str, Any]
    ) -> dict[str, Any]:
        try:
            form = await run(seat, values)
            session["notes"] = [("info", _first(form, "message") or "Done.")]
        except CommandError as e:
            form = self._result("error", str(e))
            session["notes"] = [("error", str(e))]
        session["payload"] = form
        session["next"] = None
        session["has_next"] = False
        return session

    # forms

    def _result(self, status: str, message: str) -> Form:
        form = self.make_form(ftype="result", title="Tiski")
        form.add_field(var="status", ftype="text-single", label="Status", value=status)
        form.add_field(var="message", ftype="text-multi", label="Message", value=message)
        return form

    def _input_form(self, node: str, fields: tuple[str, ...], seat: str, chat_id: str | None = None) -> Form:
        actions = self.actions
        form = self.make_form(ftype="form", title=f"Tiski: {node}")
        chats = actions.open_chats(seat)
        if "session" in fields:
            mine = [c.id for c in chats if c.owner == seat]
            waiting = [c.id for c in chats if c.waiting]
            default = (mine or waiting or [c.id for c in chats] or [""])[-1 if mine else 0]
            if chat_id in {c.id for c in chats}:
                default = chat_id
            form.add_field(
                var="session",
                ftype="list-single",
                label="Chat",
                required=True,
                value=default,
                options=[
                    {"value": c.id, "label": f"{c.nickname} · {c.state.value} · {(c.first_line or '')[:40]}"}
                    for c in chats
                ],
            )
        if "tags" in fields:
            form.add_field(
                var="tags",
                ftype="list-multi",
                label="Tags",
                required=True,
                options=[
                    {"value": t.id, "label": f"{i}. {t.name('fi')}"}
                    for i, t in enumerate(actions.service.svc.tagset.visible, 1)
                ],
            )
        if "target" in fields:
            form.add_field(
                var="target",
                ftype="list-single",
                label="Library or pool",
                required=True,
                options=[
                    {"value": r.id, "label": f"{r.name} ({len(r.seats)} available)"}
                    for r in actions.desk_rows()
                ],
            )
        if "text" in fields:
            form.add_field(var="text", ftype="text-multi", label="Note", required=True)
        if "tag" in fields:
            form.add_field(
                var="tag",
                ftype="list-single",
                label="Tag",
                required=True,
                options=[
                    {"value": t.id, "label": f"{i}. {t.name('fi')}"}
                    for i, t in enumerate(actions.service.svc.tagset.visible, 1)
                ],
            )
        if "direction" in fields:
            form.add_field(
                var="direction",
                ftype="list-single",
                label="Direction",
                value="up",
                options=[{"value": "up", "label": "up"}, {"value": "down", "label": "down"}],
            )
        if "scope" in fields:
            form.add_field(
                var="scope",
                ftype="list-single",
                label="Whose chats",
                value="desk",
                options=[
                    {"value": "desk", "label": "my desk"},
                    {"value": "service", "label": "the whole service (coordinators)"},
                ],
            )
        for var in fields:
            if var.startswith("name_") or var in ("from", "to"):
                form.add_field(var=var, ftype="text-single", label=var)
        if "key" in fields:
            form.add_field(
                var="key",
                ftype="list-single",
                label="Canned answer",
                required=True,
                options=[
                    {"value": a.key, "label": a.title.get("fi") or a.key} for a in actions.service.svc.canned
                ],
            )
        if "entry" in fields:
            faq = actions.service.svc.faq
            form.add_field(
                var="entry",
                ftype="list-single",
                label="FAQ entry",
                required=True,
                options=[{"value": e.id, "label": e.label("fi")} for e in (faq.entries if faq else ())],
            )
        self.followups.add_fields(form, node, fields)
        return form

    # runners

    async def _accept(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.accept(seat, _one(v, "session")))

    async def _tag(self, seat: str, v: Fields) -> Form:
        tags = await self.actions.tag(seat, _one(v, "session"), _many(v, "tags"))
        form = self._result("ok", "Tags: " + ", ".join(tags))
        form.add_field(var="tags", ftype="list-multi", label="Tags", value=tags)
        return form

    async def _untag(self, seat: str, v: Fields) -> Form:
        tags = await self.actions.untag(seat, _one(v, "session"), _many(v, "tags"))
        form = self._result("ok", "Tags: " + (", ".join(tags) or "none"))
        form.add_field(var="tags", ftype="list-multi", label="Tags", value=tags)
        return form

    async def _transfer(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.transfer(seat, _one(v, "session"), _one(v, "target")))

    async def _end(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.end(seat, _one(v, "session")))

    async def _note(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.note(seat, _one(v, "session"), _text(v, "text")))

    async def _canned(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.canned(seat, _one(v, "session"), _one(v, "key")))

    def _table(self, message: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Form:
        # The rows also as text in `message`: some clients show no reported tables.
        lines = [" · ".join(row.get(c, "") for c in columns if row.get(c)) for row in rows]
        form = self._result("ok", "\n".join([message, *lines]))
        for col in columns:
            form.add_reported(col, ftype="text-single", label=col)
        for row in rows:
            form.add_item(row)
        return form

    async def _chats(self, seat: str, v: Fields) -> Form:
        chats = self.actions.open_chats(seat)
        tz = self.actions.service.roster.timezone
        lang = self.actions.lang(seat)
        rows = [
            {
                "session": c.id,
                "state": c.state.value,
                "library": c.library,
                "target": c.target or "",
                "owner": c.owner or "",
                "waiting": datetime_text(parse_ts(c.queued_at), lang, tz)
                if c.queued_at
                else "",  # for people
                "waiting_since": c.queued_at or "",  # for programs (the console)
                "first_line": c.first_line or "",
                "tags": ",".join(c.tags),
            }
            for c in chats
        ]
        cols = (
            "session",
            "state",
            "library",
            "target",
            "owner",
            "waiting",
            "first_line",
            "tags",
            "waiting_since",
        )
        return self._table(f"{len(rows)} open chat(s)", cols, rows)

    async def _desks(self, seat: str, v: Fields) -> Form:
        rows = [
            {
                "id": r.id,
                "kind": r.kind,
                "name": r.name,
                "available": str(len(r.seats)),
                "seats": ",".join(r.seats),
                "on_duty": "1" if r.on_duty else "0",
                "phone": r.phone,
            }
            for r in self.actions.desk_rows()
        ]
        cols = ("id", "kind", "name", "available", "seats", "on_duty", "phone")
        return self._table(f"{len(rows)} libraries and pools", cols, rows)

    async def _tags(self, seat: str, v: Fields) -> Form:
        rows = [
            {
                "number": str(i),
                "id": t.id,
                "name": t.name("fi"),
                "name_fi": t.name("fi"),
                "name_en": t.name("en"),
                "name_sv": t.name("sv"),
            }
            for i, t in enumerate(self.actions.service.svc.tagset.visible, 1)
        ]
        columns = ("number", "id", "name", "name_fi", "name_en", "name_sv")
        return self._table(f"{len(rows)} tags", columns, rows)

    async def _faq(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.faq_example(seat, _one(v, "session"), _one(v, "entry")))

    async def _end_stale(self, seat: str, v: Fields) -> Form:
        return self._result("ok", await self.actions.end_stale(seat))

    async def _transcript(self, seat: str, v: Fields) -> Form:
        sid = _one(v, "session")
        chat, _lines = await self.actions.transcript(seat, sid)
        store = self.actions.service.svc.store
        stored = await store.session(chat.id)
        assert stored is not None
        history = await store.history(sid)
        tz = self.actions.service.roster.timezone
        rows = [
            {
                "time": clock_text(parse_ts(m.ts), self.actions.lang(seat), tz),  # for people
                "ts": m.ts,  # for programs (the console)
                "sender": m.sender,
                "name": m.name or SENDER_LABEL.get(m.sender, ""),
                "text": m.text,
            }
            for m in history
        ]
        form = self._table(f"{len(rows)} line(s)", ("time", "sender", "name", "text", "ts"), rows)
        form.add_field(var="session", ftype="text-single", label="Chat", value=sid)
        form.add_field(var="state", ftype="text-single", label="State", value=stored.state.value)
        form.add_field(var="tags", ftype="text-single", label="Tags", value=",".join(await store.tags(sid)))
        return form


def _one(values: Fields, key: str) -> str:
    value = values.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    if not value:
        raise CommandError(f"The form field {key!r} is required.")
    return str(value)


def _many(values: Fields, key: str) -> list[str]:
    value = values.get(key)
    items = value if isinstance(value, list) else ([value] if value else [])
    if not items:
        raise CommandError(f"Choose at least one value for {key!r}.")
    return [str(i) for i in items]


def _text(values: Fields, key: str) -> str:
    value = values.get(key)
    if isinstance(value, list):
        value = "\n".join(value)
    return str(value or "")


def _first(form: Form, var: str) -> str:
    value = form.get_values().get(var)
    if isinstance(value, list):
        return "\n".join(value)
    return str(value or "")
