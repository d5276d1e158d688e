"""Statistics over the desk protocol (who may see what) and coordinators editing the tag list."""

from __future__ import annotations

import shutil

import pytest

from tests.support.stack import PIKI, start_stack


async def _answered_chat(s, desk, text: str) -> str:
    p = await s.patron()
    await p.say(text)
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "vastaus")
    await p.recv_type("message", **{"from": "librarian"})
    desk.say(offer.frm, "/tag loans")
    await desk.next_message("info")
    return offer.session


@pytest.mark.both_stores  # the statistics are read from PostgreSQL too
async def test_stats_own_desk_for_everyone_service_for_coordinators(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        tampere = await s.desk("tampere@chat.localhost")
        nokia = await s.desk("nokia@chat.localhost")
        coordinator = await s.desk("coordinator@chat.localhost")
        await _answered_chat(s, tampere, "eka")
        await _answered_chat(s, tampere, "toka")

        mine = await tampere.command("stats", scope="desk")
        assert mine["values"]["status"] == "ok" and mine["values"]["conversations"] == "2"
        assert {"group": "tag", "key": "loans", "count": "2"} in mine["items"]

        theirs = await nokia.command("stats", scope="desk")
        assert theirs["values"]["conversations"] == "0"
        refused = await nokia.command("stats", scope="service")
        assert refused["values"]["status"] == "error"
        assert "coordinators" in refused["values"]["message"]

        service = await coordinator.command("stats", scope="service")
        assert service["values"]["conversations"] == "2" and service["values"]["answered"] == "2"
    finally:
        await s.close()


async def test_coordinator_edits_tags_desks_cannot(tmp_path) -> None:
    tags = tmp_path / "tags.yaml"
    shutil.copy(PIKI / "tags.yaml", tags)
    s = await start_stack(tmp_path, tags=tags)
    try:
        coordinator = await s.desk("coordinator@chat.localhost")
        desk = await s.desk("tampere@chat.localhost")
        res = await desk.command("tag-add", name_fi="E-aineistot", name_en="E-resources")
        assert res["values"]["status"] == "error" and "coordinators" in res["values"]["message"]
        res = await coordinator.command("tag-add", name_fi="E-aineistot", name_en="E-resources")
        assert res["values"]["status"] == "ok", res
        listing = await desk.command("tags")
        assert listing["items"][-1]["name"] == "E-aineistot"
        new_id = listing["items"][-1]["id"]
        res = await coordinator.command("tag-move", tag=new_id, direction="up")
        assert res["values"]["status"] == "ok"
        assert (await desk.command("tags"))["items"][-2]["id"] == new_id
        res = await coordinator.command("tag-rename", tag="loans", name_fi="Lainat")
        assert res["values"]["status"] == "ok"
        assert "Lainat" in tags.read_text() and "id: loans" in tags.read_text()
        res = await coordinator.command("tag-remove", tag=new_id)
        assert res["values"]["status"] == "ok"
        assert new_id not in [r["id"] for r in (await desk.command("tags"))["items"]]
    finally:
        await s.close()
