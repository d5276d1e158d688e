"""Per-address abuse limits: sockets open at once and new sessions per minute.

Addresses are kept in memory only while needed and never written anywhere. An IPv6 client
usually has a whole /64 to itself, so IPv6 addresses are counted by their /64.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import os
import resource
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from bridge.config import Limits

log = logging.getLogger(__name__)

RESOURCE_ERRNOS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
RESOURCE_LOG_EVERY = 60.0  # seconds between two log lines about running out of resources


def client_address(remote: str | None, forwarded_for: str | None, trusted_proxies: tuple[str, ...]) -> str:
    """The patron's address: behind a trusted reverse proxy, the last untrusted X-Forwarded-For hop."""
    addr = remote or "unknown"
    if not forwarded_for or not _trusted(addr, trusted_proxies):
        return addr
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted_proxies):
            return hop
    return hops[0] if hops else addr


def address_group(addr: str) -> str:
    """What per-address limits count: an IPv4 address, or the /64 network of an IPv6 one."""
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return addr
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _trusted(addr: str, trusted: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    for net in trusted:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


@dataclass
class AddressLimits:
    """Counts per client address, forgotten when they drop to zero or age out."""

    limits: Limits
    sockets: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    new_sessions: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def open_socket(self, addr: str) -> bool:
        if self.sockets[addr] >= self.limits.sockets_per_address:
            if not self.sockets[addr]:
                del self.sockets[addr]
            return False
        self.sockets[addr] += 1
        return True

    def close_socket(self, addr: str) -> None:
        self.sockets[addr] -= 1
        if self.sockets[addr] <= 0:
            del self.sockets[addr]

    def allow_session(self, addr: str) -> bool:
        """True if `addr` may start another session in this minute (and count it)."""
        now = time.monotonic()
        stamps = self.new_sessions[addr]
        while stamps and now - stamps[0] > 60:
            stamps.popleft()
        if len(stamps) >= self.limits.sessions_per_minute_per_address:
            return False
        stamps.append(now)
        return True

    def forget_old(self) -> None:
        now = time.monotonic()
        for addr in [a for a, s in self.new_sessions.items() if not s or now - s[-1] > 60]:
            del self.new_sessions[addr]


def raise_file_limit(ceiling: int = 1 << 20) -> int:
    """Raise the soft RLIMIT_NOFILE to the hard one (systemd's default soft 1024 is too low)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = ceiling if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            log.info("open files: soft limit raised from %d to %d", soft, wanted)
            soft = wanted
        except (ValueError, OSError) as e:
            log.warning("open files: could not raise the soft limit %d to %d: %s", soft, wanted, e)
    return soft


def open_files() -> int:
    """File descriptors this process has open (0 where /proc is missing)."""
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return 0


@dataclass
class FileBudget:
    """Whether another socket fits under RLIMIT_NOFILE with a reserve left for the rest.

    The database, the XMPP connection and the log need handles too: new patron sockets are
    refused while fewer than `reserve` handles are left. /proc is read at most twice a second;
    sockets taken in between are counted on top.
    """

    limit: int
    reserve: int = 0
    measured: int = 0
    at: float = -1e9
    taken: int = 0

    def __post_init__(self) -> None:
        self.reserve = self.reserve or max(32, self.limit // 10)

    def full(self) -> bool:
        now = time.monotonic()
        if now - self.at >= 0.5:
            self.measured, self.at, self.taken = open_files(), now, 0
        return self.measured + self.taken >= self.limit - self.reserve

    def take(self) -> None:
        self.taken += 1


def is_resource_error(exc: BaseException | None) -> bool:
    """Out of file handles, buffers or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM)."""
    return isinstance(exc, OSError) and exc.errno in RESOURCE_ERRNOS


@dataclass
class ResourceErrorLog:
    """One log line per interval about running out of resources, with how many were left out.

    Out of file handles, asyncio logs a traceback for every failed accept(), many times a
    second; this stands in for the loop's exception handler and for logging filters.
    """

    every: float = RESOURCE_LOG_EVERY
    last: float = -1e9
    left_out: int = 0

    def allow(self) -> tuple[bool, int]:
        """(log this one?, how many were left out since the last line)."""
        now = time.monotonic()
        if now - self.last < self.every:
            self.left_out += 1
            return False, 0
        self.last, count, self.left_out = now, self.left_out, 0
        return True, count

    def report(self, what: str, exc: BaseException | None) -> None:
        go, count = self.allow()
        if go:
            since = f"{count} more since the last line" if count else "the next ones are counted"
            log.error(
                "out of resources (%s: %s); %s, one line every %.0f s at most."
                " Raise LimitNOFILE= or lower limits.sockets_per_address",
                what,
                exc,
                since,
                self.every,
            )

    def loop_handler(self, previous: Any) -> Any:
        """An event loop exception handler that reports resource errors through this log."""

        def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            exc = context.get("exception")
            if is_resource_error(exc):
                self.report(str(context.get("message", "event loop")), exc)
            elif previous is not None:
                previous(loop, context)
            else:
                loop.default_exception_handler(context)

        return handle

    def filter(self, record: logging.LogRecord) -> bool:
        """A logging filter: resource errors from libraries become this log's lines."""
        exc = record.exc_info[1] if record.exc_info else None
        if not is_resource_error(exc):
            return True
        self.report(record.getMessage().splitlines()[0], exc)
        return False
