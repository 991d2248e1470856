import json

import keras
import numpy as np
import pytest

from conftest import real_data_or_skip
from tlcourse import __main__ as cli_main
from tlcourse.maintainer import bench, repository


@pytest.mark.real_data
@pytest.mark.slow
def test_quick_bench_writes_json_and_markdown(tmp_path, capsys, monkeypatch):
    real_data_or_skip()
    monkeypatch.setattr(bench, "RECORDS", tmp_path / "records")
    streamed, extract_paths = [], bench.features.extract_paths
    monkeypatch.setattr(bench.features, "extract_paths",
                        lambda name, paths, *args: streamed.append(len(paths)) or extract_paths(
                            name, paths, *args))
    assert cli_main.main(["bench", "--quick", "--output", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["P2"]["photos"] == sum(streamed) and report["P2"]["rounds"] == len(streamed)
    assert report["quick"] and report["P3"] == []
    assert report["P4"]["ours_accuracy"] == report["P4"]["gensim_accuracy"]
    assert 0 < report["P2"]["efficiency"] and report["P1"]["cold_s"] > report["P1"]["warm_s"]
    assert len(report["P2"]["efficiency_per_round"]) == report["P2"]["rounds"] == 2
    table = (tmp_path / "bench.md").read_text()
    assert "| P1 time to classifier, cold cache |" in table
    assert table in capsys.readouterr().out
    assert not (tmp_path / "records").exists(), "a quick run is no record"


@pytest.mark.real_data
def test_the_tutorial_recipe_reads_the_courses_own_split(tmp_path):
    real_data_or_skip()
    files, labels = bench.datasets.split_files("validation")
    folder = bench.split_folder("validation", tmp_path)
    linked = sorted(str(path.resolve().relative_to(bench.datasets.cats_vs_dogs_folder().resolve()))
                    for path in folder.glob("*/*"))
    assert linked == sorted(files) and len(files) == 500
    assert sorted(p.parent.name for p in folder.glob("*/*")).count("dogs") == int(labels.sum())


def test_head_accuracy_is_the_share_of_probabilities_above_one_half_that_match():
    head = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    head.set_weights([np.ones((1, 1)), np.zeros(1)])
    x = np.array([[-2.0], [-0.5], [0.0], [0.3], [1.0], [3.0], [-1.0]])  # 0.0: exactly 0.5
    y = np.array([0, 1, 1, 1, 0, 1, 0])
    probabilities = head.predict(x, verbose=0).ravel()
    old = float(((probabilities > 0.5).astype(int) == y).mean())  # models.binary_accuracy's way
    assert old == pytest.approx(4 / 7)
    assert bench.head_accuracy(head, x, y) == pytest.approx(old, abs=1e-6)


@pytest.mark.real_data
def test_p2_refuses_to_record_more_photos_than_it_can_stream(monkeypatch):
    real_data_or_skip()
    split_files = bench.datasets.split_files
    monkeypatch.setattr(bench.datasets, "split_files",
                        lambda split: tuple(part[:20] for part in split_files(split)))
    with pytest.raises(ValueError, match="P2 needs 64 photos in 2 equal rounds; train and "
                                         "validation hold 40"):
        bench.p2_extraction_efficiency(quick=True)


def record(code, date, speedup, images_per_s):
    report = {"P1": {"cold_s": 40.0, "baseline_s": 40.0 * speedup, "speedup_cold": speedup,
                     "speedup_warm": 100.0, "accuracy": 0.97, "baseline_accuracy": 0.95},
              "P2": {"efficiency": 0.9, "disk_photos_per_s": 100.0},
              "P4": {"speedup": 30.0, "glove_cached_load_s": 0.3},
              "P5": {"images_per_s": images_per_s}, "P3": []}
    return {**report, "code": code, "date": date, "machine": "x86_64, 2 cores",
            "backend": "tensorflow", "versions": {"tensorflow": "2.21.0"}, "load_average": 2.0}


def test_summary_is_median_and_range_over_every_run_of_the_current_code(tmp_path):
    records = [record("old", "2026-11-20T10:00:00", 99.0, 999.0),
               record("new", "2026-11-26T10:00:00", 9.0, 260.0),
               record("new", "2026-11-27T10:00:00", 14.0, 300.0),
               record("new", "2026-11-27T12:00:00", 12.0, 280.0)]
    table = bench.summary_table(records)
    assert "3 run(s) of the current code (`new`), 2026-11-26 to 2026-11-27" in table
    assert "| P1 speed-up, cold cache | 12.0× | 9.0–14.0 | 3 | ≥ 5× |" in table
    assert "| P5 scratch CNN training | 280 images/s | 260–300 | 3 | measured |" in table
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{bench.SECTION_START}\nhand-pasted\n{bench.SECTION_END}\nrest\n")
    bench.update_readme(records, readme)
    assert "hand-pasted" not in readme.read_text() and table in readme.read_text()


def test_readme_performance_table_is_generated_from_the_committed_records():
    text = repository.README.read_text()
    section = text.split(bench.SECTION_START, 1)[1].split(bench.SECTION_END, 1)[0]
    assert section.strip() == bench.summary_table(bench.load_records()).strip(), \
        "README's performance table is stale: python -m tlcourse bench --readme"
