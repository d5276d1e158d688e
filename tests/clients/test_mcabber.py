"""A librarian at mcabber, a second real terminal XMPP client, against the real bridge.

Patron (WebSocket) → bridge → Prosody → mcabber under tmux, and back. The librarian's lines are
written to mcabber's command FIFO exactly as docs/xmpp-clients.md tells an mcabber user to
type them; what mcabber showed is read from its history files.

The skip below only spares developer machines without mcabber or tmux. CI runs `./tiski test`,
which installs both (Debian packages `mcabber` and `tmux`), so there these tests really run.
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

from tests.clients.mcabber import Mcabber
from tests.support.stack import Stack, start_stack

pytestmark = [
    pytest.mark.prosody,
    pytest.mark.skipif(
        shutil.which("mcabber") is None or shutil.which("tmux") is None,
        reason="needs mcabber and tmux (./tiski test installs them)",
    ),
]

DESK = "tampere@chat.localhost"
QUESTION = "Hei! Miten uusin lainani verkossa?"
REPLY = "Hei, täällä Tampereen kirjasto. Kirjaudu ensin sisään."


@asynccontextmanager
async def tiski_and_mcabber(tmp_path: Path, **stack_options: Any) -> AsyncIterator[tuple[Stack, Mcabber]]:
    """Prosody and the bridge, then mcabber logged in as the Tampere desk, the bridge allowed."""
    stack = await start_stack(tmp_path / "stack", **stack_options)
    mc = Mcabber(tmp_path / "home", DESK, stack.passwords[DESK], stack.c2s_port)
    try:
        await mc.start()
        await mc.wait_until(lambda: "Connection established." in mc.trace(), "the sign-in")
        # The one-time set-up: allow the bridge's presence subscription, as mcabber prompts.
        request = f"<{stack.component}> wants to subscribe to your presence updates"
        await mc.wait_until(lambda: request in mc.trace(), "the subscription request")
        event = re.search(r"Please use /event (\d+) accept", mc.trace().split(request, 1)[1])
        assert event is not None, mc.trace()[-2000:]
        await mc.command(f"/event {event.group(1)} accept")
        yield stack, mc
    finally:
        await mc.close()
        await stack.close()


async def offered_chat(stack: Stack, mc: Mcabber) -> str:
    """The patron JID of the first chat offered to mcabber."""
    component = re.escape(stack.component)

    def patrons() -> list[str]:
        return [c for c in mc.contacts() if re.fullmatch(rf"p-[a-z0-9]+@{component}", c)]

    await mc.wait_until(lambda: bool(patrons()), "an offer")
    return patrons()[0]


async def test_a_librarian_works_a_chat_from_mcabber(tmp_path: Path) -> None:
    async with tiski_and_mcabber(tmp_path) as (stack, mc):
        patron = await stack.patron()
        await patron.say(QUESTION)
        jid = await offered_chat(stack, mc)
        offer = await mc.wait_for_message(jid, re.escape(QUESTION))
        assert "/accept" in offer, offer

        # mcabber runs every line that starts with "/" itself; "/say /accept" sends the body
        # "/accept" to the selected contact (the patron, selected with /roster search).
        await mc.command(f"/roster search {jid}")
        await mc.command("/say /accept")
        await mc.wait_for_message(jid, r"You have the chat with Patron")
        assert (await patron.recv_type("state", state="active"))["desk"] == "Tampere"

        await mc.command(f"/say {REPLY}")  # typed at the keyboard, the line alone would do
        line = await patron.recv(lambda f: f["type"] == "message" and f.get("from") == "librarian")
        assert line["text"] == REPLY

        await patron.say("Kiitos, onnistui!")
        await mc.wait_for_message(jid, r"Kiitos, onnistui!")

        await mc.command(f"/say_to -q {jid} /tag 4")
        await mc.wait_for_message(jid, r"Tags: loans")
        await mc.command(f"/say_to -q {jid} /end")
        await patron.recv_type("state", state="ended")

        store = stack.bridge.store if stack.bridge else None
        assert store is not None and await store.tags(jid.split("@")[0]) == ["loans"]
        texts = [f.get("text", "") for f in patron.frames if f["type"] == "message"]
        assert not [t for t in texts if t.startswith("/")], texts  # commands never reached the patron


async def test_a_patron_line_shows_once_in_mcabber(tmp_path: Path) -> None:
    """Each patron line shows once in mcabber, before and after /end (issue 18 saw 5 copies).

    mcabber 1.1.2 lists urn:xmpp:receipts in its disco#info but never answers a receipt request
    from a patron address (seen in its XML trace); the bridge used to send the line again and
    again (issue 15), and now resends only to seats whose receipts have matched.
    """
    async with tiski_and_mcabber(tmp_path, extra={"receipt_resend_seconds": 0.3}) as (stack, mc):
        patron = await stack.patron()
        await patron.say(QUESTION)
        jid = await offered_chat(stack, mc)
        await mc.command(f"/say_to -q {jid} /accept")
        await mc.wait_for_message(jid, r"You have the chat with Patron")
        await patron.say("Vain yksi rivi")
        await mc.wait_for_message(jid, r"Vain yksi rivi")
        await asyncio.sleep(2.0)  # several resend periods: an unconfirmed line would come again
        counts = {"line": sum(t.endswith("] Vain yksi rivi") for t in mc.received(jid))}
        await mc.command(f"/say_to -q {jid} /end")
        await patron.recv_type("state", state="ended")
        await asyncio.sleep(2.0)
        counts["after /end"] = sum(t.endswith("] Vain yksi rivi") for t in mc.received(jid))
        assert counts == {"line": 1, "after /end": 1}, mc.received(jid)
