"""Text commands from plain XMPP clients: `/tag maksut` typed in the chat with a patron JID.

Parsing and answers only; the actions and their permissions live in bridge/desk.py.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from bridge.chat import LiveChat
from bridge.desktext import HELP
from bridge.errors import CommandError

if TYPE_CHECKING:
    from bridge.desk import DeskActions


class TextCommands:
    """Runs `/command` lines and answers each in the window it was typed in."""

    def __init__(self, actions: DeskActions) -> None:
        self.actions = actions

    async def run(self, seat: str, chat: LiveChat, body: str) -> None:
        try:
            words = shlex.split(body[1:])
        except ValueError:
            words = body[1:].split()
        if not words:
            self.actions.info(seat, chat, HELP)
            return
        cmd, args = words[0].lower(), words[1:]
        rest = body[1:].split(None, 1)[1] if len(words) > 1 else ""
        try:
            answer = await self.answer(seat, chat, cmd, args, rest)
        except CommandError as e:
            answer = str(e)
        if answer:
            self.actions.info(seat, chat, answer)

    async def answer(self, seat: str, chat: LiveChat, cmd: str, args: list[str], rest: str) -> str:
        """What the command does and says; empty when a notice answers it already."""
        actions = self.actions
        sid = chat.id
        if cmd == "help":
            return HELP
        if cmd == "accept":
            answer = await actions.accept(seat, sid)
            return "" if chat.owner == seat and answer.startswith("You have") else answer
        if cmd in ("tag", "untag"):
            if not rest:
                raise CommandError(f"Name a tag: /{cmd} NAME (see /tags).")
            names = actions.tag_names(rest)
            tags = await (actions.tag if cmd == "tag" else actions.untag)(seat, sid, names)
            return "Tags: " + (", ".join(tags) or "none")
        if cmd == "tags":
            return "\n".join(
                f"{i}. {t.name(actions.lang(seat))} ({t.id})"
                for i, t in enumerate(actions.service.svc.tagset.visible, 1)
            )
        if cmd == "transfer":
            if not rest:
                raise CommandError("Name a library or pool: /transfer TARGET (see /desks).")
            return await actions.transfer(seat, sid, rest.strip())
        if cmd == "desks":
            return "\n".join(
                f"{'* ' if r.on_duty else '  '}{r.id} ({r.name}): "
                f"{len(r.seats)} available" + (f", phone {r.phone}" if r.phone else "")
                for r in actions.desk_rows()
            )
        if cmd == "end":
            await actions.end(seat, sid)
            return ""  # the `ended` notice answers it
        if cmd == "keep":
            return await actions.keep(seat, sid)
        if cmd == "end-stale":
            return await actions.end_stale(seat)
        if cmd == "note":
            return await actions.note(seat, sid, rest)
        if cmd == "canned":
            if not rest:
                return "Canned answers: " + (", ".join(a.key for a in actions.service.svc.canned) or "none")
            return await actions.canned(seat, sid, rest.strip())
        if cmd == "transcript":
            _chat, lines = await actions.transcript(seat, sid)
            return "\n".join(lines) or "(no messages yet)"
        if cmd == "forward":
            to, _, note = rest.strip().partition(" ")
            if not to:
                raise CommandError("Name a library id or an e-mail address: /forward TO [NOTE]")
            return await actions.forward(seat, sid, to, note.strip())
        raise CommandError(f"Unknown command /{cmd}. Send /help for the list; // sends a literal /.")
