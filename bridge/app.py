"""Wiring: the store, the rota, the chat service, the XMPP component and the web server."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from aiohttp import web

from bridge.adhoc import AdhocCommands
from bridge.capacity import Capacity
from bridge.chats.service import ChatService, Services, raise_if_cancelling
from bridge.clock import Clock
from bridge.cluster.wiring import Cluster
from bridge.component import Component
from bridge.config import BridgeConfig
from bridge.desk import DeskActions
from bridge.presence import BUSY_SHOWS
from bridge.privacy import RetentionResult, apply_retention
from bridge.storage import ChatStorage, PostgresUrl, open_store
from bridge.web import ACCESS_LOG_FORMAT, create_app
from rota import load_roster
from tags import load_tags, parse_tags

log = logging.getLogger(__name__)


@dataclass
class Bridge:
    """One running bridge: start() brings everything up, stop() drains and closes."""

    config: BridgeConfig
    service: ChatService | None = None
    component: Component | None = None
    store: ChatStorage | None = None
    runner: web.AppRunner | None = None
    port: int = 0
    clock: Clock = field(default_factory=Clock)
    cluster: Cluster = field(default_factory=Cluster)  # the bus and leases shared with other bridges
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        cfg = self.config
        roster = load_roster(cfg.rota)
        tagset = load_tags(cfg.tags) if cfg.tags else parse_tags("[]", source="(no tags)")
        faq = canned = None
        if cfg.faq or cfg.canned:
            from bridge.faq import load_canned, load_faq

            faq = load_faq(cfg.faq, cfg.faq_matcher, cfg.faq_cache) if cfg.faq else None
            canned = load_canned(cfg.canned) if cfg.canned else None
        self.clock = Clock(cfg.demo_clock)
        self.store = await open_store(cfg.database, self.clock, privacy=cfg.privacy)
        self.cluster = await Cluster.open(cfg.database.url if isinstance(cfg.database, PostgresUrl) else None)
        self.cluster.bind(self.store)
        loaded_files = [cfg.tags, cfg.rota, cfg.faq, cfg.canned]
        services = Services(
            config=cfg,
            store=self.store,
            roster=roster,
            tagset=tagset,
            clock=self.clock,
            faq=faq,
            canned=tuple(canned or ()),
            bus=self.cluster.bus,
            leases=self.cluster.leases,
            presence=self.cluster.presence,
        )
        self.service = ChatService(services)
        self.service.capacity = Capacity(cfg.max_chats_per_seat, cfg.max_chats_per_desk)
        if cfg.xa_is_busy:
            self.service.seats.busy_shows = BUSY_SHOWS | {"xa"}
        self.service.files.prime(loaded_files)
        await self.service.load()
        self.service.start_housekeeping()
        self.service.spawn(self._retention_loop(), timer=True)
        actions = DeskActions(self.service)
        self.component = Component(cfg.xmpp, actions)
        self.service.desks = self.component
        adhoc = AdhocCommands(actions, self.component.plugin["xep_0004"].make_form)
        self.component.add_commands(adhoc.handlers())
        await self.component.start()
        app = create_app(self.service, cfg.web)
        # Patron sockets are closed by the app's on_shutdown; don't wait a minute for stragglers.
        self.runner = web.AppRunner(
            app, handle_signals=False, shutdown_timeout=5.0, access_log_format=ACCESS_LOG_FORMAT
        )
        await self.runner.setup()
        site = web.TCPSite(self.runner, cfg.web.host, cfg.web.port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else cfg.web.port
        log.info("bridge listening on http://%s:%s", cfg.web.host, self.port)

    async def apply_privacy(self) -> RetentionResult:
        """One run of redaction and retention over the store."""
        privacy = self.config.privacy
        return await apply_retention(
            self.config.database,
            now=self.clock.now(),
            retention_days=privacy.retention_days,
            redact_after_end=privacy.redact_after_end,
            card_patterns=privacy.card_patterns,
        )

    async def _retention_loop(self, every: float = 3600.0) -> None:
        """Redact ended chats and apply `privacy.retention_days`: at start, then hourly."""
        while True:
            try:
                if "retention" in await self.cluster.leases.hold(["retention"]):  # one bridge runs it
                    result = await self.apply_privacy()
                    log.info("privacy: %s", result.summary())
            except Exception:
                raise_if_cancelling()
                log.exception("privacy: retention run failed; will try again")
            await asyncio.sleep(every)

    async def stop(self) -> None:
        """Close patron sockets, give the leases back, close the component, then the store."""
        if self.runner is not None:
            try:
                await asyncio.wait_for(self.runner.cleanup(), 15)
            except TimeoutError:
                log.warning("the web server took over 15 s to stop; going on")
        if self.service is not None:
            await self.service.stop()
        await self.cluster.close()
        if self.component is not None:
            await self.component.stop()
        if self.store is not None:
            await self.store.close()
        self._stopped.set()
