"""Cached arrays that heal themselves: written atomically, validated on load, rebuilt when bad.

Each ``name.npy`` has a ``name.json`` beside it holding its size in bytes and a CRC-32 of
its contents, plus whatever the caller stores there. A file that fails validation
(truncated, damaged, unreadable metadata) is reported once by path and deleted with its
metadata; the caller then rebuilds it. Files written before checksums existed are adopted
when their size matches their ``.npy`` header.
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

import numpy as np

from . import fileio, folders

_checked: set[tuple[str, int, int]] = set()  # (path, size, mtime) validated in this process


def metadata_path(path: Path) -> Path:
    """The ``.json`` metadata file beside the cached array ``path``."""
    return path.with_suffix(".json")


def checksum(path: Path) -> str:
    """CRC-32 of the file's bytes, as 8 hex digits (about 1.5 GB/s)."""
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(16 * 2**20):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def _stamp(path: Path) -> tuple[str, int, int]:
    status = path.stat()
    return str(path), status.st_size, status.st_mtime_ns


def _header_size(path: Path) -> int | None:
    """The file size the ``.npy`` header promises, or None when the header is unreadable."""
    try:
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, _, dtype = read_header(handle)
            return handle.tell() + int(np.prod(shape)) * dtype.itemsize
    except (ValueError, OSError):
        return None


def _write_metadata(path: Path, metadata: dict) -> dict:
    metadata = {**metadata, "file_bytes": path.stat().st_size, "crc32": checksum(path)}
    with fileio.atomic_file(metadata_path(path), "w") as handle:
        handle.write(json.dumps(metadata))
    _checked.add(_stamp(path))
    return metadata


def save(path: Path, array: np.ndarray, **metadata) -> dict:
    """Write ``array`` to ``path`` and its metadata (``metadata``, size, checksum), atomically."""
    with fileio.atomic_file(path) as handle:
        np.save(handle, array, allow_pickle=False)
    return _write_metadata(path, metadata)


def _problem(path: Path) -> tuple[str | None, dict]:
    """Why ``path`` cannot be trusted (None when it can), and its metadata."""
    try:
        metadata = json.loads(metadata_path(path).read_text())
    except FileNotFoundError:
        metadata = {}
    except (ValueError, UnicodeDecodeError):
        return f"has unreadable metadata ({metadata_path(path).name})", {}
    size = path.stat().st_size
    if "crc32" not in metadata:  # written before checksums: adopted when its size is right
        expected = _header_size(path)
        if expected != size:
            return f"is {size:,} bytes, not the {expected or 0:,} its header promises", {}
        return None, _write_metadata(path, metadata)
    if metadata["file_bytes"] != size:
        return f"is {size:,} bytes, not the {metadata['file_bytes']:,} written", {}
    if _stamp(path) not in _checked:
        if checksum(path) != metadata["crc32"]:
            return "does not match its checksum (its contents were damaged)", {}
        _checked.add(_stamp(path))
    return None, metadata


def load(path: Path, mmap: bool = True) -> tuple[np.ndarray, dict] | None:
    """The validated array at ``path`` and its metadata; None when it must be (re)built.

    A file failing validation is reported on stderr by path and deleted, with its metadata.
    """
    if not path.exists():
        return None
    problem, metadata = _problem(path)
    if problem is None:
        try:
            return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False), metadata
        except (ValueError, OSError, EOFError) as error:
            problem = f"cannot be read ({error})"
    print(f"tlcourse cache: {path} {problem}; deleted, rebuilding it.", file=sys.stderr)
    path.unlink(missing_ok=True)
    metadata_path(path).unlink(missing_ok=True)
    return None


# Cache folders whose files are rebuilt on demand from the photos and weights.
REBUILT_FOLDERS = ("arrays", "features")


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def describe_cache(clear: bool = False) -> str:
    """What the cache holds, per folder; with ``clear``, delete the ``REBUILT_FOLDERS`` first.

    Downloads, results and saved models are kept: they are not rebuilt by themselves.
    """
    import shutil

    root = folders.cache_root()
    lines = [f"tlcourse cache: {root} (set {folders.CACHE_ENV} to move it)"]
    subfolders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for folder in subfolders:
        size = f"{_size(folder) / 2**20:,.1f} MB"
        if clear and folder.name in REBUILT_FOLDERS:
            shutil.rmtree(folder)
            lines.append(f"  {folder.name}/: {size} deleted (rebuilt when next needed)")
        else:
            kept = " kept" if clear else ""
            lines.append(f"  {folder.name}/: {size}{kept}")
    if not subfolders:
        lines.append("  empty")
    return "\n".join(lines)
