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
from bridge.errors import StoreError
from bridge.followup import Followups
from bridge.ratings import Rating, RatingError, rating_of, save_rating

log = logging.getLogger(__name__)

LANGS = ("fi", "sv", "en")
MAX_ID = 128
MAX_CONTACT = 200


# Characters XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF).
# One of them in a stanza makes the XMPP server close the component's stream: every chat's
# lines in flight would be lost. They become U+FFFD before anything is stored or sent.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(frame: dict[str, Any]) -> dict[str, Any]:
    """The frame with XML-forbidden characters in its text fields replaced by U+FFFD."""
    return {k: NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v for k, v in frame.items()}


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
        limits = service.svc.config.limits
        self.bucket = TokenBucket(limits.messages_per_second, limits.message_burst)

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

    async def handle_text(self, data: str) -> None:
        try:
            frame = json.loads(data)
        except ValueError:
            await self.error("bad_request", "not valid JSON: send one JSON object per frame")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.error("bad_request", "each frame must be a JSON object with a `type`")
            return
        frame = xml_safe(frame)
        try:
            await self.dispatch(frame)
        except FrameError as e:
            await self.error(e.code, e.message, e.msg_id)
        except StoreError:
            await self.error(
                "unavailable",
                "the chat could not be saved just now; try again",
                frame.get("id") if isinstance(frame.get("id"), str) else None,
            )

    async def dispatch(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
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
        }.get(kind)
        if handler is None:
            raise FrameError(
                "bad_request",
                f"unknown frame type {kind!r}; known: hello, message, "
                "typing, handoff, end, leave_message, rating",
            )
        if self.chat is None:
            raise FrameError("bad_request", "send `hello` first")
        await handler(frame)

    async def hello(self, frame: dict[str, Any]) -> None:
        svc = self.service
        library = _text_field(frame, "library")
        assert library is not None
        if library not in svc.roster.libraries:
            raise FrameError("bad_request", f"unknown library {library!r}; use a library id of the roster")
        lang = frame.get("lang") or "fi"
        if lang not in LANGS:
            raise FrameError("bad_request", f"unknown lang {lang!r}; use one of fi, sv, en")
        page = frame.get("page") if isinstance(frame.get("page"), str) else None
        token = frame.get("session")
        if token is not None and not isinstance(token, str):
            raise FrameError("bad_request", "`session` must be a token string or null")
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
            chat, token = await svc.start_session(library, lang, page[:2000] if page else None)
        assert token is not None
        self.chat = chat
        svc.attach(chat.id, self)
        facts = svc.welcome_facts(chat.lang)
        await self.send(
            {
                "type": "welcome",
                "session": token,
                "state": chat.state.value,
                "open": facts["open"],
                "hours": facts["hours"],
                "next_opening": facts["next_opening"],
                "history": await svc.history_frames(chat.id),
                "library_name": svc.library_name(chat.library),
                "rated": chat.state is ChatState.ENDED
                and await rating_of(svc.svc.store, chat.id) is not None,
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
        await self.service.patron_typing(self.chat, state)

    async def handoff(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
        await self.service.handoff(self.chat)

    async def end(self, frame: dict[str, Any]) -> None:
        assert self.chat is not None
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
        await self.service.leave_message(self.chat, text, contact or None)
        await Followups(self.service).announce(self.chat)

    async def rating(self, frame: dict[str, Any]) -> None:
        """The patron rates the chat once it has ended (bridge/ratings.py)."""
        assert self.chat is not None
        if self.chat.state is not ChatState.ENDED:
            raise FrameError("not_ended", "a chat can be rated once it has ended")
        try:
            rating = Rating.from_frame(frame)
            await save_rating(self.service.svc.store, self.chat.id, rating)
        except RatingError as e:
            raise FrameError(e.code, e.message) from e
        await self.send({"type": "rated", "score": rating.score})
