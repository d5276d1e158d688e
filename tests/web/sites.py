"""A library's own web site on another origin than the bridge (a real local aiohttp server)."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from aiohttp import web

from demo.prosody import free_port
from tests.support.stack import Stack


@dataclass
class LibrarySite:
    """Pages of a library site; each holds a snippet (the script tag, maybe more HTML)."""

    origin: str
    pages: dict[str, str] = field(default_factory=dict)  # path → HTML put at the end of <body>

    def page(self, path: str, snippet: str) -> str:
        self.pages[path.split("?")[0]] = snippet
        return self.origin + path


async def site_server(pages: dict[str, str]) -> tuple[web.AppRunner, int]:
    async def handler(request: web.Request) -> web.Response:
        body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Library</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Library</h1><p><a href="/other">Another page</a></p></main>
{pages.get(request.path, "")}</body></html>"""
        return web.Response(text=body, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def allow_origin(stack: Stack, origin: str) -> None:
    """Add `origin` to the bridge's web.allowed_origins and restart the bridge."""
    config = yaml.safe_load(stack.config_path.read_text())
    config["web"]["allowed_origins"].append(origin)
    stack.config_path.write_text(yaml.safe_dump(config))
    await stack.stop_bridge()
    await stack.start_bridge()


def script(stack: Stack, attrs: str, host: str = "127.0.0.1") -> str:
    """The embed snippet; the library site is at localhost, so the default bridge address
    127.0.0.1 makes the panel a third-party (cross-site) frame, `localhost` a same-site one."""
    src = f"http://{host}:{stack.web_port}/embed.js"
    return f'<script src="{src}" data-library="tampere" {attrs} async></script>'
