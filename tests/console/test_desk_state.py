"""The desk's rules without a screen: DeskState against the fake back end, plain asserts."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.backend import ChatStateName, Link, Mark
from console.desk_state import DeskState
from console.fake import FakeDesk
from console.log import ChatLog
from console.model import Section

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ME = "tampere@chat.localhost/desk-1"
COLLEAGUE = "tampere@chat.localhost/desk-2"


class Desk:
    """A DeskState wired to a FakeDesk: every event the fake emits is applied at once."""

    def __init__(self, tmp_path: Path) -> None:
        self.now = T0
        self.fake = FakeDesk(ME)
        self.fake.clock = lambda: self.now
        self.state = DeskState(
            self.fake, ChatLog(tmp_path / "log.sqlite3"), clock=lambda: self.now, you="you"
        )
        self.pending: list[object] = []
        self.fake.set_sink(self.pending.append)

    async def settle(self) -> None:
        while self.pending:
            await self.state.on_event(self.pending.pop(0))  # type: ignore[arg-type]

    async def start(self) -> None:
        await self.state.open(365)
        await self.fake.start()
        await self.settle()


@pytest.fixture
async def desk(tmp_path):
    d = Desk(tmp_path)
    await d.start()
    yield d
    await d.state.log.close()


async def test_a_line_is_pending_until_the_bridge_confirms_it(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.fake.confirm = False
    outcome = await desk.state.submit("p-aaaa", "Moi!")
    assert outcome.accepted
    own = desk.state.book.chats["p-aaaa"].lines[-1]
    assert own.sender == "librarian" and own.mark is Mark.SENT and own.pending
    desk.fake.confirm = True
    desk.fake._receipt("p-aaaa", own.msg_id)
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.STORED
    desk.fake.deliver("p-aaaa", own.msg_id)
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.DELIVERED
    desk.fake._receipt("p-aaaa", own.msg_id)  # a late receipt never takes a mark back
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.DELIVERED


async def test_lines_are_held_while_the_bridge_does_not_answer_and_sent_once_when_it_does(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    await desk.fake.accept("p-aaaa")
    desk.fake.set_bridge(False)
    await desk.settle()
    assert not desk.state.can_send
    outcome = await desk.state.submit("p-aaaa", "Odota hetki")
    assert any(n.key == "held_for_bridge" for n in outcome.changes.notices)
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.HELD
    assert desk.fake.sent_ids == []
    desk.fake.set_bridge(True)
    await desk.settle()
    assert desk.fake.sent == [("p-aaaa", "Odota hetki")]
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.STORED


async def test_a_sent_line_lost_with_the_link_is_sent_again_with_the_same_id(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.fake.confirm = False
    await desk.state.submit("p-aaaa", "Moi!")
    line_id = desk.state.book.chats["p-aaaa"].lines[-1].msg_id
    desk.fake.set_link(Link.RECONNECTING, "connection lost")
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.HELD
    desk.fake.confirm = True
    desk.fake.set_link(Link.CONNECTED)
    await desk.settle()
    await desk.state.sync()
    await desk.settle()
    assert desk.fake.sent_ids == [line_id, line_id]
    assert desk.fake.sent == [("p-aaaa", "Moi!")]  # the bridge keeps it once
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.STORED


async def test_a_refused_line_is_marked_failed_and_retried_by_hand(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.fake.confirm = False
    await desk.state.submit("p-aaaa", "Kortin numero 1234")
    line_id = desk.state.book.chats["p-aaaa"].lines[-1].msg_id
    desk.fake.refuse_line("p-aaaa", line_id, "remote-server-timeout")
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.FAILED
    desk.fake.confirm = True
    await desk.state.retry("p-aaaa")
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.STORED
    assert desk.fake.sent_ids == [line_id, line_id]


async def test_an_info_message_is_a_system_line_never_a_librarian_line(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    await desk.fake.accept("p-aaaa")
    await desk.settle()
    outcome = await desk.state.submit("p-aaaa", "/desks")
    assert outcome.accepted
    assert desk.fake.commands == [("p-aaaa", "/desks")] and desk.fake.sent == []
    desk.fake.info("p-aaaa", "Tampere: 2 available")
    await desk.settle()
    chat = desk.state.book.chats["p-aaaa"]
    assert [(line.sender, line.text) for line in chat.lines[-2:]] == [
        ("command", "/desks"),
        ("system", "Tampere: 2 available"),
    ]
    assert chat.meta.owner == ME  # an answer changes nothing about the chat
    logged = await desk.state.log.lines("p-aaaa")
    assert all(line.sender != "librarian" for line in logged)
    assert all(line.text != "/desks" for line in logged)


async def test_a_chat_that_comes_back_reloads_its_transcript(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    await desk.state.load_history("p-aaaa")
    desk.fake.taken_elsewhere("p-aaaa", COLLEAGUE)
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].section(ME) is Section.TAKEN
    desk.fake.colleague_line("p-aaaa", "Kollega vastasi jo tähän.")
    desk.fake.offer_again("p-aaaa")  # the colleague's seat went offline: released to the desk
    await desk.settle()
    chat = desk.state.book.chats["p-aaaa"]
    assert chat.section(ME) is Section.WAITING
    assert not chat.history_loaded
    changes = await desk.state.load_history("p-aaaa")
    assert "p-aaaa" in changes.redraw
    assert "Kollega vastasi jo tähän." in [line.text for line in chat.lines]


async def test_a_colleagues_end_moves_the_chat_to_ended(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.fake.taken_elsewhere("p-aaaa", COLLEAGUE)
    await desk.settle()
    desk.fake.end_elsewhere("p-aaaa")
    await desk.settle()
    assert desk.state.book.chats["p-aaaa"].section(ME) is Section.ENDED


async def test_a_chat_the_bridge_no_longer_lists_ends_at_the_next_refresh(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.fake.taken_elsewhere("p-aaaa", COLLEAGUE)
    await desk.settle()
    desk.fake.metas.pop("p-aaaa")  # ended at the other seat; this seat was not told
    changes = await desk.state.refresh_chats()
    assert "p-aaaa" in changes.chats
    chat = desk.state.book.chats["p-aaaa"]
    assert chat.meta.state is ChatStateName.ENDED and chat.section(ME) is Section.ENDED


async def test_the_unread_total_counts_my_other_chats(desk):
    desk.fake.offer("p-aaaa", "eka")
    desk.fake.offer("p-bbbb", "toka")
    await desk.settle()
    desk.state.select("p-aaaa")
    desk.fake.patron("p-bbbb", "lisää")
    await desk.settle()
    assert desk.state.unread_total() == 2
    desk.state.select("p-bbbb")
    assert desk.state.unread_total() == 0


async def test_lines_held_at_quit_become_the_draft(desk, tmp_path):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.fake.set_link(Link.RECONNECTING, "lost")
    await desk.settle()
    await desk.state.submit("p-aaaa", "ei lähtenyt")
    await desk.state.close()
    log = ChatLog(tmp_path / "log.sqlite3")
    await log.open()
    assert (await log.drafts())["p-aaaa"] == "ei lähtenyt"
    await log.close()
    await desk.state.log.open()


async def test_today_is_the_rosters_day_not_the_machines(tmp_path):
    from zoneinfo import ZoneInfo

    from console.clock import Times

    helsinki = Times("fi", ZoneInfo("Europe/Helsinki"))
    late = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 00.30 on the 24th in Helsinki
    assert helsinki.day(late).day == 24
    assert helsinki.clock(late) == "00.30"
    assert Times("en", ZoneInfo("Europe/Helsinki")).datetime(late) == "24 Nov 2026, 00:30"


# -- architecture ------------------------------------------------------------------------------

CONSOLE = Path(__file__).resolve().parents[2] / "console"
PURE = ["desk_state.py", "model.py", "alerting.py", "alerts.py", "sync.py", "clock.py", "backend.py"]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_desk_state_and_the_model_import_nothing_from_textual():
    for name in PURE:
        found = {m for m in imports(CONSOLE / name) if m.split(".")[0] in ("textual", "rich", "slixmpp")}
        assert not found, f"{name} imports {found}"


def test_no_module_reaches_into_another_modules_private_names():
    """`other._name` only on `self`/`cls`; textual's private API (`_bindings`, …) nowhere."""
    # Chat._ids: the model's own index, rebuilt by DeskState.load_history. `_on_key`: Textual's
    # documented way for a TextArea or Input subclass to take keys before the widget does.
    allowed = {"_ids", "_on_key"}
    offenders = []
    for path in CONSOLE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual._"):
                offenders.append(f"{path.name}: import {node.module}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in allowed
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert offenders == []


async def test_a_line_without_a_receipt_is_sent_again_with_the_same_id_until_stored(desk):
    """A line lost on a dead route (a bridge that died while the desk's link stayed up) gets no
    receipt and no error: after `resend_after` seconds the desk sends it again, same id."""
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    await desk.fake.accept("p-aaaa")
    await desk.settle()
    desk.fake.lose_lines = True
    await desk.state.submit("p-aaaa", "Moi!")
    line_id = desk.state.book.chats["p-aaaa"].lines[-1].msg_id
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.SENT
    desk.now += timedelta(seconds=desk.state.resend_after - 1)
    await desk.state.resend_overdue()
    assert desk.fake.sent_ids == [line_id]  # not yet
    desk.fake.lose_lines = False
    desk.now += timedelta(seconds=2)
    await desk.state.resend_overdue()
    await desk.settle()
    assert desk.fake.sent_ids == [line_id, line_id]
    assert desk.fake.sent == [("p-aaaa", "Moi!")]  # the bridge keeps it once
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.STORED
    desk.now += timedelta(seconds=120)
    await desk.state.resend_overdue()
    assert desk.fake.sent_ids == [line_id, line_id]  # stored lines are never sent again


async def test_resending_can_be_turned_off(desk):
    desk.fake.offer("p-aaaa", "Hei")
    await desk.settle()
    desk.state.resend_after = 0
    desk.fake.lose_lines = True
    await desk.state.submit("p-aaaa", "Moi!")
    desk.now += timedelta(seconds=3600)
    await desk.state.resend_overdue()
    assert len(desk.fake.sent_ids) == 1
    assert desk.state.book.chats["p-aaaa"].lines[-1].mark is Mark.SENT


async def test_the_follow_up_count_includes_one_announced_before_the_list_has_it(desk):
    """The notice comes first and the list is fetched after it: the count never says 0 meanwhile,
    and never counts the same follow-up twice once the list has it."""
    desk.fake.leave_message("Onko kirja hyllyssä?", "matti@example.org")
    await desk.settle()
    assert desk.state.followup_items == [] and desk.state.followups_open() == 1
    await desk.state.reload_followups()
    assert len(desk.state.followup_items) == 1 and desk.state.followups_open() == 1
    desk.state.followups_seen()
    assert desk.state.followups_open() == 1
