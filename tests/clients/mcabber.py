"""Drive mcabber, a real terminal XMPP client, under tmux through its command FIFO.

mcabber reads commands from a named pipe (its `fifo` module), so the test writes the lines a
librarian would type there. What mcabber received is read from its history files (one per
contact, one `MR` record per message it showed), which makes "how often did this line show"
an exact count. Everything lives under one folder and one private tmux server.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
from pathlib import Path

TMUX = shutil.which("tmux") or "tmux"
MCABBER = shutil.which("mcabber") or "mcabber"

MCABBERRC = """\
set jid = {jid}
set password = {password}
set server = 127.0.0.1
set port = {port}
set resource = {resource}
set disable_random_resource = 1
set ssl = 0
{tls}
set logging = {logging}
set logging_dir = {home}/histo/
set logging_ignore_status = 1
set tracelog_level = {trace_level}
set tracelog_file = {home}/trace.log
set fifo_name = {home}/mcabber.fifo
set fifo_hide_commands = 0
set beep_on_message = 0
set pinginterval = 0
module load fifo
"""


class Mcabber:
    """One mcabber process logged in as a desk account, in a detached tmux session."""

    def __init__(
        self,
        home: Path,
        jid: str,
        password: str,
        port: int,
        resource: str = "mcabber",
        *,
        history: bool = True,
        trace_level: int = 2,
        fingerprint: str | None = None,
    ) -> None:
        """`history=False` is the documented `set logging = 0`; `trace_level` 4 traces all XML.

        With a certificate `fingerprint` (SHA-256, AB:CD:… as the demo prints it) mcabber
        requires TLS and pins that certificate, as docs/xmpp-clients.md says for the demo;
        without one it signs in without TLS (loopback only).
        """
        tls = "set tls = 0"
        if fingerprint is not None:
            pin = fingerprint.replace(":", "").lower()
            tls = f"set tls = 1\nset ssl_ignore_checks = 1\nset ssl_fingerprint = SHA256:{pin}"
        self.home, self.jid = home, jid
        self.socket = f"tiski-mc-{os.getpid()}-{secrets.token_hex(4)}"
        self.session = "desk"
        self.fifo = home / "mcabber.fifo"
        self.histo = home / "histo"
        self.rc = home / ".mcabber" / "mcabberrc"
        self.rc.parent.mkdir(parents=True, exist_ok=True)
        self.rc.parent.chmod(0o700)
        self.rc.write_text(
            MCABBERRC.format(
                jid=jid,
                password=password,
                port=port,
                resource=resource,
                home=home,
                logging=int(history),
                trace_level=trace_level,
                tls=tls,
            )
        )
        self.rc.chmod(0o600)  # mcabber refuses a config with a password that others can read
        self.env = {
            "HOME": str(home),
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
        """Start mcabber (it connects at once) in a 200×50 terminal; wait for its FIFO."""
        await self._tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", "200", "-y", "50",
            MCABBER, "-f", str(self.rc),
        )  # fmt: skip
        self.started = True
        self.socket_path = Path((await self._tmux("display-message", "-p", "#{socket_path}")).strip())
        await self.wait_until(lambda: self.fifo.exists(), "the FIFO")

    async def command(self, line: str) -> None:
        """Write one command line to mcabber's FIFO, as if typed."""

        def write() -> None:
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            try:
                os.write(fd, (line + "\n").encode())
            finally:
                os.close(fd)

        await asyncio.to_thread(write)

    async def screen(self) -> str:
        """What the terminal shows now."""
        return await self._tmux("capture-pane", "-p", "-J", "-t", self.session)

    @property
    def trace_path(self) -> Path:
        return self.home / "trace.log"

    def trace(self) -> str:
        """mcabber's status log (with trace_level 4 every stanza's XML), the test's window into it."""
        path = self.trace_path
        return path.read_text(errors="replace") if path.exists() else ""

    def received(self, jid: str) -> list[str]:
        """Every message mcabber showed from `jid`, in order (continuation lines joined)."""
        path = self.histo / jid.lower()
        if not path.exists():
            return []
        out: list[str] = []
        lines = path.read_text(errors="replace").splitlines()
        i = 0
        while i < len(lines):
            # "MR 20261123T10:30:00Z 002 first line", then 2 continuation lines
            found = re.match(r"^(\w\w) \S+ (\d{3}) (.*)$", lines[i])
            if not found:
                i += 1
                continue
            kind, more, text = found.group(1), int(found.group(2)), found.group(3)
            body = "\n".join([text, *lines[i + 1 : i + 1 + more]])
            if kind == "MR":
                out.append(body)
            i += 1 + more
        return out

    def contacts(self) -> list[str]:
        """The addresses mcabber keeps a history for (patrons who wrote)."""
        return sorted(p.name for p in self.histo.iterdir()) if self.histo.exists() else []

    async def wait_until(self, check: object, what: str, timeout: float = 10.0) -> None:
        """Poll `check()` until it is true, or fail with the screen and the trace log."""
        assert callable(check)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not check():
            if loop.time() > deadline:
                raise AssertionError(
                    f"mcabber: never saw {what}; the screen:\n{await self.screen()}\n"
                    f"trace:\n{self.trace()[-3000:]}"
                )
            await asyncio.sleep(0.1)

    async def wait_for_message(self, jid: str, pattern: str, timeout: float = 10.0) -> str:
        """The first message from `jid` matching the regular expression `pattern`."""

        def found() -> str | None:
            return next((m for m in self.received(jid) if re.search(pattern, m)), None)

        await self.wait_until(lambda: found() is not None, f"{pattern!r} from {jid}", timeout)
        text = found()
        assert text is not None
        return text

    async def wait_gone(self, timeout: float = 10.0) -> None:
        """Wait until mcabber has exited (after `/quit`): its tmux session ends with it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            try:
                await self._tmux("has-session", "-t", self.session)
            except RuntimeError:
                self.started = False
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"mcabber did not quit; the screen:\n{await self.screen()}")

    async def close(self) -> None:
        """Kill the private tmux server (and mcabber with it)."""
        if self.started:
            self.started = False
            try:
                await self._tmux("kill-server")
            except RuntimeError:
                pass
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)
            self.socket_path = None
