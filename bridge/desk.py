"""What desks can do to chats: accept, tag, transfer, end, note, canned … and the text commands."""

from __future__ import annotations

import logging
import secrets
import shlex
from dataclasses import dataclass
from typing import Any

from slixmpp import JID
from slixmpp.stanza import Message

from bridge.chat import ChatState, LiveChat
from bridge.closing import check_can_end
from bridge.component import error_reply
from bridge.desktext import HELP, transcript_lines
from bridge.errors import CommandError
from bridge.forward import forward_transcript
from bridge.service import ChatService
from rota.decide import on_duty
from tags import TagError
from tags.matching import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskRow:
    """A library or pool with who is available now (the `desks` command)."""

    id: str
    kind: str
    name: str
    seats: tuple[str, ...]
    on_duty: bool
    phone: str


class DeskActions:
    """Desk-side actions, shared by text commands and XEP-0050 commands."""

    def __init__(self, service: ChatService) -> None:
        self.service = service

    # component events

    async def on_connected(self) -> None:
        await self.service.on_connected()

    def on_disconnected(self) -> None:
        self.service.on_disconnected()

    async def on_presence(self, seat: JID, available: bool, show: str) -> None:
        await self.service.on_presence(seat, available, show)

    async def on_desk_chatstate(self, seat: JID, session_id: str, state: str) -> None:
        await self.service.on_desk_chatstate(seat, session_id, state)

    async def on_desk_message(self, seat: JID, session_id: str, body: str, msg: Message) -> None:
        """A line or a command from a seat in the chat with a patron JID."""
        chat = self.service.chats.get(session_id)
        if chat is None:
            stored = await self.service.svc.store.session(session_id)
            text = "That chat has ended." if stored is not None else f"No chat {session_id} exists."
            error_reply(msg, "item-not-found", text)
            return
        if not self.service.is_desk(seat):
            error_reply(msg, "forbidden", "Only desk accounts of the roster can answer chats.")
            return
        stripped = body.lstrip()
        if stripped.startswith("/") and not stripped.startswith("//"):
            await self.text_command(seat.full, chat, stripped)
            return
        text = body[1:] if body.startswith("//") else body
        if msg["chat_state"] and not text:
            return
        await self.reply(seat.full, chat, text, msg["id"] or f"l-{secrets.token_hex(6)}")

    # actions

    def chat(self, session_id: str) -> LiveChat:
        chat = self.service.chats.get(session_id)
        if chat is None:
            raise CommandError(f"No open chat {session_id!r}; /chats or the `chats` command lists them.")
        return chat

    async def reply(self, seat: str, chat: LiveChat, text: str, msg_id: str) -> None:
        """A librarian's line: claims a waiting chat, then goes to the patron."""
        svc = self.service
        async with svc._locks[chat.id]:
            if chat.state is ChatState.ENDED:
                self._info(seat, chat, "This chat has ended; your line was not sent.")
                return
            if chat.owner and chat.owner != seat:
                self._info(seat, chat, f"Not sent: {chat.owner} has this chat.")
                return
            if chat.owner != seat:
                await self._accept(seat, chat)
            await svc.deliver_librarian_line(chat, seat, text, f"l-{msg_id}")

    async def accept(self, seat: str, session_id: str) -> str:
        chat = self.chat(session_id)
        async with self.service._locks[chat.id]:
            if chat.owner == seat:
                return "You already have this chat."
            if chat.owner:
                raise CommandError(f"{chat.owner} already has this chat.")
            if chat.state is ChatState.ENDED:
                raise CommandError("This chat has ended.")
            await self._accept(seat, chat)
        return f"You have the chat with {chat.nickname}."

    async def _accept(self, seat: str, chat: LiveChat) -> None:
        """Make `seat` the owner (lock held); tell the patron and the other seats."""
        svc = self.service
        first = chat.answered_at is None
        fields: dict[str, Any] = {"owner": seat}
        if first:
            fields["answered_at"] = chat.answered_at = svc.svc.clock.stamp()
        await svc.svc.store.set_state(
            chat.id,
            ChatState.ACTIVE,
            "accepted",
            seat=seat,
            desk=JID(seat).bare,
            data={"target": chat.target},
            **fields,
        )
        chat.state, chat.owner = ChatState.ACTIVE, seat
        others = sorted(s for s in chat.offered if s != seat)
        svc.notify(chat, others, "taken", f"{chat.nickname}: taken by {seat}.")
        history = await svc.svc.store.history(chat.id)
        svc.notify(
            chat,
            [seat],
            "accepted",
            "\n".join([f"You have the chat with {chat.nickname}.", *transcript_lines(history)]),
        )
        chat.offered = {seat}
        await svc.tell_state(chat)
        svc.spawn(svc.tell_positions())

    async def tag(self, seat: str, session_id: str, names: list[str]) -> list[str]:
        chat = self.chat(session_id)
        lang = self._lang(seat)
        tag_ids = []
        for name in names:
            try:
                tag_ids.append(self.service.svc.tagset.resolve(name, lang).id)
            except TagError as e:
                raise CommandError(str(e)) from e
        new = [t for t in tag_ids if t not in chat.tags]
        if new:
            await self.service.svc.store.add_tags(chat.id, new, seat)
            chat.tags.extend(new)
        return list(chat.tags)

    async def untag(self, seat: str, session_id: str, names: list[str]) -> list[str]:
        chat = self.chat(session_id)
        gone = []
        for name in names:
            if name in chat.tags:  # also a tag removed from the file since
                gone.append(name)
                continue
            try:
                tag = self.service.svc.tagset.resolve(name, self._lang(seat))
            except TagError as e:
                raise CommandError(str(e)) from e
            if tag.id not in chat.tags:
                has = ", ".join(chat.tags) or "none"
                raise CommandError(f"The chat has no tag {tag.id!r}; it has: {has}.")
            gone.append(tag.id)
        await self.service.svc.store.remove_tags(chat.id, gone, seat)
        chat.tags[:] = [t for t in chat.tags if t not in gone]
        return list(chat.tags)

    def resolve_target(self, name: str) -> str:
        """A library or pool id from an id or a name, case- and accent-insensitively."""
        roster = self.service.roster
        wanted = fold(name)
        for tid in (*roster.libraries, *roster.pools):
            if fold(tid) == wanted or fold(roster.target_name(tid)) == wanted:
                return tid
        names = ", ".join(sorted((*roster.libraries, *roster.pools)))
        raise CommandError(f"No library or pool {name!r}. Known: {names}.")

    async def transfer(self, seat: str, session_id: str, target_name: str) -> str:
        svc = self.service
        chat = self.chat(session_id)
        target = self.resolve_target(target_name)
        available = svc.seats.available_desks()
        desks = [d for d in svc.roster.desks_of(target) if d in available]
        if not desks:
            who = ", ".join(r.id for r in self.desk_rows() if r.seats) or "nobody"
            raise CommandError(
                f"Nobody at {svc.roster.target_name(target)} is available now. Available: {who}."
            )
        async with svc._locks[chat.id]:
            from_target = svc.roster.library_of_desk(JID(seat).bare) or chat.target or ""
            old_seats = set(chat.offered) | ({chat.owner} if chat.owner else set())
            await svc.svc.store.set_state(
                chat.id,
                ChatState.QUEUED,
                "transferred",
                seat=seat,
                desk=JID(seat).bare,
                data={"from": from_target, "to": target},
                owner=None,
                target=target,
                queued_at=svc.svc.clock.stamp(),
            )
            chat.state, chat.owner, chat.target = ChatState.QUEUED, None, target
            chat.queued_at, chat.transferred_from, chat.offered = svc.svc.clock.stamp(), from_target, set()
            svc.notify(
                chat,
                sorted(old_seats),
                "transferred",
                f"{chat.nickname} was transferred to {svc.roster.target_name(target)} by {seat}.",
            )
            await svc._offer(chat, from_name=svc.roster.target_name(from_target) if from_target else seat)
            await svc.tell_state(chat)
        return f"Transferred to {svc.roster.target_name(target)}."

    async def end(self, seat: str, session_id: str) -> str:
        chat = self.chat(session_id)
        if chat.owner and chat.owner != seat:
            raise CommandError(f"{chat.owner} has this chat; only that seat can end it.")
        check_can_end(self.service.svc.config, self.service.svc.tagset, chat, self._lang(seat))
        async with self.service._locks[chat.id]:
            await self.service._end(chat, seat, by="desk")
        return "The chat has ended."

    async def note(self, seat: str, session_id: str, text: str) -> str:
        if not text.strip():
            raise CommandError("Write the note after the command: /note TEXT")
        chat = self.chat(session_id)
        await self.service.svc.store.add_message(
            chat.id, f"n-{secrets.token_hex(6)}", "note", text, name=self.service.desk_name(seat), seat=seat
        )
        return "Note saved (not shown to the patron)."

    async def canned(self, seat: str, session_id: str, key: str) -> str:
        svc = self.service
        answers = {a.key: a for a in svc.svc.canned}
        if key not in answers:
            keys = ", ".join(answers) or "none configured"
            raise CommandError(f"No canned answer {key!r}. Keys: {keys}.")
        chat = self.chat(session_id)
        lib = svc.roster.libraries.get(chat.library)
        text = answers[key].render(
            chat.lang,
            desk=svc.desk_name(seat),
            library=lib.name if lib else chat.library,
            hours=svc.welcome_facts(chat.lang)["hours"],
        )
        await self.reply(seat, chat, text, f"c-{secrets.token_hex(6)}")
        return f"Sent the canned answer {key!r}."

    # lists

    def desk_rows(self) -> list[DeskRow]:
        svc = self.service
        roster = svc.roster
        duty = on_duty(roster, svc.svc.clock.now())
        rows = []
        for lib in roster.libraries.values():
            seats = tuple(s for d in lib.desks for s in svc.seats.offerable_seats(d))
            rows.append(DeskRow(lib.id, "library", lib.name, seats, duty == lib.id, lib.phone or ""))
        for pool in roster.pools.values():
            seats = tuple(s for d in roster.desks_of(pool.id) for s in svc.seats.offerable_seats(d))
            rows.append(DeskRow(pool.id, "pool", pool.name, seats, duty == pool.id, ""))
        return rows

    def open_chats(self) -> list[LiveChat]:
        return sorted(self.service.chats.values(), key=lambda c: c.queued_at or c.created_at)

    def tag_names(self, rest: str) -> list[str]:
        """Tags of a text command: comma-separated, one name with spaces, or space-separated."""
        if "," in rest:
            return [p.strip() for p in rest.split(",") if p.strip()]
        try:
            self.service.svc.tagset.resolve(rest.strip(), "fi")
            return [rest.strip()]
        except TagError:
            return rest.split()

    def _lang(self, seat: str) -> str:
        return "fi"

    def _info(self, seat: str, chat: LiveChat, text: str) -> None:
        self.service.notify(chat, [seat], "info", text)

    # text commands

    async def text_command(self, seat: str, chat: LiveChat, body: str) -> None:
        """Run a `/command` from a plain client and answer in the same chat."""
        try:
            words = shlex.split(body[1:])
        except ValueError:
            words = body[1:].split()
        if not words:
            self._info(seat, chat, HELP)
            return
        cmd, args = words[0].lower(), words[1:]
        rest = body[1:].split(None, 1)[1] if len(words) > 1 else ""
        try:
            answer = await self._run_text(seat, chat, cmd, args, rest)
        except CommandError as e:
            answer = str(e)
        if answer:
            self._info(seat, chat, answer)

    async def _run_text(self, seat: str, chat: LiveChat, cmd: str, args: list[str], rest: str) -> str:
        sid = chat.id
        if cmd == "help":
            return HELP
        if cmd == "accept":
            answer = await self.accept(seat, sid)
            return "" if chat.owner == seat and answer.startswith("You have") else answer
        if cmd in ("tag", "untag"):
            if not rest:
                raise CommandError(f"Name a tag: /{cmd} NAME (see /tags).")
            names = self.tag_names(rest)
            tags = await (self.tag if cmd == "tag" else self.untag)(seat, sid, names)
            return "Tags: " + (", ".join(tags) or "none")
        if cmd == "tags":
            return "\n".join(
                f"{i}. {t.name(self._lang(seat))} ({t.id})"
                for i, t in enumerate(self.service.svc.tagset.visible, 1)
            )
        if cmd == "transfer":
            if not rest:
                raise CommandError("Name a library or pool: /transfer TARGET (see /desks).")
            return await self.transfer(seat, sid, rest.strip())
        if cmd == "desks":
            return "\n".join(
                f"{'* ' if r.on_duty else '  '}{r.id} ({r.name}): "
                f"{len(r.seats)} available" + (f", phone {r.phone}" if r.phone else "")
                for r in self.desk_rows()
            )
        if cmd == "end":
            await self.end(seat, sid)
            return ""  # the `ended` notice answers it
        if cmd == "note":
            return await self.note(seat, sid, rest)
        if cmd == "canned":
            if not rest:
                return "Canned answers: " + (", ".join(a.key for a in self.service.svc.canned) or "none")
            return await self.canned(seat, sid, rest.strip())
        if cmd == "transcript":
            history = await self.service.svc.store.history(sid)
            return "\n".join(transcript_lines(history, limit=10_000)) or "(no messages yet)"
        if cmd == "forward":
            to, _, note = rest.strip().partition(" ")
            if not to:
                raise CommandError("Name a library id or an e-mail address: /forward TO [NOTE]")
            return await forward_transcript(self.service, seat, sid, to, note.strip())
        raise CommandError(f"Unknown command /{cmd}. Send /help for the list; // sends a literal /.")
