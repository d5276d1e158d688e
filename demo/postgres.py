"""A private PostgreSQL for the cluster demo: initdb in a folder of its own, a free loopback port.

Debian's `postgresql` package provides the binaries. initdb and postgres refuse to run as
root, so as root they run as the `postgres` user on a folder it owns.
"""

from __future__ import annotations

import asyncio
import glob
import signal
from dataclasses import dataclass, field
from pathlib import Path

from demo import process
from demo.prosody import free_port

USER = "postgres"


class PostgresMissing(process.ServerError):
    """PostgreSQL is not installed on this machine."""


def pg_bin(name: str) -> str:
    """The newest installed PostgreSQL's program `name`."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise PostgresMissing("PostgreSQL is not installed: run `sudo apt-get install -y postgresql`")
    return found[-1]


@dataclass
class PostgresServer:
    """One PostgreSQL server whose data, socket and log are in `directory`."""

    directory: Path
    database: str = "tiski"
    user: str = "tiski"
    port: int = field(default_factory=free_port)
    _process: asyncio.subprocess.Process | None = None

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log_path(self) -> Path:
        return self.directory / "postgres.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    async def _run(self, *argv: str) -> None:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=self.directory,
            **process.run_as(USER),  # type: ignore[arg-type]
        )
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise process.ServerError(f"{Path(argv[0]).name} failed: {out.decode().strip()[-2000:]}")

    async def start(self) -> None:
        """initdb, start the server in the foreground of a child, create the database."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        process.give_to(self.directory, USER)
        await self._run(
            pg_bin("initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        argv = [
            pg_bin("postgres"),
            "-D",
            str(self.data),
            "-p",
            str(self.port),
            "-k",
            str(self.directory),
            "-c",
            "listen_addresses=127.0.0.1",
        ]
        self._process = await process.start(argv, self.log_path, user=USER)
        await process.wait_for_port(self.port, "PostgreSQL", self.log_path, self._process)
        await self._create_database()

    async def _create_database(self) -> None:
        import asyncpg

        for _ in range(100):  # the port opens a moment before connections are accepted
            try:
                conn = await asyncpg.connect(
                    f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres", timeout=5
                )
                break
            except asyncpg.CannotConnectNowError:
                await asyncio.sleep(0.1)
        else:
            raise process.ServerError(f"PostgreSQL did not accept connections; see {self.log_path}")
        try:
            await conn.execute(f'CREATE DATABASE "{self.database}"')
        finally:
            await conn.close()

    async def stop(self) -> None:
        """Fast shutdown (SIGINT: open transactions roll back), then wait for the server."""
        await process.stop(self._process, signal.SIGINT, timeout=15)
