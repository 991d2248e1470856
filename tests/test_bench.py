import json

import pytest

from tlcourse import __main__ as cli_main
from conftest import real_data_or_skip

pytestmark = [pytest.mark.real_data, pytest.mark.slow]


def test_quick_bench_writes_json_and_markdown(tmp_path, capsys):
    real_data_or_skip()
    assert cli_main.main(["bench", "--quick", "--output", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["quick"] and report["P3"] == []
    assert report["P4"]["ours_accuracy"] == report["P4"]["gensim_accuracy"]
    assert 0 < report["P2"]["efficiency"] and report["P1"]["cold_s"] > report["P1"]["warm_s"]
    assert len(report["P2"]["efficiency_per_round"]) == report["P2"]["rounds"] == 2
    table = (tmp_path / "bench.md").read_text()
    assert "| P1 time to classifier, cold cache |" in table
    assert table in capsys.readouterr().out
