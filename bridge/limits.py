"""Per-address abuse limits: sockets open at once and new sessions per minute.

Addresses are kept in memory only while needed and never written anywhere. An IPv6 client
usually has a whole /64 to itself, so IPv6 addresses are counted by their /64.
"""

from __future__ import annotations

import ipaddress
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from bridge.config import Limits


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
