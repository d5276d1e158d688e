"""Tag shares of one period against another period or a survey's distribution."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tags.errors import ReportError
from tags.model import TagSet
from tags.stats import NONE_KEY

EXAMPLE = "shares: {login: 12, loans: 30, other: 8}"


@dataclass(frozen=True)
class Survey:
    """A distribution over tag ids (fractions adding up to 1) from a patron survey or elsewhere."""

    title: str
    shares: dict[str, float]
    note: str = ""


@dataclass(frozen=True)
class ComparisonRow:
    """One tag's count and share now, beside the other period's or the survey's share."""

    tag_id: str
    count: int
    share: float | None
    other_count: int | None
    other_share: float | None

    @property
    def difference(self) -> float | None:
        """Change in percentage points (this − other)."""
        if self.share is None or self.other_share is None:
            return None
        return (self.share - self.other_share) * 100


def load_survey(path: str | Path, tagset: TagSet | None = None) -> Survey:
    """Read a survey YAML file; raises ReportError naming the file and the entry."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read the survey file: {exc}") from exc
    return parse_survey(text, str(path), tagset)


def parse_survey(text: str, source: str = "survey.yaml", tagset: TagSet | None = None) -> Survey:
    """Parse survey YAML: `title`, optional `note`, and `shares` (tag id → percent or count)."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReportError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("shares"), dict):
        raise ReportError(f"{source}: needs a `shares` mapping of tag ids, like: {EXAMPLE}")
    raw: dict[Any, Any] = data["shares"]
    for key, value in raw.items():
        if tagset is not None and tagset.get(str(key)) is None:
            raise ReportError(f"{source}: shares: {key!r} is not a tag id in {tagset.source}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ReportError(f"{source}: shares: {key}: must be a number ≥ 0 (got {value!r})")
    total = sum(raw.values())
    if total <= 0:
        raise ReportError(f"{source}: shares must not all be zero")
    title = str(data.get("title") or Path(source).stem)
    shares = {str(key): value / total for key, value in raw.items()}
    return Survey(title, shares, str(data.get("note") or ""))


def topic_ids(tagset: TagSet | None, *distributions: Mapping[str, float]) -> list[str]:
    """Rows of a comparison: visible topic tags in order, then others that have a value."""
    named = {k for dist in distributions for k, v in dist.items() if v} - {NONE_KEY}
    auto = {tag.id for tag in tagset.tags if tag.auto} if tagset else set()
    ids = [tag.id for tag in tagset.visible if not tag.auto] if tagset else []
    if tagset:
        ids += [tag.id for tag in tagset.tags if tag.removed and tag.id in named - auto]
    first = distributions[0] if distributions else {}
    rest = sorted(named - set(ids) - auto, key=lambda k: (-first.get(k, 0), k))
    return ids + rest


def compare(
    this: Mapping[str, int],
    other: Mapping[str, int] | Survey,
    tagset: TagSet | None = None,
) -> tuple[ComparisonRow, ...]:
    """Rows comparing tag counts with another period's counts or a survey's shares.

    Shares are taken among the rows' tags only (auto tags such as `interrupted` and untagged
    chats left out), so each column adds up to 100 %.
    """
    other_values: Mapping[str, float] = other.shares if isinstance(other, Survey) else other
    ids = topic_ids(tagset, this, other_values)
    total = sum(this.get(i, 0) for i in ids)
    other_total = sum(other_values.get(i, 0) for i in ids)
    rows = []
    for tag_id in ids:
        count = this.get(tag_id, 0)
        value = other_values.get(tag_id, 0)
        rows.append(
            ComparisonRow(
                tag_id=tag_id,
                count=count,
                share=count / total if total else None,
                other_count=None if isinstance(other, Survey) else int(value),
                other_share=value / other_total if other_total else None,
            )
        )
    return tuple(rows)
