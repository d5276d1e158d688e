"""Two bridges' stores racing on one chat row: the row lock and the precondition pick one."""

from __future__ import annotations

import asyncio

from bridge.chat import ChatState
from bridge.pgstore import PgStore


async def test_two_bridges_accepting_one_chat_at_once_have_exactly_one_winner(dsn: str) -> None:
    a, b = await PgStore.open(dsn, size=4), await PgStore.open(dsn, size=4)
    try:
        for i in range(20):
            sid = f"p-race{i}"
            await a.create_session(sid, f"t-{sid}", "tampere", "fi", None, ChatState.QUEUED)
            free = {"owner": None, "ended_at": None}
            won = await asyncio.gather(
                a.set_state(sid, ChatState.ACTIVE, "accepted", seat="x@d/1", expect=free, owner="x@d/1"),
                b.set_state(sid, ChatState.ACTIVE, "accepted", seat="y@d/1", expect=free, owner="y@d/1"),
            )
            assert sorted(won) == [False, True], sid
            s = await b.session(sid)
            assert s is not None and s.owner == ("x@d/1" if won[0] else "y@d/1")
            assert [e[1] for e in await a.events(sid)] == ["created", "accepted"]
    finally:
        await a.close()
        await b.close()
