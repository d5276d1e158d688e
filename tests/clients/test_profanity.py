"""A librarian at profanity, a real third-party terminal XMPP client, against the real bridge.

Patron (WebSocket) → bridge → Prosody → profanity under tmux, and back. The librarian only types
what docs/xmpp-clients.md tells a profanity user to type, and the test reads profanity's screen.

The skip below only spares developer machines without profanity or tmux. CI runs `./tiski test`,
which installs both (Debian packages `profanity` and `tmux`), so there these tests really run.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.clients.profanity import Profanity
from tests.support.stack import Stack, start_stack

pytestmark = [
    pytest.mark.prosody,
    pytest.mark.skipif(
        shutil.which("profanity") is None or shutil.which("tmux") is None,
        reason="needs profanity and tmux (./tiski test installs them)",
    ),
]

DESK = "tampere@chat.localhost"
PAGE = "https://library.example/haku?q=muumipeikko"
QUESTION = "Hei! Miten uusin lainani verkossa?"


@asynccontextmanager
async def tiski_and_profanity(tmp_path: Path, **stack_options: Any) -> AsyncIterator[tuple[Stack, Profanity]]:
    """Prosody and the bridge, then profanity logged in as the Tampere desk."""
    stack = await start_stack(tmp_path / "stack", **stack_options)
    prof = Profanity(tmp_path / "home", DESK, stack.passwords[DESK], stack.c2s_port)
    try:
        await prof.start()
        await prof.wait_for(r"logged in successfully")
        yield stack, prof
    finally:
        await prof.close()
        await stack.close()


async def allow_the_component(stack: Stack, prof: Profanity) -> None:
    """The one-time set-up: allow the bridge's subscription request (it waits for the desk)."""
    await prof.wait_for(rf"Received authorization request from {re.escape(stack.component)}")
    await prof.type(f"/sub allow {stack.component}")
    await prof.wait_for(rf"Accepted subscription for {re.escape(stack.component)}")


async def offered_chat(stack: Stack, prof: Profanity) -> str:
    """The patron JID of the chat profanity announces (its console says which window has it)."""
    found = await prof.wait_for(rf"chat message: (p-[a-z0-9]+@{re.escape(stack.component)})")
    return found.group(1)


async def test_a_librarian_works_a_chat_from_profanity(tmp_path: Path) -> None:
    async with tiski_and_profanity(tmp_path) as (stack, prof):
        component = stack.component
        await allow_the_component(stack, prof)

        patron = await stack.patron(page=PAGE)
        await patron.say(QUESTION)
        jid = await offered_chat(stack, prof)

        # The offer reads well in the chat window: library, language, page, question, how to take it.
        await prof.type(f"/msg {jid}")
        await prof.wait_for(re.escape(QUESTION))
        offer = await prof.screen()
        assert "(Tampere)" in offer and re.search(r"\bfi\b", offer), offer
        assert PAGE in offer and "/accept" in offer, offer

        # profanity runs every line that starts with "/" itself; "//accept" sends the body "/accept".
        await prof.type("//accept")
        await prof.wait_for(r"You have the chat with Patron")
        assert (await patron.recv_type("state", state="active"))["desk"] == "Tampere"

        # A plain line goes to the patron, and the patron's answer shows in profanity.
        await prof.type("Hei, täällä Tampereen kirjasto. Kirjaudu ensin sisään.")
        line = await patron.recv(lambda f: f["type"] == "message" and f.get("from") == "librarian")
        assert line["text"] == "Hei, täällä Tampereen kirjasto. Kirjaudu ensin sisään."
        await patron.say("Kiitos, onnistui!")
        await prof.wait_for(r"Kiitos, onnistui!")

        # "/msg <patron JID> /command" is the other way to send a command from profanity.
        await prof.type(f"/msg {jid} /tags")
        await prof.wait_for(r"4\. Loans \(loans\)")  # profanity says its language is English
        await prof.type("//tag 4")
        await prof.wait_for(r"Tags: loans")

        await prof.type("//end")
        await patron.recv_type("state", state="ended")
        store = stack.bridge.store if stack.bridge else None
        assert store is not None and await store.tags(jid.split("@")[0]) == ["loans"]
        texts = [f.get("text", "") for f in patron.frames if f["type"] == "message"]
        assert not [t for t in texts if t.startswith("/")], texts  # commands never reached the patron

        # Ad-hoc commands (XEP-0050), typed in a window for the component so the answers land there.
        await prof.type(f"/msg {component}")
        await prof.type(f"/cmd list {component}")
        await prof.wait_for(r"Ad hoc commands:")
        assert re.search(r"^\S+ ! +desks *$", await prof.screen(), re.M)
        await prof.type(f"/cmd exec desks {component}")
        await prof.wait_for(r"Form title: Tiski")
        await prof.wait_for(r"\[field\d+\].*: ok\b")


async def test_an_ad_hoc_form_from_profanity(tmp_path: Path) -> None:
    """The two-step XEP-0050 way in a plain client: execute, fill the form, submit."""
    async with tiski_and_profanity(tmp_path) as (stack, prof):
        component = stack.component
        await allow_the_component(stack, prof)
        patron = await stack.patron()
        await patron.say(QUESTION)
        session = (await offered_chat(stack, prof)).split("@")[0]

        await prof.type(f"/msg {component}")
        await prof.type(f"/cmd exec tag {component}")
        await prof.wait_for(r"\[field1\] Chat \(required\)")
        assert session in await prof.screen()  # the open chats are the choices
        await prof.type(f"/field1 {session}")
        await prof.type("/field2 add loans")
        await prof.wait_for(r"\[loans\] 4\. Lainaus")
        await prof.type("/form submit")
        await prof.wait_for(r"Tags: loans")
        store = stack.bridge.store if stack.bridge else None
        assert store is not None and await store.tags(session) == ["loans"]


async def test_profanity_is_asked_once_and_becomes_available(tmp_path: Path) -> None:
    """The documented first-time set-up: the component's request waits for the desk, and allowing
    it once makes the seat available at once (no bridge restart)."""
    async with tiski_and_profanity(tmp_path) as (stack, prof):
        component = re.escape(stack.component)
        await prof.wait_for(rf"Received authorization request from {component}", timeout=3)
        await prof.type(f"/sub allow {stack.component}")
        patron = await stack.patron()
        await patron.say(QUESTION)
        await prof.wait_for(rf"chat message: p-[a-z0-9]+@{component}", timeout=3)


async def test_a_patron_line_shows_once_in_profanity(tmp_path: Path) -> None:
    async with tiski_and_profanity(tmp_path, extra={"receipt_resend_seconds": 0.3}) as (stack, prof):
        await allow_the_component(stack, prof)
        patron = await stack.patron()
        await patron.say(QUESTION)
        jid = await offered_chat(stack, prof)
        await prof.type(f"/msg {jid}")
        await prof.type("//accept")
        await prof.wait_for(r"You have the chat with Patron")
        await patron.say("Vain yksi rivi")
        await prof.wait_for(r"Vain yksi rivi")
        await asyncio.sleep(2.0)
        screen = await prof.screen()
        assert screen.count("Vain yksi rivi") == 1, screen
