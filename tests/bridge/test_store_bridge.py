"""The real bridge on PostgreSQL: a refused write is never acknowledged, and /health says so."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import asyncpg
import pytest
import yaml

from tests.support.stack import start_stack

REFUSE = """
CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$
LANGUAGE plpgsql;
CREATE TRIGGER refuse_lines BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse();
CREATE TRIGGER refuse_checks BEFORE INSERT OR UPDATE ON health_checks FOR EACH ROW EXECUTE FUNCTION refuse();
"""
ALLOW = "DROP TRIGGER refuse_lines ON messages; DROP TRIGGER refuse_checks ON health_checks"


@pytest.mark.parametrize("store_kind", ["postgresql"], indirect=True)
async def test_a_refused_line_is_never_acked_and_health_says_so(tmp_path: Path, store_kind: str) -> None:
    s = await start_stack(tmp_path)
    try:
        dsn = yaml.safe_load(s.config_path.read_text())["database"]
        assert dsn.startswith("postgresql://")
        p = await s.patron()
        assert (await p.say("Hei", "m1"))["type"] == "ack"
        db = await asyncpg.connect(dsn)
        try:
            await db.execute(REFUSE)
            refused = await p.say("Onko kirjasto auki?", "m2")
            assert (refused["type"], refused["code"]) == ("error", "unavailable")
            async with aiohttp.ClientSession() as http, http.get(f"{s.web_url}/health") as r:
                assert r.status == 503 and await r.json() == {"ok": False}
            await db.execute(ALLOW)
        finally:
            await db.close()
        assert (await p.say("Onko kirjasto auki?", "m2"))["type"] == "ack"  # the widget sends it again
        rows = await s.db_rows("SELECT line, msg_id FROM messages ORDER BY line")
        assert rows == [(1, "m1"), (2, "m2")]
    finally:
        await s.close()
