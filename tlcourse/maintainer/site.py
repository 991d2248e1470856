"""The course site: the executed notebooks built into static HTML with Jupyter Book.

    python -m tlcourse site          # writes executed/site/_build/html/index.html

The notebooks come with their outputs from ``executed/``: the test suite keeps what nbval ran
there (``conftest.py``), and ``python -m tlcourse run`` writes the same files. The front page
is the README's introduction and course map, with each notebook name linked to its page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .launch import repository_slug
from .repository import README, ROOT, notebook_paths

EXECUTED = ROOT / "executed"
SITE = EXECUTED / "site"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
COURSE_MAP = "## Course map"  # the README section that becomes the front page


class MissingNotebooks(FileNotFoundError):
    """Some notebooks have no executed copy to publish."""


def executed_notebooks(executed: Path = EXECUTED) -> list[Path]:
    """The executed copy of every course notebook, in course order."""
    names = [path.name for path in notebook_paths()]
    missing = [name for name in names if not (executed / name).is_file()]
    if missing:
        raise MissingNotebooks(
            f"no executed copy of {', '.join(missing)} in {executed}. Run the notebooks first: "
            "`python -m tlcourse run` (all of them, about 20 minutes on 2 cores) or the test "
            "suite, which keeps what nbval executed.")
    return [executed / name for name in names]


def front_page(readme: str) -> str:
    """The README's title and introduction, then its course map with each notebook name
    linked to the notebook's page."""
    introduction = readme.split("\n## ", 1)[0]
    course_map = readme.split(f"\n{COURSE_MAP}\n", 1)[1].split("\n## ", 1)[0]
    linked = re.sub(r"^\| (\d\d_\w+) \|", r"| [\1](notebooks/\1.ipynb) |", course_map,
                    flags=re.M)
    return f"{introduction.rstrip()}\n\n{COURSE_MAP}\n{linked}"


def publishable(notebook: dict) -> dict:
    """``notebook`` without live widget outputs (progress bars), whose state is not saved:
    a static page would show an empty box or the bar's first frame."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [output for output in cell.get("outputs", [])
                               if WIDGET_VIEW not in output.get("data", {})]
    return notebook


def book_config(slug: str) -> str:
    return f"""title: Transfer learning, hands on
author: tlcourse
copyright: "2026"
only_build_toc_files: true
execute:
  execute_notebooks: "off"
repository:
  url: https://github.com/{slug}
  branch: main
html:
  use_repository_button: true
sphinx:
  config:
    html_show_sphinx: false
"""


def table_of_contents(notebooks: list[Path]) -> str:
    chapters = "".join(f"  - file: notebooks/{path.stem}\n" for path in notebooks)
    return f"format: jb-book\nroot: index\nchapters:\n{chapters}"


def write_book(source: Path, executed: Path = EXECUTED) -> None:
    """Jupyter Book sources in ``source``: config, table of contents, front page, notebooks."""
    notebooks = executed_notebooks(executed)
    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks").mkdir(parents=True)
    (source / "_config.yml").write_text(book_config(repository_slug()))
    (source / "_toc.yml").write_text(table_of_contents(notebooks))
    (source / "index.md").write_text(front_page(README.read_text()))
    for path in notebooks:
        notebook = publishable(json.loads(path.read_text()))
        (source / "notebooks" / path.name).write_text(json.dumps(notebook, ensure_ascii=False))


def build(output: Path = SITE, executed: Path = EXECUTED) -> Path:
    """Build the site under ``output``; returns the folder holding ``index.html``."""
    source = output / "source"
    write_book(source, executed)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    if not jupyter_book.exists():
        raise FileNotFoundError(
            f"{jupyter_book} is missing: install the test extra (pip install -e '.[test]')")
    subprocess.run([str(jupyter_book), "build", str(source), "--path-output", str(output),
                    "--warningiserror", "--quiet"], check=True)
    return output / "_build" / "html"


def run(output: Path = SITE, executed: Path = EXECUTED) -> int:
    try:
        html = build(output, executed)
    except FileNotFoundError as error:  # MissingNotebooks, or no jupyter-book
        print(error)
        return 1
    print(f"site: {html / 'index.html'}")
    return 0
