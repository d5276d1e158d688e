-- Tiski bridge store. Timestamps are ISO 8601 UTC strings with milliseconds and a "Z"
-- (e.g. 2026-11-23T10:15:02.123Z), so they sort as text.
-- What is stored and why: docs/data-protection.md.

CREATE TABLE IF NOT EXISTS sessions (
    id            TEXT PRIMARY KEY,        -- public chat id, also the patron JID's localpart (p-…)
    token_hash    TEXT NOT NULL UNIQUE,    -- SHA-256 of the patron's secret session token
    library       TEXT NOT NULL,           -- the page's library (roster id)
    lang          TEXT NOT NULL,           -- fi | sv | en
    page          TEXT,                    -- URL of the page the chat started on
    state         TEXT NOT NULL,           -- bot | queued | active | closed | ended
    target        TEXT,                    -- library or pool id the chat is routed to now
    owner         TEXT,                    -- full JID of the seat that owns the chat
    created_at    TEXT NOT NULL,
    queued_at     TEXT,                    -- when it last started waiting for a librarian
    answered_at   TEXT,                    -- first librarian line or accept
    ended_at      TEXT,
    last_seen_at  TEXT NOT NULL,           -- last patron activity; drives expiry
    last_line     INTEGER NOT NULL DEFAULT 0  -- the number of the chat's latest line (messages.line);
                                           -- PostgreSQL numbers from it, SQLite from the lines
);
CREATE INDEX IF NOT EXISTS sessions_state ON sessions(state);
CREATE INDEX IF NOT EXISTS sessions_created ON sessions(created_at);

CREATE TABLE IF NOT EXISTS messages (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    line        INTEGER NOT NULL DEFAULT 0,  -- 1, 2, … within the chat, numbered under the chat's
                                           -- row lock, so in commit order and without gaps
    msg_id      TEXT NOT NULL,             -- patron's client id, or the bridge's own for others
    sender      TEXT NOT NULL,             -- patron | librarian | bot | system | note
    name        TEXT,                      -- display name (desk / library name)
    seat        TEXT,                      -- full JID of the librarian's seat, for librarian/note
    text        TEXT NOT NULL,
    ts          TEXT NOT NULL,
    UNIQUE (session_id, msg_id)
);

CREATE TABLE IF NOT EXISTS events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    ts          TEXT NOT NULL,
    kind        TEXT NOT NULL,             -- created | queued | offered | accepted | tagged | untagged
                                           -- | transferred | ended | closed | left_message | resumed
    seat        TEXT,                      -- full JID of the seat that did it (NULL: the bridge)
    desk        TEXT,                      -- bare JID of that seat's desk account
    data        TEXT                       -- JSON with details (target, tag, desks offered, …)
);
CREATE INDEX IF NOT EXISTS events_session ON events(session_id);
CREATE INDEX IF NOT EXISTS events_kind_ts ON events(kind, ts);

CREATE TABLE IF NOT EXISTS chat_tags (
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    tag_id      TEXT NOT NULL,
    seat        TEXT,
    ts          TEXT NOT NULL,
    PRIMARY KEY (session_id, tag_id)
);

CREATE TABLE IF NOT EXISTS left_messages (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    text        TEXT NOT NULL,
    contact     TEXT,
    ts          TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open'   -- open | claimed | answered | closed
);

-- Follow-ups (docs/followups.md): what desks did with a left message. Its status is
-- left_messages.status; one row here once a seat has claimed, answered or closed it.
CREATE TABLE IF NOT EXISTS followups (
    left_seq     INTEGER PRIMARY KEY REFERENCES left_messages(seq),
    claimed_by   TEXT,                     -- full JID of the seat that claimed it
    claimed_at   TEXT,
    answer       TEXT,                     -- the librarian's answer as written
    answered_by  TEXT,                     -- full JID of the seat that answered
    answered_at  TEXT,
    mailed_to    TEXT,                     -- the patron's address the answer went to; NULL: not mailed
    closed_by    TEXT,
    closed_at    TEXT
);

-- The patron's rating of a chat after it ended: at most one per session.
CREATE TABLE IF NOT EXISTS ratings (
    session_id  TEXT PRIMARY KEY REFERENCES sessions(id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment     TEXT,                      -- optional, at most 1000 characters
    ts          TEXT NOT NULL
);
