"""Who is on duty now, with phone numbers: from the roster file, or the bridge's `desks`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from console.backend import Target

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DutyLine:
    """One row of the duty list: a library or pool heading, or a member library."""

    name: str
    phone: str = ""
    available: int | None = None
    heading: bool = False


class Roster:
    """Names, phones and the duty decision from rota/, when a roster file is configured."""

    def __init__(self, roster: Any | None) -> None:
        self.roster = roster

    @classmethod
    def load(cls, path: Path | None) -> Roster:
        if path is None:
            return cls(None)
        from rota import load_roster  # another package of this project

        return cls(load_roster(path))

    @property
    def timezone(self) -> tzinfo | None:
        """The roster's time zone: every time the console shows is in it (None: no roster)."""
        tz = getattr(self.roster, "timezone", None)
        return tz if isinstance(tz, tzinfo) else None

    def library_name(self, lib_id: str) -> str:
        libs = getattr(self.roster, "libraries", None) or {}
        lib = libs.get(lib_id)
        return str(lib.name) if lib is not None else lib_id

    def phone(self, lib_id: str) -> str:
        libs = getattr(self.roster, "libraries", None) or {}
        lib = libs.get(lib_id)
        return str(getattr(lib, "phone", "") or "") if lib is not None else ""

    def hours(self, lang: str) -> str:
        """The service hours as people read them (for the {hours} placeholder), or ""."""
        if self.roster is None:
            return ""
        from rota.text import hours_text

        return str(hours_text(self.roster, lang))

    def desk_name(self, jid: str) -> str:
        """The display name of the library this account belongs to (else the account's name)."""
        ids = self.ids_of_desk(jid)
        return self.library_name(ids[0]) if ids else jid.split("@", 1)[0]

    def is_coordinator(self, jid: str) -> bool:
        """True when the roster lists this account among its coordinators."""
        bare = jid.split("/", 1)[0].lower()
        return bare in (c.lower() for c in getattr(self.roster, "coordinators", None) or ())

    def ids_of_desk(self, jid: str) -> list[str]:
        """Libraries whose desks include this account, and the pools they belong to."""
        bare = jid.split("/", 1)[0].lower()
        libs = getattr(self.roster, "libraries", None) or {}
        pools = getattr(self.roster, "pools", None) or {}
        mine = [i for i, lib in libs.items() if bare in (d.lower() for d in lib.desks)]
        return mine + [p for p, pool in pools.items() if set(mine) & set(pool.members)]

    def on_duty_ids(self, at: datetime) -> list[str]:
        """Ids on duty now (first the primary, then the fallback chain), or []."""
        if self.roster is None:
            return []
        try:
            from rota.decide import on_duty

            result = on_duty(self.roster, at)
        except Exception:  # the roster's answer is context only; never break the console
            log.exception("rota.decide.on_duty failed")
            return []
        if result is None:
            return []
        if isinstance(result, str):
            return [result]
        for attr in ("id", "target"):
            value = getattr(result, attr, None)
            if isinstance(value, str):
                return [value]
        try:
            return [getattr(x, "id", x) for x in result]
        except TypeError:
            return []

    def duty_lines(self, at: datetime, targets: list[Target]) -> list[DutyLine]:
        """Who is on duty, each pool with its members and their phones."""
        by_id = {t.id: t for t in targets}
        ids = self.on_duty_ids(at) or [t.id for t in targets if t.on_duty]
        pools = getattr(self.roster, "pools", None) or {}
        lines: list[DutyLine] = []
        for duty_id in ids[:1]:
            target = by_id.get(duty_id)
            avail = target.available if target else None
            if duty_id in pools:
                pool = pools[duty_id]
                lines.append(DutyLine(str(getattr(pool, "name", duty_id)), "", avail, True))
                for member in getattr(pool, "members", ()):
                    m = by_id.get(member)
                    lines.append(
                        DutyLine(
                            self.library_name(member),
                            self.phone(member) or (m.phone if m else ""),
                            m.available if m else None,
                        )
                    )
            else:
                name = self.library_name(duty_id)
                if target is not None and name == duty_id:
                    name = target.name
                phone = self.phone(duty_id) or (target.phone if target else "")
                lines.append(DutyLine(name, phone, avail, True))
        return lines
