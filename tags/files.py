"""Safe rewriting of the tag file: one editor at a time, atomic replace, fsync."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tags.errors import TagError
from tags.loading import parse_tags
from tags.model import TagSet


def atomic_write(path: str | Path, text: str) -> None:
    """Replace the file's content at once: readers see the old or the new file, never a part."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def edit_tags_file(path: str | Path, edit: Callable[[str, str], str]) -> TagSet:
    """Apply `edit(text, source)` to the file under a lock and write the result atomically."""
    path = Path(path)
    with _locked(Path(os.path.realpath(path)).parent):
        try:
            text = path.read_text(encoding="utf-8") if path.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise TagError(f"{path}: cannot read the tag file: {exc}") from exc
        new_text = edit(text, str(path))
        tagset = parse_tags(new_text, str(path))
        if new_text != text:
            try:
                atomic_write(path, new_text)
            except OSError as exc:
                raise TagError(f"{path}: cannot write the tag file: {exc}") from exc
    return tagset


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    # Lock the folder, not the file: the file is replaced by a new inode on every write.
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
