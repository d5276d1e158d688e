"""Console responsiveness: start-up and key-press-to-screen-update times.

Runs the real ConsoleApp headless with the in-memory fake desk back end, 200 chats in the
list and one chat with a 10,000-message transcript. Not a test: it prints figures.

    .venv/bin/python bench/console_bench.py [--chats 200] [--lines 10000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.widgets import TextArea

from console.app import ConsoleApp
from console.backend import ChatLine, Line
from console.config import AlertSettings
from console.fake import FakeDesk
from console.log import ChatLog

WORDS = (
    "laina uusinta varaus kirjastokortti tunnusluku verkkokirjasto aukioloaika "
    "maksu kaukolaina e-kirja äänikirja lehti"
).split()


def sentence(n: int) -> str:
    return " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(5 + n % 25))


def stats(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"


UPDATES: list[float] = []  # when the app handed a screen update to the terminal


def watch_display(app: ConsoleApp) -> None:
    """Record the moment each screen update is ready to be written to the terminal."""
    original = app._display

    def display(screen, renderable):
        if renderable is not None:
            UPDATES.append(time.perf_counter())
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]


async def timed(pilot, action: Callable[[], Awaitable[None]], repeat: int, last: bool = False) -> list[float]:
    """From the action (e.g. a key press) to the first screen update that follows it.

    Every measured action changes the screen, and nothing else does meanwhile (the cursor
    does not blink; the list's minute-resolution waiting times do not change).
    """
    out = []
    for _ in range(repeat):
        await pilot.pause(0.05)
        UPDATES.clear()
        t0 = time.perf_counter()
        await action()
        await pilot.pause()
        after = [t for t in UPDATES if t >= t0]
        out.append(((after[-1] if last else after[0]) if after else time.perf_counter()) - t0)
    return out


def fill(fake: FakeDesk, chats: int, lines: int) -> str:
    """`chats` waiting chats, and one long one of `lines` messages; returns its session."""
    now = datetime.now(UTC)
    for n in range(chats):
        fake.offer(
            f"p-{n:05d}",
            sentence(n),
            library=("tampere", "nokia", "akaa")[n % 3],
            when=now - timedelta(seconds=n * 7),
        )
    big = "p-big00"
    fake.offer(big, "pitkä keskustelu", when=now - timedelta(hours=3))
    return big


async def bulk_transcript(app: ConsoleApp, fake: FakeDesk, session: str, lines: int) -> None:
    """Put `lines` messages into one chat as the bridge would (history then live lines)."""
    start = datetime.now(UTC) - timedelta(hours=3)
    history = [
        Line(
            session,
            start + timedelta(seconds=i),
            ("patron", "librarian")[i % 2],
            ("Patron BIG0", "Tampere")[i % 2],
            sentence(i),
            f"h-{i}",
        )
        for i in range(lines)
    ]
    fake.history[session] = history
    chat = app.book.chats[session]
    for line in history:
        chat.add(line)
    chat.history_loaded = True
    await app.chat_log.save_lines(history)


async def run(chats: int, lines: int, repeat: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    fake = FakeDesk()
    t0 = time.perf_counter()
    app = ConsoleApp(fake, ChatLog(tmp / "bench.sqlite3"))
    app.bell = lambda: None  # type: ignore[method-assign]
    watch_display(app)
    async with app.run_test(size=(120, 40), notifications=False) as pilot:
        await pilot.pause()
        startup = time.perf_counter() - t0
        print(f"start-up (empty, to first screen):          {startup * 1000:7.1f} ms")

        box: list[str] = []

        async def offers() -> None:
            box.append(fill(fake, chats, lines))

        burst = await timed(pilot, offers, 1, last=True)
        big = box[0]
        print(f"{chats + 1} offers arriving at once, to last update:{burst[0] * 1000:7.1f} ms")
        t2 = time.perf_counter()
        await bulk_transcript(app, fake, big, lines)
        print(f"{lines} lines stored in the local log:       {(time.perf_counter() - t2) * 1000:7.1f} ms")
        reply = app.query_one("#reply", TextArea)
        reply.cursor_blink = False  # its blinking would count as screen updates
        reply.focus()

        async def open_big() -> None:
            app.open_chat(big)

        async def open_small() -> None:
            app.open_chat("p-00000")

        samples_big, samples_small = [], []
        for _ in range(repeat // 3 or 1):
            samples_big += await timed(pilot, open_big, 1)
            samples_small += await timed(pilot, open_small, 1)
        print(f"open the {lines}-line chat:                   {stats(samples_big)}")
        print(f"open a short chat:                          {stats(samples_small)}")

        app.open_chat(big)
        await pilot.pause()
        print(
            f"F6 next chat (200 in list):                 "
            f"{stats(await timed(pilot, lambda: pilot.press('f6'), repeat))}"
        )
        app.open_chat(big)
        await pilot.pause()
        print(
            f"key press in the reply line:                "
            f"{stats(await timed(pilot, lambda: pilot.press('a'), repeat))}"
        )
        print(
            f"Shift+PgUp scroll in {lines}-line transcript:  "
            f"{stats(await timed(pilot, lambda: pilot.press('shift+pageup'), repeat))}"
        )

        counter = iter(range(10**9))

        async def incoming() -> None:
            n = next(counter)
            meta = fake.metas[big]
            line = Line(big, datetime.now(UTC), "patron", "Patron BIG0", sentence(n), f"x-{n}")
            app.post_message(_event(ChatLine(meta, line.text, line)))

        print(f"patron line into the open {lines}-line chat: {stats(await timed(pilot, incoming, repeat))}")
        print(
            f"list redraw with {chats + 1} chats (each second): "
            f"{stats(await timed(pilot, _async(app.refresh_list), repeat))}"
        )
        app.alerts = AlertSettings(repeat_seconds=60)
        ticks = []
        for _ in range(repeat):
            t4 = time.perf_counter()
            app.tick()  # the work of the once-a-second tick: waiting times and repeat alerts
            ticks.append(time.perf_counter() - t4)
        print(f"alert tick, {chats + 1} chats waiting (CPU only):  {stats(ticks)}")

        for n in range(chats):
            fake.leave_message(sentence(n), f"patron{n}@example.org", notify=False)
        await app.desk.reload_followups()

        async def followup_list() -> None:
            await pilot.press("alt+f")

        opened = []
        for _ in range(repeat // 3 or 1):
            opened += await timed(pilot, followup_list, 1)
            await pilot.press("escape")
            await pilot.pause()
        print(f"Alt+F follow-up list with {chats} follow-ups:  {stats(opened)}")

        await pilot.press("f4", *"kirjastokortti")
        await pilot.pause(0.3)
        t3 = time.perf_counter()
        hits = await app.chat_log.search("kirjastokortti")
        print(
            f"FTS search over {lines + chats} lines ({len(hits)} hits): "
            f"{(time.perf_counter() - t3) * 1000:7.1f} ms"
        )


def _event(event):
    from console.app import BackendEvent

    return BackendEvent(event)


def _async(fn: Callable[[], None]) -> Callable[[], Awaitable[None]]:
    async def wrapper() -> None:
        fn()

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(run(args.chats, args.lines, args.repeat))


if __name__ == "__main__":
    main()
