"""Picks up edited tag, roster and FAQ files without a restart; a broken edit keeps the old one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class FileWatch:
    """Remembers each file's modification time and reloads it when that changes."""

    stamps: dict[Path, float] = field(default_factory=dict)

    def prime(self, paths: list[Path | None]) -> None:
        """Remember the files as they were when they were loaded."""
        for path in paths:
            self.changed(path)

    def changed(self, path: Path | None) -> bool:
        if path is None:
            return False
        try:
            stamp = path.stat().st_mtime
        except OSError:
            return False
        before = self.stamps.setdefault(path, stamp)
        if stamp == before:
            return False
        self.stamps[path] = stamp
        return True

    def reload(self, svc: Any) -> None:
        """Reload what changed into `svc` (the bridge's Services)."""
        from rota import load_roster
        from tags import load_tags

        cfg = svc.config
        self._one(cfg.tags, load_tags, lambda v: setattr(svc, "tagset", v), "tags")
        self._one(cfg.rota, load_roster, lambda v: setattr(svc, "roster", v), "roster")
        if cfg.faq is not None or cfg.canned is not None:
            from bridge.faq import load_canned, load_faq

            load = partial(load_faq, matcher=cfg.faq_matcher, cache_dir=cfg.faq_cache)
            self._one(cfg.faq, load, lambda v: setattr(svc, "faq", v), "FAQ")
            self._one(cfg.canned, load_canned, lambda v: setattr(svc, "canned", tuple(v)), "canned answers")

    def _one(self, path: Path | None, load: Any, apply: Any, what: str) -> None:
        if not self.changed(path):
            return
        try:
            apply(load(path))
            log.info("reloaded the %s from %s", what, path)
        except Exception as e:  # a broken edit must not stop the service
            log.error("kept the previous %s: %s", what, e)
