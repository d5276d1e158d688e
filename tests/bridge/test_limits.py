"""Abuse limits: each gives its documented answer and the bridge keeps serving others."""

from __future__ import annotations

import aiohttp
import pytest

from bridge.limits import client_address
from tests.support.patron import Patron
from tests.support.stack import start_stack


def test_client_address_behind_trusted_proxy() -> None:
    trusted = ("10.0.0.0/8", "127.0.0.1")
    assert client_address("127.0.0.1", "203.0.113.5", trusted) == "203.0.113.5"
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.5, 10.1.2.3", trusted) == "203.0.113.5"
    # an untrusted peer cannot choose its address with a header
    assert client_address("192.0.2.9", "203.0.113.5", trusted) == "192.0.2.9"
    assert client_address("192.0.2.9", None, ()) == "192.0.2.9"


async def test_message_rate_limit_errors_and_stores_nothing(tmp_path) -> None:
    s = await start_stack(tmp_path, limits={"messages_per_second": 0.5, "message_burst": 2})
    try:
        p = await s.patron()
        assert (await p.say("yksi"))["type"] == "ack"
        assert (await p.say("kaksi"))["type"] == "ack"
        err = await p.say("kolme", msg_id="third")
        assert err == {"type": "error", "code": "rate_limited", "message": err["message"], "id": "third"}
        other = await s.patron()
        assert (await other.say("muut eivät kärsi"))["type"] == "ack"
        rows = await s.db_rows("SELECT text FROM messages WHERE text = 'kolme'")
        assert rows == []
    finally:
        await s.close()


async def test_sockets_per_address(tmp_path) -> None:
    s = await start_stack(tmp_path, limits={"sockets_per_address": 2})
    try:
        await s.patron()
        await s.patron()
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                await http.ws_connect(s.ws_url)
            assert e.value.status == 429
    finally:
        await s.close()


async def test_new_sessions_per_minute_and_total(tmp_path) -> None:
    s = await start_stack(tmp_path, limits={"sessions_per_minute_per_address": 2})
    try:
        await s.patron()
        await s.patron()
        p = Patron(s.ws_url)
        s.clients.append(p)
        await p.connect()
        await p.send_frame({"type": "hello", "library": "tampere", "lang": "fi"})
        assert (await p.recv_type("error"))["code"] == "rate_limited"
    finally:
        await s.close()
    s = await start_stack(tmp_path / "b", limits={"max_sessions": 1})
    try:
        await s.patron()
        p = Patron(s.ws_url)
        s.clients.append(p)
        await p.connect()
        await p.send_frame({"type": "hello", "library": "tampere", "lang": "fi"})
        assert (await p.recv_type("error"))["code"] == "busy"
    finally:
        await s.close()


async def test_widget_pages_have_strict_csp(stack) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{stack.web_url}/widget/") as r:
            csp = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self' https://library.example" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        async with http.get(f"{stack.web_url}/widget/../../bridge/schema.sql") as r:
            assert r.status == 404


async def test_idle_socket_is_closed_but_chat_resumes(tmp_path) -> None:
    s = await start_stack(tmp_path, limits={"idle_timeout_seconds": 0.5, "heartbeat_seconds": 0.2})
    try:
        p = await s.patron()
        await p.say("hei")
        err = await p.recv_type("error", timeout=5)
        assert err["code"] == "idle"
        with pytest.raises(ConnectionError):
            await p.recv_frame(timeout=5)
        again = Patron(s.ws_url)
        s.clients.append(again)
        await again.connect()
        welcome = await again.hello(p.token)
        assert [m["text"] for m in welcome["history"]] == ["hei"]
    finally:
        await s.close()


async def test_xa_seats_get_offers_unless_configured_busy(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        away = await s.desk("tampere@chat.localhost", show="xa")
        p = await s.patron()
        await p.say("hei")
        assert (await away.next_message("offer")).chat["state"] == "queued"
    finally:
        await s.close()
    s = await start_stack(tmp_path / "busy", extra={"xa_is_busy": True})
    try:
        away = await s.desk("tampere@chat.localhost", show="xa")
        p = await s.patron()
        await p.say("hei")
        await away.no_message(0.5, kind="offer")
    finally:
        await s.close()
