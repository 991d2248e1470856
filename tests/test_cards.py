import json

import pytest

from tlcourse import cards, results

RUN = {"accuracy": {"value": 0.9, "unit": "", "profile": "cpu"},
       "seconds": {"value": 10.0, "unit": "s", "profile": "cpu"}}


def expected_for(notebook: str, values: list[float]) -> dict:
    runs = [{"accuracy": {"value": v, "unit": "", "profile": "cpu"}} for v in values]
    return {"profile": "cpu", "backend": "tensorflow", "machine": "x86_64, 2 cores",
            "notebooks": {notebook: {"date": "2026-11-26", "seeds": list(range(len(values))),
                                     "results": cards.summarize(runs), "minutes": 1.5,
                                     "peak_gb": 1.2, "failed_runs": []}}}


def test_summarize_gives_mean_sample_sd_and_count():
    other = {"accuracy": {"value": 0.8, "unit": "", "profile": "cpu"}}
    summary = cards.summarize([RUN, other, {"accuracy": {"value": 0.7, "unit": ""}}])
    values = summary["accuracy"].pop("values")
    assert summary["accuracy"] == pytest.approx({"mean": 0.8, "sd": 0.1, "n": 3, "unit": ""})
    assert values == [0.9, 0.8, 0.7]
    assert summary["seconds"]["n"] == 1 and summary["seconds"]["sd"] == 0.0


def test_card_shows_expected_and_this_run(isolated):
    expected = expected_for("03_features", [0.96, 0.98, 0.97])
    results.record("03_features", "accuracy", 0.975)
    card = cards.card_markdown("03_features", expected, results.all_results()["03_features"])
    assert "| accuracy | 0.970 ± 0.010 | 0.975 |" in card
    assert "mean ± sd over 3 runs" in card and "profile `cpu`" in card
    assert "| accuracy | 0.970 ± 0.010 | — |" in cards.card_markdown("03_features", expected)
    assert "No expected results" in cards.card_markdown("09_unknown", expected)


def test_readme_table_is_replaced_between_markers(tmp_path):
    notebook, name = cards.COMPARISON[0][2], cards.COMPARISON[0][3]
    expected = expected_for(notebook, [0.70, 0.72, 0.74])
    expected["notebooks"][notebook]["results"] = {name: expected["notebooks"][notebook]
                                                  ["results"]["accuracy"]}
    readme = tmp_path / "README.md"
    readme.write_text(f"# Course\n{cards.TABLE_START}\nold table\n{cards.TABLE_END}\nrest\n")
    cards.update_readme(expected, readme)
    text = readme.read_text()
    assert "old table" not in text and text.endswith(f"{cards.TABLE_END}\nrest\n")
    assert f"| {cards.COMPARISON[0][0]} | {cards.COMPARISON[0][1]} | 0.720 ± 0.020 |" in text
    readme.write_text("no markers here")
    with pytest.raises(ValueError, match="results-table"):
        cards.update_readme(expected, readme)


def test_shipped_cards_cover_every_notebook_within_binder_memory():
    """The committed cards: ≥ 3 seeded runs of 01–08, all passing, each under 2 GB."""
    expected = cards.load()
    assert expected is not None, "run `python -m tlcourse cards` to generate the cards"
    notebooks = sorted(p.stem for p in cards.README.parent.glob("notebooks/0[1-8]_*.ipynb"))
    assert sorted(expected["notebooks"]) == notebooks
    for notebook, entry in expected["notebooks"].items():
        assert len(entry["seeds"]) >= 3 and not entry["failed_runs"], notebook
        assert entry["results"], f"{notebook} recorded nothing"
        assert entry["peak_gb"] < 2.0, f"{notebook} peaks at {entry['peak_gb']:.2f} GB"
    readme = cards.README.read_text()
    assert cards.comparison_table(expected) in readme, "README table is stale: rerun cards"


def test_every_notebook_ends_with_its_card():
    for path in sorted(cards.README.parent.glob("notebooks/0[1-8]_*.ipynb")):
        last = json.loads(path.read_text())["cells"][-1]
        assert f'cards.show("{path.stem}")' in "".join(last["source"]), path.name


def test_summary_keeps_each_run_and_says_how_many_runs_measured_it():
    summary = cards.summarize([RUN, {"accuracy": {"value": 0.8, "unit": ""}}])
    assert summary["accuracy"]["values"] == [0.9, 0.8]
    assert cards._value(summary["seconds"], 2) == "10.000 s (1 of 2 runs measured it)"
    assert cards._value(summary["accuracy"], 2) == "0.850 ± 0.071"
    assert cards._value(summary["accuracy"], 3) == "0.850 ± 0.071 (2 of 3 runs)"
