"""The prepared GPU run (``python -m tlcourse gpu-run``), exercised on CPU with tiny notebooks."""

import json

import nbformat
import pytest

from tlcourse import __main__ as cli_main
from tlcourse import backbones, settings
from tlcourse.maintainer import gpurun

pytestmark = pytest.mark.slow


def write_notebook(path, source):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(notebook, path)
    return path


def test_gpu_run_measures_each_notebook_and_reports_failures(isolated, tmp_path, monkeypatch,
                                                             capsys):
    monkeypatch.setattr(gpurun, "missing_weights", lambda profile: ["vgg16"])
    good = write_notebook(tmp_path / "01_good.ipynb",
                          "import os\nassert os.environ['TLCOURSE_PROFILE'] == 'cpu'\nprint('ran')")
    bad = write_notebook(tmp_path / "02_bad.ipynb", "raise RuntimeError('broken')")
    output = tmp_path / "gpu"
    code = cli_main.main(["gpu-run", str(good), str(bad), "--output", str(output),
                          "--profile", "cpu"])
    assert code == 1  # one notebook failed
    report = json.loads((output / "gpu_run.json").read_text())
    assert [row["passed"] for row in report["notebooks"]] == [True, False]
    assert all(row["seconds"] > 0 and row["peak_gb"] > 0.01 for row in report["notebooks"])
    assert report["missing_weights"] == ["vgg16"] and report["profile"] == "cpu"
    table = (output / "gpu_run.md").read_text()
    assert "| 01_good | 1 passed" in table and "| 02_bad | 1 failed" in table
    assert "| all | 1 of 2 passed |" in table
    assert "Backbones without weights here (skipped or replaced): vgg16." in table


def test_missing_weights_lists_the_profiles_backbones_without_weights(monkeypatch):
    monkeypatch.setattr(backbones, "weights_available", lambda spec, *a: spec.name.endswith("0.35"))
    missing = gpurun.missing_weights(settings.PROFILES["gpu"])
    assert "mobilenet_v2_0.35" not in missing
    assert missing[:4] == ["vgg16", "vgg19", "resnet50", "inception_v3"]
    assert "mobilenet_v2" in missing
