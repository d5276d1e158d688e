"""Pure helpers: stanza parsing, wrapping, safe text, the chat book."""

from __future__ import annotations

from datetime import UTC, datetime

from console.backend import ChatLine, ChatOffered, ChatStateName, ChatTaken
from console.canned import Canned
from console.model import ChatBook, Section
from console.stanzas import chat_event, command_result, parse_meta, targets
from console.text import clean
from console.widgets.wrap import wrap_spans

ME = "tampere@chat.example/desk-1"


def test_parse_meta() -> None:
    meta = parse_meta(
        {
            "session": "p-1",
            "library": "tampere",
            "state": "queued",
            "owner": "",
            "kind": "offer",
            "position": "2",
            "tags": "login,loans",
            "waiting_since": "2026-11-23T10:15:02.123Z",
        }
    )
    assert meta.state is ChatStateName.QUEUED and meta.position == 2
    assert meta.tags == ("login", "loans")
    assert meta.waiting_since == datetime(2026, 11, 23, 10, 15, 2, 123000, tzinfo=UTC)


def test_line_event_strips_the_sender_prefix() -> None:
    ev = chat_event(
        {"session": "p-1", "kind": "line", "sender": "bot", "msg_id": "m-1"},
        "[bot] Aukioloajat löydät sivulta.",
    )
    assert isinstance(ev, ChatLine) and ev.line is not None
    assert ev.line.text == "Aukioloajat löydät sivulta." and ev.line.msg_id == "m-1"
    patron = chat_event({"session": "p-1", "kind": "line", "sender": "patron"}, "[bot] hi")
    assert patron.line.text == "[bot] hi"


def test_results_and_rows() -> None:
    r = command_result({"status": "ok", "message": ["one", "two"], "tags": ["a", "b"]})
    assert r.ok and r.message == "one\ntwo" and r.fields["tags"] == ["a", "b"]
    t = targets(
        [
            {
                "id": "nokia",
                "kind": "library",
                "name": "Nokia",
                "available": "2",
                "seats": "a@x/1,b@x/2",
                "on_duty": "1",
                "phone": "03",
            }
        ]
    )[0]
    assert t.available == 2 and t.seats == ("a@x/1", "b@x/2") and t.on_duty


def test_clean_makes_controls_visible() -> None:
    assert clean("a\x1b[2Jb\x07\tc\u202eevil") == "a␛[2Jb␇    c\ufffdevil"
    assert clean("rivi 1\r\nrivi 2") == "rivi 1\nrivi 2"


def test_wrap_spans() -> None:
    text = "Hei, miten voin uusia lainani verkkokirjastossa?"
    spans = wrap_spans(text, 20, 12)
    pieces = [text[s:e] for s, e in spans]
    assert "".join(pieces) == text
    assert all(len(p.rstrip()) <= 20 for p in pieces) and len(pieces[0].rstrip()) <= 12
    assert wrap_spans("x" * 45, 20) == [(0, 20), (20, 40), (40, 45)]
    assert wrap_spans("漢字" * 10, 10) == [(0, 5), (5, 10), (10, 15), (15, 20)]


def test_chat_book_sections() -> None:
    from console.backend import ChatMeta, Line

    book = ChatBook(ME)
    meta = ChatMeta("p-1", library="tampere", kind="offer")
    book.apply(ChatOffered(meta))
    line = Line("p-1", datetime.now(UTC), "patron", "P", "Hei", "m1")
    book.apply(ChatLine(meta, "Hei", line), active=None)
    book.apply(ChatLine(meta, "Hei", line), active=None)  # a resent line counts once
    chat = book.chats["p-1"]
    assert chat.unread == 1 and chat.first_line == "Hei"
    assert chat.section(ME) is Section.WAITING
    book.apply(ChatTaken(ChatMeta("p-1", owner="tampere@chat.example/desk-2", state=ChatStateName.ACTIVE)))
    assert chat.section(ME) is Section.TAKEN and chat.meta.library == "tampere"


def test_canned_placeholders() -> None:
    c = Canned("k", {"fi": "Otsikko"}, {"fi": "Terveisin {desk} / {library} {unknown}"})
    assert c.render("en", {"desk": "Tampere", "library": "Nokia"}) == "Terveisin Tampere / Nokia {unknown}"


def test_merge_lines_across_sources_keeps_repeats() -> None:
    from datetime import timedelta

    from console.backend import Line
    from console.model import merge_lines

    t = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    live = [
        Line("p", t + timedelta(seconds=2), "patron", "P", "ok", "m1"),
        Line("p", t + timedelta(seconds=9), "librarian", "you", "Hei", "x1"),
    ]
    bridge = [
        Line("p", t, "patron", "P", "ok\n"),
        Line("p", t + timedelta(seconds=5), "patron", "P", "ok"),
        Line("p", t + timedelta(seconds=8), "librarian", "Tampere", "Hei"),
    ]
    merged = merge_lines(bridge, live, [Line("p", t, "patron", "P", "ok")])
    assert [(m.sender, m.text.strip()) for m in merged] == [
        ("patron", "ok"),
        ("patron", "ok"),
        ("librarian", "Hei"),
    ]


def test_sync_takes_only_this_desks_chats_and_ends_vanished_ones() -> None:
    from console.backend import ChatMeta, ChatSummary, Target
    from console.sync import apply_summaries, my_targets

    book = ChatBook(ME)
    book.apply(ChatOffered(ChatMeta("p-gone", library="tampere")))
    book.apply(ChatOffered(ChatMeta("p-moved", library="tampere")))
    targets = my_targets(
        [
            Target("tampere", "library", "Tampere", 1, (ME,)),
            Target("nokia", "library", "Nokia", 1, ("nokia@chat.example/d",)),
        ],
        ME,
    )
    assert targets == {"tampere"}
    apply_summaries(
        book,
        [
            ChatSummary("p-new", ChatStateName.QUEUED, "tampere", "tampere"),
            ChatSummary("p-other", ChatStateName.QUEUED, "nokia", "nokia"),
            ChatSummary("p-moved", ChatStateName.QUEUED, "tampere", "nokia"),
            ChatSummary(
                "p-seat2", ChatStateName.ACTIVE, "akaa", "pool-1", owner="tampere@chat.example/desk-2"
            ),
        ],
        targets,
    )
    assert set(book.chats) == {"p-gone", "p-moved", "p-new", "p-seat2"}
    assert book.chats["p-gone"].section(ME) is Section.ENDED
    assert book.chats["p-moved"].transferred_to == "nokia"
    assert book.chats["p-new"].section(ME) is Section.WAITING
    assert book.chats["p-seat2"].section(ME) is Section.TAKEN


def test_duty_lines_list_a_pools_members_with_phones() -> None:
    from pathlib import Path

    from console.duty import Roster

    roster = Roster.load(Path(__file__).parents[1] / "data" / "rota.yaml")
    tuesday_noon = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    lines = roster.duty_lines(tuesday_noon, [])
    assert lines[0].heading and lines[0].name == "Pool 1"
    assert [(x.name, x.phone) for x in lines[1:]] == [
        ("Akaa", "040 335 3600"),
        ("Hämeenkyrö", "050 390 4211"),
        ("Ikaalinen", ""),
    ]
    assert roster.ids_of_desk("akaa@chat.localhost/desk-1") == ["akaa", "pool-1"]
    assert roster.duty_lines(datetime(2026, 12, 24, 10, 0, tzinfo=UTC), []) == []
