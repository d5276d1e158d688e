"""Outgoing e-mail: follow-up answers to patrons and transcripts forwarded to libraries (SMTP)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol

from bridge.errors import ConfigError

log = logging.getLogger(__name__)

# Good enough to find an address in what a patron typed ("matti@example.org / 040 123");
# the mail server has the last word.
ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class MailConfig:
    """The `mail:` section of the bridge config: the SMTP server and libraries' addresses."""

    host: str
    sender: str  # `from:` in the file
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    library_addresses: dict[str, str] = field(default_factory=dict)  # library id → address
    forward_domains: tuple[str, ...] = ()  # if set, /forward only to these domains' addresses
    timeout_seconds: float = 30.0


class MailSender(Protocol):
    """How the bridge sends a message (an SMTP server, or a fake in unit tests)."""

    async def send(self, message: EmailMessage) -> None: ...


class MailError(Exception):
    """The message could not be handed to the mail server; the text says why."""


def find_address(text: str | None) -> str | None:
    """The first e-mail address in a patron's contact details, or None."""
    match = ADDRESS.search(text or "")
    return match.group(0).rstrip(".") if match else None


def is_address(text: str) -> bool:
    """Whether `text` is one e-mail address and nothing else."""
    return ADDRESS.fullmatch(text.strip()) is not None


def compose(
    sender: str, to: str, subject: str, body: str, *, when: datetime, reply_to: str | None = None
) -> EmailMessage:
    """A plain-text UTF-8 message with the headers a mail server expects; `when` is its Date."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(when.timestamp(), usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg.set_content(body)
    return msg


@dataclass(frozen=True)
class SmtpMailer:
    """Sends through the configured SMTP server, one connection per message."""

    config: MailConfig

    async def send(self, message: EmailMessage) -> None:
        import aiosmtplib

        cfg = self.config
        try:
            await aiosmtplib.send(
                message,
                hostname=cfg.host,
                port=cfg.port,
                start_tls=cfg.starttls,
                username=cfg.username,
                password=cfg.password,
                timeout=cfg.timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as e:
            log.warning("mail to %s via %s:%s failed: %s", message["To"], cfg.host, cfg.port, e)
            raise MailError(f"the mail server {cfg.host}:{cfg.port} did not take it: {e}") from e
        log.info("mail sent to %s: %s", message["To"], message["Subject"])


def parse_mail_config(raw: Any, base: Path) -> MailConfig | None:
    """The `mail:` section (None when absent); relative `password_file` is relative to `base`."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ConfigError(f"mail: expected a mapping (host, port, from, …), got {type(raw).__name__}")
    known = {
        "host",
        "port",
        "from",
        "starttls",
        "username",
        "password",
        "password_file",
        "library_addresses",
        "forward_domains",
        "timeout_seconds",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"mail: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    host, sender = raw.get("host"), raw.get("from")
    if not isinstance(host, str) or not host:
        raise ConfigError("mail.host: the SMTP server's host name is required")
    if not isinstance(sender, str) or not is_address(sender):
        raise ConfigError(
            f"mail.from: expected the sender's address, e.g. tiski@library.example, got {sender!r}"
        )
    starttls = raw.get("starttls", True)
    if not isinstance(starttls, bool):
        raise ConfigError(f"mail.starttls: expected true or false, got {starttls!r}")
    port = raw.get("port", 587 if starttls else 25)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ConfigError(f"mail.port: expected a port number, got {port!r}")
    password = raw.get("password")
    if password is None and raw.get("password_file"):
        path = Path(str(raw["password_file"])).expanduser()
        path = path if path.is_absolute() else base / path
        try:
            if path.stat().st_mode & 0o077:
                raise ConfigError(
                    f"mail.password_file: {path} can be read by other users; run `chmod 600 {path}`"
                )
            password = path.read_text().strip()
        except OSError as e:
            raise ConfigError(f"mail.password_file: cannot read {path}: {e.strerror}") from e
    addresses = raw.get("library_addresses") or {}
    if not isinstance(addresses, dict) or not all(
        isinstance(v, str) and is_address(v) for v in addresses.values()
    ):
        raise ConfigError(
            "mail.library_addresses: expected {library_id: address}, e.g. {tampere: palaute@tampere.example}"
        )
    domains = raw.get("forward_domains") or []
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        raise ConfigError("mail.forward_domains: expected a list of domains, e.g. [tampere.example]")
    timeout = raw.get("timeout_seconds", 30.0)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError(f"mail.timeout_seconds: expected a positive number, got {timeout!r}")
    username = raw.get("username")
    return MailConfig(
        host=host,
        sender=sender,
        port=port,
        starttls=starttls,
        username=str(username) if username else None,
        password=password or None,
        library_addresses={str(k): v.strip() for k, v in addresses.items()},
        forward_domains=tuple(d.lower().lstrip("@") for d in domains),
        timeout_seconds=float(timeout),
    )
