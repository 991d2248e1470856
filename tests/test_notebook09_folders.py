"""Notebook 09 end to end on generated folders of one's own: flat, and already split."""

import json
import re

import nbformat
import pytest

from tlcourse import folders, results
from tlcourse.maintainer import repository, runner
from conftest import real_data_or_skip, write_class_photos

NOTEBOOK = repository.NOTEBOOKS / "09_your_own_images.ipynb"


def run_notebook(tmp_path, parameters: str | None = None) -> tuple[dict, str]:
    """Execute notebook 09 (``parameters`` injected after its parameters cell, as papermill
    does); returns the run (outcome, seconds, peak_gb) and the text of every output."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    if parameters is not None:
        index = next(i for i, cell in enumerate(notebook.cells)
                     if "parameters" in cell.metadata.get("tags", []))
        notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(parameters))
    path = tmp_path / NOTEBOOK.name
    nbformat.write(notebook, path)
    (tmp_path / "executed").mkdir()
    run = runner.execute_notebook(path, tmp_path / "executed", timeout=600)
    executed = nbformat.read(tmp_path / "executed" / NOTEBOOK.name, as_version=4)
    text = json.dumps([cell.get("outputs", []) for cell in executed.cells])
    return run, text.replace("\\n", "\n")


@pytest.mark.slow
@pytest.mark.real_data
@pytest.mark.parametrize("layout", ["flat", "split"])
def test_notebook_09_runs_on_a_generated_folder_and_records_nothing(tmp_path, monkeypatch,
                                                                      layout):
    real_data_or_skip()  # the pretrained backbone's weights
    root = tmp_path / "my photos"
    monkeypatch.setenv(folders.CACHE_ENV, str(tmp_path / "cache"))
    if layout == "flat":  # FOLDER from the environment variable, memory decides
        write_class_photos(root, {"apples": 12, "pears": 12})
        monkeypatch.setenv("TLCOURSE_FOLDER", str(root))
        run, text = run_notebook(tmp_path)
        assert "decoded once and held in memory" in text
    else:  # FOLDER and STREAM as papermill parameters
        for split, count in (("train", 10), ("val", 4), ("test", 3)):
            write_class_photos(root / split, {"apples": count, "pears": count}, seed=len(split))
        monkeypatch.delenv("TLCOURSE_FOLDER", raising=False)
        run, text = run_notebook(tmp_path, f"FOLDER = {str(root)!r}\nSTREAM = True")
        assert "already split, your split is used: train 20, validation 8, test 6" in text
        assert "streaming, each batch is decoded from its files when used" in text
    frozen = re.search(r"frozen base \+ head: validation accuracy ([0-9.]+)", text)
    accuracy = float(frozen.group(1))
    print(f"{layout}: {run}, frozen base + head validation accuracy {accuracy}")
    assert run["outcome"] == "ok", run
    assert accuracy >= 0.85
    assert re.search(r"Fine-tuning is (not ahead|ahead|behind) beyond the noise", text)
    assert "Your folder's accuracies are not recorded" in text
    assert results.of("09_your_own_images") == {}  # the card keeps the demo's numbers
