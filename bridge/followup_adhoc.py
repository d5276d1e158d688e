"""XEP-0050 nodes for follow-ups and forwarding: `followups`, `followup-claim`,
`followup-answer`, `followup-close`, `forward` (docs/followups.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bridge.errors import CommandError
from bridge.followup import Followups
from bridge.forward import forward_transcript

if TYPE_CHECKING:
    from slixmpp.plugins.xep_0004 import Form

    from bridge.adhoc import AdhocCommands

COLUMNS = ("id", "library", "ts", "text", "contact", "status", "claimed_by")


class FollowupCommands:
    """Runners and form fields of the follow-up nodes, added to AdhocCommands' table."""

    def __init__(self, adhoc: AdhocCommands) -> None:
        self.adhoc = adhoc
        self.service = adhoc.actions.service

    def table(self) -> list[tuple[str, str, tuple[str, ...], Any]]:
        # `followups` has no form: it lists at once; `scope` and `status` may come in a submitted form.
        return [
            ("followups", "Follow-ups (left messages)", (), self.listing),
            ("followup-claim", "Claim a follow-up", ("id",), self.claim),
            ("followup-answer", "Answer a follow-up", ("id", "text"), self.answer),
            ("followup-close", "Close a follow-up", ("id",), self.close),
            ("forward", "Forward a transcript by e-mail", ("session", "recipient", "text"), self.forward),
        ]

    def add_fields(self, form: Form, node: str, fields: tuple[str, ...]) -> None:
        """Fields of these nodes that the shared input form does not build, and their labels."""
        have = form.get_fields()
        if "id" in fields and "id" not in have:
            form.add_field(
                var="id",
                ftype="text-single",
                required=True,
                label="Follow-up number (see the followups command)",
            )
        if "recipient" in fields:
            form.add_field(
                var="recipient", ftype="text-single", required=True, label="Library id or e-mail address"
            )
        have = form.get_fields()
        if "text" in have and node == "followup-answer":
            have["text"]["label"] = "Answer (sent by e-mail when the patron left an address)"
        if "text" in have and node == "forward":
            have["text"]["label"] = "Covering note (optional)"
            have["text"]["required"] = False

    def _followups(self) -> Followups:
        return Followups(self.service)

    async def listing(self, seat: str, v: dict[str, Any]) -> Form:
        found = await self._followups().listing(seat, _opt(v, "scope"), _opt(v, "status"))
        rows = [
            {
                "id": str(f.id),
                "library": f.library,
                "ts": f.ts,
                "text": f.text,
                "contact": f.contact or "",
                "status": f.status.value,
                "claimed_by": f.claimed_by or "",
            }
            for f in found
        ]
        return self.adhoc._table(f"{len(rows)} follow-up(s)", COLUMNS, rows)

    async def claim(self, seat: str, v: dict[str, Any]) -> Form:
        return self.adhoc._result("ok", await self._followups().claim(seat, _required(v, "id")))

    async def answer(self, seat: str, v: dict[str, Any]) -> Form:
        text = _multi(v, "text")
        return self.adhoc._result("ok", await self._followups().answer(seat, _required(v, "id"), text))

    async def close(self, seat: str, v: dict[str, Any]) -> Form:
        return self.adhoc._result("ok", await self._followups().close(seat, _required(v, "id")))

    async def forward(self, seat: str, v: dict[str, Any]) -> Form:
        message = await forward_transcript(
            self.service, seat, _required(v, "session"), _required(v, "recipient"), _multi(v, "text")
        )
        return self.adhoc._result("ok", message)


def _opt(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _required(values: dict[str, Any], key: str) -> str:
    value = _opt(values, key)
    if not value:
        raise CommandError(f"The form field {key!r} is required.")
    return value


def _multi(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    return str(value or "")
