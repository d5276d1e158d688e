"""The PostgreSQL store tells the bus what it committed: new lines for patrons, changed chat rows."""

from __future__ import annotations

from bridge.chat import ChatState
from bridge.cluster.bus import PgBus
from bridge.cluster.events import ChatEvent, LineEvent, SeatEvent
from bridge.pgstore import PgStore
from tests.bridge.cluster.test_bus import Inbox


async def test_the_store_notifies_new_lines_and_changed_rows_and_nothing_else(dsn: str) -> None:
    store = await PgStore.open(dsn, size=2)
    bus, inbox = PgBus(dsn), Inbox()
    bus.subscribe(inbox.handler)
    await bus.start()
    try:
        await store.create_session("p-n", "tok", "tampere", "fi", None, ChatState.BOT)
        await store.add_message("p-n", "m0", "patron", "hei")  # the patron's own: no socket is sent it
        m, _ = await store.add_message("p-n", "m1", "bot", "Hei!", name="Tiski")
        await store.add_message("p-n", "m1", "bot", "Hei!", name="Tiski")  # a repeat: stored once, told once
        await store.update_session("p-n", last_seen_at="2026-11-23T10:00:00.000Z")  # no one caches it
        await store.set_state("p-n", ChatState.QUEUED, "queued", queued_at="2026-11-23T10:00:00.000Z")
        assert not await store.set_state("p-n", ChatState.CLOSED, "closed", expect={"state": ChatState.BOT})
        await store.update_session("p-n", target="nokia")
        await bus.publish(SeatEvent("end@of.test/1"))  # the last: when it is here, all are
        await inbox.until(lambda: SeatEvent("end@of.test/1") in inbox.events)
        assert inbox.events == [
            LineEvent("p-n", m.line),
            ChatEvent("p-n"),
            ChatEvent("p-n"),
            SeatEvent("end@of.test/1"),
        ]
    finally:
        await bus.close()
        await store.close()
