"""A WebSocket patron for the tests: speaks the widget protocol (CONTRACTS §1)."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import aiohttp

_ids = itertools.count(1)


class Patron:
    """One patron's widget connection."""

    def __init__(
        self,
        ws_url: str,
        library: str = "tampere",
        lang: str = "fi",
        page: str | None = "https://library.example/search?q=kissa",
        origin: str | None = None,
    ) -> None:
        self.ws_url, self.library, self.lang, self.page = ws_url, library, lang, page
        self.origin = origin
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.frames: list[dict[str, Any]] = []
        self.token: str | None = None
        self.welcome: dict[str, Any] = {}

    async def connect(self) -> Patron:
        self.http = aiohttp.ClientSession()
        headers = {"Origin": self.origin} if self.origin else {}
        self.ws = await self.http.ws_connect(self.ws_url, headers=headers)
        return self

    async def hello(self, token: str | None = None) -> dict[str, Any]:
        await self.send_frame(
            {"type": "hello", "library": self.library, "lang": self.lang, "session": token, "page": self.page}
        )
        self.welcome = await self.recv_type("welcome")
        self.token = self.welcome["session"]
        return self.welcome

    async def send_frame(self, frame: dict[str, Any] | str) -> None:
        assert self.ws is not None
        await self.ws.send_str(frame if isinstance(frame, str) else json.dumps(frame))

    async def say(self, text: str, msg_id: str | None = None) -> dict[str, Any]:
        """Send a line and wait for its ack (or an error about it)."""
        msg_id = msg_id or f"m{next(_ids)}"
        await self.send_frame({"type": "message", "id": msg_id, "text": text})
        return await self.recv(lambda f: f.get("id") == msg_id and f["type"] in ("ack", "error"))

    async def recv_frame(self, timeout: float = 5.0) -> dict[str, Any]:
        assert self.ws is not None
        msg = await self.ws.receive(timeout=timeout)
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise ConnectionError(f"socket closed: {msg.type} {msg.data!r}")
        frame: dict[str, Any] = json.loads(msg.data)
        return frame

    async def recv(self, want: Any, timeout: float = 5.0) -> dict[str, Any]:
        """The first frame (buffered or new) for which `want(frame)` is true."""
        for i, f in enumerate(self.frames):
            if want(f):
                return self.frames.pop(i)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"no matching frame; buffered: {self.frames[-5:]}")
            f = await self.recv_frame(left)
            if want(f):
                return f
            self.frames.append(f)

    async def recv_type(self, kind: str, timeout: float = 5.0, **match: Any) -> dict[str, Any]:
        return await self.recv(
            lambda f: f["type"] == kind and all(f.get(k) == v for k, v in match.items()), timeout
        )

    async def no_frame(self, wait: float, want: Any) -> None:
        """Assert that no frame for which `want(frame)` is true arrives within `wait` seconds."""
        try:
            frame = await self.recv(want, timeout=wait)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected frame: {frame}")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.close()
