"""The widget's panel page in the patron's language from the first byte, and what embed.js
asks the bridge before it shows a launcher (is this site allowed, whom to call otherwise)."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from rota.model import Roster

WIDGET_ROOT = Path(__file__).resolve().parent.parent / "web_embed" / "widget"
LANGS = ("fi", "sv", "en")
DEFAULT_LANG = "en"

# Elements of index.html whose text is a translation: <tag … data-i18n="key" …>text</tag>.
_TEXT = re.compile(r'(<(\w+)\b[^>]*\bdata-i18n="(\w+)"[^>]*>)(.*?)(</\2>)', re.DOTALL)
_PLACEHOLDER = re.compile(r'\bdata-i18n-placeholder="(\w+)"')
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_HTML_LANG = re.compile(r'<html lang="\w+">')


def pick_lang(query: str | None, accept_language: str | None) -> str:
    """`?lang=` if it is one of ours, else the best of the frame request's Accept-Language."""
    if query and query[:2].lower() in LANGS:
        return query[:2].lower()
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag[:2].lower() in LANGS and q > 0:
            ranked.append((-q, i, tag[:2].lower()))
    return min(ranked)[2] if ranked else DEFAULT_LANG


@cache
def _texts(path: Path, mtime: float) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def texts(root: Path = WIDGET_ROOT) -> dict[str, dict[str, str]]:
    """web_embed/widget/texts.json, the panel's texts in every language (re-read when edited)."""
    path = root / "texts.json"
    return _texts(path, path.stat().st_mtime)


def render_panel(lang: str, root: Path = WIDGET_ROOT) -> str:
    """index.html with `lang`, the title and every `data-i18n` text filled in."""
    table = texts(root)
    own, fallback = table.get(lang, {}), table[DEFAULT_LANG]

    def t(key: str) -> str:
        return html.escape(own.get(key) or fallback.get(key) or "", quote=True)

    page = (root / "index.html").read_text(encoding="utf-8")
    page = _HTML_LANG.sub(f'<html lang="{lang}">', page, count=1)
    page = _TITLE.sub(f"<title>{t('title')}</title>", page, count=1)
    page = _TEXT.sub(lambda m: f"{m[1]}{t(m[3])}{m[5]}", page)
    return _PLACEHOLDER.sub(lambda m: f'{m[0]} placeholder="{t(m[1])}"', page)


def embed_config(roster: Roster, library: str | None, origin: str | None, allowed: bool) -> dict[str, Any]:
    """What embed.js needs before it adds a launcher: may this origin embed the chat, and the
    library's own contact details for when the chat cannot be shown."""
    body: dict[str, Any] = {"allowed": allowed, "origin": origin}
    lib = roster.libraries.get(library or "")
    if lib is not None:
        contact = {"id": lib.id, "name": lib.name, "phone": lib.phone, "url": lib.url}
        contact["email"] = getattr(lib, "email", None)  # the roster may carry one
        body["library"] = {k: v for k, v in contact.items() if v}
    else:
        body["library"] = None
    return body
