"""Maintainer tooling, apart from what notebooks and learners import.

``runner`` executes notebooks headless (``python -m tlcourse run``), ``bench`` measures the
course against its baselines (``bench``), ``cardgen`` reruns notebooks over seeds and writes
the expected-results cards and the README's results table (``cards``).
"""

from pathlib import Path


def replace_between_markers(path: Path, start: str, end: str, content: str) -> None:
    """Replace what lies between the lines ``start`` and ``end`` of file ``path``."""
    text = path.read_text()
    if start not in text or end not in text:
        raise ValueError(f"{path} lacks the markers {start} … {end}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{content}\n{end}{tail}")

