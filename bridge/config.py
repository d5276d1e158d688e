"""The bridge's configuration file (CONTRACTS §3), read once into typed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bridge.errors import ConfigError
from bridge.mail import MailConfig, parse_mail_config
from bridge.privacy.config import PrivacyConfig, parse_privacy
from bridge.storage import Database, parse_database


@dataclass(frozen=True)
class XmppConfig:
    """How the component reaches the XMPP server."""

    host: str
    port: int
    component: str
    secret: str
    hosts: tuple[tuple[str, int], ...] = ()  # xmpp.hosts: servers tried in turn (a cluster's nodes)
    answer_seconds: float = 10.0  # a server that took the connection but has not opened the stream

    @property
    def addresses(self) -> tuple[tuple[str, int], ...]:
        """The servers to connect to, in order: `hosts`, else `host` and `port`."""
        return self.hosts or ((self.host, self.port),)


@dataclass(frozen=True)
class WebConfig:
    """The web server: WebSocket, widget files, demo pages."""

    host: str = "127.0.0.1"
    port: int = 8080
    allowed_origins: tuple[str, ...] = ()
    demo_pages: bool = False
    trusted_proxies: tuple[str, ...] = ()
    health_token: str | None = field(default=None, repr=False)  # for /health/detail (Bearer)


@dataclass(frozen=True)
class Limits:
    """Abuse limits and timeouts; defaults suit a library's public PCs behind one address."""

    max_text: int = 4000  # characters in one patron message
    max_frame: int = 1024 * 1024  # bytes; larger frames close the socket
    messages_per_second: float = 5.0  # per session, sustained
    message_burst: int = 20
    sockets_per_address: int = 200
    sessions_per_minute_per_address: int = 120
    max_sessions: int = 20000
    session_ttl_hours: float = 12.0  # an idle session's token expires after this
    queue_timeout_seconds: float = 300.0  # waiting this long in queue offers leave_message
    heartbeat_seconds: float = 30.0
    idle_timeout_seconds: float = 1800.0  # a socket with no frame from the patron this long is closed


@dataclass(frozen=True)
class BridgeConfig:
    """Everything the bridge reads from its configuration file."""

    xmpp: XmppConfig
    web: WebConfig
    database: Database  # a SQLite file, or a PostgreSQL database (postgresql://…)
    rota: Path
    tags: Path | None
    faq: Path | None = None
    faq_matcher: str = "hybrid"  # faq.matcher: hybrid (words and a sentence model) | lexical (words only)
    faq_cache: Path | None = None  # faq.cache: where the examples' vectors are kept (None: ~/.cache/tiski)
    canned: Path | None = None
    limits: Limits = field(default_factory=Limits)
    demo_clock: datetime | None = None  # the demo's fixed start instant; time runs on from it
    interrupted_grace_seconds: float = 120.0  # a patron gone this long is tagged `interrupted`
    receipt_resend_seconds: float = 5.0  # a line a seat has not confirmed is sent again after this
    release_grace_seconds: float = 60.0  # an owner seat offline this long gives its chats back
    max_chats_per_seat: int = 0  # open chats a seat may hold before routing skips it; 0: no limit
    max_chats_per_desk: int = 0  # the same for a whole desk account
    xa_is_busy: bool = False  # `xa` presence also means "don't offer" (clients go xa when idle)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)  # redaction and retention
    mail: MailConfig | None = None  # SMTP for follow-up answers and forwarded transcripts
    require_tag_to_end: bool = False  # desks must tag a chat before /end (bridge/closing.py)
    tag_after_end_seconds: float = 900.0  # the owning desk may still tag an ended chat this long
    source: Path | None = None


def _path(base: Path, value: Any, key: str) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key}: expected a file path, got {value!r}")
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def _mapping(value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a mapping of keys, got {type(value).__name__}")
    return value


def _limits(raw: dict[str, Any]) -> Limits:
    known = Limits.__dataclass_fields__
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ConfigError(f"limits: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        default = getattr(Limits(), key)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"limits.{key}: expected a positive number, got {value!r}")
        values[key] = type(default)(value)
    return Limits(**values)


def _seconds(top: dict[str, Any], key: str, default: float) -> float:
    value = top.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{key}: expected a number of seconds, got {value!r}")
    return float(value)


def _flag(top: dict[str, Any], key: str) -> bool:
    value = top.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false, got {value!r}")
    return value


def _faq(raw: Any, base: Path) -> tuple[Path | None, str, Path | None]:
    """`faq: FILE`, or `faq: {file: FILE, matcher: hybrid | lexical, cache: DIR}`."""
    if not raw:
        return None, "hybrid", None
    if isinstance(raw, str):
        return _path(base, raw, "faq"), "hybrid", None
    f = _mapping(raw, "faq")
    unknown = sorted(set(f) - {"file", "matcher", "cache"})
    if unknown:
        raise ConfigError(f"faq: unknown key(s) {', '.join(unknown)}; known: file, matcher, cache")
    matcher = f.get("matcher", "hybrid")
    if matcher not in ("hybrid", "lexical"):
        raise ConfigError(f"faq.matcher: expected hybrid or lexical, got {matcher!r}")
    cache = _path(base, f["cache"], "faq.cache") if f.get("cache") else None
    return _path(base, f.get("file"), "faq.file"), matcher, cache


def _hosts(raw: Any) -> tuple[tuple[str, int], ...]:
    """`xmpp.hosts: ["10.0.0.1:5347", "10.0.0.2:5347"]`: the nodes of a cluster, tried in turn."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f'xmpp.hosts: expected a list like ["10.0.0.1:5347", "10.0.0.2:5347"], got {raw!r}')
    hosts = []
    for item in raw:
        host, _, port = str(item).rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"xmpp.hosts: expected host:port, got {item!r}")
        hosts.append((host.strip("[]"), int(port)))
    return tuple(hosts)


def parse_config(raw: Any, base: Path, source: Path | None = None) -> BridgeConfig:
    """Build a BridgeConfig from parsed YAML; relative paths are relative to `base`."""
    top = _mapping(raw, "config")
    x = _mapping(top.get("xmpp"), "xmpp")
    secret = x.get("secret")
    if secret is None and "secret_file" in x:
        secret_path = _path(base, x["secret_file"], "xmpp.secret_file")
        try:
            if secret_path.stat().st_mode & 0o077:
                raise ConfigError(
                    f"xmpp.secret_file: {secret_path} can be read by other users; "
                    f"run `chmod 600 {secret_path}`"
                )
            secret = secret_path.read_text().strip()
        except OSError as e:
            raise ConfigError(f"xmpp.secret_file: cannot read {secret_path}: {e.strerror}") from e
    if not isinstance(secret, str) or not secret:
        raise ConfigError("xmpp: give the component secret as `secret` or `secret_file`")
    faq, faq_matcher, faq_cache = _faq(top.get("faq"), base)
    component = x.get("component")
    if not isinstance(component, str) or "@" in component or "." not in component:
        raise ConfigError(f"xmpp.component: expected a domain like patrons.chat.example, got {component!r}")
    try:
        port = int(x.get("port", 5347))
    except (TypeError, ValueError) as e:
        raise ConfigError(f"xmpp.port: expected a port number, got {x.get('port')!r}") from e
    answer = x.get("answer_seconds", 10)
    if not isinstance(answer, int | float) or isinstance(answer, bool) or answer <= 0:
        raise ConfigError(f"xmpp.answer_seconds: expected seconds above 0 (default 10), got {answer!r}")
    xmpp = XmppConfig(
        str(x.get("host", "127.0.0.1")), port, component, secret, _hosts(x.get("hosts")), float(answer)
    )
    w = _mapping(top.get("web"), "web")
    origins = w.get("allowed_origins", [])
    if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
        raise ConfigError('web.allowed_origins: expected a list like ["https://library.example"]')
    health_token = w.get("health_token")
    if health_token is None and w.get("health_token_file"):
        token_path = _path(base, w["health_token_file"], "web.health_token_file")
        try:
            if token_path.stat().st_mode & 0o077:
                raise ConfigError(
                    f"web.health_token_file: {token_path} can be read by other users;"
                    f" run `chmod 600 {token_path}`"
                )
            health_token = token_path.read_text().strip()
        except OSError as e:
            raise ConfigError(f"web.health_token_file: cannot read {token_path}: {e.strerror}") from e
    if health_token is not None and (not isinstance(health_token, str) or len(health_token) < 8):
        raise ConfigError("web.health_token: expected a secret of at least 8 characters")
    web = WebConfig(
        host=str(w.get("host", "127.0.0.1")),
        port=int(w.get("port", 8080)),
        allowed_origins=tuple(o.rstrip("/") for o in origins),
        demo_pages=bool(w.get("demo_pages", False)),
        trusted_proxies=tuple(w.get("trusted_proxies", [])),
        health_token=health_token,
    )
    for key in ("database", "rota"):
        if key not in top:
            raise ConfigError(f"{key}: missing (see CONTRACTS §3: database, rota are required)")
    clock = top.get("demo_clock")
    if clock is not None:
        try:
            clock = clock if isinstance(clock, datetime) else datetime.fromisoformat(str(clock))
        except ValueError as e:
            raise ConfigError(f"demo_clock: expected an ISO date-time, got {clock!r}") from e
        if clock.tzinfo is None:
            raise ConfigError("demo_clock: give a UTC offset, e.g. 2026-11-24T10:30:00+02:00")
    return BridgeConfig(
        xmpp=xmpp,
        web=web,
        database=parse_database(top["database"], base),
        rota=_path(base, top["rota"], "rota"),
        tags=_path(base, top["tags"], "tags") if top.get("tags") else None,
        faq=faq,
        faq_matcher=faq_matcher,
        faq_cache=faq_cache,
        canned=_path(base, top["canned"], "canned") if top.get("canned") else None,
        limits=_limits(_mapping(top.get("limits"), "limits")),
        demo_clock=clock,
        privacy=parse_privacy(top.get("privacy")),
        xa_is_busy=bool(top.get("xa_is_busy", False)),
        interrupted_grace_seconds=_seconds(top, "interrupted_grace_seconds", 120.0),
        release_grace_seconds=_seconds(top, "release_grace_seconds", 60.0),
        receipt_resend_seconds=_seconds(top, "receipt_resend_seconds", 5.0),
        max_chats_per_seat=int(_seconds(_mapping(top.get("max_chats"), "max_chats"), "seat", 0)),
        max_chats_per_desk=int(_seconds(_mapping(top.get("max_chats"), "max_chats"), "desk", 0)),
        mail=parse_mail_config(top.get("mail"), base),
        require_tag_to_end=_flag(top, "require_tag_to_end"),
        tag_after_end_seconds=_seconds(top, "tag_after_end_seconds", 900.0),
        source=source,
    )


def load_config(path: Path) -> BridgeConfig:
    """Read and check the YAML configuration file at `path`."""
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from e
    try:
        return parse_config(raw, path.parent, path)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from e
