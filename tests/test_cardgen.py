import json

import pytest

from conftest import expected_for
from tlcourse import cards
from tlcourse.maintainer import cardgen, repository

RUN = {"accuracy": {"value": 0.9, "unit": "", "profile": "cpu"},
       "seconds": {"value": 10.0, "unit": "s", "profile": "cpu"}}


def test_summarize_gives_mean_sample_sd_and_count():
    other = {"accuracy": {"value": 0.8, "unit": "", "profile": "cpu"}}
    summary = cardgen.summarize([RUN, other, {"accuracy": {"value": 0.7, "unit": ""}}])
    values = summary["accuracy"].pop("values")
    assert summary["accuracy"] == pytest.approx({"mean": 0.8, "sd": 0.1, "n": 3, "unit": ""})
    assert values == [0.9, 0.8, 0.7]
    assert summary["seconds"]["n"] == 1 and summary["seconds"]["sd"] == 0.0


def test_readme_table_is_replaced_between_markers(tmp_path):
    notebook, name = cards.COMPARISON[0][3], cards.COMPARISON[0][4]
    expected = expected_for(notebook, [0.70, 0.72, 0.74])
    expected["notebooks"][notebook]["results"] = {name: expected["notebooks"][notebook]
                                                  ["results"]["accuracy"]}
    readme = tmp_path / "README.md"
    readme.write_text(f"# Course\n| {notebook} | a topic | 9 min | < 1 min | open |\n"
                      f"{cardgen.TIMING_START}\nold times\n{cardgen.TIMING_END}\n"
                      f"{cardgen.TABLE_START}\nold table\n{cardgen.TABLE_END}\nrest\n")
    guide = tmp_path / "instructor.md"
    guide.write_text(f"| {notebook} | 2 min | 1.4 GB | 30 min: the picture |\n")
    header = (f"# {notebook}\n**Time:** {cardgen.NOTEBOOK_TIME_START}about 9 minutes"
              f"{cardgen.NOTEBOOK_TIME_END} (`cpu` profile).")
    (tmp_path / f"{notebook}.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "markdown", "metadata": {}, "source": [header]}]}))
    cardgen.update_readme(expected, readme, guide, tmp_path)
    title = "".join(json.loads((tmp_path / f"{notebook}.ipynb").read_text())["cells"][0]["source"])
    assert title == (f"# {notebook}\n**Time:** {cardgen.NOTEBOOK_TIME_START}1.5 min on 2 CPU cores "
                     f"(mean of the card's 3 runs, 1.4–1.6){cardgen.NOTEBOOK_TIME_END} (`cpu` profile).")
    assert guide.read_text() == f"| {notebook} | 1.5 min [1.4–1.6] | 1.2 GB | 30 min: the picture |\n"
    text = readme.read_text()
    assert "old table" not in text and text.endswith(f"{cardgen.TABLE_END}\nrest\n")
    assert f"| {notebook} | a topic | 1.5 min [1.4–1.6] | < 1 min | open |" in text
    assert "old times" not in text and "sum of the means: 1.5 min without the appendix" in text
    assert (f"| {cards.COMPARISON[0][0]} | {cards.COMPARISON[0][1]} | test | 0.720 ± 0.020 |"
            in text)
    readme.write_text("no markers here")
    with pytest.raises(ValueError, match="results-table"):
        cardgen.update_readme(expected, readme, notebooks=None)


def test_shipped_cards_cover_every_notebook_within_binder_memory():
    """The committed cards: ≥ 3 seeded runs of 01–10, all passing, each under 2 GB."""
    expected = cards.load()
    assert expected is not None, "run `python -m tlcourse cards` to generate the cards"
    notebooks = sorted(p.stem for p in repository.notebook_paths() if not p.stem.startswith("00_"))
    assert sorted(expected["notebooks"]) == notebooks
    for notebook, entry in expected["notebooks"].items():
        assert len(entry["seeds"]) >= 3 and not entry["failed_runs"], notebook
        assert entry["results"], f"{notebook} recorded nothing"
        assert entry["peak_gb"] < 2.0, f"{notebook} peaks at {entry['peak_gb']:.2f} GB"
    readme = repository.README.read_text()
    assert cards.comparison_table(expected) in readme, "README table is stale: rerun cards"
    assert cardgen.timing_summary(expected) in readme, "README times are stale: rerun cards"
    assert cardgen.fill_columns(readme, expected, cardgen.COURSE_MAP_COLUMNS) == readme, (
        "the course map's times are stale: rerun cards")
    guide = repository.INSTRUCTOR.read_text()
    assert cardgen.fill_columns(guide, expected, cardgen.TIMING_PLAN_COLUMNS) == guide, (
        "the instructor guide's timing plan is stale: rerun cards")


def test_each_notebook_opens_with_its_cards_time(tmp_path):
    """The time line atop every carded notebook is the one its card gives (no typed minutes)."""
    for notebook, entry in cards.load()["notebooks"].items():
        copy = tmp_path / f"{notebook}.ipynb"
        copy.write_text((repository.NOTEBOOKS / copy.name).read_text())
        assert not cardgen.fill_notebook_time(copy, entry), (
            f"{notebook}'s time line is stale: rerun cards")
    copy.write_text(copy.read_text().replace(cardgen.NOTEBOOK_TIME_START, ""))
    with pytest.raises(ValueError, match="time:start"):
        cardgen.fill_notebook_time(copy, entry)


def test_every_comparison_row_is_a_recorded_result_with_its_split():
    expected = cards.load()
    for approach, task, split, notebook, name in cards.COMPARISON:
        assert name in expected["notebooks"][notebook]["results"], (
            f"README row {approach!r}: {notebook} records no {name!r}")
        assert split in ("test", "validation") and ("val" in name) == (split == "validation")


def test_summary_keeps_each_run_and_says_how_many_runs_measured_it():
    summary = cardgen.summarize([RUN, {"accuracy": {"value": 0.8, "unit": ""}}])
    assert summary["accuracy"]["values"] == [0.9, 0.8]
    assert cards.format_summary(summary["seconds"], 2) == "10.000 s (1 of 2 runs measured it)"
    assert cards.format_summary(summary["accuracy"], 2) == "0.850 ± 0.071"
    assert cards.format_summary(summary["accuracy"], 3) == "0.850 ± 0.071 (2 of 3 runs)"
