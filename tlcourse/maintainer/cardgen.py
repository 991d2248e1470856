"""``python -m tlcourse cards``: rerun notebooks over seeds, write the expected results.

Each notebook runs once per seed (``TLCOURSE_SEED`` = 0, 1, 2 …); what it records with
``results.record`` is summarised (mean, sd, every run's value) into
``tlcourse/expected_results.json`` with timings, versions and the commit, and the README's
results table is regenerated from it.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np

from .. import results, settings
from ..cards import EXPECTED, comparison_table, load
from . import replace_between_markers
from .repository import INSTRUCTOR, NOTEBOOKS, README, commit, notebook_paths, versions

TABLE_START, TABLE_END = "<!-- results-table:start -->", "<!-- results-table:end -->"
TIMING_START, TIMING_END = "<!-- timing:start -->", "<!-- timing:end -->"
NOTEBOOK_TIME_START, NOTEBOOK_TIME_END = "<!-- time:start -->", "<!-- time:end -->"
APPENDIX = "10_many_devices"  # outside the course's 25-minute budget
def summarize(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """Per recorded name: mean, sample sd, count and each run's value (runs that recorded it)."""
    names = dict.fromkeys(name for run in runs for name in run)
    summary = {}
    for name in names:
        values = np.array([run[name]["value"] for run in runs if name in run])
        unit = next(run[name]["unit"] for run in runs if name in run)
        summary[name] = {"mean": float(values.mean()),
                         "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
                         "n": int(len(values)), "unit": unit,
                         "values": [float(v) for v in values]}
    return summary


def generate(seeds: int, notebooks: list[Path], timeout: int = 1800) -> dict:
    """Run ``notebooks`` once per seed and summarise what they recorded (also timings)."""
    import keras
    from tqdm.auto import tqdm

    from . import runner

    runs: dict[str, list] = {path.stem: [] for path in notebooks}
    timings: dict[str, list] = {path.stem: [] for path in notebooks}
    with tempfile.TemporaryDirectory() as executed, mock.patch.dict(os.environ), \
            tqdm(total=seeds * len(notebooks), desc="notebook runs") as bar:
        for seed in range(seeds):
            os.environ[settings.SEED_ENV] = str(seed)
            for path in notebooks:
                results.clear(path.stem)
                run = runner.execute_notebook(path, Path(executed), timeout)
                bar.write(f"seed {seed} {path.stem}: {run['outcome']} in {run['seconds']:.0f} s, "
                          f"peak {run['peak_gb']:.2f} GB")
                timings[path.stem].append(run)
                if run["outcome"] == "ok":
                    runs[path.stem].append(results.of(path.stem))
                bar.update()
    return {
        "profile": settings.profile().name, "backend": keras.backend.backend(),
        "machine": results.machine(),
        "notebooks": {stem: {
            "date": datetime.date.today().isoformat(), "seeds": list(range(seeds)),
            "results": summarize(runs[stem]),
            "minutes": float(np.mean([t["seconds"] for t in timings[stem]]) / 60),
            "peak_gb": float(max(t["peak_gb"] for t in timings[stem])),
            "minutes_per_run": [round(t["seconds"] / 60, 3) for t in timings[stem]],
            "peak_gb_per_run": [round(t["peak_gb"], 3) for t in timings[stem]],
            "versions": versions(), "commit": commit(),
            "failed_runs": [t["outcome"] for t in timings[stem] if t["outcome"] != "ok"],
        } for stem in runs},
    }


def timing_summary(expected: dict) -> str:
    """The README's paragraph on the cards' times and memory, against the budgets."""
    entries = expected["notebooks"]
    course = sum(entry["minutes"] for name, entry in entries.items() if name != APPENDIX)
    longest = max(entries, key=lambda name: max(entries[name]["minutes_per_run"]))
    heaviest = max(entries, key=lambda name: entries[name]["peak_gb"])
    peaks = [entry["peak_gb"] for entry in entries.values()]
    dates = sorted({entry["date"] for entry in entries.values()})
    runs = min(len(entry["seeds"]) for entry in entries.values())
    return (f"CPU times are the mean [range] of {runs} runs per notebook by `python -m tlcourse "
            f"cards` ({dates[0]} to {dates[-1]}), {expected['machine']}, backend "
            f"{expected['backend']}, `{expected['profile']}` profile. All notebooks together, "
            f"as the sum of the means: {course:.1f} min without the appendix {APPENDIX[:2]} "
            f"(budget 25 min) and {course + entries.get(APPENDIX, {}).get('minutes', 0):.1f} "
            f"min with it; the longest single run is {longest[:2]}'s "
            f"{max(entries[longest]['minutes_per_run']):.1f} min (budget 4 min per notebook). "
            f"Peak kernel memory {min(peaks):.2f}–{max(peaks):.2f} GB ({heaviest[:2]} the "
            "highest), under Binder's 2 GB.")


def minutes_cell(entry: dict) -> str:
    times = entry["minutes_per_run"]
    return f"{entry['minutes']:.1f} min [{min(times):.1f}–{max(times):.1f}]"


def peak_cell(entry: dict) -> str:
    return f"{entry['peak_gb']:.1f} GB"


def fill_columns(text: str, expected: dict, columns: dict) -> str:
    """``text`` with each table row of a carded notebook (``| NN_name …``) given, in column
    ``i``, ``columns[i](its card)``: the times and memory tables stay those of the cards."""
    def fill(line: str) -> str:
        match = re.match(r"\| (\d\d_\w+)", line)
        entry = match and expected["notebooks"].get(match[1])
        if not entry:
            return line
        cells = line.split(" | ")
        for column, render in columns.items():
            cells[column] = render(entry)
        return " | ".join(cells)
    return "\n".join(map(fill, text.split("\n")))


def notebook_time(entry: dict) -> str:
    """A notebook's time on its card, for the line that opens the notebook."""
    times = entry["minutes_per_run"]
    return (f"{entry['minutes']:.1f} min on 2 CPU cores (mean of the card's {len(times)} runs, "
            f"{min(times):.1f}–{max(times):.1f})")


def fill_notebook_time(path: Path, entry: dict) -> bool:
    """Write ``notebook_time(entry)`` between the time markers of the notebook's first cell;
    True when it changed."""
    original = path.read_text()
    notebook = json.loads(original)
    title = "".join(notebook["cells"][0]["source"])
    if NOTEBOOK_TIME_START not in title or NOTEBOOK_TIME_END not in title:
        raise ValueError(f"{path.name}'s first cell lacks the markers {NOTEBOOK_TIME_START} … "
                         f"{NOTEBOOK_TIME_END}")
    block = f"{NOTEBOOK_TIME_START}{notebook_time(entry)}{NOTEBOOK_TIME_END}"
    title = re.sub(f"{re.escape(NOTEBOOK_TIME_START)}.*?{re.escape(NOTEBOOK_TIME_END)}",
                   lambda _: block, title, flags=re.S)
    notebook["cells"][0]["source"] = title.splitlines(keepends=True)
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    if text == original:
        return False
    path.write_text(text)
    return True


COURSE_MAP_COLUMNS = {2: minutes_cell}  # README's course map: the CPU time
TIMING_PLAN_COLUMNS = {1: minutes_cell, 2: peak_cell}  # the instructor guide's timing plan


def update_readme(expected: dict, readme: Path = README, guide: Path = INSTRUCTOR,
                  notebooks: Path | None = NOTEBOOKS) -> None:
    """Regenerate the README's results table, timing paragraph and course-map CPU times, the
    instructor guide's timing plan and the time line atop each notebook (``notebooks=None``:
    not the notebooks)."""
    replace_between_markers(readme, TABLE_START, TABLE_END, comparison_table(expected))
    replace_between_markers(readme, TIMING_START, TIMING_END, timing_summary(expected))
    readme.write_text(fill_columns(readme.read_text(), expected, COURSE_MAP_COLUMNS))
    guide.write_text(fill_columns(guide.read_text(), expected, TIMING_PLAN_COLUMNS))
    if notebooks:
        for stem, entry in expected["notebooks"].items():
            fill_notebook_time(notebooks / f"{stem}.ipynb", entry)


def run(seeds: int, notebooks: list[str], readme: bool = True) -> int:
    """``python -m tlcourse cards``: generate, save, update the README, print the table."""
    paths = ([Path(p) for p in notebooks]
             or notebook_paths()[1:])  # 00 records nothing
    if seeds < 3:
        print(f"note: {seeds} seed(s); the course's cards use at least 3")
    expected = generate(seeds, paths)
    previous = load()
    if previous and previous["profile"] == expected["profile"]:  # keep notebooks not rerun
        expected["notebooks"] = {**previous["notebooks"], **expected["notebooks"]}
    EXPECTED.write_text(json.dumps(expected, indent=1) + "\n")
    if readme:
        update_readme(expected)
    print(comparison_table(expected))
    failed = {path.stem: expected["notebooks"][path.stem]["failed_runs"] for path in paths
              if expected["notebooks"][path.stem]["failed_runs"]}
    for stem, outcomes in failed.items():
        print(f"{stem}: {len(outcomes)} failed run(s): {outcomes}")
    return 1 if failed else 0
