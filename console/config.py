"""The console's configuration file (CONTRACTS §3), read once into typed values."""

from __future__ import annotations

import ipaddress
import locale
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from console.errors import ConfigError

DEFAULT_LOG = "~/.local/share/tiski/console.sqlite3"
LANGS = ("fi", "sv", "en")


class TlsMode(Enum):
    """How the connection to the XMPP server is protected."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    OFF = "off"


@dataclass(frozen=True)
class XmppSettings:
    """The desk account and how to reach its server."""

    jid: str  # full JID: the resource names this seat
    password: str
    host: str | None = None  # None: DNS lookup of the JID's domain
    port: int = 5222
    tls: TlsMode = TlsMode.REQUIRED
    ca_file: Path | None = None  # None: the system's trust store

    @property
    def bare(self) -> str:
        return self.jid.split("/", 1)[0]

    @property
    def resource(self) -> str:
        return self.jid.split("/", 1)[1] if "/" in self.jid else ""


@dataclass(frozen=True)
class AlertSettings:
    """How a new waiting chat is announced."""

    bell: bool = True  # ring the terminal bell
    highlight: bool = True  # flash the chat list and show a notification
    repeat_seconds: int = 60  # ring again while a chat waits this long unanswered (0: never)
    escalate: bool = True  # each repeat comes sooner (halving) and the highlight grows stronger
    min_repeat_seconds: int = 15  # the shortest interval escalation comes down to
    quiet: bool = False  # start in quiet mode: no bell (highlights and counts stay); Alt+M toggles


@dataclass(frozen=True)
class ConsoleConfig:
    """Everything the console reads from its configuration file."""

    xmpp: XmppSettings
    bridge: str  # the bridge component's JID
    lang: str = "en"
    log: Path = field(default_factory=lambda: Path(DEFAULT_LOG).expanduser())
    roster: Path | None = None
    canned: Path | None = None
    retention_days: int = 365
    receipt_resend_seconds: int = 15  # send a line again, same id, after this long without a receipt
    alerts: AlertSettings = field(default_factory=AlertSettings)
    demo_clock: datetime | None = None  # the bridge's demo clock: run the console's from it too
    source: Path | None = None  # the file this was read from


def is_loopback(host: str | None) -> bool:
    """True when `host` names this machine (tls: off is allowed only there)."""
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_lang(environ: Mapping[str, str]) -> str:
    """Finnish or Swedish when the locale says so (fi_FI, sv_FI, sv_SE…), English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            return _locale_lang(value)
    return _locale_lang(locale.getlocale()[0] or "")


def _locale_lang(value: str) -> str:
    prefix = value.lower()[:2]
    return prefix if prefix in ("fi", "sv") else "en"


def _path(base: Path, value: Any, name: str) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{name}: expected a path, got {value!r}")
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{name}: expected true or false, got {value!r}")
    return value


def _xmpp(raw: Any, base: Path, where: str) -> XmppSettings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: `xmpp` must be a mapping with at least `jid` and `password`")
    jid = raw.get("jid")
    if not isinstance(jid, str) or "@" not in jid:
        raise ConfigError(f"{where}: xmpp.jid must be a JID such as desk@chat.example/desk-1")
    if "/" not in jid:
        raise ConfigError(
            f"{where}: xmpp.jid {jid!r} has no resource; add one naming this seat, "
            f"e.g. {jid}/desk-1, so that seats of one account do not replace each other"
        )
    if "password_file" in raw:
        pw_path = _path(base, raw["password_file"], "xmpp.password_file")
        try:
            password = pw_path.read_text().strip()
        except OSError as exc:
            raise ConfigError(f"{where}: xmpp.password_file {pw_path}: {exc.strerror}") from exc
    elif isinstance(raw.get("password"), str):
        password = raw["password"]
    else:
        raise ConfigError(f"{where}: give xmpp.password or xmpp.password_file")
    host = raw.get("host")
    if host is not None and not isinstance(host, str):
        raise ConfigError(f"{where}: xmpp.host must be a host name or address")
    port = raw.get("port", 5222)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError(f"{where}: xmpp.port must be a port number, got {port!r}")
    tls_raw = raw.get("tls", "required")
    if tls_raw is False:  # YAML reads a bare `off` as false
        tls_raw = "off"
    try:
        tls = TlsMode(tls_raw)
    except ValueError:
        raise ConfigError(f"{where}: xmpp.tls must be required, optional or off, got {tls_raw!r}") from None
    if tls is TlsMode.OFF and not is_loopback(host):
        raise ConfigError(
            f"{where}: xmpp.tls: off sends the password unencrypted and is allowed only to a "
            f"server on this machine (xmpp.host 127.0.0.1, ::1 or localhost), not {host!r}; "
            "use tls: required"
        )
    ca_file = _path(base, raw["ca_file"], "xmpp.ca_file") if raw.get("ca_file") else None
    if ca_file is not None and not ca_file.is_file():
        raise ConfigError(f"{where}: xmpp.ca_file {ca_file} does not exist")
    return XmppSettings(jid, password, host, port, tls, ca_file)


def _alerts(raw: Any, where: str) -> AlertSettings:
    if raw is None:
        return AlertSettings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: `alerts` must be a mapping (bell, highlight, repeat_seconds, …)")
    unknown = set(raw) - {"bell", "highlight", "repeat_seconds", "escalate", "min_repeat_seconds", "quiet"}
    if unknown:
        raise ConfigError(f"{where}: unknown alerts option(s): {', '.join(sorted(unknown))}")
    repeat = raw.get("repeat_seconds", 60)
    if not isinstance(repeat, int) or repeat < 0:
        raise ConfigError(f"{where}: alerts.repeat_seconds must be 0 or more seconds")
    shortest = raw.get("min_repeat_seconds", 15)
    if not isinstance(shortest, int) or isinstance(shortest, bool) or shortest < 1:
        raise ConfigError(f"{where}: alerts.min_repeat_seconds must be 1 or more seconds")
    return AlertSettings(
        bell=_bool(raw.get("bell", True), "alerts.bell"),
        highlight=_bool(raw.get("highlight", True), "alerts.highlight"),
        repeat_seconds=repeat,
        escalate=_bool(raw.get("escalate", True), "alerts.escalate"),
        min_repeat_seconds=shortest,
        quiet=_bool(raw.get("quiet", False), "alerts.quiet"),
    )


def _instant(raw: Any, where: str) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    except ValueError as exc:
        raise ConfigError(f"{where}: demo_clock: expected an ISO date-time, got {raw!r}") from exc
    if moment.tzinfo is None:
        raise ConfigError(f"{where}: demo_clock: give a UTC offset, e.g. 2026-11-23T10:30:00+02:00")
    return moment


def parse_config(raw: Any, base: Path, where: str, environ: Mapping[str, str] | None = None) -> ConsoleConfig:
    """Turn the YAML document `raw` into a ConsoleConfig; relative paths are under `base`."""
    env = os.environ if environ is None else environ
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping with `xmpp` and `bridge`")
    xmpp = _xmpp(raw.get("xmpp"), base, where)
    bridge = raw.get("bridge")
    if not isinstance(bridge, str) or not bridge or "@" in bridge or "/" in bridge:
        raise ConfigError(f"{where}: `bridge` must be the bridge component's JID, e.g. patrons.chat.example")
    lang = raw.get("lang") or default_lang(env)
    if lang not in LANGS:
        raise ConfigError(f"{where}: lang must be one of {', '.join(LANGS)}, got {lang!r}")
    retention = raw.get("retention_days", 365)
    if not isinstance(retention, int) or retention < 1:
        raise ConfigError(f"{where}: retention_days must be a whole number of days, 1 or more")
    resend = raw.get("receipt_resend_seconds", 15)
    if not isinstance(resend, int) or isinstance(resend, bool) or not (resend == 0 or resend >= 5):
        raise ConfigError(
            f"{where}: receipt_resend_seconds must be a whole number of seconds, 5 or more (0: never), "
            f"got {resend!r}"
        )
    return ConsoleConfig(
        xmpp=xmpp,
        bridge=bridge,
        lang=lang,
        log=_path(base, raw.get("log", DEFAULT_LOG), "log"),
        roster=_path(base, raw["roster"], "roster") if raw.get("roster") else None,
        canned=_path(base, raw["canned"], "canned") if raw.get("canned") else None,
        retention_days=retention,
        receipt_resend_seconds=resend,
        alerts=_alerts(raw.get("alerts"), where),
        demo_clock=_instant(raw.get("demo_clock"), where),
        source=Path(where) if where else None,
    )


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> ConsoleConfig:
    """Read and check the console's YAML config file."""
    p = Path(path).expanduser().resolve()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the config file: {exc.strerror}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML: {exc}") from exc
    return parse_config(raw, p.parent, str(p), environ)
