"""The catalog of desk texts: every text in Finnish, Swedish and English, with the same placeholders."""

from __future__ import annotations

import pytest

from bridge.desklang import LANGS, TEXTS, Say, choose, placeholders, render, said, say


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_is_in_every_language_with_the_same_placeholders(key: str) -> None:
    texts = TEXTS[key]
    assert set(texts) == set(LANGS)
    assert all(texts[lang].strip() for lang in LANGS)
    english = placeholders(texts["en"])
    for lang in LANGS:
        assert placeholders(texts[lang]) == english, (key, lang)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_renders_in_every_language(key: str) -> None:
    values = {name: f"<{name}>" for name in placeholders(TEXTS[key]["en"])}
    rendered = {lang: say(lang, key, **values) for lang in LANGS}
    for lang, text in rendered.items():
        assert "{" not in text.replace("{}", "") or key == "help", (key, lang, text)
        assert all(v in text or f"'{v}'" in text for v in values.values()), (key, lang, text)


def test_finnish_and_swedish_are_not_english() -> None:
    same = [k for k, t in TEXTS.items() if t["fi"] == t["en"] or t["sv"] == t["en"]]
    # the ones that are only symbols, names or commands may be the same
    assert set(same) <= {"sender.system", "chats.row", "followups.row", "followups.keys"}, same


def test_english_is_what_the_bridge_said_before() -> None:
    assert say("en", "reply.not_sent", why="x") == "Not sent: x"
    assert say("en", "chat.not_found", session="p-1") == (
        "No chat 'p-1'; /chats or the `chats` command lists them."
    )
    assert say("en", "taken", nick="Patron 7F3K", seat="a@b/c") == "Patron 7F3K: taken by a@b/c."


def test_choose_takes_the_first_known_language_else_finnish() -> None:
    assert choose("sv", "en") == "sv"
    assert choose("sv-FI") == "sv"
    assert choose("EN_gb") == "en"
    assert choose("de", "", None, "en") == "en"
    assert choose("de", None) == "fi"
    assert choose() == "fi"


def test_a_say_renders_per_language_with_nested_texts() -> None:
    text = said("reply.not_sent", why=said("chat.ended"))
    assert isinstance(text, Say)
    assert render(text, "sv") == "Inte skickat: Chatten har avslutats."
    assert render(text, "en") == "Not sent: This chat has ended."
    assert render("as is", "sv") == "as is"


def test_an_unknown_language_falls_back_to_finnish() -> None:
    assert say("de", "chat.ended") == TEXTS["chat.ended"]["fi"]


def test_the_catalog_has_no_io() -> None:
    import ast
    from pathlib import Path

    import bridge.desklang

    tree = ast.parse(Path(bridge.desklang.__file__).read_text(encoding="utf-8"))
    imported = {
        (n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert imported <= {"__future__", "string", "collections", "dataclasses"}, imported
