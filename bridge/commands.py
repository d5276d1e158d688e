"""Text commands from plain XMPP clients: `/tag maksut` typed in the chat with a patron JID.

Parsing and answers only; the actions and their permissions live in bridge/desk.py.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from bridge.chat import LiveChat
from bridge.clock import parse_ts
from bridge.desklang import say
from bridge.errors import CommandError
from bridge.followup import Followups
from rota.text import datetime_text

if TYPE_CHECKING:
    from bridge.desk import DeskActions


COMMANDS = frozenset(
    "help accept tag untag tags transfer desks end keep end-stale note canned transcript forward "
    "chats followups claim answer close faq".split()
)


class TextCommands:
    """Runs `/command` lines and answers each in the window it was typed in."""

    def __init__(self, actions: DeskActions) -> None:
        self.actions = actions

    @staticmethod
    def command_text(body: str) -> str | None:
        """The `/command` in a body, or None for a line to the patron.

        `!accept` works like `/accept` (clients such as profanity and Gajim eat a leading `/`),
        but only for a known command, so "!!" or "!Hei" still reach the patron; `//` sends a
        literal `/`.
        """
        stripped = body.lstrip()
        if stripped.startswith("/") and not stripped.startswith("//"):
            return stripped
        if (
            stripped.startswith("!")
            and stripped[1:].split(None, 1)[:1]
            and (stripped[1:].split(None, 1)[0].lower() in COMMANDS)
        ):
            return "/" + stripped[1:]
        return None

    async def run(self, seat: str, chat: LiveChat, body: str) -> None:
        try:
            words = shlex.split(body[1:])
        except ValueError:
            words = body[1:].split()
        if not words:
            self.actions.info(seat, chat, self.actions.text(seat, "help"))
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

        def text(key: str, /, **params: object) -> str:
            return actions.text(seat, key, **params)

        if cmd == "help":
            return text("help")
        if cmd == "accept":
            answer = await actions.accept(seat, sid)
            # Newly taken: the `accepted` notice (with the transcript) answers it.
            return "" if answer == text("accepted", nick=chat.nickname) else answer
        if cmd in ("tag", "untag"):
            if not rest:
                raise CommandError(text("cmd.name_tag", cmd=cmd))
            names = actions.tag_names(rest)
            tags = await (actions.tag if cmd == "tag" else actions.untag)(seat, sid, names)
            return text("cmd.tags", tags=", ".join(tags) or text("none"))
        if cmd == "tags":
            return "\n".join(
                f"{i}. {t.name(actions.lang(seat))} ({t.id})"
                for i, t in enumerate(actions.service.svc.tagset.visible, 1)
            )
        if cmd == "transfer":
            if not rest:
                raise CommandError(text("cmd.name_target"))
            return await actions.transfer(seat, sid, rest.strip())
        if cmd == "desks":
            return "\n".join(
                text("desks.row", mark="* " if r.on_duty else "  ", id=r.id, name=r.name, n=len(r.seats))
                + (text("desks.phone", phone=r.phone) if r.phone else "")
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
                keys = ", ".join(a.key for a in actions.service.svc.canned)
                return text("canned.list", keys=keys or text("none"))
            return await actions.canned(seat, sid, rest.strip())
        if cmd == "transcript":
            _chat, lines = await actions.transcript(seat, sid)
            return "\n".join(lines) or text("transcript.none")
        if cmd == "faq":
            if not rest:
                raise CommandError(text("cmd.name_faq"))
            return await actions.faq_example(seat, sid, rest.strip())
        if cmd == "chats":
            return await self.chats(seat)
        if cmd == "followups":
            return await self.followups(seat)
        if cmd in ("claim", "close"):
            if not args:
                raise CommandError(text("cmd.followup_number", cmd=cmd))
            followups = Followups(actions.service)
            return await (followups.claim if cmd == "claim" else followups.close)(seat, args[0])
        if cmd == "answer":
            number, _, reply = rest.strip().partition(" ")
            if not number or not reply.strip():
                raise CommandError(text("cmd.answer_args"))
            return await Followups(actions.service).answer(seat, number, reply.strip())
        if cmd == "forward":
            to, _, note = rest.strip().partition(" ")
            if not to:
                raise CommandError(text("cmd.forward_to"))
            return await actions.forward(seat, sid, to, note.strip())
        raise CommandError(text("cmd.unknown", cmd=cmd))

    async def chats(self, seat: str) -> str:
        """Waiting chats and the seat's own, one line each: who, where from, how long, what."""
        svc = self.actions.service
        text = self.actions.text
        now = svc.clock.now()
        rows = []
        for chat in self.actions.open_chats(seat):
            if chat.owner == seat:
                mark = text(seat, "chats.yours")
            elif chat.owner:
                continue  # a colleague's: not yours to answer
            elif chat.waiting:
                mark = text(seat, "chats.waiting", place=svc.position(chat))
            else:
                continue  # still with the automatic answers
            since = parse_ts(chat.queued_at or chat.created_at)
            minutes = max(0, int((now - since).total_seconds() // 60))
            first = (chat.first_line or "").replace("\n", " ")
            first = first[:60] + ("…" if len(first) > 60 else "")
            rows.append(
                text(
                    seat,
                    "chats.row",
                    nick=chat.nickname,
                    library=svc.library_name(chat.library),
                    minutes=minutes,
                    mark=mark,
                    session=chat.id,
                    first=first,
                )
            )
        return "\n".join(rows) if rows else text(seat, "chats.none")

    async def followups(self, seat: str) -> str:
        """Follow-ups the seat's desk sees, one line each, newest last."""
        svc = self.actions.service
        tz, lang = svc.roster.timezone, self.actions.lang(seat)
        rows = []
        for f in await Followups(svc).listing(seat):
            who = f" ({f.claimed_by})" if f.claimed_by else ""
            text = f.text.replace("\n", " ")
            rows.append(
                say(
                    lang,
                    "followups.row",
                    id=f.id,
                    library=svc.library_name(f.library),
                    when=datetime_text(parse_ts(f.ts), lang, tz),
                    status=say(lang, f"status.{f.status.value}"),
                    who=who,
                    text=f"{text[:60]}{'…' if len(text) > 60 else ''}",
                )
            )
        if not rows:
            return say(lang, "followups.none")
        return "\n".join([*rows, say(lang, "followups.keys")])
