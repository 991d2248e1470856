"""Maintainer tooling, apart from what notebooks and learners import.

``runner`` executes notebooks headless (``python -m tlcourse run``), ``bench`` measures the
course against its baselines (``bench``), ``cardgen`` reruns notebooks over seeds and writes
the expected-results cards and the README's results table (``cards``); ``repository`` holds
the checkout's paths, its notebooks in course order and its commit.
Benchmark records (one JSON file per full run) are written and read by the two helpers below.
"""

import json
from pathlib import Path


def replace_between_markers(path: Path, start: str, end: str, content: str) -> None:
    """Replace what lies between the lines ``start`` and ``end`` of file ``path``."""
    text = path.read_text()
    if start not in text or end not in text:
        raise ValueError(f"{path} lacks the markers {start} … {end}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{content}\n{end}{tail}")



def save_record(report: dict, folder: Path) -> Path:
    """Write ``report`` as ``folder/<date>_<code>.json``: one committed benchmark record."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report['date'].replace(':', '')}_{report['code']}.json"
    path.write_text(json.dumps(report, indent=1))
    return path


def read_records(folder: Path) -> list[dict]:
    """Every benchmark record in ``folder``, oldest first."""
    return sorted((json.loads(path.read_text()) for path in folder.glob("*.json")),
                  key=lambda record: record["date"])
