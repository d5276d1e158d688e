"""Drive profanity, a real terminal XMPP client, under tmux: type lines, read the screen.

Everything lives under one folder (HOME and the XDG folders) and one private tmux server
(`tmux -L <unique name>`), so nothing of the developer's own profanity or tmux is touched.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
from pathlib import Path

TMUX = shutil.which("tmux") or "tmux"
PROFANITY = shutil.which("profanity") or "profanity"

PROFRC = """\
[ui]
splash=false
vercheck=false
"""


class Profanity:
    """One profanity process logged in as a desk account, in a detached tmux session."""

    def __init__(
        self,
        home: Path,
        jid: str,
        password: str,
        port: int,
        resource: str = "profanity",
        *,
        log_level: str = "DEBUG",
        tls: bool = False,
    ) -> None:
        """`log_level` is profanity's own debug log (DEBUG shows every stanza; INFO is its default).

        `tls=False` signs in without TLS (loopback tests); `tls=True` leaves profanity's
        default, TLS required.
        """
        self.home, self.jid, self.log_level = home, jid, log_level
        self.socket = f"tiski-{os.getpid()}-{secrets.token_hex(4)}"
        self.session = "desk"
        data, config = home / ".local" / "share", home / ".config"
        (data / "profanity").mkdir(parents=True, exist_ok=True)
        (config / "profanity").mkdir(parents=True, exist_ok=True)
        (data / "profanity" / "accounts").write_text(
            f"[{jid}]\nenabled=true\njid={jid}\nserver=127.0.0.1\nport={port}\n"
            f"resource={resource}\npassword={password}\n" + ("" if tls else "tls.policy=disable\n")
        )
        (config / "profanity" / "profrc").write_text(PROFRC)
        self.env = {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(config),
            "XDG_DATA_HOME": str(data),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        self.started = False
        self.socket_path: Path | None = None

    async def _tmux(self, *args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            TMUX,
            "-u",
            "-L",
            self.socket,
            *args,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"tmux {' '.join(args)}: {err.decode(errors='replace')}")
        return out.decode(errors="replace")

    async def start(self) -> None:
        """Start profanity with the account (it connects at once) in a 200×50 terminal."""
        await self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            "200",
            "-y",
            "50",
            PROFANITY,
            "-l",
            self.log_level,
            "-a",
            self.jid,
        )
        self.started = True
        self.socket_path = Path((await self._tmux("display-message", "-p", "#{socket_path}")).strip())

    async def type(self, line: str) -> None:
        """Type a line literally (no tmux key names) and press Enter."""
        await self._tmux("send-keys", "-t", self.session, "-l", line)
        await self._tmux("send-keys", "-t", self.session, "Enter")

    async def screen(self) -> str:
        """What the terminal shows now, wrapped lines joined."""
        return await self._tmux("capture-pane", "-p", "-J", "-t", self.session)

    async def wait_for(self, pattern: str, timeout: float = 8.0) -> re.Match[str]:
        """Poll the screen until the regular expression `pattern` shows, or fail with the screen."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            text = await self.screen()
            found = re.search(pattern, text)
            if found:
                return found
            if loop.time() > deadline:
                raise AssertionError(
                    f"profanity never showed {pattern!r}; the screen:\n{text}\n"
                    f"profanity.log:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.1)

    def log_tail(self, lines: int = 15) -> str:
        log = self.home / ".local" / "share" / "profanity" / "logs" / "profanity.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    async def wait_gone(self, timeout: float = 10.0) -> None:
        """Wait until profanity has exited (after `/quit`): its tmux session ends with it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            try:
                await self._tmux("has-session", "-t", self.session)
            except RuntimeError:
                self.started = False
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"profanity did not quit; the screen:\n{await self.screen()}")

    async def close(self) -> None:
        """Kill the private tmux server (and profanity with it)."""
        if self.started:
            self.started = False
            try:
                await self._tmux("kill-server")
            except RuntimeError:
                pass
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)  # tmux leaves the socket file behind
            self.socket_path = None
