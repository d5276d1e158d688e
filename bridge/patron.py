"""One patron's WebSocket: parses frames of the widget protocol (CONTRACTS §1) and answers them."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from bridge.chat import ChatState, LiveChat
from bridge.chats.service import ChatService
from bridge.desktext import one_line
from bridge.errors import StoreError
from bridge.followup import Followups
from bridge.ratings import Rating, RatingError, rating_of, save_rating

log = logging.getLogger(__name__)

LANGS = ("fi", "sv", "en")
MAX_ID = 128
MAX_CONTACT = 200
MAX_ECHO = 40  # characters of a patron's value quoted back in an error

# Per-socket limits of the frames other than `message` (which has limits.messages_per_second).
# `hello`, `handoff`, `end`, `leave_message` and `rating` each have a budget of their own;
# `typing` reaches the desk only when its state changes, at most TYPING_PER_SECOND times a
# second (the last state is delivered late rather than lost); error answers to frames that are
# not understood or over a limit are themselves limited, the rest are not answered.
CONTROL_PER_SECOND, CONTROL_BURST = 1.0, 5
TYPING_PER_SECOND, TYPING_BURST = 2.0, 4
ERRORS_PER_SECOND, ERROR_BURST = 2.0, 10


# Characters XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF).
# One of them in a stanza makes the XMPP server close the component's stream: every chat's
# lines in flight would be lost. They become U+FFFD before anything is stored or sent.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(frame: dict[str, Any]) -> dict[str, Any]:
    """The frame with XML-forbidden characters in its text fields replaced by U+FFFD."""
    return {k: NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v for k, v in frame.items()}


CONTROL_FRAMES = frozenset({"hello", "handoff", "end", "leave_message", "rating", "pick"})


class FrameError(Exception):
    """A frame the bridge cannot act on; answered with an `error` frame."""

    def __init__(self, code: str, message: str, msg_id: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.msg_id = code, message, msg_id


@dataclass
class TokenBucket:
    """Messages per second with a burst allowance."""

    rate: float
    burst: int
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def echo(value: Any) -> str:
    """A patron's value quoted in an error: repr, cut to MAX_ECHO characters."""
    text = repr(value)
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"


def _text_field(frame: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = frame.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise FrameError("bad_request", f"`{frame.get('type')}` needs a text field `{key}`")
    return value


class PatronSocket:
    """The bridge's end of one widget connection."""

    def __init__(
        self,
        service: ChatService,
        ws: web.WebSocketResponse,
        allow_session: Callable[[], bool] = lambda: True,
    ) -> None:
        self.service = service
        self.ws = ws
        self.allow_session = allow_session
        self.last_frame = time.monotonic()
        self.chat: LiveChat | None = None
        self.cursor: int | None = None  # the last line this socket has (set by the welcome)
        limits = service.svc.config.limits
        self.bucket = TokenBucket(limits.messages_per_second, limits.message_burst)
        self.control = {kind: TokenBucket(CONTROL_PER_SECOND, CONTROL_BURST) for kind in CONTROL_FRAMES}
        self.typing_changes = TokenBucket(TYPING_PER_SECOND, TYPING_BURST)
        self.pings = TokenBucket(1.0, 5)  # heartbeats answered; a flood of them is not
        self.errors = TokenBucket(ERRORS_PER_SECOND, ERROR_BURST)
        self.typing_sent: str | None = None  # the last state the desk was told
        self.typing_wanted: str | None = None  # the last state the patron sent
        self.typing_later: asyncio.Task[None] | None = None

    @property
    def closed(self) -> bool:
        return self.ws.closed

    async def send(self, frame: dict[str, Any]) -> None:
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(frame, ensure_ascii=False))

    async def error(self, code: str, message: str, msg_id: str | None = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if msg_id is not None:
            frame["id"] = msg_id
        await self.send(frame)

    async def run(self) -> None:
        """Read frames until the socket closes (or stays silent for `idle_timeout_seconds`)."""
        watchdog = asyncio.create_task(self._close_when_idle())
        try:
            async for msg in self.ws:
                self.last_frame = time.monotonic()
                if msg.type == WSMsgType.TEXT:
                    await self.handle_text(msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await self.error("bad_request", "send JSON text frames, not binary")
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            watchdog.cancel()
            if self.typing_later is not None:
                self.typing_later.cancel()
            if self.chat is not None:
                self.service.detach(self.chat.id, self)

    async def _close_when_idle(self) -> None:
        """Close a socket the patron has not used for a while; the chat itself stays resumable.

        WebSocket pings do not count: an abandoned tab answers them forever.
        """
        idle = self.service.svc.config.limits.idle_timeout_seconds
        while not self.ws.closed:
            left = self.last_frame + idle - time.monotonic()
            if left <= 0:
                await self.send(
                    {
                        "type": "error",
                        "code": "idle",
                        "message": "closed after a long pause; reconnect to continue",
                    }
                )
                await self.ws.close(code=4000, message=b"idle")
                return
            await asyncio.sleep(min(left, 60.0))

    def spend(self, kind: str) -> None:
        """Take one from the budget of a frame type, checked just before its real work."""
        if not self.control[kind].take():
            raise FrameError("rate_limited", f"too many `{kind}` frames; wait a moment")

    async def limited_error(self, code: str, message: str, msg_id: str | None = None) -> None:
        """An error answer, unless a flood of them is under way (those about a message always go)."""
        if msg_id is not None or self.errors.take():
            await self.error(code, message, msg_id)

    async def handle_text(self, data: str) -> None:
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            await self.limited_error("bad_request", "not valid JSON: send one JSON object per frame")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.limited_error("bad_request", "each frame must be a JSON object with a `type`")
            return
        frame = xml_safe(frame)
        try:
            await self.dispatch(frame)
        except FrameError as e:
            await self.limited_error(e.code, e.message, e.msg_id)
        except StoreError:
            await self.error(
                "unavailable",
                "the chat could not be saved just now; try again",
                frame.get("id") if isinstance(frame.get("id"), str) else None,
            )

    async def dispatch(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "ping":  # the widget's heartbeat: the connection works end to end
            if self.pings.take():
                await self.send({"type": "pong"})
            return
        if kind == "hello":
            await self.hello(frame)
            return
        handler = {
            "message": self.message,
            "typing": self.typing,
            "handoff": self.handoff,
            "end": self.end,
            "leave_message": self.leave_message,
            "rating": self.rating,
            "pick": self.pick,
        }.get(kind)
        if handler is None:
            raise FrameError(
                "bad_request",
                f"unknown frame type {echo(kind)}; known: hello, message, "
                "typing, handoff, end, leave_message, rating, pick, ping",
            )
        if self.chat is None:
            raise FrameError("bad_request", "send `hello` first")
        await handler(frame)

    async def hello(self, frame: dict[str, Any]) -> None:
        svc = self.service
        library = _text_field(frame, "library")
        assert library is not None
        if library not in svc.roster.libraries:
            raise FrameError(
                "bad_request", f"unknown library {echo(library)}; use a library id of the roster"
            )
        lang = frame.get("lang") or "fi"
        if lang not in LANGS:
            raise FrameError("bad_request", f"unknown lang {echo(lang)}; use one of fi, sv, en")
        page = frame.get("page") if isinstance(frame.get("page"), str) else None
        token = frame.get("session")
        if token is not None and not isinstance(token, str):
            raise FrameError("bad_request", "`session` must be a token string or null")
        self.spend("hello")
        if self.chat is not None:
            svc.detach(self.chat.id, self)
            self.chat = None
        chat = await svc.resume_session(token) if token else None
        if token and chat is None:
            await self.error("unknown_session", "that chat is unknown or has expired; starting a new one")
        if chat is None:
            if len(svc.chats) >= svc.svc.config.limits.max_sessions:
                raise FrameError("busy", "the chat is very busy right now; try again in a moment")
            if not self.allow_session():
                raise FrameError("rate_limited", "too many new chats from this address; wait a minute")
            chat, token = await svc.start_session(library, lang, one_line(page)[:2000] if page else None)
        assert token is not None
        self.chat, self.cursor = chat, None
        svc.attach(chat.id, self)
        facts = svc.welcome_facts(chat.lang)
        rated = chat.state is ChatState.ENDED and await rating_of(svc.svc.store, chat.id) is not None
        async with svc.patrons.delivery(chat.id):  # lines written meanwhile follow the welcome
            await self.send(
                {
                    "type": "welcome",
                    "session": token,
                    "state": chat.state.value,
                    "open": facts["open"],
                    "hours": facts["hours"],
                    "next_opening": facts["next_opening"],
                    "history": await svc.sync.welcome_history(chat.id, self),
                    "library_name": svc.library_name(chat.library),
                    "timezone": svc.roster.timezone.key,  # times are shown in the library's zone
                    "rated": rated,
                }
            )
        if chat.state is not ChatState.BOT:
            await self.send(svc.state_frame(chat))

    async def message(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
        msg_id = frame.get("id")
        if not isinstance(msg_id, str) or not msg_id or len(msg_id) > MAX_ID:
            raise FrameError("bad_request", f"`message` needs an `id` (text, 1–{MAX_ID} characters)")
        text = frame.get("text")
        if not isinstance(text, str) or not text.strip():
            raise FrameError("bad_request", "`message` needs a non-empty `text`", msg_id)
        limit = self.service.svc.config.limits.max_text
        if len(text) > limit:
            raise FrameError("too_long", f"a message may have at most {limit} characters", msg_id)
        if self.chat.state is ChatState.ENDED:
            raise FrameError("closed", "this chat has ended; start a new one", msg_id)
        if not self.bucket.take():
            raise FrameError("rate_limited", "too many messages at once; wait a moment", msg_id)
        m, _ = await self.service.patron_message(self.chat, msg_id, text)
        await self.send({"type": "ack", "id": msg_id, "ts": m.ts})

    async def typing(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
        state = frame.get("state")
        if state not in ("composing", "paused"):
            raise FrameError("bad_request", "`typing` needs `state`: composing or paused")
        self.typing_wanted = state
        if state == self.typing_sent or self.typing_later is not None:
            return  # no change, or a change already on its way
        if self.typing_changes.take():
            await self._tell_typing()
        else:
            self.typing_later = asyncio.create_task(self._tell_typing_later())

    async def _tell_typing(self) -> None:
        if self.chat is None or self.typing_wanted in (None, self.typing_sent):
            return
        self.typing_sent = self.typing_wanted
        await self.service.patron_typing(self.chat, self.typing_sent)

    async def _tell_typing_later(self) -> None:
        """Over the typing limit: the latest state goes to the desk once a change is allowed."""
        try:
            await asyncio.sleep(1 / TYPING_PER_SECOND)  # one pending change at a time: the rate holds
            await self._tell_typing()
        finally:
            self.typing_later = None

    async def handoff(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
        self.spend("handoff")
        await self.service.handoff(self.chat)

    async def pick(self, frame: dict[str, Any]) -> None:
        """The patron picked one of the suggested automatic answers ("Did you mean …")."""
        assert self.chat is not None
        entry = frame.get("faq")
        if not isinstance(entry, str) or not entry:
            raise FrameError("bad_request", "`pick` needs `faq`: the id of a suggested answer")
        self.spend("pick")
        if not await self.service.pick(self.chat, entry):
            raise FrameError("bad_request", f"{echo(entry)} was not suggested in this chat")

    async def end(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
        if self.chat.state is ChatState.ENDED:
            raise FrameError("closed", "this chat has already ended")
        self.spend("end")
        await self.service.patron_end(self.chat)

    async def leave_message(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
        text = _text_field(frame, "text")
        if not text or not text.strip():
            raise FrameError("bad_request", "`leave_message` needs a non-empty `text`")
        limit = self.service.svc.config.limits.max_text
        if len(text) > limit:
            raise FrameError("too_long", f"a message may have at most {limit} characters")
        contact = _text_field(frame, "contact", required=False)
        if contact is not None and len(contact) > MAX_CONTACT:
            raise FrameError("too_long", f"contact details may have at most {MAX_CONTACT} characters")
        self.spend("leave_message")
        store = self.service.svc.store
        if await store.left_messages(self.chat.id):  # one per chat: a second one edits it
            if not await store.edit_left_message(self.chat.id, text, contact or None):
                raise FrameError("not_editable", "a librarian is already handling your message")
            await self.send({"type": "message_left", "edited": True})
            return
        await self.service.leave_message(self.chat, text, contact or None)
        await Followups(self.service).announce(self.chat)

    async def rating(self, frame: dict[str, Any]) -> None:
        """The patron rates the chat once it has ended (bridge/ratings.py)."""
        assert self.chat is not None
        if self.chat.state is not ChatState.ENDED:
            raise FrameError("not_ended", "a chat can be rated once it has ended")
        try:
            rating = Rating.from_frame(frame)
            self.spend("rating")
            await save_rating(self.service.svc.store, self.chat.id, rating)
        except RatingError as e:
            raise FrameError(e.code, e.message) from e
        await self.send({"type": "rated", "score": rating.score})
