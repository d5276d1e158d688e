"""Property-based fuzzing of what the bridge accepts from outside: WebSocket frames and desk stanzas.

Hypothesis drives a live bridge from a worker thread; the bridge must answer every frame with
something documented (or nothing), never crash, and keep serving afterwards.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.stack import Stack

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
frame_types = st.sampled_from(
    ["hello", "message", "typing", "handoff", "end", "leave_message", "rating", "", "HELLO", "welcome"]
)
frames = st.one_of(
    st.text(max_size=200),  # not JSON, or JSON of the wrong shape
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"type": frame_types},
        optional={
            "id": json_values,
            "text": json_values,
            "state": json_values,
            "library": json_values,
            "lang": json_values,
            "session": json_values,
            "contact": json_values,
            "page": json_values,
        },
    ).map(json.dumps),
)
DOCUMENTED = {"welcome", "ack", "message", "state", "typing", "error", "rated"}
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


async def test_random_frames_never_break_the_bridge(stack: Stack) -> None:
    loop = asyncio.get_running_loop()
    p = await stack.patron()

    async def send_and_drain(raw: str) -> list[dict[str, Any]]:
        await p.send_frame(raw)
        got = []
        while True:
            try:
                got.append(await p.recv_frame(timeout=0.05))
            except TimeoutError:
                return got

    @FUZZ
    @given(frames)
    def check(raw: str) -> None:
        replies = asyncio.run_coroutine_threadsafe(send_and_drain(raw), loop).result(10)
        for frame in replies:
            assert frame["type"] in DOCUMENTED, frame
            if frame["type"] == "error":
                assert frame["code"] and frame["message"]

    await asyncio.to_thread(check)
    fresh = await stack.patron()
    assert (await fresh.say("toimii yhä"))["type"] == "ack"


desk_bodies = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda c, a: f"/{c} {a}",
        st.sampled_from(
            [
                "accept",
                "tag",
                "untag",
                "tags",
                "transfer",
                "desks",
                "end",
                "note",
                "canned",
                "help",
                "transcript",
                "x",
                "",
            ]
        ),
        st.text(max_size=30),
    ),
)


async def test_random_desk_stanzas_never_break_the_bridge(stack: Stack) -> None:
    loop = asyncio.get_running_loop()
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    targets = [offer.frm, f"p-nosuchchat@{stack.component}", stack.component]

    async def send(to: str, body: str) -> None:
        desk.say(to, body)
        await asyncio.sleep(0.01)

    @FUZZ
    @given(st.sampled_from(targets), desk_bodies)
    def check(to: str, body: str) -> None:
        asyncio.run_coroutine_threadsafe(send(to, body), loop).result(10)

    await asyncio.to_thread(check)
    fresh = await stack.patron()
    assert (await fresh.say("silti kunnossa"))["type"] == "ack"
    assert stack.bridge.component.online
