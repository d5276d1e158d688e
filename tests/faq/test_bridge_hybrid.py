"""The real bridge answers through the hybrid matcher (faq.matcher: hybrid, the default)."""

from __future__ import annotations

import pytest

from bridge.faq import load_faq
from tests.support.patron import Patron
from tests.support.stack import PIKI, start_stack

# Not among the FAQ's examples or keywords, and too far from their words for the word
# matcher: only the sentence model recognises it as the lost-or-damaged-item entry.
PARAPHRASE = "my dog chewed a library book, do i have to pay"


def test_the_paraphrase_needs_the_sentence_model() -> None:
    words_only = load_faq(PIKI / "faq.yaml", matcher="lexical")
    assert not words_only.match(PARAPHRASE, "en").confident


async def test_bridge_answers_a_paraphrase_and_queues_the_rest(tmp_path) -> None:
    cache = tmp_path / "vectors"
    faq = {"file": str(PIKI / "faq.yaml"), "matcher": "hybrid", "cache": str(cache)}
    s = await start_stack(tmp_path, extra={"faq": faq})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron(lang="en")
        await p.say(PARAPHRASE)
        bot = await p.recv_type("message", **{"from": "bot"})
        assert bot.get("faq") == "lost-item"
        assert "price list" in bot["text"]
        await desk.no_message(0.3, kind="offer")  # answered automatically: nobody disturbed
        assert list(cache.glob("*.npz")), "the examples' vectors are kept for the next start"

        other = await s.patron()
        await other.say("suosittele jotain hyvää dekkaria")
        await other.recv_type("state", state="queued")
        offer = await desk.next_message("offer")
        assert "dekkaria" in offer.body
        assert not [f for f in other.frames if f.get("from") == "bot"]
    finally:
        await s.close()


@pytest.mark.both_stores
async def test_a_suggestion_can_be_picked_after_the_bridge_restarts(tmp_path) -> None:
    faq = {"file": str(PIKI / "faq.yaml"), "cache": str(tmp_path / "vectors")}
    load_faq(PIKI / "faq.yaml", cache_dir=tmp_path / "vectors")  # the bridge's starts read the vectors
    s = await start_stack(tmp_path, extra={"faq": faq}, in_process=False)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("saako laina-aikaa jatkettua")
        ids = [o["faq"] for o in (await p.recv_type("suggestions"))["options"]]
        assert "renew" in ids
        await desk.next_message("offer")
        await s.kill_bridge()  # nothing of the chat survives but what was stored
        await p.close()
        await s.start_bridge()

        again = Patron(s.ws_url)
        s.clients.append(again)
        await again.connect()
        assert (await again.hello(p.token))["session"] == p.token
        await again.send_frame({"type": "pick", "faq": "library-hours"})  # never offered
        assert (await again.recv_type("error"))["code"] == "bad_request"
        await again.send_frame({"type": "pick", "faq": "renew"})
        bot = await again.recv_type("message", timeout=10, **{"from": "bot"})
        assert bot["faq"] == "renew" and bot["text"]
        await again.send_frame({"type": "pick", "faq": "renew"})  # a pick is answered once
        assert (await again.recv_type("error"))["code"] == "bad_request"
    finally:
        await s.close()
