"""Closed days, left messages, kill -9 and resume, and every kind of bad input."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from tests.support.patron import Patron
from tests.support.stack import CLOSED_DAY, Stack, start_stack


async def test_closed_day_says_so_and_stores_left_message(tmp_path) -> None:
    s = await start_stack(tmp_path, clock=CLOSED_DAY)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        assert p.welcome["open"] is False and p.welcome["state"] == "closed"
        assert p.welcome["next_opening"].startswith("2026-12-25")
        await p.send_frame(
            {"type": "leave_message", "text": "Voisitteko soittaa minulle?", "contact": "maija@example.fi"}
        )
        saved = await p.recv_type("message", **{"from": "system"})
        assert saved["text"]
        await desk.no_message(0.3, kind="offer")
        rows = await s.db_rows("SELECT session_id, text, contact FROM left_messages")
        assert [(r[1], r[2]) for r in rows] == [("Voisitteko soittaa minulle?", "maija@example.fi")]
    finally:
        await s.close()


async def test_kill_9_then_resume_with_history_and_same_desk(tmp_path) -> None:
    s = await start_stack(tmp_path, in_process=False)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("Ensimmäinen viesti")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "Vastaus ennen kaatumista")
        await p.recv_type("message")
        await s.kill_bridge()
        await p.close()
        await s.start_bridge()
        await asyncio.sleep(0.5)  # the bridge probes desk presence at start-up

        p2 = Patron(s.ws_url)
        s.clients.append(p2)
        await p2.connect()
        welcome = await p2.hello(p.token)
        assert welcome["session"] == p.token
        assert [(m["from"], m["text"]) for m in welcome["history"]] == [
            ("patron", "Ensimmäinen viesti"),
            ("librarian", "Vastaus ennen kaatumista"),
        ]
        assert welcome["state"] == "active"
        await p2.say("Jatkan keskustelua")
        line = await desk.next_message("line")
        assert line.body == "Jatkan keskustelua" and line.session == offer.session
        desk.say(offer.frm, "Jatketaan!")
        assert (await p2.recv_type("message"))["text"] == "Jatketaan!"

        # a new chat reaches the desk that was online before the restart, with no action on its part
        p3 = await s.patron()
        await p3.say("Uusi chat uudelleenkäynnistyksen jälkeen")
        assert (await desk.next_message("offer")).body.count("Uusi chat") == 1
    finally:
        await s.close()


async def test_bad_frames_get_errors_and_socket_stays_usable(stack: Stack) -> None:
    p = await stack.patron()
    await p.send_frame("{not json")
    assert (await p.recv_type("error"))["code"] == "bad_request"
    await p.send_frame({"type": "dance"})
    assert "unknown frame type" in (await p.recv_type("error"))["message"]
    await p.send_frame(json.dumps([1, 2]))
    assert (await p.recv_type("error"))["code"] == "bad_request"
    await p.send_frame({"type": "message", "text": "no id"})
    assert (await p.recv_type("error"))["code"] == "bad_request"
    await p.send_frame({"type": "typing", "state": "dancing"})
    assert (await p.recv_type("error"))["code"] == "bad_request"
    err = await p.say("x" * 5000, msg_id="big")
    assert err["type"] == "error" and err["code"] == "too_long" and err["id"] == "big"
    await p.send_frame({"type": "message", "id": "big2", "text": "y" * 900_000})
    assert (await p.recv_type("error", id="big2"))["code"] == "too_long"
    ok = await p.say("still works")
    assert ok["type"] == "ack"


async def test_hello_required_first_and_unknown_library(stack: Stack) -> None:
    p = Patron(stack.ws_url)
    stack.clients.append(p)
    await p.connect()
    await p.send_frame({"type": "message", "id": "1", "text": "hi"})
    assert "hello" in (await p.recv_type("error"))["message"]
    await p.send_frame({"type": "hello", "library": "atlantis", "lang": "fi"})
    assert "unknown library" in (await p.recv_type("error"))["message"]
    await p.send_frame({"type": "hello", "library": "tampere", "lang": "de"})
    assert "lang" in (await p.recv_type("error"))["message"]
    welcome = await p.hello()
    assert welcome["type"] == "welcome"


async def test_repeated_message_id_acked_twice_stored_once(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    a1 = await p.say("hei", msg_id="same")
    a2 = await p.say("hei", msg_id="same")
    assert a1["type"] == a2["type"] == "ack" and a1["ts"] == a2["ts"]
    offer = await desk.next_message("offer")
    history = await stack.bridge.store.history(offer.session)
    assert [m.text for m in history] == ["hei"]


async def test_forged_session_token_gets_unknown_session_then_new(stack: Stack) -> None:
    p = Patron(stack.ws_url)
    stack.clients.append(p)
    await p.connect()
    await p.send_frame({"type": "hello", "library": "tampere", "lang": "fi", "session": "forged"})
    assert (await p.recv_type("error"))["code"] == "unknown_session"
    welcome = await p.recv_type("welcome")
    assert welcome["session"] != "forged" and welcome["history"] == []


async def test_expired_session_token(tmp_path) -> None:
    s = await start_stack(tmp_path, limits={"session_ttl_hours": 0.0001})
    try:
        p = await s.patron()
        await p.say("hei")
        await asyncio.sleep(0.6)
        p2 = Patron(s.ws_url)
        s.clients.append(p2)
        await p2.connect()
        await p2.send_frame({"type": "hello", "library": "tampere", "lang": "fi", "session": p.token})
        assert (await p2.recv_type("error"))["code"] == "unknown_session"
        assert (await p2.recv_type("welcome"))["session"] != p.token
    finally:
        await s.close()


async def test_foreign_origin_refused_allowed_origin_accepted(stack: Stack) -> None:
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as e:
            await http.ws_connect(stack.ws_url, headers={"Origin": "https://evil.example"})
        assert e.value.status == 403
        ws = await http.ws_connect(stack.ws_url, headers={"Origin": "https://library.example"})
        await ws.close()
        ws = await http.ws_connect(stack.ws_url, headers={"Origin": stack.web_url})
        await ws.close()


async def test_frame_over_one_mib_closes_only_that_socket(stack: Stack) -> None:
    other = await stack.patron()
    p = await stack.patron()
    await p.send_frame({"type": "message", "id": "huge", "text": "z" * (1024 * 1024 + 10)})
    with pytest.raises(ConnectionError):
        await p.recv_frame(timeout=5)
    assert (await other.say("olen yhä täällä"))["type"] == "ack"


async def test_desk_stanza_about_unknown_session_gets_xmpp_error(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    desk.say(f"p-doesnotexist@{stack.component}", "hello?")
    err = await asyncio.wait_for(desk.errors.get(), 5)
    assert err["error"]["condition"] == "item-not-found"
    p = await stack.patron()
    assert (await p.say("bridge still fine"))["type"] == "ack"


async def test_patron_end_tells_owner(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "hei!")
    await p.recv_type("message")
    await p.send_frame({"type": "end"})
    await p.recv_type("state", state="ended")
    ended = await desk.next_message("ended")
    assert "patron" in ended.body
    err = await p.say("vielä yksi")
    assert err["type"] == "error" and err["code"] == "closed"


async def test_database_refusing_writes_gives_error_never_false_ack(stack: Stack) -> None:
    p = await stack.patron()
    db = stack.bridge.store._db
    await db.execute("PRAGMA query_only = ON")
    err = await p.say("tallentuuko tämä?", msg_id="m-db")
    assert err["type"] == "error" and err["code"] == "unavailable" and err["id"] == "m-db"
    await db.execute("PRAGMA query_only = OFF")
    ok = await p.say("tallentuuko tämä?", msg_id="m-db")  # the widget resends with the same id
    assert ok["type"] == "ack"
    rows = await stack.bridge.store._read("SELECT count(*) FROM messages WHERE msg_id = 'm-db'")
    assert rows[0][0] == 1


def test_secret_file_readable_by_others_is_refused(tmp_path) -> None:
    from bridge.config import load_config
    from bridge.errors import ConfigError

    secret = tmp_path / "component.secret"
    secret.write_text("s3cret")
    secret.chmod(0o644)
    cfg = tmp_path / "bridge.yaml"
    cfg.write_text(
        "xmpp: {component: patrons.chat.example, secret_file: component.secret}\n"
        "database: t.sqlite3\nrota: rota.yaml\n"
    )
    with pytest.raises(ConfigError, match="chmod 600"):
        load_config(cfg)
    secret.chmod(0o600)
    assert load_config(cfg).xmpp.secret == "s3cret"


async def test_ended_chat_resumes_read_only_and_can_still_be_rated(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "/end")
    await p.recv_type("state", state="ended")
    await p.close()
    again = Patron(stack.ws_url)
    stack.clients.append(again)
    await again.connect()
    welcome = await again.hello(p.token)
    assert welcome["session"] == p.token and welcome["state"] == "ended"
    assert welcome["rated"] is False and [m["text"] for m in welcome["history"]] == ["hei"]
    err = await again.say("vielä yksi kysymys")
    assert err["type"] == "error" and err["code"] == "closed"
    await again.send_frame({"type": "rating", "score": 5})
    assert (await again.recv_type("rated"))["score"] == 5
    third = Patron(stack.ws_url)
    stack.clients.append(third)
    await third.connect()
    assert (await third.hello(p.token))["rated"] is True
