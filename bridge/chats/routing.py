"""Offers: which seats a waiting chat goes to now, rollover along the chain, and re-offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge.capacity import Capacity, Room
from bridge.chat import LiveChat
from bridge.chats.live import LiveChats
from bridge.chats.notices import DeskNotices, chat_attrs
from bridge.chats.transitions import Transitions
from bridge.clock import parse_ts
from bridge.desklang import Text, said
from bridge.desktext import offer_body
from bridge.presence import SeatBook
from deskproto import Kind
from rota.decide import route

if TYPE_CHECKING:
    from bridge.chats.service import Services


class Router:
    """Offers waiting chats to the seats the rota picks, within their capacity."""

    def __init__(
        self,
        svc: Services,
        chats: LiveChats,
        seats: SeatBook,
        transitions: Transitions,
        notices: DeskNotices,
    ) -> None:
        self.svc = svc
        self.chats = chats
        self.seats = seats
        self.transitions = transitions
        self.notices = notices
        self.capacity = Capacity()

    def room(self) -> Room:
        """Who has room now (owned chats are counted as they change, not scanned)."""
        return Room(self.capacity, self.chats.owned.copy(), self.chats.owned_by_desk())

    def desks_with_room(self, room: Room) -> set[str]:
        """Desks with a seat that is available and below its capacity."""
        return {
            d
            for d in self.seats.available_desks()
            if room.desk_has_room(d) and any(room.seat_has_room(s) for s in self.seats.offerable_seats(d))
        }

    async def offer(self, chat: LiveChat, from_name: Text | None = None) -> list[str]:
        """Offer a waiting chat to the seats routing picks now (lock held); the seats newly offered.

        Routing gives the chain's steps that have someone available; the chat is offered to
        steps up to `chat.step`, which timed rollover advances. A transferred chat goes only
        to its target's desks.
        """
        roster = self.svc.roster
        room = self.room()
        available = self.desks_with_room(room)
        if chat.transferred_from is None or chat.target is None:
            decision = route(roster, self.svc.clock.now(), available)
            steps = decision.steps[: chat.step + 1]
            target = steps[0].target if steps else (decision.on_duty or chat.target)
            desks: tuple[str, ...] = tuple(d for st in steps for d in st.desks)
        else:
            target = chat.target
            desks = tuple(d for d in roster.desks_of(target) if d in available)
        await self.transitions.route_to(chat, target)
        seats = [
            s
            for d in desks
            if room.desk_has_room(d)
            for s in self.seats.offerable_seats(d)
            if room.seat_has_room(s)
        ]
        fresh = [s for s in seats if s not in chat.offered]
        if not fresh:
            return []
        if not chat.offered:
            chat.offered_at = self.svc.clock.monotonic()
        history = await self.svc.store.history(chat.id)
        position = self.chats.position(chat)
        library = roster.libraries.get(chat.library)
        library_name = library.name if library else chat.library

        def body(lang: str) -> str:
            return offer_body(chat, library_name, history, from_name=from_name, position=position, lang=lang)

        attrs = chat_attrs(chat, Kind.OFFER)
        attrs["position"] = str(position)
        if from_name:
            attrs["from_target"] = chat.transferred_from
        self.notices.offer(chat, fresh, body, attrs, nick=f"{chat.nickname} ({library_name})")
        chat.offered.update(fresh)
        await self.svc.store.add_event(
            chat.id, "offered", data={"target": target, "step": chat.step, "seats": fresh}
        )
        return fresh

    async def reoffer_waiting(self) -> None:
        """Offer waiting chats to seats that became available; re-route stranded ones."""
        for chat in sorted(self.chats, key=lambda c: c.queued_at or ""):
            if not chat.waiting:
                continue
            async with self.chats.lock(chat.id):
                if not chat.waiting:
                    continue
                had_offers = bool(chat.offered)
                chat.offered = {s for s in chat.offered if self.seats.is_online(s)}
                if had_offers and not chat.offered:
                    self.transitions.back_to_the_rota(chat)
                await self.offer(chat)

    async def rollovers(self) -> None:
        """Unclaimed for `rollover_seconds`: remind the seats and offer to the next step too."""
        wait = self.svc.roster.rollover_seconds
        now = self.svc.clock.monotonic()
        for chat in self.chats:
            if not chat.waiting or chat.owner or chat.offered_at is None or now - chat.offered_at < wait:
                continue
            async with self.chats.lock(chat.id):
                if chat.owner or not chat.waiting or chat.id not in self.chats:
                    continue
                chat.offered_at = now
                waited = self.svc.clock.now() - parse_ts(chat.queued_at or self.svc.clock.stamp())
                self.notices.notify(
                    chat,
                    sorted(chat.offered),
                    Kind.REMINDER,
                    said("reminder", nick=chat.nickname, secs=int(waited.total_seconds())),
                    {"position": str(self.chats.position(chat))},
                )
                if chat.transferred_from is None:
                    chat.step += 1
                    await self.svc.store.add_event(chat.id, "rollover", data={"step": chat.step})
                    await self.offer(chat)
