"""Benchmark P6: the course's sentence embeddings against sentence-transformers."""

import importlib.util
import json

import pytest

from conftest import encoder_or_skip, needs
from tlcourse.maintainer import encoder_bench, repository


def record(code, date, keras_rates, peer_rates):
    ratios = [k / p for k, p in zip(keras_rates, peer_rates)]
    return {"code": code, "date": date, "machine": "x86_64, 2 cores", "articles": 444,
            "length": 128, "batch_size": 32, "load_average": 2.0, "cosine_min": 0.999998,
            "articles_per_s": {"keras_hub": keras_rates, "sentence_transformers": peer_rates},
            "ratio_per_run": ratios,
            "versions": {"tensorflow": "2.21.0", "torch": "2.13.0+cpu",
                         "sentence-transformers": "5.0.0"}}


def test_summary_is_median_and_range_over_every_run_of_the_current_code(tmp_path):
    records = [record("old", "2026-11-30T10:00:00", [1.0], [100.0]),
               record("new", "2026-12-02T10:00:00", [30.0, 40.0], [20.0, 40.0]),
               record("new", "2026-12-02T11:00:00", [50.0], [25.0])]
    table = encoder_bench.summary_table(records)
    assert "2 record(s) of the current code (`new`)" in table
    assert "| P6 speed ratio, course / sentence-transformers | 1.50× | 1.00–2.00 | 3 | ≥ 1.0 |" in table
    assert "(KerasHub, TensorFlow 2.21.0) | 40.00 articles/s | 30.00–50.00 | 3 |" in table
    readme = tmp_path / "README.md"
    readme.write_text(f"a\n{encoder_bench.SECTION_START}\nold\n{encoder_bench.SECTION_END}\nb\n")
    encoder_bench.update_readme(records, readme)
    assert "old" not in readme.read_text().split(encoder_bench.SECTION_START)[1]


def test_readme_p6_table_is_generated_from_the_committed_records():
    text = repository.README.read_text()
    section = text.split(encoder_bench.SECTION_START, 1)[1].split(encoder_bench.SECTION_END, 1)[0]
    assert section.strip() == encoder_bench.summary_table(encoder_bench.load_records()).strip(), \
        "README's P6 table is stale: python -m tlcourse bench --readme"


@pytest.mark.slow
def test_quick_p6_agrees_with_sentence_transformers(tmp_path, monkeypatch):
    encoder_or_skip()
    needs("sentence-transformers", importlib.util.find_spec("sentence_transformers") is not None,
          "pip install -e '.[bench]' (after PyTorch's CPU build)")
    monkeypatch.setattr(encoder_bench, "RECORDS", tmp_path / "records")
    report = encoder_bench.run(quick=True, output=tmp_path)
    assert json.loads((tmp_path / "p6.json").read_text())["articles"] == report["articles"] == 64
    assert report["cosine_min"] >= 0.9999, "the course's pooling differs from sentence-transformers"
    assert all(rate > 0 for side in encoder_bench.SIDES for rate in report["articles_per_s"][side])
    assert not (tmp_path / "records").exists(), "a quick run is no record"
