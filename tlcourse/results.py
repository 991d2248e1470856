"""Record measured results so later notebooks, cards and tables can use them.

Each notebook writes ``<cache>/results/<notebook>.json``: name → value with the
profile, backend, machine and date of the run that measured it.
"""

from __future__ import annotations

import datetime
import json
import os
import platform

from . import fileio, folders, settings


def machine() -> str:
    """The hardware a measurement ran on, e.g. ``x86_64, 2 cores``."""
    return f"{platform.machine()}, {os.cpu_count()} cores"


def _path(notebook: str):
    return folders.cache_dir("results") / f"{notebook}.json"


def record(notebook: str, name: str, value: float, unit: str = "") -> float:
    """Store one measured value for ``notebook`` and return it."""
    import keras

    path = _path(notebook)
    entries = of(notebook)
    entries[name] = {
        "value": float(value),
        "unit": unit,
        "profile": settings.profile().name,
        "backend": keras.backend.backend(),
        "machine": machine(),
        "date": datetime.date.today().isoformat(),
    }
    with fileio.atomic_file(path, "w") as handle:
        handle.write(json.dumps(entries, indent=1))
    return float(value)


def clear(notebook: str) -> None:
    """Forget what ``notebook`` recorded (before a fresh run of it)."""
    _path(notebook).unlink(missing_ok=True)


def of(notebook: str) -> dict[str, dict]:
    """Everything ``notebook`` recorded (empty when it has not run yet)."""
    path = _path(notebook)
    return json.loads(path.read_text()) if path.exists() else {}


def get(notebook: str, name: str) -> float | None:
    """A value recorded by ``notebook``, or None when it has not run yet."""
    entry = of(notebook).get(name)
    return None if entry is None else entry["value"]


def all_results() -> dict[str, dict]:
    """Every recorded result, by notebook."""
    folder = folders.cache_dir("results")
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def markdown_table(results: dict[str, dict] | None = None) -> str:
    """A Markdown table of recorded results (notebook, result, value, profile, date)."""
    results = all_results() if results is None else results
    rows = ["| notebook | result | value | profile | backend | date |",
            "|---|---|---|---|---|---|"]
    for notebook, entries in results.items():
        for name, entry in entries.items():
            value = f"{entry['value']:.4g} {entry['unit']}".strip()
            rows.append(f"| {notebook} | {name} | {value} | {entry['profile']} | "
                        f"{entry['backend']} | {entry['date']} |")
    return "\n".join(rows)
