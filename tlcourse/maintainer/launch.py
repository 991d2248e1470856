"""Open a notebook in Colab or Kaggle: the launch badges and the install cell of every notebook.

``python -m tlcourse launch`` writes them into the notebooks from the templates below; a test
keeps the notebooks, the README's course map and ``pyproject.toml``'s repository in sync.
"""

from __future__ import annotations

import json
import re
import tomllib
import uuid
from pathlib import Path

from .repository import NOTEBOOKS, ROOT, notebook_paths

# Badges and the install cell use the same revision: a notebook opened from ``main``
# installs the package of ``main``.
REVISION = "main"
BADGES_START, BADGES_END = "<!-- launch:start -->", "<!-- launch:end -->"
INSTALL_MARK = "# Colab / Kaggle: install the course when it is missing"
SOURCE_ENV = "TLCOURSE_SOURCE"


def repository_slug(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """``owner/name`` of the GitHub repository named in ``pyproject.toml``."""
    url = tomllib.loads(pyproject.read_text())["project"]["urls"]["Repository"]
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)/?", url)
    if not match:
        raise ValueError(f"pyproject.toml's Repository URL {url!r} is not a GitHub repository")
    return match.group(1)


def colab_url(notebook: str, slug: str) -> str:
    return f"https://colab.research.google.com/github/{slug}/blob/{REVISION}/notebooks/{notebook}"


def kaggle_url(notebook: str, slug: str) -> str:
    return ("https://kaggle.com/kernels/welcome?src=https://github.com/"
            f"{slug}/blob/{REVISION}/notebooks/{notebook}")


def badges(notebook: str, slug: str) -> str:
    """The Markdown of the two launch badges of ``notebook`` (a file name)."""
    return (f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({colab_url(notebook, slug)}) "
            f"[![Open in Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)]"
            f"({kaggle_url(notebook, slug)})")


def install_cell(slug: str) -> str:
    """The first code cell of every notebook: installs the course only where it is missing."""
    return f'''{INSTALL_MARK} (nothing happens elsewhere).
import importlib.util, os, subprocess, sys

if importlib.util.find_spec("tlcourse") is None:
    from importlib.metadata import requires

    source = os.environ.get("{SOURCE_ENV}", "git+https://github.com/{slug}@{REVISION}")
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["--no-deps", source], check=True)
    # Its requirements, minus what the runtime has: Jupyter, and TensorFlow when present (a GPU
    # build on Colab and Kaggle, where the course then picks its `gpu` profile by itself).
    have = ("jupyterlab", "ipykernel") + (("tensorflow",) if importlib.util.find_spec("tensorflow") else ())
    needed = [r.split(";")[0] if "extra ==" in r else r for r in requires("tlcourse")
              if ("extra ==" not in r or \'"course"\' in r) and not r.startswith(have)]
    subprocess.run(pip + needed, check=True)
    importlib.invalidate_caches()'''


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def apply(path: Path, slug: str) -> bool:
    """Write the badges and the install cell into one notebook, and an id into every cell
    without one; True when it changed."""
    original = path.read_text()
    notebook = json.loads(original)
    cells = notebook["cells"]
    title = "".join(cells[0]["source"])
    block = f"{BADGES_START}\n{badges(path.name, slug)}\n{BADGES_END}"
    if BADGES_START in title:
        title = re.sub(f"{re.escape(BADGES_START)}.*?{re.escape(BADGES_END)}", block, title,
                       flags=re.S)
    else:
        heading, _, rest = title.partition("\n")
        title = f"{heading}\n\n{block}\n{rest}"
    cells[0]["source"] = _lines(title)
    code = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code")
    cell = {"cell_type": "code", "execution_count": None, "id": "install-course", "metadata": {},
            "outputs": [], "source": _lines(install_cell(slug))}
    if "".join(cells[code]["source"]).startswith(INSTALL_MARK):
        cells[code] = cell
    else:
        cells.insert(code, cell)
    for other in cells:  # nbformat 4.5: every cell has an id (a new cell gets one here)
        other.setdefault("id", uuid.uuid4().hex[:8])
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    if text == original:
        return False
    path.write_text(text)
    return True


def apply_all(folder: Path = NOTEBOOKS) -> list[str]:
    """Write badges and install cells into every notebook; returns the names it changed."""
    slug = repository_slug()
    return [path.name for path in notebook_paths(folder) if apply(path, slug)]
