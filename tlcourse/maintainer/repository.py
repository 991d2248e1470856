"""The course repository: its paths, its notebooks in course order, its commit and versions."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "solutions"
README = ROOT / "README.md"
INSTRUCTOR = ROOT / "docs" / "instructor.md"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The course's notebooks in ``folder``, in course order; without one, those beside the
    package in a clone, else in ./notebooks.

    Raises FileNotFoundError naming both places when neither holds any (as after a
    non-editable ``pip install``, run outside the course folder).
    """
    if folder is not None:
        return sorted(folder.glob(NOTEBOOK_GLOB))
    places = [NOTEBOOKS, Path.cwd() / "notebooks"]
    for place in places:
        found = notebook_paths(place)
        if found:
            return found
    raise FileNotFoundError(
        f"No course notebooks in {' or '.join(map(str, places))}. Run this from the course "
        "folder (the one holding notebooks/), or name the notebooks to run.")


def commit(root: Path = ROOT) -> str | None:
    """The checkout's git commit (``+`` when it has uncommitted changes), or None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, text=True, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+" if dirty.strip() else "")


def versions() -> dict[str, str]:
    """Python, Keras and the backend's versions of this process."""
    import platform

    import keras

    backend = keras.backend.backend()
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend, backend)
    return {"python": platform.python_version(), "keras": keras.__version__,
            backend: __import__(module).__version__}
