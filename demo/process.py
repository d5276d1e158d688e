"""Small helpers for the demo's server processes: start one, wait for its port, stop it."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import signal
from collections.abc import Sequence
from pathlib import Path


class ServerError(RuntimeError):
    """A server of the demo did not start or did not stop; the message says which and why."""


def log_tail(path: Path, chars: int = 2000) -> str:
    """The end of a log file, for an error message ('' when there is none)."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def run_as(user: str) -> dict[str, object]:
    """Popen arguments that run a child as `user` (only root may; others run it as themselves)."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def give_to(path: Path, user: str) -> None:
    """Hand a folder and everything in it to `user` (as root; otherwise nothing to do)."""
    if os.geteuid() != 0:
        return
    for folder, _, files in os.walk(path):
        shutil.chown(folder, user, user)
        for name in files:
            shutil.chown(Path(folder) / name, user, user)


def check_reachable(path: Path, user: str) -> None:
    """Refuse a folder that `user` cannot reach (a parent without o+x, such as a private /tmp dir)."""
    if os.geteuid() != 0:
        return
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if parent.stat().st_uid != pwd.getpwnam(user).pw_uid and not mode & 0o001:
            raise ServerError(
                f"{parent} cannot be entered by the {user} user, who runs a server in {path}: "
                f"choose a folder whose parents are reachable (chmod o+x {parent}), e.g. under /var/tmp"
            )


async def start(
    argv: Sequence[str], log: Path, *, env: dict[str, str] | None = None, user: str | None = None
) -> asyncio.subprocess.Process:
    """Run a server in the foreground of a child process; its output goes to `log`."""
    # A session of its own: the terminal's Ctrl+C and hangup reach only the demo, which then
    # stops its servers in order.
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            env=env,
            start_new_session=True,
            **(run_as(user) if user else {}),  # type: ignore[arg-type]
        )


async def wait_for_port(
    port: int, what: str, log: Path, proc: asyncio.subprocess.Process | None = None, timeout: float = 30.0
) -> None:
    """Wait until something accepts connections on loopback `port`, or say why not."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if proc is not None and proc.returncode is not None:
            raise ServerError(f"{what} exited with code {proc.returncode}; see {log}:\n{log_tail(log)}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if loop.time() > deadline:
                raise ServerError(f"{what} did not open port {port} in {timeout:.0f} s; see {log}") from None
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return


def alive(pid: int) -> bool:
    """Is process `pid` running? (A zombie, dead but not yet reaped, is not.)"""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


async def wait_gone(pid: int, timeout: float) -> bool:
    """Wait until process `pid` has exited; False if it is still there after `timeout` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while alive(pid):
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def stop(
    proc: asyncio.subprocess.Process | None, sig: int = signal.SIGTERM, timeout: float = 10.0
) -> None:
    """Signal a child, wait for it, and SIGKILL it if it takes longer than `timeout` s."""
    if proc is None or proc.returncode is not None:
        return
    try:
        proc.send_signal(sig)
        await asyncio.wait_for(proc.wait(), timeout)
    except ProcessLookupError:
        pass
    except TimeoutError:
        proc.kill()
        await proc.wait()
