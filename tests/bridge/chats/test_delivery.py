"""Lines to patron sockets by cursor: each socket gets what it lacks, once, in order."""

from __future__ import annotations

from typing import Any

from bridge.chats.live import LiveChats
from bridge.chats.patrons import PatronLinks
from bridge.storage import ChatMessage


class Link:
    """A patron socket that records its frames."""

    def __init__(self, cursor: int | None = 0, *, broken: bool = False) -> None:
        self.cursor = cursor
        self.frames: list[dict[str, Any]] = []
        self.broken = broken

    @property
    def closed(self) -> bool:
        return False

    async def send(self, frame: dict[str, Any]) -> None:
        if self.broken:
            raise ConnectionResetError("gone")
        self.frames.append(frame)

    def ids(self) -> list[str]:
        return [f["id"] for f in self.frames]


def line(number: int, sender: str = "librarian") -> ChatMessage:
    """The chat's line `number`; its row id runs backwards: only line numbers are in commit order."""
    ts = "2026-11-23T10:00:00.000Z"
    return ChatMessage(100 - number, "p-a", f"m{number}", sender, "Desk", None, f"line {number}", ts, number)


async def test_a_socket_gets_the_lines_after_its_cursor_once_and_never_its_own_or_notes() -> None:
    links = PatronLinks(LiveChats())
    link = Link(cursor=1)
    links.attach("p-a", link)
    lines = [line(1), line(2, "patron"), line(3), line(4, "note"), line(5, "bot")]
    sent = await links.deliver(links.behind("p-a", 5), lines)
    assert link.ids() == ["m3", "m5"] and [m.line for m in sent] == [3, 5]
    assert link.cursor == 5
    assert links.behind("p-a", 5) == []
    assert await links.deliver([link], lines) == []  # told again: nothing goes twice
    assert link.ids() == ["m3", "m5"]


async def test_each_socket_is_caught_up_from_its_own_cursor() -> None:
    links = PatronLinks(LiveChats())
    old, new, welcoming = Link(cursor=1), Link(cursor=3), Link(cursor=None)
    for link in (old, new, welcoming):
        links.attach("p-a", link)
    behind = links.behind("p-a", 4)
    assert set(map(id, behind)) == {id(old), id(new)}  # a socket whose welcome is on its way waits
    await links.deliver(behind, [line(4), line(2), line(3)])
    assert old.ids() == ["m2", "m3", "m4"]
    assert new.ids() == ["m4"]
    assert welcoming.frames == []


async def test_a_broken_socket_does_not_stop_the_others_and_keeps_its_place() -> None:
    links = PatronLinks(LiveChats())
    broken, fine = Link(cursor=0, broken=True), Link(cursor=0)
    links.attach("p-a", broken)
    links.attach("p-a", fine)
    await links.deliver([broken, fine], [line(1), line(2)])
    assert fine.ids() == ["m1", "m2"]
    assert broken.cursor == 0


async def test_fields_known_only_to_the_writer_go_with_its_line() -> None:
    links = PatronLinks(LiveChats())
    link = Link()
    links.attach("p-a", link)
    await links.deliver([link], [line(1, "bot")], {"m1": {"faq": "renew"}})
    assert link.frames[0]["faq"] == "renew" and link.frames[0]["from"] == "bot"
