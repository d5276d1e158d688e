"""The XEP-0114 component: the bridge's face on the XMPP server.

A thin adapter. It turns stanzas into calls on a `DeskEvents` receiver and offers `send_*`
methods; the chat logic lives in `bridge.chats`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from slixmpp import JID
from slixmpp.componentxmpp import ComponentXMPP
from slixmpp.exceptions import XMPPError
from slixmpp.stanza import Message, Presence

from bridge.config import XmppConfig
from deskproto import CHAT_ELEMENT, DESK_NS

log = logging.getLogger(__name__)

NICK_NS = "http://jabber.org/protocol/nick"
CHATSTATES = ("active", "composing", "paused", "inactive", "gone")


@dataclass
class ReceiptBook:
    """Lines sent to seats that confirm receipts, waiting for their confirmation."""

    supports: dict[str, bool] = field(default_factory=dict)  # disco says the client has receipts
    seen: set[str] = field(default_factory=set)  # seats that did confirm a line we sent
    pending: dict[tuple[str, str], tuple[Message, float, int]] = field(default_factory=dict)
    max_tries: int = 5

    def track(self, seat: str, msg_id: str, msg: Message) -> None:
        self.pending[(seat, msg_id)] = (msg, time.monotonic(), 1)

    def confirmed(self, seat: str, msg_id: str) -> None:
        if self.pending.pop((seat, msg_id), None) is not None:
            self.seen.add(seat)

    def forget_seat(self, seat: str) -> None:
        self.supports.pop(seat, None)
        self.seen.discard(seat)
        for key in [k for k in self.pending if k[0] == seat]:
            del self.pending[key]

    def forget_chat(self, session_id: str) -> None:
        """The chat ended: its lines are not sent again."""
        prefix = f"{session_id}-"
        for key in [k for k in self.pending if k[1].startswith(prefix)]:
            del self.pending[key]

    def due(self, older_than: float) -> list[Message]:
        """Lines to send again: only to seats whose receipts we have seen match our ids.

        A client that advertises receipts but never confirms (or confirms other ids) would
        otherwise get every line `max_tries` times.
        """
        now = time.monotonic()
        out = []
        for key, (msg, sent, tries) in list(self.pending.items()):
            if now - sent < older_than:
                continue
            if key[0] not in self.seen:
                del self.pending[key]
                continue
            if tries >= self.max_tries:
                del self.pending[key]
                log.warning("no receipt from %s for %s after %d tries", key[0], key[1], tries)
                continue
            self.pending[key] = (msg, now, tries + 1)
            out.append(msg)
        return out


def error_reply(msg: Message, condition: str, text: str) -> None:
    """Answer a stanza with an XMPP error, from the address it was sent to (not a crash)."""
    reply = msg.reply()
    reply["id"] = msg["id"]  # an error names the stanza it answers (RFC 6120); reply() drops it
    reply["type"] = "error"
    reply["error"]["type"] = "cancel"
    reply["error"]["condition"] = condition
    reply["error"]["text"] = text
    reply.send()


class DeskEvents(Protocol):
    """What the component reports to the chat service."""

    async def on_desk_message(self, seat: JID, session_id: str, body: str, msg: Message) -> bool: ...
    async def on_desk_chatstate(self, seat: JID, session_id: str, state: str) -> None: ...
    async def on_presence(self, seat: JID, available: bool, show: str, lang: str = "") -> None: ...
    async def on_connected(self) -> None: ...
    def on_disconnected(self) -> None: ...


def _logged(coro_fn: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """slixmpp schedules coroutine handlers without awaiting them: log their exceptions."""

    async def wrapper(*args: Any) -> None:
        try:
            await coro_fn(*args)
        except XMPPError:
            raise
        except Exception:
            log.exception("error in XMPP handler %s", coro_fn.__name__)

    wrapper.__name__ = coro_fn.__name__
    return wrapper


class Component(ComponentXMPP):
    """The bridge's XMPP component, reconnecting by itself with back-off.

    With several servers (`xmpp.hosts`, the nodes of a cluster) it moves to the next one
    whenever its connection drops or an attempt fails, round and round.
    """

    def __init__(self, config: XmppConfig, events: DeskEvents) -> None:
        self._addresses = config.addresses
        self._address = 0  # index in _addresses of the server this component connects to
        host, port = self._addresses[0]
        super().__init__(config.component, config.secret, host, port)
        self.config = config
        self.events = events
        self.domain = config.component
        self._stopping = False
        self._connected = asyncio.Event()
        self._backoff = 0.2
        self._next_try: asyncio.TimerHandle | None = None  # the reconnection waiting its turn
        self._watchdog: asyncio.TimerHandle | None = None  # gives up on a server that does not answer
        self._answer_seconds = config.answer_seconds
        self._outbox: list[Message] = []  # stanzas that waited while the server was away
        for plugin in ("xep_0030", "xep_0004", "xep_0050", "xep_0085", "xep_0199"):
            self.register_plugin(plugin)
        # Receipts are answered by hand from the patron's JID (auto-ack would use the domain).
        self.register_plugin("xep_0184", pconfig={"auto_ack": False, "auto_request": False})
        self.receipts = ReceiptBook()
        self.desk_clients: set[str] = set()  # seats whose client advertises the desk protocol
        self._commands_on_patron_jids()
        self.auto_authorize = None  # the service decides about subscriptions
        self.auto_subscribe = False
        handlers: list[tuple[str, Callable[..., Any]]] = [
            ("session_start", self._on_session_start),
            ("disconnected", self._on_disconnected),
            ("connection_failed", self._on_connection_failed),
            ("message", self._on_message),
            # slixmpp names the event after the show value of an available presence
            *(
                (f"presence_{show}", self._on_available)
                for show in ("available", "chat", "away", "xa", "dnd")
            ),
            ("presence_unavailable", self._on_unavailable),
            ("presence_subscribe", self._on_subscribe),
            ("presence_probe", self._on_probe),
            ("receipt_received", self._on_receipt),
        ]
        for state in CHATSTATES:
            handlers.append((f"chatstate_{state}", self._on_chatstate))
        for event, handler in handlers:
            self.add_event_handler(event, handler)

    def _commands_on_patron_jids(self) -> None:
        """Every patron JID answers disco and ad-hoc commands like the component's own JID.

        A client that runs a command from a chat window sends it to the patron's JID; the
        command then has that chat preselected (see bridge.adhoc).
        """
        registry = self.api
        for ctype, op in (("xep_0030", "get_info"), ("xep_0030", "get_items"), ("xep_0050", "get_command")):
            original = registry._handler_defaults[ctype][op]
            registry.register(self._map_patron_jid(original), ctype, op, default=True)

    def _map_patron_jid(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def mapped(jid: Any) -> Any:
            if jid is not None and JID(jid).domain == self.domain and JID(jid).user:
                return JID(self.domain)
            return jid

        if asyncio.iscoroutinefunction(original):

            async def run_async(jid: Any, node: Any, ifrom: Any, args: Any) -> Any:
                return await original(mapped(jid), node, ifrom, args)

            return run_async

        def run(jid: Any, node: Any, ifrom: Any, args: Any) -> Any:
            return original(mapped(jid), node, ifrom, args)

        return run

    # lifecycle

    async def start(self) -> None:
        """Connect and wait until the server has accepted the component."""
        self._stopping = False
        self._connect_and_watch()
        await asyncio.wait_for(self._connected.wait(), 15)

    async def stop(self) -> None:
        self._stopping = True
        for timer in (self._next_try, self._watchdog):
            if timer is not None:
                timer.cancel()
        self._next_try = self._watchdog = None
        if self.is_connected():
            self.disconnect()
            try:
                await asyncio.wait_for(self.disconnected, 3)
            except (TimeoutError, asyncio.CancelledError):
                pass

    @property
    def online(self) -> bool:
        return self._connected.is_set()

    async def _on_session_start(self, _event: Any) -> None:
        self._publish_commands()
        self._connected.set()
        self._backoff = 0.2
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        log.info("component %s connected to %s:%s", self.domain, *self._addresses[self._address])
        waiting, self._outbox = self._outbox, []
        for stanza in waiting:
            stanza.send()
        if waiting:
            log.info("delivered %d message(s) that waited for the server", len(waiting))
        await self.events.on_connected()

    def _on_disconnected(self, _event: Any) -> None:
        self._connected.clear()
        if self._stopping:
            return
        self.events.on_disconnected()
        self._retry("component disconnected")

    def _on_connection_failed(self, _error: Any) -> None:
        # slixmpp would retry the same server with its own back-off: take over and move on.
        if not self._stopping and not self._connected.is_set():
            self._retry("could not connect")

    def _retry(self, why: str) -> None:
        """Connect again after the back-off, to the next server in the list (slixmpp does not)."""
        if self._next_try is not None:
            return  # one failure, one move: a second report of it waits for the same try
        self._address = (self._address + 1) % len(self._addresses)
        delay, self._backoff = self._backoff, min(self._backoff * 2, 10.0)
        host, port = self._addresses[self._address]
        log.warning("%s; connecting to %s:%s in %.1f s", why, host, port, delay)
        self.cancel_connection_attempt()
        self._next_try = asyncio.get_running_loop().call_later(delay, self._reconnect)

    def _reconnect(self) -> None:
        self._next_try = None
        if not self._stopping and not self.is_connected():
            self._connect_and_watch()

    def _connect_and_watch(self) -> None:
        """Connect to the current server; one that takes the connection but does not open the
        stream within `answer_seconds` (a node still starting, or hung) is left for the next."""
        self.connect(*self._addresses[self._address])
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._watchdog = asyncio.get_running_loop().call_later(self._answer_seconds, self._no_answer)

    def _no_answer(self) -> None:
        self._watchdog = None
        if self._stopping or self._connected.is_set() or self._next_try is not None:
            return
        if self.transport is not None:
            self.transport.abort()
        self._retry(f"no answer within {self._answer_seconds:g} s")

    # incoming

    def _session_of(self, to: JID) -> str | None:
        if to.domain != self.domain or not to.user:
            return None
        return str(to.user)

    @_logged
    async def _on_message(self, msg: Message) -> None:
        if msg["type"] in ("error", "groupchat", "headline"):
            return
        session_id = self._session_of(msg["to"])
        if session_id is None:
            if msg["type"] == "chat" or msg["type"] == "normal":
                error_reply(msg, "service-unavailable", "Write to a patron's chat address.")
            return
        taken = await self.events.on_desk_message(msg["from"], session_id, msg["body"], msg)
        if taken and msg["request_receipt"] and msg["id"]:
            # Stored (or answered) by now: confirm from the patron's address.
            ack = self.make_message(mto=msg["from"], mfrom=msg["to"])
            ack["receipt"] = msg["id"]
            ack.send()

    def _on_receipt(self, msg: Message) -> None:
        self.receipts.confirmed(str(msg["from"]), msg["receipt"])

    async def learn_receipts(self, seat: JID) -> None:
        """Ask a seat (XEP-0030) what its client does: XEP-0184 receipts, the desk protocol."""
        try:
            info = await self.plugin["xep_0030"].get_info(jid=seat, ifrom=self.domain, timeout=5)
            features = info["disco_info"]["features"]
        except Exception:  # no answer: treat as a plain client without receipts
            features = []
        self.receipts.supports[seat.full] = "urn:xmpp:receipts" in features
        if DESK_NS in features:
            self.desk_clients.add(seat.full)
        else:
            self.desk_clients.discard(seat.full)

    def speaks_desk_protocol(self, seat: str) -> bool:
        """The seat's client reads <chat/> (the console): its bodies need no labels."""
        return seat in self.desk_clients

    def forget_chat(self, session_id: str) -> None:
        self.receipts.forget_chat(session_id)

    def resend_unconfirmed(self, older_than: float = 5.0) -> int:
        """Send again, with the same id, lines a receipt-capable seat has not confirmed."""
        if not self.online:
            return 0
        stanzas = self.receipts.due(older_than)
        for stanza in stanzas:
            stanza.send()
        return len(stanzas)

    @_logged
    async def _on_chatstate(self, msg: Message) -> None:
        if msg["body"]:
            return  # the message handler passes the line; its chat state rides along
        session_id = self._session_of(msg["to"])
        if session_id is not None:
            await self.events.on_desk_chatstate(msg["from"], session_id, msg["chat_state"])

    @_logged
    async def _on_available(self, pres: Presence) -> None:
        if pres["from"].domain == self.domain or not pres["from"].resource:
            return
        if pres["from"].full not in self.receipts.supports:
            self.receipts.supports[pres["from"].full] = False  # one disco query at a time
            await self.learn_receipts(pres["from"])
        # The seat's language (the console sets its stream's from its `lang:` setting).
        await self.events.on_presence(pres["from"], True, pres["show"] or "available", lang=pres["lang"])

    @_logged
    async def _on_unavailable(self, pres: Presence) -> None:
        if pres["from"].domain == self.domain or not pres["from"].resource:
            return
        self.receipts.forget_seat(pres["from"].full)
        self.desk_clients.discard(pres["from"].full)
        await self.events.on_presence(pres["from"], False, "unavailable")

    def _on_subscribe(self, pres: Presence) -> None:
        # Desks may subscribe to the component (or a patron JID); say yes and show we are here.
        to = pres["to"]
        self.send_presence(pto=pres["from"].bare, pfrom=to, ptype="subscribed")
        self.send_presence(pto=pres["from"].bare, pfrom=to)
        if to.bare == self.domain:  # adding the bridge as a contact also lets it see the desk
            self.send_presence(pto=pres["from"].bare, pfrom=self.domain, ptype="subscribe")

    def _on_probe(self, pres: Presence) -> None:
        self.send_presence(pto=pres["from"], pfrom=pres["to"])

    # outgoing

    def patron_jid(self, session_id: str) -> str:
        # A full JID: some clients (profanity 0.13) address receipts to a bare JID wrongly.
        return f"{session_id}@{self.domain}/chat"

    def send_to_desk(
        self,
        seat: str,
        session_id: str,
        body: str,
        chat: Mapping[str, str | None],
        *,
        nick: str | None = None,
        chatstate: str | None = None,
        msg_id: str | None = None,
    ) -> None:
        """A chat message from the patron's JID with the desk protocol's <chat/> element.

        With `msg_id`, a seat that confirms receipts gets the line again until it confirms it.
        """
        msg = self.make_message(mto=seat, mfrom=self.patron_jid(session_id), mbody=body, mtype="chat")
        attrs = {"session": session_id}
        attrs.update({k: str(v) for k, v in chat.items() if v is not None})
        msg.xml.append(ET.Element(CHAT_ELEMENT, attrs))
        if nick:
            el = ET.Element(f"{{{NICK_NS}}}nick")
            el.text = nick
            msg.xml.append(el)
        if chatstate:
            msg["chat_state"] = chatstate
        if msg_id and self.receipts.supports.get(seat):
            msg["id"] = msg_id
            msg["request_receipt"] = True
            self.receipts.track(seat, msg_id, msg)
        # Meant for this seat only: other seats of a shared account must not get carbon copies.
        msg.xml.append(ET.Element("{urn:xmpp:carbons:2}private"))
        msg.xml.append(ET.Element("{urn:xmpp:hints}no-copy"))
        if self.online:
            msg.send()
        else:
            self._outbox.append(msg)

    def send_notice(self, seat: str, session_id: str, chat: Mapping[str, str | None]) -> None:
        """A bodiless message with only the <chat/> element (e.g. `kind="delivered"`)."""
        if not self.online:
            return
        msg = self.make_message(mto=seat, mfrom=self.patron_jid(session_id), mtype="chat")
        attrs = {"session": session_id}
        attrs.update({k: str(v) for k, v in chat.items() if v is not None})
        msg.xml.append(ET.Element(CHAT_ELEMENT, attrs))
        msg.xml.append(ET.Element("{urn:xmpp:hints}no-store"))
        msg.send()

    def send_chatstate(self, seat: str, session_id: str, state: str) -> None:
        if not self.online:
            return
        msg = self.make_message(mto=seat, mfrom=self.patron_jid(session_id), mtype="chat")
        msg["chat_state"] = state
        msg.send()

    def ask_desks(self, desks: Iterable[str]) -> None:
        """Ask every desk account for its presence: a probe, then a subscription request.

        The probe goes first: Prosody answers a probe from a contact that is not subscribed
        yet by refusing on the desk's behalf, which would cancel a request sent just before.
        """
        for desk in desks:
            self.send_presence(pto=desk, pfrom=self.domain, ptype="probe")
            self.send_presence(pto=desk, pfrom=self.domain, ptype="subscribe")

    def add_commands(self, commands: Iterable[tuple[str, str, Callable[..., Any]]]) -> None:
        """Register XEP-0050 commands (node, name, handler) on the component's JID."""
        self._commands = list(commands)
        self._publish_commands()

    def _publish_commands(self) -> None:
        # The plugin empties the command list in disco at every session bind: publish again.
        adhoc = self.plugin["xep_0050"]
        for node, name, handler in getattr(self, "_commands", ()):
            adhoc.add_command(jid=JID(self.domain), node=node, name=name, handler=handler)
