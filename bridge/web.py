"""The bridge's web server: the patrons' WebSocket, the widget's files, demo pages, health."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import resource
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bridge.chats.service import ChatService
from bridge.config import WebConfig
from bridge.limits import (
    AddressLimits,
    FileBudget,
    ResourceErrorLog,
    address_group,
    client_address,
    open_files,
    raise_file_limit,
)
from bridge.patron import PatronSocket
from bridge.widget_page import embed_config, pick_lang, render_panel

log = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web_embed"
SERVICE_KEY = web.AppKey("service", ChatService)
CONFIG_KEY = web.AppKey("web_config", WebConfig)
SOCKETS_KEY: web.AppKey[set[web.WebSocketResponse]] = web.AppKey("sockets", set)
ADDRESS_KEY = web.AppKey("address_limits", AddressLimits)

# The access log names no client: no address, no User-Agent, no Referer (data-protection.md).
ACCESS_LOG_FORMAT = '%t "%r" %s %b %Tfs'
MIN_FREE_BYTES = 64 * 1024 * 1024  # less free disk beside the database: /health is not ok
HEALTH_CACHE_SECONDS = 5.0  # /health probes in a flood share one check


def own_origins(request: web.Request) -> set[str]:
    """Origins of the address this socket really reached (never the client's Host header).

    Behind a reverse proxy the public origin differs: list it in `web.allowed_origins`.
    """
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if not sockname:
        return set()
    host, port = sockname[0], sockname[1]
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return set()
    names = {f"[{ip}]" if ip.version == 6 else str(ip)}
    if ip.is_loopback:
        names |= {"localhost", "127.0.0.1", "[::1]"}
    return {f"{scheme}://{name}:{port}" for scheme in ("http", "https") for name in names}


def origin_allowed(request: web.Request, config: WebConfig) -> bool:
    """A browser's Origin must be the bridge's own or one of `web.allowed_origins`."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser: no cross-site risk to guard against
    origin = origin.rstrip("/").lower()
    return origin in {o.lower() for o in config.allowed_origins} or origin in own_origins(request)


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
    files = request.app[FILES_KEY]
    if files.full():
        raise web.HTTPServiceUnavailable(
            text="The chat is very busy right now; try again in a moment.\n", headers={"Retry-After": "10"}
        )
    addr = address_group(
        client_address(request.remote, request.headers.get("X-Forwarded-For"), config.trusted_proxies)
    )
    if not per_address.open_socket(addr):
        raise web.HTTPTooManyRequests(text="Too many chat connections from this address.\n")
    files.take()
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
    if name == "index.html":
        return panel_page(request, csp)
    response = _static(_safe_file(WEB_ROOT / "widget", name), csp)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def panel_page(request: web.Request, csp: str) -> web.Response:
    """The panel's HTML already in `?lang=` or the frame request's Accept-Language."""
    lang = pick_lang(request.query.get("lang"), request.headers.get("Accept-Language"))
    response = web.Response(text=render_panel(lang), content_type="text/html", charset="utf-8")
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Vary"] = "Accept-Language"
    response.headers["Cache-Control"] = "no-cache"
    return response


async def embed_config_json(request: web.Request) -> web.Response:
    """GET /embed/config?library=ID, read by embed.js from any site (CORS): may this page's
    origin embed the chat, and the library's contact details for when it cannot be shown."""
    origin = request.headers.get("Origin")
    # A browser leaves Origin out only on a same-origin GET: the bridge's own pages.
    allowed = origin_allowed(request, request.app[CONFIG_KEY])
    roster = request.app[SERVICE_KEY].roster
    body = embed_config(roster, request.query.get("library"), origin, allowed)
    response = web.json_response(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Origin"
    response.headers["Cache-Control"] = "no-cache"
    return response


async def demo(request: web.Request) -> web.StreamResponse:
    name = request.match_info.get("name") or "index.html"
    return _static(_safe_file(WEB_ROOT / "demo", name))


async def to_demo(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/demo/")


@dataclass
class Health:
    """The bridge's health, checked at most every HEALTH_CACHE_SECONDS."""

    service: ChatService
    sockets: set[web.WebSocketResponse]
    checked_at: float = -1e9
    facts: dict[str, Any] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def check(self) -> dict[str, Any]:
        async with self._lock:
            if time.monotonic() - self.checked_at >= HEALTH_CACHE_SECONDS:
                self.facts = await self._check()
                self.checked_at = time.monotonic()
        return {**self.facts, "sockets": len(self.sockets), "chats": len(self.service.chats)}

    async def _check(self) -> dict[str, Any]:
        online = bool(getattr(self.service.desks, "online", False))
        store = self.service.svc.store
        written = await store.write_check()
        database = self.service.svc.config.database
        # A PostgreSQL server's disk is its own to watch; a SQLite file's is this machine's.
        folder = database.parent if isinstance(database, Path) else Path.cwd()
        free = (await asyncio.to_thread(shutil.disk_usage, folder)).free
        files = await asyncio.to_thread(open_files)
        problems = []
        if not online:
            problems.append("not connected to the XMPP server")
        if written is not None:
            problems.append(f"the database refuses writes: {written}")
        if free < MIN_FREE_BYTES:
            problems.append(f"{free} bytes free beside the database (under {MIN_FREE_BYTES})")
        return {
            "ok": not problems,
            "xmpp": "connected" if online else "disconnected",
            "database": "ok" if written is None else "refuses writes",
            "disk_free_bytes": free,
            "files_open": files,
            "files_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
            "problems": problems,
        }


HEALTH_KEY = web.AppKey("health", Health)
FILES_KEY = web.AppKey("file_budget", FileBudget)
RESOURCE_LOG = ResourceErrorLog()
# Loggers of the libraries that log a traceback per failed accept() or request when out of handles.
RESOURCE_LOGGERS = ("asyncio", "aiohttp.server", "aiohttp.web", "aiohttp.websocket", "aiohttp.access")


async def _guard_resources(app: web.Application) -> None:
    """At start: raise the file limit, size the socket budget, tame resource-error logging."""
    app[FILES_KEY].limit = raise_file_limit()
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(RESOURCE_LOG.loop_handler(loop.get_exception_handler()))
    for name in RESOURCE_LOGGERS:
        logger = logging.getLogger(name)
        if RESOURCE_LOG not in logger.filters:
            logger.addFilter(RESOURCE_LOG)


async def health(request: web.Request) -> web.Response:
    """Public liveness for load balancers: `{"ok": …}` and 200 or 503, nothing else."""
    facts = await request.app[HEALTH_KEY].check()
    return web.json_response({"ok": facts["ok"]}, status=200 if facts["ok"] else 503)


async def health_detail(request: web.Request) -> web.Response:
    """Counts and checks for operators, with `Authorization: Bearer <web.health_token>`."""
    token = request.app[CONFIG_KEY].health_token
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise web.HTTPUnauthorized(
            text="Give web.health_token as `Authorization: Bearer …`.\n",
            headers={"WWW-Authenticate": 'Bearer realm="tiski"'},
        )
    facts = await request.app[HEALTH_KEY].check()
    return web.json_response(facts, status=200 if facts["ok"] else 503)


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
    app[HEALTH_KEY] = Health(service, app[SOCKETS_KEY])
    app[FILES_KEY] = FileBudget(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    routes = [
        web.get("/ws", websocket),
        web.get("/embed.js", embed_js),
        web.get("/embed/config", embed_config_json),
        web.get("/widget/", widget),
        web.get("/widget/{name}", widget),
        web.get("/health", health),
        web.get("/health/detail", health_detail),
    ]
    if config.demo_pages:
        routes += [web.get("/demo/", demo), web.get("/demo/{name}", demo), web.get("/", to_demo)]
    app.add_routes(routes)
    app.on_startup.append(_guard_resources)
    app.on_shutdown.append(_close_sockets)
    return app
