"""The real desk back end: a slixmpp client seat that speaks the desk protocol."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slixmpp import JID, ClientXMPP
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.plugins.xep_0004 import Form
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from console import stanzas
from console.backend import (
    BridgeChanged,
    ChatSummary,
    CommandResult,
    ConnectionChanged,
    DeskEvent,
    EventSink,
    Followup,
    Line,
    LineMarked,
    Link,
    Mark,
    Stats,
    Tag,
    Target,
    Typing,
)
from console.clock import Clock, system_clock
from console.config import TlsMode, XmppSettings
from console.errors import CommandFailed, NotConnected

log = logging.getLogger(__name__)

BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
PING_EVERY = 10.0  # seconds between XEP-0199 pings to the bridge's JID
PING_TIMEOUT = 5.0  # no pong this long: "bridge not answering"
COMMAND_TIMEOUT = 15
CHAT_STATES = ("composing", "paused", "active", "inactive", "gone")


def _logged(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """slixmpp schedules coroutine handlers without awaiting them: log what they raise."""

    @functools.wraps(handler)
    async def wrapper(*args: Any) -> None:
        try:
            await handler(*args)
        except Exception:
            log.exception("handler %s failed", handler.__name__)

    return wrapper


class DeskClient:
    """One seat of a desk account; implements console.backend.DeskBackend."""

    def __init__(
        self, settings: XmppSettings, bridge: str, *, lang: str = "en", clock: Clock = system_clock
    ) -> None:
        self.settings = settings
        self.clock = clock  # the console's one clock: times of lines without a delay stamp
        self.bridge = bridge
        self.lang = lang
        self.jid = settings.jid
        self._sink: EventSink | None = None
        self._xmpp: ClientXMPP | None = None
        self._online = False
        self._stopping = False
        self._stop_reason: tuple[str, bool] | None = None  # (detail, conflict)
        self._attempt = 0
        self._retry: asyncio.Task[None] | None = None
        self._watch: asyncio.Task[None] | None = None
        self.bridge_up = True
        self.ping_every = PING_EVERY

    # -- DeskBackend: life cycle -----------------------------------------------------------
    def set_sink(self, sink: EventSink) -> None:
        self._sink = sink

    @property
    def connected(self) -> bool:
        return self._online

    async def start(self) -> None:
        """Connect (created inside the running loop, as slixmpp binds it lazily)."""
        self._stopping = False
        self._stop_reason = None
        if self._xmpp is None:
            self._xmpp = self._make_client()
        self._emit(ConnectionChanged(Link.CONNECTING))
        self._connect()

    async def stop(self) -> None:
        self._stopping = True
        if self._retry is not None:
            self._retry.cancel()
        if self._watch is not None:
            self._watch.cancel()
        xmpp = self._xmpp
        if xmpp is not None and xmpp.is_connected():
            xmpp.disconnect(wait=1.0)
            # asyncio.wait, not wait_for: a timeout must not cancel slixmpp's own future.
            await asyncio.wait({xmpp.disconnected}, timeout=3)
        elif xmpp is not None:
            xmpp.cancel_connection_attempt()
        self._online = False

    def _connect(self) -> None:
        assert self._xmpp is not None
        host = self.settings.host
        if host:
            self._xmpp.connect(host, self.settings.port)
        else:
            self._xmpp.connect()

    def _make_client(self) -> ClientXMPP:
        s = self.settings
        mechanisms = {
            "unencrypted_plain": s.tls is TlsMode.OFF,
            "unencrypted_scram": s.tls is not TlsMode.REQUIRED,
        }
        xmpp = ClientXMPP(s.jid, s.password, plugin_config={"feature_mechanisms": mechanisms}, lang=self.lang)
        if s.tls is TlsMode.OFF:
            xmpp.enable_plaintext = True
            xmpp.enable_direct_tls = False
            xmpp.enable_starttls = False
        else:
            xmpp.enable_starttls = True
            xmpp.enable_direct_tls = False
            xmpp.enable_plaintext = s.tls is TlsMode.OPTIONAL
            if s.ca_file is not None:
                xmpp.ca_certs = s.ca_file
        for plugin in ("xep_0030", "xep_0004", "xep_0050", "xep_0085", "xep_0184", "xep_0199", "xep_0203"):
            xmpp.register_plugin(plugin)
        xmpp.plugin["xep_0199"].enable_keepalive(30, 10)
        # Tell the bridge this client reads <chat/>: its lines then come without plain-client labels.
        xmpp.plugin["xep_0030"].add_feature(stanzas.DESK_NS)
        xmpp.roster.auto_authorize = False
        xmpp.roster.auto_subscribe = False
        handlers: list[tuple[str, Callable[..., Any]]] = [
            ("session_start", _logged(self._on_session_start)),
            ("message", self._on_message),
            ("message_error", self._on_message_error),
            ("receipt_received", self._on_receipt),
            ("presence_subscribe", self._on_subscribe),
            ("disconnected", self._on_disconnected),
            ("stream_error", self._on_stream_error),
            ("failed_auth", self._on_failed_auth),
            ("no_auth", self._on_no_auth),
            ("connection_failed", self._on_connection_failed),
            ("reconnect_delay", self._on_reconnect_delay),
        ]
        handlers += [(f"chatstate_{st}", self._on_chatstate) for st in CHAT_STATES]
        for name, handler in handlers:
            xmpp.add_event_handler(name, handler)
        # Bodiless desk notices (`kind="delivered"`) raise no `message` event: match them directly.
        delivered = MatchXPath(f"{{jabber:client}}message/{stanzas.CHAT_TAG}")
        xmpp.register_handler(Callback("tiski delivered", delivered, self._on_delivered))
        return xmpp

    # -- connection events -------------------------------------------------------------------
    def _emit(self, event: DeskEvent) -> None:
        if self._sink is not None:
            self._sink(event)

    async def _on_session_start(self, _event: Any) -> None:
        assert self._xmpp is not None
        self._attempt = 0
        try:
            await self._xmpp.get_roster(timeout=10)
        except (IqError, IqTimeout) as exc:
            log.warning("roster: %s", exc)
        self._xmpp.send_presence()
        self._xmpp.send_presence(pto=self.bridge)  # directed: this seat takes chats
        self._online = True
        self._emit(ConnectionChanged(Link.CONNECTED))
        if self._watch is None or self._watch.done():
            self._watch = asyncio.ensure_future(self._watch_bridge())

    async def _watch_bridge(self) -> None:
        """Ping the bridge's JID (XEP-0199): the server may be fine while the bridge is not."""
        while not self._stopping:
            xmpp = self._xmpp
            if xmpp is None or not self._online:
                return
            try:
                await xmpp.plugin["xep_0199"].ping(JID(self.bridge), timeout=PING_TIMEOUT)
                up, detail = True, ""
            except IqTimeout:
                up, detail = False, "no answer to ping"
            except IqError as exc:
                condition = exc.iq["error"]["condition"]
                # A component that does not know pings still answers: it is alive.
                up = (
                    condition in ("feature-not-implemented", "service-unavailable")
                    and exc.iq["from"].bare == self.bridge
                )
                detail = condition
            except Exception as exc:  # the stream went away meanwhile
                log.info("ping: %s", exc)
                return
            if up != self.bridge_up:
                self.bridge_up = up
                self._emit(BridgeChanged(up, detail))
            await asyncio.sleep(self.ping_every if up else 1.0)

    def _on_subscribe(self, presence: Any) -> None:
        """Accept the bridge's subscription request once; refuse anyone else's."""
        assert self._xmpp is not None
        frm = presence["from"]
        if frm.domain == self.bridge and not frm.user:
            self._xmpp.send_presence(pto=frm.bare, ptype="subscribed")
        else:
            self._xmpp.send_presence(pto=frm.bare, ptype="unsubscribed")

    def _stop_for_good(self, detail: str, conflict: bool = False) -> None:
        self._stop_reason = (detail, conflict)

    def _on_stream_error(self, error: Any) -> None:
        condition = error["condition"]
        text = error["text"] or ""
        log.warning("stream error %s %s", condition, text)
        if condition == "conflict":
            self._stop_for_good(f"stream error: conflict {text}".strip(), conflict=True)
        elif condition in ("not-authorized", "policy-violation", "host-unknown"):
            self._stop_for_good(f"stream error: {condition} {text}".strip())

    def _on_failed_auth(self, _event: Any) -> None:
        self._stop_for_good("the server refused the password of " + self.settings.bare)
        assert self._xmpp is not None
        self._xmpp.disconnect()

    def _on_no_auth(self, _event: Any) -> None:
        detail = (
            "the server offered no TLS, and xmpp.tls is required"
            if self.settings.tls is TlsMode.REQUIRED
            else "no usable authentication mechanism"
        )
        self._stop_for_good(detail)
        assert self._xmpp is not None
        self._xmpp.disconnect()

    def _on_connection_failed(self, error: Any) -> None:
        self._online = False
        if self._stop_reason is None and not self._stopping:
            self._emit(ConnectionChanged(Link.RECONNECTING, str(error), 1.0))

    def _on_reconnect_delay(self, delay: float) -> None:
        if not self._stopping:
            self._emit(ConnectionChanged(Link.RECONNECTING, "", float(delay)))

    def _on_disconnected(self, _event: Any) -> None:
        self._online = False
        if self._stopping:
            self._emit(ConnectionChanged(Link.STOPPED))
            return
        if self._stop_reason is not None:
            detail, conflict = self._stop_reason
            self._emit(ConnectionChanged(Link.STOPPED, detail, None, conflict))
            return
        delay = BACKOFF[min(self._attempt, len(BACKOFF) - 1)]
        self._attempt += 1
        self._emit(ConnectionChanged(Link.RECONNECTING, "connection lost", delay))
        self._retry = asyncio.ensure_future(self._reconnect_later(delay))

    async def _reconnect_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        if self._stopping or self._stop_reason is not None or self._xmpp is None:
            return
        # slixmpp reconnects by itself after a ping timeout: do not start a second attempt.
        attempt = getattr(self._xmpp, "_current_connection_attempt", None)
        if self._xmpp.is_connected() or (attempt is not None and not attempt.done()):
            return
        self._emit(ConnectionChanged(Link.CONNECTING))
        self._connect()

    # -- incoming chat traffic -----------------------------------------------------------------
    def _from_bridge(self, msg: Any) -> bool:
        frm: JID = msg["from"]
        return bool(frm.domain == self.bridge and frm.user)

    def _on_message(self, msg: Any) -> None:
        if msg["type"] == "error" or not self._from_bridge(msg):
            return
        el = msg.xml.find(stanzas.CHAT_TAG)
        attrs = dict(el.attrib) if el is not None else {}
        attrs.setdefault("session", msg["from"].user)
        attrs.setdefault("kind", "info")
        stamp = msg["delay"]["stamp"] if msg.xml.find("{urn:xmpp:delay}delay") is not None else None
        self._emit(stanzas.chat_event(attrs, msg["body"], stamp, self.clock()))

    def _on_receipt(self, msg: Any) -> None:
        """The bridge stored one of this seat's lines (receipt from the patron's address)."""
        if self._from_bridge(msg) and msg["receipt"]:
            self._emit(LineMarked(msg["from"].user, msg["receipt"], Mark.STORED))

    def _on_message_error(self, msg: Any) -> None:
        """A line refused by the server or the bridge (e.g. remote-server-timeout: bridge down)."""
        frm = msg["from"]
        if frm.domain != self.bridge or not frm.user or not msg["id"]:
            return
        error = msg["error"]
        reason = error["text"] or error["condition"] or "error"
        self._emit(LineMarked(frm.user, msg["id"], Mark.FAILED, reason))

    def _on_delivered(self, msg: Any) -> None:
        """`<chat kind="delivered" msg_id="…"/>` without a body: the patron's browser has the line."""
        el = msg.xml.find(stanzas.CHAT_TAG)
        if el is not None and el.get("kind") == "delivered" and el.get("msg_id") and self._from_bridge(msg):
            self._emit(LineMarked(msg["from"].user, el.get("msg_id"), Mark.DELIVERED))

    def _on_chatstate(self, msg: Any) -> None:
        if self._from_bridge(msg):
            self._emit(Typing(msg["from"].user, msg["chat_state"]))

    # -- outgoing ------------------------------------------------------------------------------
    def _client(self) -> ClientXMPP:
        if self._xmpp is None or not self._online:
            raise NotConnected("not connected to the XMPP server")
        return self._xmpp

    def _patron(self, session: str) -> str:
        return f"{session}@{self.bridge}"

    async def send_line(self, session: str, text: str, line_id: str) -> str:
        """The line with the console's id and a receipt request: the bridge confirms it stored."""
        xmpp = self._client()
        msg = xmpp.make_message(mto=self._patron(session), mbody=text, mtype="chat")
        msg["chat_state"] = "active"
        msg["id"] = line_id
        msg["request_receipt"] = True
        msg.send()
        return line_id

    async def send_typing(self, session: str, state: str) -> None:
        xmpp = self._client()
        msg = xmpp.make_message(mto=self._patron(session), mtype="chat")
        msg["chat_state"] = state
        msg.send()

    async def _command(self, node: str, **fields: Any) -> tuple[Any, list[dict[str, Any]]]:
        """Run an ad-hoc command in one step (a submitted form inside `execute`)."""
        xmpp = self._client()
        payload = None
        if fields:
            payload = Form()
            payload["type"] = "submit"
            for var, value in fields.items():
                payload.add_field(var=var, value=value)
        try:
            iq = await xmpp.plugin["xep_0050"].send_command(
                JID(self.bridge), node, payload=payload, timeout=COMMAND_TIMEOUT
            )
        except IqError as exc:
            text = exc.iq["error"]["text"] or exc.iq["error"]["condition"]
            raise CommandFailed(f"{node}: {text}") from exc
        except IqTimeout as exc:
            raise CommandFailed(f"{node}: the bridge did not answer") from exc
        form = iq["command"]["form"]
        rows = [
            {var: f.get_value() if hasattr(f, "get_value") else f for var, f in item.items()}
            for item in form["items"]
        ]
        return form.get_values(), rows

    async def _simple(self, node: str, **fields: Any) -> CommandResult:
        values, _ = await self._command(node, **fields)
        return stanzas.command_result(values)

    async def accept(self, session: str) -> CommandResult:
        return await self._simple("accept", session=session)

    async def tag(self, session: str, tags: Sequence[str]) -> CommandResult:
        return await self._simple("tag", session=session, tags=list(tags))

    async def untag(self, session: str, tags: Sequence[str]) -> CommandResult:
        return await self._simple("untag", session=session, tags=list(tags))

    async def transfer(self, session: str, target: str) -> CommandResult:
        return await self._simple("transfer", session=session, target=target)

    async def end(self, session: str) -> CommandResult:
        return await self._simple("end", session=session)

    async def note(self, session: str, text: str) -> CommandResult:
        return await self._simple("note", session=session, text=text)

    async def canned_keys(self) -> list[tuple[str, str]]:
        """Read the `key` options of the `canned` form (execute, read, cancel)."""
        xmpp = self._client()
        adhoc = xmpp.plugin["xep_0050"]
        try:
            iq = await adhoc.send_command(JID(self.bridge), "canned", timeout=COMMAND_TIMEOUT)
        except (IqError, IqTimeout) as exc:
            raise CommandFailed(f"canned: {exc}") from exc
        command = iq["command"]
        field = command["form"].get_fields().get("key")
        options = [(o["value"], o["label"] or o["value"]) for o in field.get_options()] if field else []
        if command["sessionid"] and command["status"] == "executing":
            try:
                await adhoc.send_command(
                    JID(self.bridge),
                    "canned",
                    action="cancel",
                    sessionid=command["sessionid"],
                    timeout=COMMAND_TIMEOUT,
                )
            except (IqError, IqTimeout):
                log.info("cancelling the canned form failed")
        return options

    async def canned(self, session: str, key: str) -> CommandResult:
        return await self._simple("canned", session=session, key=key)

    async def chats(self) -> list[ChatSummary]:
        return stanzas.summaries((await self._command("chats"))[1])

    async def desks(self) -> list[Target]:
        return stanzas.targets((await self._command("desks"))[1])

    async def tags(self) -> list[Tag]:
        return stanzas.tags((await self._command("tags"))[1])

    async def transcript(self, session: str) -> list[Line]:
        return stanzas.transcript(
            session, (await self._command("transcript", session=session))[1], self.clock()
        )

    async def followups(self) -> list[Followup]:
        return stanzas.followups((await self._command("followups"))[1])

    async def followup_claim(self, followup_id: str) -> CommandResult:
        return await self._simple("followup-claim", id=followup_id)

    async def followup_answer(self, followup_id: str, text: str) -> CommandResult:
        # text-multi: one <value> per line
        return await self._simple("followup-answer", id=followup_id, text=text.split("\n"))

    async def followup_close(self, followup_id: str) -> CommandResult:
        return await self._simple("followup-close", id=followup_id)

    async def stats(self, scope: str, first: str = "", last: str = "") -> Stats:
        fields = {"scope": scope, **({"from": first} if first else {}), **({"to": last} if last else {})}
        values, rows = await self._command("stats", **fields)
        result = stanzas.command_result(values)
        if not result.ok:
            raise CommandFailed(result.message or "stats: refused")
        return stanzas.stats(values, rows)
