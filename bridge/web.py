"""The bridge's web server: the patrons' WebSocket, the widget's files, demo pages, health."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from bridge.chats.service import ChatService
from bridge.config import WebConfig
from bridge.limits import AddressLimits, client_address
from bridge.patron import PatronSocket

log = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web_embed"
SERVICE_KEY = web.AppKey("service", ChatService)
CONFIG_KEY = web.AppKey("web_config", WebConfig)
SOCKETS_KEY: web.AppKey[set[web.WebSocketResponse]] = web.AppKey("sockets", set)
ADDRESS_KEY = web.AppKey("address_limits", AddressLimits)


def origin_allowed(request: web.Request, config: WebConfig) -> bool:
    """A browser's Origin must be the bridge's own or one of `web.allowed_origins`."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser: no cross-site risk to guard against
    origin = origin.rstrip("/")
    # Same host and port as the bridge, whatever the scheme (TLS may end at a reverse proxy).
    if urlsplit(origin).netloc == request.host:
        return True
    return origin in config.allowed_origins


def widget_csp(config: WebConfig) -> str:
    """A strict Content-Security-Policy for the widget's pages."""
    ancestors = " ".join(["'self'", *config.allowed_origins])
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; font-src 'self'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {ancestors}"
    )


async def websocket(request: web.Request) -> web.StreamResponse:
    config = request.app[CONFIG_KEY]
    if not origin_allowed(request, config):
        log.info("refused a WebSocket from origin %s", request.headers.get("Origin"))
        raise web.HTTPForbidden(text="This site may not embed the chat (origin not allowed).\n")
    service = request.app[SERVICE_KEY]
    limits = service.svc.config.limits
    per_address = request.app[ADDRESS_KEY]
    addr = client_address(request.remote, request.headers.get("X-Forwarded-For"), config.trusted_proxies)
    if not per_address.open_socket(addr):
        raise web.HTTPTooManyRequests(text="Too many chat connections from this address.\n")
    try:
        ws = web.WebSocketResponse(heartbeat=limits.heartbeat_seconds, max_msg_size=limits.max_frame)
        await ws.prepare(request)
        sockets = request.app[SOCKETS_KEY]
        sockets.add(ws)
        try:
            await PatronSocket(service, ws, lambda: per_address.allow_session(addr)).run()
        finally:
            sockets.discard(ws)
    finally:
        per_address.close_socket(addr)
    return ws


def _static(path: Path, csp: str | None = None) -> web.FileResponse:
    if not path.is_file():
        raise web.HTTPNotFound()
    response = web.FileResponse(path)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if csp:
        response.headers["Content-Security-Policy"] = csp
    return response


def _safe_file(folder: Path, name: str) -> Path:
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise web.HTTPNotFound()
    return path


async def embed_js(request: web.Request) -> web.StreamResponse:
    response = _static(WEB_ROOT / "embed.js")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


async def widget(request: web.Request) -> web.StreamResponse:
    name = request.match_info.get("name") or "index.html"
    csp = widget_csp(request.app[CONFIG_KEY])
    response = _static(_safe_file(WEB_ROOT / "widget", name), csp)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def demo(request: web.Request) -> web.StreamResponse:
    name = request.match_info.get("name") or "index.html"
    return _static(_safe_file(WEB_ROOT / "demo", name))


async def to_demo(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/demo/")


async def health(request: web.Request) -> web.Response:
    service = request.app[SERVICE_KEY]
    online = bool(getattr(service.desks, "online", False))
    body = {
        "ok": online,
        "xmpp": "connected" if online else "disconnected",
        "chats": len(service.chats),
        "sockets": len(request.app[SOCKETS_KEY]),
    }
    return web.json_response(body, status=200 if online else 503)


async def _close_sockets(app: web.Application) -> None:
    """Close every patron socket at once; a client that does not answer is not waited for."""
    sockets: set[web.WebSocketResponse] = app[SOCKETS_KEY]
    closing = [ws.close(code=1001, message=b"server shutting down") for ws in list(sockets)]
    if closing:
        await asyncio.wait([asyncio.ensure_future(c) for c in closing], timeout=3)


def create_app(service: ChatService, config: WebConfig) -> web.Application:
    """The aiohttp application of the bridge."""
    app = web.Application()
    app[SERVICE_KEY] = service
    app[CONFIG_KEY] = config
    app[SOCKETS_KEY] = set()
    app[ADDRESS_KEY] = AddressLimits(service.svc.config.limits)
    routes = [
        web.get("/ws", websocket),
        web.get("/embed.js", embed_js),
        web.get("/widget/", widget),
        web.get("/widget/{name}", widget),
        web.get("/health", health),
    ]
    if config.demo_pages:
        routes += [web.get("/demo/", demo), web.get("/demo/{name}", demo), web.get("/", to_demo)]
    app.add_routes(routes)
    app.on_shutdown.append(_close_sockets)
    return app
