"""A private PostgreSQL server for tests: initdb in a folder of its own, on a free loopback port.

Debian's `postgresql` package (the test setup installs it) provides the binaries; initdb and
pg_ctl refuse to run as root, so as root they run as the `postgres` user on a folder it owns.
One server serves the whole test run (`shared()`, started on first use, stopped by
tests/conftest.py at the end); each test that wants one gets a database of its own.

Which store the real bridge uses in a test (`store_kind`): SQLite unless the run says
`--store postgresql` or `TISKI_TEST_STORE=postgresql`, or the test is marked `both_stores`.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

from demo.prosody import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError(
            f"PostgreSQL's {name} is missing: install the Debian package `postgresql` (./tiski setup)"
        )
    return found[-1]


class PrivatePostgres:
    """One PostgreSQL server; `new_database()` gives each test an empty database on it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tiski-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_root = os.geteuid() == 0

    def _run(self, *argv: str) -> None:
        cmd = ["runuser", "-u", "postgres", "--", *argv] if self._as_root else list(argv)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr or done.stdout}\n{tail}")

    def start(self) -> None:
        if self._as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            _bin("initdb"), "-D", str(self.data), "-U", "tiski", "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c track_commit_timestamp=on"  # tests check that lines commit in the order of their numbers
        )
        self._run(
            _bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://tiski@127.0.0.1:{self.port}/{database}"

    async def new_database(self) -> str:
        """An empty database of its own; its DSN."""
        import asyncpg

        name = "t_" + uuid.uuid4().hex[:12]
        conn = await asyncpg.connect(self.dsn())
        try:
            await conn.execute(f"CREATE DATABASE {name}")
        finally:
            await conn.close()
        return self.dsn(name)


STORES = ("sqlite", "postgresql")
store_kind = os.environ.get("TISKI_TEST_STORE", "sqlite")  # set per test by tests/conftest.py
_shared: PrivatePostgres | None = None
_starting = threading.Lock()


def shared() -> PrivatePostgres:
    """The test run's one PostgreSQL server, started on first use."""
    global _shared
    with _starting:
        if _shared is None:
            server = PrivatePostgres()
            server.start()
            _shared = server
        return _shared


def stop_shared() -> None:
    """Stop the test run's server if it was started."""
    global _shared
    if _shared is not None:
        server, _shared = _shared, None
        server.stop()


async def bridge_database(directory: Path) -> str:
    """The `database:` for a bridge in a test: a file in `directory`, or a new PostgreSQL database."""
    if store_kind == "postgresql":
        return await shared().new_database()
    return str(directory / "tiski.sqlite3")
