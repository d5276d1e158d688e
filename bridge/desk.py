"""What desks can do to chats: accept, tag, transfer, end, note, canned …, each checked
against the permission table (bridge/chats/permissions.py) and carried out by the transitions.
Text commands are parsed in bridge/commands.py; ad-hoc commands in bridge/adhoc.py."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from slixmpp import JID
from slixmpp.stanza import Message

from bridge.chat import ChatState, LiveChat
from bridge.chats.live import from_session
from bridge.chats.permissions import Action, Phase, Standing, may, refusal, role_of
from bridge.chats.service import ChatService
from bridge.chats.transitions import ChatChanged
from bridge.closing import check_can_end, tag_list
from bridge.component import error_reply
from bridge.desklang import said, say
from bridge.desktext import transcript_lines
from bridge.errors import CommandError
from bridge.forward import forward_transcript
from deskproto import Kind
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
        from bridge.commands import TextCommands

        self.service = service
        self.commands = TextCommands(self)

    # component events

    async def on_connected(self) -> None:
        await self.service.on_connected()

    def on_disconnected(self) -> None:
        self.service.on_disconnected()

    async def on_presence(self, seat: JID, available: bool, show: str, lang: str = "") -> None:
        await self.service.on_presence(seat, available, show, lang)

    async def on_desk_chatstate(self, seat: JID, session_id: str, state: str) -> None:
        await self.service.on_desk_chatstate(seat, session_id, state)

    async def on_desk_message(self, seat: JID, session_id: str, body: str, msg: Message) -> bool:
        """A line or a command from a seat in the chat with a patron JID; True if taken in.

        A line that was not stored (refused, or the chat has ended) is answered in the chat
        window and with an XMPP error carrying the line's id, and gets no receipt.
        """
        if not self.service.is_desk(seat):
            # The same answer whether the chat exists or not: nothing to learn from it.
            error_reply(msg, "forbidden", "Only desk accounts of the roster can answer chats.")
            return False
        chat = await self.service.sync.lookup(session_id) or await self.past_chat(session_id)
        if chat is None:
            error_reply(msg, "item-not-found", self.text(seat.full, "chat.no_such", session=session_id))
            return False
        command = self.commands.command_text(body)
        if command is not None:
            await self.commands.run(seat.full, chat, command)
            return True
        text = body[1:] if body.startswith("//") else body
        if msg["chat_state"] and not text:
            return True
        refused = await self.reply(seat.full, chat, text, msg["id"] or f"x-{secrets.token_hex(6)}")
        if refused:
            error_reply(msg, "not-acceptable", refused)
        return not refused

    # looking chats up

    async def past_chat(self, session_id: str) -> LiveChat | None:
        """An ended chat as the store has it (for tagging after the end and transcripts)."""
        stored = await self.service.svc.store.session(session_id)
        if stored is None:
            return None
        chat = from_session(stored)
        chat.tags = await self.service.svc.store.tags(session_id)
        return chat

    async def find(self, session_id: str, seat: str = "") -> LiveChat:
        chat = await self.service.sync.lookup(session_id) or await self.past_chat(session_id)
        if chat is None:
            raise CommandError(self.text(seat, "chat.not_found", session=session_id))
        return chat

    def standing(self, chat: LiveChat) -> Standing:
        if chat.state is ChatState.ENDED:
            phase = Phase.ENDED
        else:
            phase = Phase.OWNED if chat.owner else Phase.WAITING
        offered = {JID(s).bare for s in chat.offered}
        if phase is Phase.WAITING and chat.target:
            offered.update(self.service.roster.desks_of(chat.target))
        return Standing(phase, chat.owner, frozenset(offered))

    async def authorize_fresh(self, seat: str, chat: LiveChat, action: Action) -> None:
        """As `authorize` (lock held); a refusal is checked once more against the stored row,
        which another bridge may have moved on (a desk that answers an offer just made)."""
        try:
            self.authorize(seat, chat, action)
        except CommandError:
            if not await self.service.sync.reread(chat):
                raise
            self.authorize(seat, chat, action)

    def refusal(self, seat: str, chat: LiveChat, action: Action) -> str:
        """Why `seat` may not do `action` now (after another bridge changed the chat)."""
        try:
            self.authorize(seat, chat, action)
        except CommandError as e:
            return str(e)
        return self.text(seat, "chat.ended")

    def authorize(self, seat: str, chat: LiveChat, action: Action) -> None:
        """Refuse with the reason unless the permission table lets `seat` do `action`."""
        standing = self.standing(chat)
        role = role_of(seat, standing, frozenset(self.service.roster.coordinators))
        if not may(action, role, standing.phase):
            raise CommandError(refusal(action, role, standing, self.lang(seat)))
        if standing.phase is Phase.ENDED and action in (Action.TAG, Action.UNTAG, Action.NOTE):
            grace = timedelta(seconds=self.service.svc.config.tag_after_end_seconds)
            ended = chat.ended_at
            if ended is not None and ended + grace < self.service.clock.now():
                raise CommandError(self.text(seat, "chat.too_old"))
        if standing.phase is Phase.ENDED and action is Action.TRANSCRIPT and chat.ended_at is not None:
            tz = self.service.roster.timezone
            if chat.ended_at.astimezone(tz).date() != self.service.clock.now().astimezone(tz).date():
                raise CommandError(self.text(seat, "chat.transcript_day"))

    def visible(self, seat: str, chat: LiveChat) -> bool:
        """Whether `seat` may see that a chat exists and read it (listings)."""
        standing = self.standing(chat)
        role = role_of(seat, standing, frozenset(self.service.roster.coordinators))
        return may(Action.TRANSCRIPT, role, standing.phase)

    # actions

    async def reply(self, seat: str, chat: LiveChat, text: str, line_id: str) -> str:
        """A librarian's line: claims a waiting chat, then goes to the patron.

        Returns why it was not sent (also said in the chat), or "" when it was stored.
        """
        svc = self.service
        async with svc.live.lock(chat.id):
            if chat.state is ChatState.ENDED or chat.id not in svc.live:
                refused = self.text(seat, "reply.ended")
                self.info(seat, chat, refused)
                return refused
            try:
                await self.authorize_fresh(seat, chat, Action.REPLY)
            except CommandError as e:
                refused = self.text(seat, "reply.not_sent", why=str(e))
                self.info(seat, chat, refused)
                return refused
            try:
                if chat.owner != seat:
                    await self._accept(seat, chat)
            except ChatChanged:  # a desk on another bridge was first: say why, as for any refusal
                await svc.sync.reread(chat)
                refused = self.text(seat, "reply.not_sent", why=self.refusal(seat, chat, Action.REPLY))
                self.info(seat, chat, refused)
                return refused
            await svc.deliver_librarian_line(chat, seat, text, line_id)
            return ""

    async def accept(self, seat: str, session_id: str) -> str:
        chat = await self.find(session_id, seat)
        async with self.service.live.lock(chat.id):
            if chat.state is ChatState.ENDED or chat.id not in self.service.live:
                raise CommandError(self.text(seat, "chat.ended"))
            if chat.owner == seat:
                return self.text(seat, "accept.already")
            await self.authorize_fresh(seat, chat, Action.ACCEPT)
            try:
                await self._accept(seat, chat)
            except ChatChanged:  # a desk on another bridge was first
                await self.service.sync.reread(chat)
                raise CommandError(self.refusal(seat, chat, Action.ACCEPT)) from None
        return self.text(seat, "accepted", nick=chat.nickname)

    async def _accept(self, seat: str, chat: LiveChat) -> None:
        """Make `seat` the owner (lock held); tell the patron and the other seats."""
        svc = self.service
        previous = await svc.transitions.accept(chat, seat)
        told = chat.offered | svc.colleagues(seat) | ({previous} if previous else set())
        others = sorted(s for s in told if s != seat)
        svc.notify(chat, others, Kind.TAKEN, said("taken", nick=chat.nickname, seat=seat))
        history = await svc.svc.store.history(chat.id)
        lang = self.lang(seat)
        svc.notify(
            chat,
            [seat],
            Kind.ACCEPTED,
            "\n".join([say(lang, "accepted", nick=chat.nickname), *transcript_lines(history, lang=lang)]),
        )
        chat.offered = {seat}
        await svc.tell_state(chat)

    async def tag(self, seat: str, session_id: str, names: list[str]) -> list[str]:
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.TAG)
        lang = self.lang(seat)
        tag_ids = []
        for name in names:
            try:
                tag_ids.append(self.service.svc.tagset.resolve(name, lang, prefixes=True).id)
            except TagError as e:
                raise CommandError(str(e)) from e
        new = [t for t in tag_ids if t not in chat.tags]
        if new:
            await self.service.svc.store.add_tags(chat.id, new, seat)
            chat.tags.extend(new)
        return list(chat.tags)

    async def untag(self, seat: str, session_id: str, names: list[str]) -> list[str]:
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.UNTAG)
        gone = []
        for name in names:
            if name in chat.tags:  # also a tag removed from the file since
                gone.append(name)
                continue
            try:
                tag = self.service.svc.tagset.resolve(name, self.lang(seat), prefixes=True)
            except TagError as e:
                raise CommandError(str(e)) from e
            if tag.id not in chat.tags:
                has = ", ".join(chat.tags) or self.text(seat, "none")
                raise CommandError(self.text(seat, "tag.missing", tag=tag.id, tags=has))
            gone.append(tag.id)
        await self.service.svc.store.remove_tags(chat.id, gone, seat)
        chat.tags[:] = [t for t in chat.tags if t not in gone]
        return list(chat.tags)

    def resolve_target(self, name: str, seat: str = "") -> str:
        """A library or pool id from an id or a name, case- and accent-insensitively."""
        roster = self.service.roster
        wanted = fold(name)
        for tid in (*roster.libraries, *roster.pools):
            if fold(tid) == wanted or fold(roster.target_name(tid)) == wanted:
                return tid
        names = ", ".join(sorted((*roster.libraries, *roster.pools)))
        raise CommandError(self.text(seat, "target.unknown", name=name, known=names))

    async def transfer(self, seat: str, session_id: str, target_name: str) -> str:
        svc = self.service
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.TRANSFER)
        target = self.resolve_target(target_name, seat)
        available = svc.seats.available_desks()
        desks = [d for d in svc.roster.desks_of(target) if d in available]
        if not desks:
            who = ", ".join(r.id for r in self.desk_rows() if r.seats) or self.text(seat, "nobody")
            raise CommandError(
                self.text(seat, "target.nobody", target=svc.roster.target_name(target), available=who)
            )
        async with svc.live.lock(chat.id):
            if chat.id not in svc.live:
                raise CommandError(self.text(seat, "chat.ended"))
            from_target = svc.roster.library_of_desk(JID(seat).bare) or chat.target or ""
            old_seats = set(chat.offered) | ({chat.owner} if chat.owner else set()) | svc.colleagues(seat)
            await svc.transitions.transfer(chat, seat, target, from_target)
            chat.offered, chat.step = set(), 0
            svc.notify(
                chat,
                sorted(old_seats),
                Kind.TRANSFERRED,
                said("transferred", nick=chat.nickname, target=svc.roster.target_name(target), seat=seat),
            )
            await svc.router.offer(
                chat, from_name=svc.roster.target_name(from_target) if from_target else seat
            )
            await svc.tell_state(chat)
        return self.text(seat, "transfer.done", target=svc.roster.target_name(target))

    async def end(self, seat: str, session_id: str) -> str:
        chat = await self.find(session_id, seat)
        if chat.state is ChatState.ENDED:
            raise CommandError(self.text(seat, "chat.ended_already"))
        self.authorize(seat, chat, Action.END)
        lang = self.lang(seat)
        try:
            check_can_end(self.service.svc.config, self.service.svc.tagset, chat, lang)
        except CommandError as e:  # said again in the seat's language
            raise CommandError(
                say(lang, "end.tag_first", tags=tag_list(self.service.svc.tagset, lang))
            ) from e
        async with self.service.live.lock(chat.id):
            await self.service.end_chat(chat, seat, by="desk")
        return self.text(seat, "end.done")

    async def keep(self, seat: str, session_id: str) -> str:
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.KEEP)
        async with self.service.live.lock(chat.id):
            self.service.transitions.keep(chat)
        return self.text(seat, "keep.done")

    async def end_stale(self, seat: str) -> str:
        """End every chat this seat may end (all, for a coordinator) whose patron has gone."""
        svc = self.service
        stale = [
            c
            for c in svc.live
            if c.gone_since is not None and (self._coordinator(seat) or self._may(seat, c, Action.END))
        ]
        ended = 0
        for chat in stale:
            ended += await svc.expire(chat, by="desk", seat=seat)
        return self.text(seat, "stale.ended", n=ended) if ended else self.text(seat, "stale.none")

    def _may(self, seat: str, chat: LiveChat, action: Action) -> bool:
        try:
            self.authorize(seat, chat, action)
        except CommandError:
            return False
        return True

    def _coordinator(self, seat: str) -> bool:
        return JID(seat).bare in self.service.roster.coordinators

    async def note(self, seat: str, session_id: str, text: str) -> str:
        if not text.strip():
            raise CommandError(self.text(seat, "note.empty"))
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.NOTE)
        await self.service.svc.store.add_message(
            chat.id, f"n-{secrets.token_hex(6)}", "note", text, name=self.service.desk_name(seat), seat=seat
        )
        return self.text(seat, "note.saved")

    async def canned(self, seat: str, session_id: str, key: str) -> str:
        svc = self.service
        answers = {a.key: a for a in svc.svc.canned}
        if key not in answers:
            keys = ", ".join(answers) or self.text(seat, "canned.none_configured")
            raise CommandError(self.text(seat, "canned.unknown", key=key, keys=keys))
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.CANNED)
        lib = svc.roster.libraries.get(chat.library)
        text = answers[key].render(
            chat.lang,
            desk=svc.desk_name(seat),
            library=lib.name if lib else chat.library,
            hours=svc.welcome_facts(chat.lang)["hours"],
        )
        refused = await self.reply(seat, chat, text, f"c-{secrets.token_hex(6)}")
        if refused:
            raise CommandError(refused)
        return self.text(seat, "canned.sent", key=key, text=text)

    async def faq_example(self, seat: str, session_id: str, entry_id: str) -> str:
        """Mark the patron's question of this chat as an example for an FAQ entry (`/faq ENTRY`)."""
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.FAQ)
        faq = self.service.svc.faq
        if faq is None:
            raise CommandError(self.text(seat, "faq.none"))
        entry = faq.get(entry_id.strip())
        if entry is None:
            ids = ", ".join(e.id for e in faq.entries)
            raise CommandError(self.text(seat, "faq.unknown", entry=entry_id, entries=ids))
        question = chat.first_line or await self.service.svc.store.first_patron_line(chat.id)
        if not question:
            raise CommandError(self.text(seat, "faq.no_question"))
        await self.service.svc.store.add_faq_example(chat.id, entry.id, chat.lang, question, seat)
        return self.text(seat, "faq.saved", question=question[:60], entry=entry.id)

    async def transcript(self, seat: str, session_id: str) -> tuple[LiveChat, list[str]]:
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.TRANSCRIPT)
        history = await self.service.svc.store.history(chat.id)
        return chat, transcript_lines(history, limit=10_000, lang=self.lang(seat))

    async def forward(self, seat: str, session_id: str, to: str, note: str) -> str:
        chat = await self.find(session_id, seat)
        self.authorize(seat, chat, Action.FORWARD)
        return await forward_transcript(self.service, seat, chat.id, to, note)

    # lists

    def desk_rows(self) -> list[DeskRow]:
        svc = self.service
        roster = svc.roster
        duty = on_duty(roster, svc.clock.now())
        rows = []
        for lib in roster.libraries.values():
            seats = tuple(s for d in lib.desks for s in svc.seats.offerable_seats(d))
            rows.append(DeskRow(lib.id, "library", lib.name, seats, duty == lib.id, lib.phone or ""))
        for pool in roster.pools.values():
            seats = tuple(s for d in roster.desks_of(pool.id) for s in svc.seats.offerable_seats(d))
            rows.append(DeskRow(pool.id, "pool", pool.name, seats, duty == pool.id, ""))
        return rows

    def open_chats(self, seat: str | None = None) -> list[LiveChat]:
        """Open chats by waiting time; with `seat`, only those it may see."""
        chats = sorted(self.service.live, key=lambda c: c.queued_at or c.created_at)
        return chats if seat is None else [c for c in chats if self.visible(seat, c)]

    def tag_names(self, rest: str) -> list[str]:
        """Tags of a text command: comma-separated, one name with spaces, or space-separated."""
        if "," in rest:
            return [p.strip() for p in rest.split(",") if p.strip()]
        try:
            self.service.svc.tagset.resolve(rest.strip(), "fi")
            return [rest.strip()]
        except TagError:
            return rest.split()

    def lang(self, seat: str) -> str:
        """The seat's language: its client's, else its library's in the roster, else Finnish."""
        return self.service.seat_lang(seat)

    def text(self, seat: str, key: str, /, **params: object) -> str:
        """A text of bridge/desklang.py in the seat's language."""
        return say(self.lang(seat), key, **params)

    def info(self, seat: str, chat: LiveChat, text: str) -> None:
        """The answer to a command or a refusal, in the window it came from."""
        self.service.notices.info(chat, seat, text)
