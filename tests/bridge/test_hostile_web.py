"""Hostile traffic at the web port: origins, deep JSON, huge ids, health, access log, IPv6."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from bridge.config import Limits
from bridge.limits import AddressLimits
from tests.support.patron import Patron
from tests.support.stack import Stack, start_stack


async def _with_web(s: Stack, **more: Any) -> Stack:
    """Restart the stack's bridge with more `web:` settings."""
    await s.stop_bridge()
    config = yaml.safe_load(s.config_path.read_text())
    config["web"].update(more)
    s.config_path.write_text(yaml.safe_dump(config))
    await s.start_bridge()
    return s


async def test_a_foreign_origin_with_a_matching_host_header_is_refused(stack: Stack) -> None:
    host = f"127.0.0.1:{stack.web_port}"
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as e:
            await http.ws_connect(
                stack.ws_url, headers={"Origin": "https://evil.example", "Host": "evil.example"}
            )
        assert e.value.status == 403
        # the bridge's own origin is the address the socket really reached, not a header
        ws = await http.ws_connect(stack.ws_url, headers={"Origin": f"http://{host}", "Host": "evil.example"})
        await ws.close()
        ws = await http.ws_connect(stack.ws_url, headers={"Origin": f"http://localhost:{stack.web_port}"})
        await ws.close()


async def test_deeply_nested_json_is_a_bad_request_and_the_socket_stays(stack: Stack) -> None:
    p = await stack.patron()
    await p.send_frame("[" * 200_000 + "]" * 200_000)
    err = await p.recv_type("error")
    assert err["code"] == "bad_request"
    await p.send_frame('{"type": "message", "id": "x", "text": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert (await p.recv_type("error"))["code"] == "bad_request"
    assert (await p.say("vielä täällä"))["type"] == "ack"


async def test_a_huge_library_id_is_not_echoed_back_whole(stack: Stack) -> None:
    p = Patron(stack.ws_url, library="x" * 500_000)
    stack.clients.append(p)
    await p.connect()
    await p.send_frame({"type": "hello", "library": p.library, "lang": "q" * 10_000})
    err = await p.recv_type("error")
    assert err["code"] == "bad_request" and len(err["message"]) < 200
    assert "unknown library 'xxxx" in err["message"]


async def test_public_health_is_liveness_only_and_detail_needs_the_token(tmp_path: Path) -> None:
    s = await start_stack(tmp_path)
    try:
        await _with_web(s, health_token="s3cret-token")
        await s.patron()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{s.web_url}/health") as r:
                assert r.status == 200 and await r.json() == {"ok": True}
            async with http.get(f"{s.web_url}/health/detail") as r:
                assert r.status == 401
            async with http.get(f"{s.web_url}/health/detail", headers={"Authorization": "Bearer nope"}) as r:
                assert r.status == 401
            auth = {"Authorization": "Bearer s3cret-token"}
            async with http.get(f"{s.web_url}/health/detail", headers=auth) as r:
                detail = await r.json()
        assert r.status == 200 and detail["ok"] is True
        assert detail["xmpp"] == "connected" and detail["database"] == "ok"
        assert detail["sockets"] == 1 and detail["disk_free_bytes"] > 0
        assert detail["files_open"] > 0 and detail["files_limit"] >= detail["files_open"]
    finally:
        await s.close()


@contextlib.contextmanager
def _small_disk(path: Path, megabytes: int):  # type: ignore[no-untyped-def]
    path.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)], check=False
    )
    if done.returncode != 0:
        pytest.skip("this machine does not let the tests mount a small tmpfs")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


async def test_health_says_not_ok_when_the_disk_is_full(tmp_path: Path) -> None:
    with _small_disk(tmp_path / "disk", 96) as disk:
        s = await start_stack(tmp_path, extra={"database": str(disk / "tiski.sqlite3")})
        try:
            await _with_web(s, health_token="t-123456")
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{s.web_url}/health") as r:
                    assert r.status == 200
                filler = disk / "filler"
                with filler.open("wb") as f, contextlib.suppress(OSError):
                    while True:
                        f.write(b"\0" * (1 << 20))
                        f.flush()
                        os.fsync(f.fileno())
                await asyncio.sleep(5.1)  # the health result is cached this long
                async with http.get(f"{s.web_url}/health") as r:
                    assert r.status == 503 and await r.json() == {"ok": False}
                auth = {"Authorization": "Bearer t-123456"}
                async with http.get(f"{s.web_url}/health/detail", headers=auth) as r:
                    detail = await r.json()
                assert r.status == 503 and detail["disk_free_bytes"] < 1024 * 1024
                assert detail["problems"]
                filler.unlink()
                await asyncio.sleep(5.1)
                async with http.get(f"{s.web_url}/health") as r:
                    assert r.status == 200
        finally:
            await s.close()


async def test_the_access_log_names_no_address_agent_or_referer(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    headers = {"User-Agent": "Mozilla/5.0 Patron-Browser", "Referer": "https://library.example/card?id=2"}
    async with aiohttp.ClientSession() as http, http.get(f"{stack.web_url}/embed.js", headers=headers) as r:
        assert r.status == 200
    await asyncio.sleep(0.1)
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any("/embed.js" in line for line in lines)
    text = "\n".join(lines)
    assert "127.0.0.1" not in text and "Patron-Browser" not in text and "library.example" not in text


def test_ipv6_addresses_are_grouped_by_64() -> None:
    from bridge.limits import address_group

    assert (
        address_group("2001:db8:1:2:aaaa::1") == address_group("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    )
    assert address_group("2001:db8:1:3::1") != address_group("2001:db8:1:2::1")
    assert address_group("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_group("192.0.2.7") == "192.0.2.7" and address_group("unknown") == "unknown"
    limits = AddressLimits(Limits(sockets_per_address=2))
    assert limits.open_socket(address_group("2001:db8::1"))
    assert limits.open_socket(address_group("2001:db8::2"))
    assert not limits.open_socket(address_group("2001:db8::3"))


async def test_per_address_limits_see_one_ipv6_64_through_a_trusted_proxy(tmp_path: Path) -> None:
    s = await start_stack(tmp_path, limits={"sockets_per_address": 2})
    try:
        await _with_web(s, trusted_proxies=["127.0.0.1"])
        async with aiohttp.ClientSession() as http:
            open_ = []
            for n in (1, 2):
                xff = {"X-Forwarded-For": f"2001:db8:5:6::{n}"}
                open_.append(await http.ws_connect(s.ws_url, headers=xff))
            with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                await http.ws_connect(s.ws_url, headers={"X-Forwarded-For": "2001:db8:5:6:ffff::3"})
            assert e.value.status == 429
            for ws in open_:
                await ws.close()
    finally:
        await s.close()


def test_the_health_token_file_must_be_private(tmp_path: Path) -> None:
    from bridge.config import parse_config
    from bridge.errors import ConfigError

    token = tmp_path / "health.token"
    token.write_text("a-long-secret\n")
    raw = {
        "xmpp": {"component": "patrons.chat.example", "secret": "s"},
        "web": {"health_token_file": "health.token"},
        "database": "db.sqlite3",
        "rota": "rota.yaml",
    }
    token.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        parse_config(raw, tmp_path)
    token.chmod(0o600)
    assert parse_config(raw, tmp_path).web.health_token == "a-long-secret"
    with pytest.raises(ConfigError, match="at least 8"):
        parse_config({**raw, "web": {"health_token": "short"}}, tmp_path)
