"""Where the course reads and writes.

Two environment variables place the course's files, scikit-learn style:

``TLCOURSE_DATA``
    The data home: where datasets live. May be read-only (one copy shared by a
    whole class); downloads then go to the cache. Default ``~/tlcourse_data``.
``TLCOURSE_CACHE``
    A writable cache for decoded images, features and results.
    Default ``~/.cache/tlcourse``.

Keras' own ``KERAS_HOME`` (default ``~/.keras``) holds pretrained weights.
"""

from __future__ import annotations

import os
from pathlib import Path

from .fileio import is_writable, remove_orphan_parts

DATA_ENV = "TLCOURSE_DATA"
CACHE_ENV = "TLCOURSE_CACHE"


def data_home() -> Path:
    """Where datasets are looked for first (may be read-only)."""
    return Path(os.environ.get(DATA_ENV) or Path.home() / "tlcourse_data").expanduser()


def cache_root() -> Path:
    """The cache's top folder (not created here)."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "tlcourse").expanduser()


def cache_dir(*parts: str) -> Path:
    """A writable cache folder (created on demand), e.g. ``cache_dir("features")``.

    Temporaries left there by killed writers (``atomic_file``) are removed.
    """
    root = cache_root()
    path = root.joinpath(*parts)
    fix = (f"Point {CACHE_ENV} at a writable folder, e.g. "
           f"export {CACHE_ENV}=/tmp/$USER/tlcourse-cache")
    try:
        root.mkdir(parents=True, exist_ok=True)
        if is_writable(root):
            path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PermissionError(f"The tlcourse cache {path} cannot be created "
                              f"({error.strerror}). {fix}") from error
    if not (is_writable(root) and is_writable(path)):
        raise PermissionError(f"The tlcourse cache {path} is not writable. {fix}")
    remove_orphan_parts(path)
    return path


def keras_home() -> Path:
    """Keras' own folder; pretrained weights live in its ``models/`` subfolder."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()
