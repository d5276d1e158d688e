"""A TCP proxy in front of the bridge that can go silent without closing anything, the way a
phone's network does when it switches cells or a NAT forgets the mapping."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from demo.prosody import free_port


@dataclass
class SilentProxy:
    """Forwards 127.0.0.1:port to the bridge. `silence()` stops every byte on every connection,
    open or new, without closing them; `restore()` lets new connections through again (the
    silenced ones stay dead, as they would on a phone)."""

    target_port: int
    port: int = field(default_factory=free_port)
    generation: int = 0  # connections opened before `restored_at` stay silent
    silent: bool = False
    restored_at: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    def silence(self) -> None:
        self.silent = True

    def restore(self) -> None:
        self.silent = False
        self.restored_at = self.generation + 1

    def _dead(self, generation: int) -> bool:
        return self.silent or generation < self.restored_at

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.generation += 1
        generation = self.generation
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pump(src, dst, generation))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, generation: int) -> None:
        try:
            while True:
                data = await src.read(65536)
                if not data:
                    break
                if self._dead(generation):  # for good: restore() lets only new connections through
                    await asyncio.Event().wait()  # hold the bytes: neither deliver nor close
                dst.write(data)
                await dst.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                dst.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
