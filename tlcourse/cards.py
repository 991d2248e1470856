"""Expected-results cards: each notebook's main numbers as mean ± sd over seeded runs.

A notebook's last cell calls ``show(NOTEBOOK)``: the card, read from
``tlcourse/expected_results.json``, next to the values of the learner's own run.
``python -m tlcourse cards`` (``tlcourse.maintainer.cardgen``) writes that file.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import results

EXPECTED = Path(__file__).with_name("expected_results.json")


def load(path: Path = EXPECTED) -> dict | None:
    """The expected results shipped with the course, or None if never generated."""
    return json.loads(path.read_text()) if path.exists() else None


def format_summary(summary: dict, runs: int) -> str:
    """``mean ± sd unit``, saying so when fewer than ``runs`` runs measured it."""
    unit = f" {summary['unit']}" if summary["unit"] else ""
    if summary["n"] == 1:
        return f"{summary['mean']:.3f}{unit} (1 of {runs} runs measured it)"
    text = f"{summary['mean']:.3f} ± {summary['sd']:.3f}{unit}"
    return text if summary["n"] == runs else f"{text} ({summary['n']} of {runs} runs)"


def card_markdown(notebook: str, expected: dict, yours: dict[str, dict] | None = None) -> str:
    """One notebook's card as Markdown: expected mean ± sd, and this run's value."""
    entry = expected["notebooks"].get(notebook)
    if entry is None:
        return f"No expected results recorded for {notebook}."
    runs = len(entry["seeds"])
    lines = [f"**Expected results** — profile `{expected['profile']}`, {expected['machine']}, "
             f"backend {expected['backend']}, {entry['date']}; mean ± sd over {runs} runs "
             f"(`TLCOURSE_SEED` 0–{runs - 1}); about {entry['minutes']:.1f} min and "
             f"{entry['peak_gb']:.1f} GB per run.", "",
             "| result | expected | your run |", "|---|---|---|"]
    yours = yours or {}
    for name, summary in entry["results"].items():
        mine = yours.get(name)
        mine_text = f"{mine['value']:.3f}" if mine else "—"
        if mine and mine["profile"] != expected["profile"]:
            mine_text += f" (profile {mine['profile']})"
        lines.append(f"| {name} | {format_summary(summary, runs)} | {mine_text} |")
    return "\n".join(lines)


def show(notebook: str):
    """Display ``notebook``'s expected-results card in Jupyter (returns the Markdown)."""
    from IPython.display import Markdown, display

    expected = load()
    if expected is None:
        text = "No expected results yet: `python -m tlcourse cards` generates them."
    else:
        text = card_markdown(notebook, expected, results.of(notebook))
    display(Markdown(text))
    return text
