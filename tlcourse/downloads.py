"""Checksummed, atomic, cached downloads with progress and clear offline errors.

A download is written to a temporary ``*.part`` file next to its target, verified,
and only then renamed into place, so a partial or corrupt file is never used.
A lock file serialises processes that fetch the same asset at the same time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import filelock
from tqdm.auto import tqdm

FETCH_COMMAND = "python -m tlcourse fetch"
CHUNK = 1 << 20


class AssetUnavailableError(RuntimeError):
    """An asset is missing locally and cannot be downloaded."""


class ChecksumError(RuntimeError):
    """A file does not match its expected SHA-256."""


@dataclasses.dataclass(frozen=True)
class RemoteFile:
    """A file on the internet: name on disk, URL, (when known) SHA-256, and mirrors.

    ``mirrors`` are tried in order when ``url`` keeps failing.
    """

    filename: str
    url: str
    sha256: str | None = None
    mirrors: tuple[str, ...] = ()


def sha256sum(path: Path) -> str:
    """SHA-256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def offline_message(asset: str, where: Path, reason: str) -> str:
    """The one message a learner sees when an asset is missing and unreachable."""
    return (
        f"{asset} is not in {where} and cannot be downloaded ({reason}). "
        f"On a machine with internet access run `{FETCH_COMMAND}` "
        f"(or copy the file there by hand)."
    )


def quarantine(path: Path) -> Path:
    """Move a bad file aside (never delete it) so it is not used again."""
    bad = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
    os.replace(path, bad)
    return bad


def verify(path: Path, sha256: str | None) -> None:
    """Raise ChecksumError (after quarantining the file) when ``path`` is not ``sha256``."""
    if sha256 is None:
        return
    actual = sha256sum(path)
    if actual != sha256:
        bad = quarantine(path)
        raise ChecksumError(
            f"{path.name} is corrupt: SHA-256 {actual[:12]}… instead of {sha256[:12]}…. "
            f"It was moved to {bad} and will not be used; run `{FETCH_COMMAND}` to download "
            "it again."
        )


def file_lock(target: Path) -> filelock.FileLock:
    """An exclusive lock beside ``target`` (other processes wait), on every platform."""
    return filelock.FileLock(target.with_name(f".{target.name}.lock"))


def _stream(url: str, part: Path, description: str, timeout: float) -> None:
    with urllib.request.urlopen(url, timeout=timeout) as response, open(part, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=description) as bar:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                bar.update(len(block))
        if total is not None and out.tell() != total:
            raise urllib.error.URLError(f"connection closed after {out.tell()} of {total} bytes")


def _download(url: str, part: Path, description: str, retries: int,
              timeout: float) -> Exception | None:
    """Stream ``url`` to ``part`` with ``retries`` attempts; the last network error, or None."""
    last_error: Exception | None = None
    for attempt in range(retries):
        try:
            _stream(url, part, description, timeout)
            return None
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            last_error = error
            part.unlink(missing_ok=True)
            if isinstance(error, OSError) and error.errno in (28, 13, 30):
                raise OSError(
                    error.errno,
                    f"Cannot write {part} ({error.strerror}). Free space or point "
                    "TLCOURSE_CACHE / TLCOURSE_DATA at a writable disk with room.",
                ) from error
            if attempt + 1 < retries:
                time.sleep(2**attempt)
    return last_error


def fetch(remote: RemoteFile, folder: Path, retries: int = 3, timeout: float = 30.0) -> Path:
    """Return ``folder/remote.filename``, downloading and verifying it when needed.

    Parameters
    ----------
    remote : RemoteFile
        What to fetch.
    folder : Path
        A writable folder for the file.
    retries : int
        Attempts per URL (the main one, then each mirror) before giving up on network errors.
    timeout : float
        Seconds to wait for the server on each attempt.

    Raises
    ------
    AssetUnavailableError
        No network (or the server keeps failing) and the file is not there.
    ChecksumError
        The downloaded file does not match its SHA-256 (it is quarantined).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / remote.filename
    with file_lock(target):
        if target.exists():
            verify(target, remote.sha256)
            return target
        part = folder / f".{remote.filename}.{os.getpid()}.part"
        errors = []
        for url in (remote.url, *remote.mirrors):
            error = _download(url, part, remote.filename, retries, timeout)
            if error is None:
                break
            errors.append(f"{url}: {error}")
        else:
            raise AssetUnavailableError(
                offline_message(remote.filename, folder, "; ".join(errors))
            ) from error
        verify(part, remote.sha256)
        os.replace(part, target)
        return target


def safe_extract_zip(archive: Path, folder: Path, root: str, source: str | None = None,
                     members: list[str] | None = None) -> Path:
    """Extract the top-level folder ``source`` of ``archive`` to ``folder/root`` atomically.

    ``source`` defaults to ``root``; ``members`` (paths relative to ``source``) keeps only
    those files. Members with absolute paths or ``..`` components are refused before
    anything is written. Extraction happens in a temporary sibling folder; ``folder/root``
    appears only when complete.
    """
    folder, source = Path(folder), source or root
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        for name in names:
            if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
                raise ValueError(
                    f"Refusing to extract {Path(archive).name}: member {name!r} would be "
                    "written outside the target folder. Delete the archive and fetch again."
                )
        wanted = None if members is None else [f"{source}/{member}" for member in members]
        absent = sorted(set(wanted or ()) - set(names))
        if absent:
            raise ValueError(f"{Path(archive).name} lacks {len(absent)} expected file(s), e.g. "
                             f"{absent[0]}. Delete the archive and fetch again.")
        staging = folder / f".{root}.{os.getpid()}.extracting"
        shutil.rmtree(staging, ignore_errors=True)
        bundle.extractall(staging, members=wanted)
    target = folder / root
    if not (staging / source).is_dir():
        shutil.rmtree(staging)
        raise ValueError(f"{Path(archive).name} has no top-level folder {source!r}.")
    if not target.exists():
        os.replace(staging / source, target)
    shutil.rmtree(staging, ignore_errors=True)
    return target
