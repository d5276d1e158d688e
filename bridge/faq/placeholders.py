"""`{name}` placeholders: found and filled without ever raising on odd braces."""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def names(template: str) -> set[str]:
    """The placeholder names a template uses."""
    return set(PLACEHOLDER.findall(template))


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace `{name}` by its value; unknown names and stray braces stay as written."""

    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return PLACEHOLDER.sub(one, template)


def pick(texts: Mapping[str, str], lang: str) -> str:
    """The text in `lang`, else English, Finnish, Swedish, else any; "" when there is none."""
    for code in (lang, "en", "fi", "sv"):
        text = texts.get(code)
        if text:
            return text
    return next((text for text in texts.values() if text), "")
