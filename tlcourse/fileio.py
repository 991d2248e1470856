"""Writing files safely: atomically, under bounded names, only where writing works."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "wb"):
    """Open a temporary file beside ``path`` that replaces ``path`` in one step once written.

    Readers never see a half-written file; a failed write leaves ``path`` as it was.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(partial, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def bounded_name(stem: str, limit: int = 120) -> str:
    """``stem`` itself when it fits ``limit`` bytes (UTF-8), else its start and a hash of it.

    File systems allow 255 bytes per name; a long class or folder name (70 CJK characters
    are 210 bytes) must not make a cache file name longer.
    """
    encoded = stem.encode()
    if len(encoded) <= limit:
        return stem
    start = encoded[:limit - 17].decode(errors="ignore")
    return f"{start}-{hashlib.sha256(encoded).hexdigest()[:16]}"


def remove_orphan_parts(folder: Path) -> None:
    """Delete the ``atomic_file`` temporaries in ``folder`` whose writing process has died."""
    import psutil

    for partial in folder.glob(".*.part"):
        pid = partial.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            partial.unlink(missing_ok=True)


def is_writable(path: Path) -> bool:
    """True when ``path`` has write bits and a file can actually be created in it.

    A folder without write bits counts as read-only even for root, so a shared
    read-only data home is never written to.
    """
    path = Path(path)
    if not path.is_dir() or not path.stat().st_mode & 0o222:
        return False
    probe = path / f".tlcourse-write-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False
