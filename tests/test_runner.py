"""The notebook runner behind ``python -m tlcourse run``."""

import nbformat

from tlcourse import __main__ as cli_main
from tlcourse import results
from tlcourse.maintainer import repository


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


def test_run_finds_the_notebooks_of_the_current_folder_after_a_plain_install(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(repository, "NOTEBOOKS", tmp_path / "site-packages" / "notebooks")
    monkeypatch.chdir(tmp_path)
    assert cli_main.main(["run"]) == 1
    assert "No course notebooks in" in capsys.readouterr().out
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "notebooks" / "01_demo.ipynb")
    assert repository.notebook_paths() == [tmp_path / "notebooks" / "01_demo.ipynb"]
