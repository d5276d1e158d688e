"""Every patron frame type is limited: floods on one socket cost the desks and the store little.

Frames on one socket are handled in order, so a `message` sent after a flood and its `ack`
mark the point where the whole flood has been handled.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from tests.support.patron import Patron
from tests.support.stack import CLOSED_DAY, Stack, start_stack

_markers = itertools.count()


async def _after_flood(p: Patron, frames: list[dict[str, Any] | str]) -> list[dict[str, Any]]:
    """Send `frames` at once, then a marker line; every frame the bridge sent back until its ack."""
    for f in frames:
        await p.send_frame(f)
    marker = f"marker-{next(_markers)}"
    await p.send_frame({"type": "message", "id": marker, "text": marker})
    got = list(p.frames)
    p.frames.clear()
    while True:
        f = await p.recv_frame()
        if f.get("id") == marker and f["type"] in ("ack", "error"):
            return got
        got.append(f)


async def _count(s: Stack, sql: str, *args: Any) -> int:
    return int((await s.db_rows(sql, *args))[0][0])


async def test_typing_flood_reaches_the_desk_as_state_changes_only(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        await _after_flood(p, [{"type": "typing", "state": "composing"}] * 3000)
        await desk.next_message("line")  # the marker: chat states sent before it are in
        states = [desk.chatstates.get_nowait()[1] for _ in range(desk.chatstates.qsize())]
        assert states == ["composing"]

        flips = [{"type": "typing", "state": ("paused", "composing")[i % 2]} for i in range(200)]
        await _after_flood(p, flips)
        await desk.next_message("line")
        seen = [desk.chatstates.get_nowait()[1] for _ in range(desk.chatstates.qsize())]
        assert len(seen) < 100
        assert all(a != b for a, b in zip(["composing", *seen], seen, strict=False))  # changes only
        last = seen[-1] if seen else "composing"
        while last != "composing":  # the last state the patron sent is delivered, late if need be
            last = (await asyncio.wait_for(desk.chatstates.get(), 5))[1]
        assert offer.session
    finally:
        await s.close()


async def test_one_left_message_per_chat_editable(tmp_path) -> None:
    s = await start_stack(tmp_path, clock=CLOSED_DAY)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        sid = (await s.bridge.store.session_by_token(p.token)).id
        await p.send_frame({"type": "leave_message", "text": "Soittakaa minulle", "contact": "040 111"})
        await p.recv_type("message", text="message_saved")
        await desk.next_message("followup")
        await p.send_frame(
            {"type": "leave_message", "text": "Tai lähettäkää sähköpostia", "contact": "m@example.fi"}
        )
        edited = await p.recv_type("message_left")
        assert edited["edited"] is True
        left = await s.bridge.store.left_messages(sid)
        assert [(t, c) for t, c, _ in left] == [("Tai lähettäkää sähköpostia", "m@example.fi")]

        flood = [{"type": "leave_message", "text": f"viesti {i}"} for i in range(200)]
        back = await _after_flood(p, flood)
        assert await _count(s, "SELECT COUNT(*) FROM left_messages WHERE session_id = ?", sid) == 1
        saved = "SELECT COUNT(*) FROM messages WHERE session_id = ? AND text = 'message_saved'"
        assert await _count(s, saved, sid) == 1
        assert any(f["type"] == "error" and f["code"] == "rate_limited" for f in back)
        assert len(back) < 200
        await desk.no_message(0.5, kind="followup")  # no second notice
    finally:
        await s.close()


async def test_handoff_end_and_rating_floods(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        sid = (await s.bridge.store.session_by_token(p.token)).id
        back = await _after_flood(p, [{"type": "handoff"}] * 200)
        events = "SELECT COUNT(*) FROM events WHERE session_id = ? AND kind = ?"
        assert await _count(s, events, sid, "queued") == 1
        assert any(f.get("code") == "rate_limited" for f in back)
        assert len(back) < 100
        await desk.next_message("offer")
        await desk.no_message(0.3, kind="offer")

        back = await _after_flood(p, [{"type": "end"}] * 200)
        assert await _count(s, events, sid, "ended") == 1
        assert len(back) < 100

        back = await _after_flood(p, [{"type": "rating", "score": 5}] * 200)
        assert [f["type"] for f in back].count("rated") == 1
        assert await _count(s, "SELECT COUNT(*) FROM ratings WHERE session_id = ?", sid) == 1
        assert len(back) < 100
    finally:
        await s.close()


async def test_hello_and_junk_floods(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        p = await s.patron()
        before = await _count(s, "SELECT COUNT(*) FROM sessions")
        hellos = [{"type": "hello", "library": "tampere", "lang": "fi", "session": None}] * 200
        back = await _after_flood(p, hellos)
        welcomes = [f for f in back if f["type"] == "welcome"]
        assert await _count(s, "SELECT COUNT(*) FROM sessions") - before == len(welcomes) < 50
        assert any(f.get("code") == "rate_limited" for f in back)

        junk: list[dict[str, Any] | str] = ["{not json", json.dumps({"type": "nonsense"}), "[]"] * 300
        back = await _after_flood(p, junk)
        assert 0 < len(back) < 100  # some errors say what is wrong; the rest are not answered
    finally:
        await s.close()
