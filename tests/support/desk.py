"""A slixmpp desk client for the tests: a librarian's seat that speaks the desk protocol."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from slixmpp import ClientXMPP
from slixmpp.plugins.xep_0004 import Form

from deskproto import CHAT_ELEMENT
from deskproto import DESK_NS as PROTOCOL_NS

DESK_NS = CHAT_ELEMENT  # the name the bench imports


@dataclass(frozen=True)
class DeskMessage:
    """A message a seat received: sender JID, body and the <chat/> element's attributes."""

    frm: str
    body: str  # without the plain-client label (see `raw`)
    chat: dict[str, str]
    nick: str | None = None
    raw: str = ""  # the body as it came

    @property
    def kind(self) -> str:
        return self.chat.get("kind", "")

    @property
    def session(self) -> str:
        return self.chat.get("session", "")


class DeskClient(ClientXMPP):
    """One seat of a desk account."""

    def __init__(
        self,
        jid: str,
        password: str,
        port: int,
        component: str,
        *,
        directed: bool = True,
        show: str | None = None,
        receipts: bool = False,
        plain: bool = False,
        lang: str = "en",
    ) -> None:
        # `lang`: the stream's and every stanza's xml:lang, as the console sets it from its setting
        super().__init__(
            jid, password, plugin_config={"feature_mechanisms": {"unencrypted_plain": True}}, lang=lang
        )
        self.enable_plaintext = True
        self.enable_direct_tls = False
        self.enable_starttls = False
        self.port = port
        self.component = component
        self.directed = directed
        self.show = show
        self.inbox: asyncio.Queue[DeskMessage] = asyncio.Queue()
        self.chatstates: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self.errors: asyncio.Queue[Any] = asyncio.Queue()
        self.ready = asyncio.Event()
        for p in ("xep_0030", "xep_0004", "xep_0050", "xep_0085", "xep_0199"):
            self.register_plugin(p)
        if not plain:  # a desk-protocol client like the console; `plain`: like profanity
            self.plugin["xep_0030"].add_feature(PROTOCOL_NS)
        self.ids: list[str] = []  # ids of the messages received, in order
        self.ack_receipts = receipts
        if receipts:  # advertise XEP-0184; acknowledging is up to `ack_receipts`
            self.register_plugin("xep_0184", pconfig={"auto_ack": False})
            self.add_event_handler("receipt_received", lambda m: self.receipts.put_nowait(m["receipt"]))
        self.receipts: asyncio.Queue[str] = asyncio.Queue()
        self.add_event_handler("session_start", self._start)
        self.add_event_handler("message", self._message)
        self.add_event_handler("message_error", lambda m: self.errors.put_nowait(m))
        for st in ("composing", "paused"):
            self.add_event_handler(
                f"chatstate_{st}", lambda m: self.chatstates.put_nowait((m["from"].bare, m["chat_state"]))
            )

    async def _start(self, _event: Any) -> None:
        await self.get_roster()
        self.send_presence(pshow=self.show) if self.show else self.send_presence()
        if self.directed:
            self.send_presence(pto=self.component, pshow=self.show) if self.show else self.send_presence(
                pto=self.component
            )
        self.ready.set()

    def _message(self, msg: Any) -> None:
        if msg["type"] == "error":
            return  # the message_error handler keeps it
        self.ids.append(msg["id"])
        if self.ack_receipts and msg["request_receipt"] and msg["id"]:
            self.plugin["xep_0184"].ack(msg)
        el = msg.xml.find(DESK_NS)
        nick_el = msg.xml.find("{http://jabber.org/protocol/nick}nick")
        attrs = dict(el.attrib) if el is not None else {}
        raw = msg["body"]
        label = attrs.get("label")
        body = raw[len(label) + 3 :] if label and raw.startswith(f"[{label}] ") else raw
        self.inbox.put_nowait(
            DeskMessage(
                frm=str(msg["from"]),
                body=body,
                chat=attrs,
                nick=nick_el.text if nick_el is not None else None,
                raw=raw,
            )
        )

    async def start(self) -> DeskClient:
        self.connect("127.0.0.1", self.port)
        await asyncio.wait_for(self.ready.wait(), 10)
        return self

    async def next_message(self, kind: str | None = None, timeout: float = 5.0) -> DeskMessage:
        """The next message (of `kind`, skipping others) or TimeoutError."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"{self.boundjid} got no {kind or 'message'}")
            m = await asyncio.wait_for(self.inbox.get(), left)
            if kind is None or m.kind == kind:
                return m

    async def no_message(self, wait: float = 0.5, kind: str | None = None) -> None:
        """Assert that nothing (of `kind`) arrives within `wait` seconds."""
        try:
            m = await self.next_message(kind, timeout=wait)
        except TimeoutError:
            return
        raise AssertionError(f"{self.boundjid} unexpectedly got {m}")

    def say(self, to: str, text: str, state: str | None = None, receipt: bool = False) -> str:
        msg = self.make_message(mto=to, mbody=text, mtype="chat")
        if state:
            msg["chat_state"] = state
        if receipt:
            msg["id"] = self.new_id()
            msg["request_receipt"] = True
        msg.send()
        return str(msg["id"])

    def typing(self, to: str, state: str = "composing") -> None:
        msg = self.make_message(mto=to, mtype="chat")
        msg["chat_state"] = state
        msg.send()

    async def command(self, node: str, *, to: str | None = None, **fields: Any) -> dict[str, Any]:
        """Run an ad-hoc command in one step; returns {'values', 'items', 'notes'}."""
        payload = None
        if fields:
            form = Form()
            form["type"] = "submit"
            for var, value in fields.items():
                form.add_field(var=var, value=value)
            payload = form
        iq = await self.plugin["xep_0050"].send_command(to or self.component, node, payload=payload)
        cmd = iq["command"]
        form = cmd["form"]
        values = form.get_values()
        if isinstance(values.get("message"), list):
            values["message"] = "\n".join(values["message"])
        return {
            "values": values,
            "items": [dict(i) for i in _items(form)],
            "notes": cmd["notes"],
            "status": cmd["status"],
            "actions": cmd["actions"],
            "sessionid": cmd["sessionid"],
            "fields": list(form.get_fields()),
        }

    async def command_two_step(self, node: str, *, to: str | None = None, **fields: Any) -> dict[str, Any]:
        """Run a command the ordinary way: execute, read the form, submit it."""
        adhoc = self.plugin["xep_0050"]
        target = to or self.component
        first = await adhoc.send_command(target, node)
        sessionid = first["command"]["sessionid"]
        form = Form()
        form["type"] = "submit"
        # like a client: the form's preselected values, changed where the user chose otherwise
        values = {var: f.get_value() for var, f in first["command"]["form"].get_fields().items()}
        values.update(fields)
        for var, value in values.items():
            if value not in (None, "", []):
                form.add_field(var=var, value=value)
        iq = await adhoc.send_command(target, node, action="complete", sessionid=sessionid, payload=form)
        return {
            "first": first["command"]["form"],
            "values": iq["command"]["form"].get_values(),
            "notes": iq["command"]["notes"],
        }

    async def close(self) -> None:
        if self.is_connected():
            self.disconnect()
            await asyncio.wait_for(self.disconnected, 5)


def _items(form: Form) -> list[dict[str, Any]]:
    rows = []
    for item in form["items"]:
        rows.append({var: getattr(v, "get_value", lambda v=v: v)() for var, v in item.items()})
    return rows
