"""The patron's rating of a chat (the `rating` frame): checked once, stored once per session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bridge.storage import ChatStorage

MAX_COMMENT = 1000


class RatingError(Exception):
    """A rating the bridge refuses; `code` and `message` go into the patron's `error` frame."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Rating:
    """A score from 1 to 5 and an optional comment."""

    score: int
    comment: str | None

    @classmethod
    def from_frame(cls, frame: dict[str, Any]) -> Rating:
        """Parse a `rating` frame; RatingError says what is wrong."""
        score = frame.get("score")
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise RatingError(
                "bad_request", f"`rating` needs `score`: a whole number from 1 to 5, got {str(score)[:40]!r}"
            )
        comment = frame.get("comment")
        if comment is not None and not isinstance(comment, str):
            raise RatingError("bad_request", "`comment` must be text (or left out)")
        if comment is not None and len(comment) > MAX_COMMENT:
            raise RatingError("too_long", f"a comment may have at most {MAX_COMMENT} characters")
        return cls(score, (comment.strip() or None) if comment else None)


async def save_rating(store: ChatStorage, session_id: str, rating: Rating) -> None:
    """Store the session's rating; RatingError `already_rated` if it has one."""
    if not await store.add_rating(session_id, rating.score, rating.comment):
        raise RatingError("already_rated", "this chat has already been rated; thank you")
    await store.add_event(session_id, "rated", data={"score": rating.score})


async def rating_of(store: ChatStorage, session_id: str) -> Rating | None:
    """The stored rating of a session, if any."""
    found = await store.rating(session_id)
    return Rating(*found) if found else None
