"""Erased means erased: no file of the database (db, -wal, -shm) keeps what was erased."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from bridge.privacy.cli import main
from tests.support.stack import start_stack

SECRETS = ("2 1234 5678 9012", "131052-308T", "7531")


def _files(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in db.parent.glob(db.name + "*")}


def _found(db: Path, needles: tuple[str, ...]) -> dict[str, list[str]]:
    """Which needles each file still holds (as UTF-8 bytes)."""
    hits = {name: [n for n in needles if n.encode() in raw] for name, raw in _files(db).items()}
    return {name: found for name, found in hits.items() if found}


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(), stdout=out, stderr=out)
    return code, out.getvalue()


async def test_retention_and_delete_leave_nothing_in_any_file(tmp_path: Path) -> None:
    s = await start_stack(tmp_path)
    db = tmp_path / "tiski.sqlite3"
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say(f"Kortti {SECRETS[0]}, hetu {SECRETS[1]} ja PINin {SECRETS[2]}")
        offer = await desk.next_message("offer")
        sid = offer.session
        desk.say(offer.frm, "/end")
        await p.recv_type("state", state="ended")
        await asyncio.sleep(0.2)  # the bridge's last writes about the end (events, notices)
        assert _found(db, SECRETS), "the test must start with the text on disk somewhere"

        code, out = await asyncio.to_thread(_cli, "retention", "--database", str(db))
        assert code == 0, out
        assert _found(db, SECRETS) == {}  # masked text is gone from the WAL too
        assert sid.encode() in b"".join(_files(db).values())

        code, out = await asyncio.to_thread(_cli, "delete", "--database", str(db), "--session", sid, "--yes")
        assert code == 0 and "deleted 1 chat(s)" in out, out
        assert _found(db, (*SECRETS, sid)) == {}
        assert (tmp_path / "tiski.sqlite3-wal").stat().st_size == 0
        # the bridge goes on working on the same files
        p2 = await s.patron()
        assert (await p2.say("hei"))["type"] == "ack"
    finally:
        await s.close()
