"""What the bridge asks of its store: the `ChatStorage` protocol and the values it trades in.

`bridge/store.py` (SQLite, one machine) is the first implementation; docs/cluster.md says
why a second one (PostgreSQL, several bridges) is coming. Every write is committed before
the call returns, so an `ack` or receipt sent after it is true; a refused write raises
`bridge.errors.StoreError`. tests/bridge/test_store_contract.py holds every implementation
to this. `open_store` opens the one the config's `database:` names.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from bridge.chat import ChatState
from bridge.clock import Clock
from bridge.errors import ConfigError
from bridge.mail import find_address

if TYPE_CHECKING:
    from bridge.privacy.config import PrivacyConfig


@dataclass(frozen=True)
class ChatSession:
    """One patron session as stored."""

    id: str
    library: str
    lang: str
    page: str | None
    state: ChatState
    target: str | None
    owner: str | None
    created_at: str
    queued_at: str | None
    answered_at: str | None
    ended_at: str | None
    last_seen_at: str


@dataclass(frozen=True)
class ChatMessage:
    """One line of a chat."""

    seq: int  # the row's id: unique in the store, but only `line` is in commit order
    session_id: str
    msg_id: str
    sender: str
    name: str | None
    seat: str | None
    text: str
    ts: str
    line: int = 0  # 1, 2, … within the chat in the order the lines were committed, no gaps


class FollowupStatus(enum.StrEnum):
    """Where a follow-up is (left_messages.status)."""

    OPEN = "open"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class Followup:
    """A left message with what desks have done with it."""

    id: int
    session_id: str
    library: str
    lang: str
    ts: str
    text: str
    contact: str | None
    status: FollowupStatus
    claimed_by: str | None
    answered_by: str | None
    answered_at: str | None
    mailed_to: str | None

    @property
    def email(self) -> str | None:
        """The patron's e-mail address, if the contact details hold one."""
        return find_address(self.contact)


class ChatStorage(Protocol):
    """Everything the bridge reads from and writes to its store, and nothing else."""

    clock: Clock  # stamps every row; callers use it for times they store themselves

    async def close(self) -> None:
        """Finish the writes under way, then let go of the database."""

    async def write_check(self) -> str | None:
        """Write one small row as a chat line is written: None if it worked, else why not."""

    # sessions

    async def create_session(
        self, session_id: str, token: str, library: str, lang: str, page: str | None, state: ChatState
    ) -> ChatSession:
        """A new session (event `created`); the token is kept only as its hash."""

    async def session(self, session_id: str) -> ChatSession | None: ...

    async def session_by_token(self, token: str) -> ChatSession | None: ...

    async def live_sessions(self) -> list[ChatSession]:
        """Sessions that have not ended, oldest first."""

    async def update_session(self, session_id: str, **fields: Any) -> None:
        """Set columns of a session (states given as ChatState)."""

    async def set_state(
        self,
        session_id: str,
        state: ChatState,
        event: str | None = None,
        *,
        seat: str | None = None,
        desk: str | None = None,
        data: dict[str, Any] | None = None,
        expect: dict[str, Any] | None = None,
        **fields: Any,
    ) -> bool:
        """State, other columns and the event in one transaction; ending masks the lines.

        `expect`: columns the row must still have (checked under its lock in that transaction);
        False, and nothing written, if it has not. True when written.
        """

    # lines

    async def add_message(
        self,
        session_id: str,
        msg_id: str,
        sender: str,
        text: str,
        *,
        name: str | None = None,
        seat: str | None = None,
        touch: bool = False,
    ) -> tuple[ChatMessage, bool]:
        """Store a line as the chat's next number; a repeated (session, msg_id) returns the
        stored one and False (and takes no number)."""

    async def history(self, session_id: str, after: int = 0) -> list[ChatMessage]:
        """The lines of a session (notes too) numbered after `after` (0: all), in order.

        Lines are numbered in commit order, so a reader that remembers the last number it
        has seen and asks for the lines after it never misses one and never gets one twice.
        """

    async def first_patron_line(self, session_id: str) -> str | None: ...

    # events and tags

    async def add_event(
        self,
        session_id: str,
        kind: str,
        *,
        seat: str | None = None,
        desk: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None: ...

    async def events(self, session_id: str) -> list[tuple[str, str, str | None, str | None]]:
        """(ts, kind, seat, data as JSON text) of a session's events in order (for reports)."""

    async def add_tags(self, session_id: str, tag_ids: Iterable[str], seat: str | None) -> None:
        """Tag a session (a tag it has already is kept once); one `tagged` event per tag."""

    async def remove_tags(self, session_id: str, tag_ids: Iterable[str], seat: str | None) -> None: ...

    async def tags(self, session_id: str) -> list[str]:
        """A session's tag ids in the order they were added."""

    # left messages and follow-ups

    async def leave_message(self, session_id: str, text: str, contact: str | None) -> None: ...

    async def edit_left_message(self, session_id: str, text: str, contact: str | None) -> bool:
        """Replace the latest left message while no desk has touched it; False if one has."""

    async def left_messages(self, session_id: str) -> list[tuple[str, str | None, str]]:
        """(text, contact, ts) of a session's left messages in order."""

    async def followup(self, followup_id: int) -> Followup | None: ...

    async def latest_followup(self, session_id: str) -> Followup | None: ...

    async def followups(self, statuses: tuple[FollowupStatus, ...]) -> list[Followup]:
        """Follow-ups in `statuses`, oldest first."""

    async def set_followup(
        self,
        f: Followup,
        status: FollowupStatus,
        event: str,
        seat: str,
        desk: str,
        columns: dict[str, str | None],
    ) -> None:
        """New status, the desk's columns (claimed_by, answer, …) and the event, in one transaction."""

    # ratings and learning

    async def add_rating(self, session_id: str, score: int, comment: str | None) -> bool:
        """Keep a session's rating; False (nothing written) if it has one already."""

    async def rating(self, session_id: str) -> tuple[int, str | None] | None:
        """(score, comment) of a session's rating, if any."""

    async def add_faq_example(
        self, session_id: str, entry_id: str, lang: str, question: str, seat: str | None
    ) -> None:
        """Keep a patron's question as a suggested example for an FAQ entry (once)."""


@dataclass(frozen=True)
class PostgresUrl:
    """A `database:` that names a PostgreSQL database (postgresql://…) instead of a file."""

    url: str = field(repr=False)  # may carry a password: never logged

    def __str__(self) -> str:
        """The URL without its password, for messages and logs."""
        parts = urlsplit(self.url)
        host = parts.netloc.rsplit("@", 1)[-1]
        user = parts.username
        return f"{parts.scheme}://{user + '@' if user else ''}{host}{parts.path}"


Database = Path | PostgresUrl  # SQLite file, or PostgreSQL
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(//)?")
_POSTGRES_SCHEMES = ("postgresql", "postgres")


def parse_database(value: object, base: Path, key: str = "database") -> Database:
    """A file path (SQLite; relative to `base`) or a postgresql:// URL; any other URL is an error."""
    if not isinstance(value, str | Path) or not str(value):
        raise ConfigError(f"{key}: expected a file path or a postgresql:// URL, got {value!r}")
    text = str(value)
    url = _URL.match(text)
    if url and (url.group(2) or url.group(1).lower() in _POSTGRES_SCHEMES):
        if url.group(1).lower() not in _POSTGRES_SCHEMES or not url.group(2):
            raise ConfigError(
                f"{key}: {text.split('@')[-1]!r} is not a file path or a PostgreSQL URL; give a file"
                " (SQLite) or a URL such as postgresql://tiski@db.example/tiski"
            )
        return PostgresUrl(text)
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


async def open_store(
    database: Database, clock: Clock | None = None, *, privacy: PrivacyConfig | None = None
) -> ChatStorage:
    """The store `database` names: SQLite for a file, PostgreSQL for a postgresql:// URL."""
    if isinstance(database, PostgresUrl):
        from bridge.pgstore import PgStore

        return await PgStore.open(database.url, clock, privacy=privacy)
    from bridge.store import Store

    return await Store.open(database, clock, privacy=privacy)
