"""The repository's facts: its paths, its notebooks in course order, its commit."""

import subprocess

from tlcourse.maintainer import repository


def test_paths_are_those_of_this_checkout():
    assert (repository.ROOT / "tlcourse" / "maintainer" / "repository.py").is_file()
    for path in (repository.README, repository.INSTRUCTOR):
        assert path.is_file(), path
    assert repository.SOLUTIONS.is_dir() and repository.NOTEBOOKS.is_dir()


def test_notebook_paths_are_the_eleven_notebooks_in_course_order():
    paths = repository.notebook_paths()
    assert [path.name[:2] for path in paths] == [f"{i:02d}" for i in range(11)]
    assert all(path.parent == repository.NOTEBOOKS for path in paths)


def test_notebook_paths_of_a_folder_skip_other_files(tmp_path):
    for name in ("10_b.ipynb", "02_a.ipynb", "notes.ipynb", "3_c.ipynb", "04_d.py"):
        (tmp_path / name).touch()
    assert [p.name for p in repository.notebook_paths(tmp_path)] == ["02_a.ipynb", "10_b.ipynb"]


def _git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=folder,
                   check=True, capture_output=True)


def test_commit_is_the_short_hash_with_a_plus_when_tracked_files_changed(tmp_path):
    assert repository.commit(tmp_path) is None  # not a git checkout
    _git(tmp_path, "init")
    (tmp_path / "file").write_text("one")
    _git(tmp_path, "add", "file")
    _git(tmp_path, "commit", "-m", "one")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tmp_path, text=True,
                          capture_output=True, check=True).stdout.strip()
    (tmp_path / "untracked").write_text("not counted")
    assert repository.commit(tmp_path) == head
    (tmp_path / "file").write_text("two")
    assert repository.commit(tmp_path) == head + "+"
