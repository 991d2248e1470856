import json

from conftest import expected_for
from tlcourse import cards, results
from tlcourse.maintainer import repository


def test_card_shows_expected_and_this_run(isolated):
    expected = expected_for("03_features", [0.96, 0.98, 0.97])
    results.record("03_features", "accuracy", 0.975)
    card = cards.card_markdown("03_features", expected, results.all_results()["03_features"])
    assert "| accuracy | 0.970 ± 0.010 | 0.975 |" in card
    assert "mean ± sd over 3 runs" in card and "profile `cpu`" in card
    assert "| accuracy | 0.970 ± 0.010 | — |" in cards.card_markdown("03_features", expected)
    assert "No expected results" in cards.card_markdown("09_unknown", expected)


def test_every_notebook_ends_with_its_card():
    for path in repository.notebook_paths()[1:]:  # 00 has no card
        last = json.loads(path.read_text())["cells"][-1]
        assert f'cards.show("{path.stem}")' in "".join(last["source"]), path.name
