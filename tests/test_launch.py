"""Colab and Kaggle: badges in sync with the repository, and the install cell run for real."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tlcourse.maintainer import launch, repository
from tlcourse.maintainer.repository import README, ROOT
from conftest import real_data_or_skip

NOTEBOOKS = repository.notebook_paths()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_notebook_has_the_current_badges_and_install_cell(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    assert not launch.apply(copy, launch.repository_slug()), \
        f"{path.name} is out of date: run `python -m tlcourse launch`"
    cells = json.loads(path.read_text())["cells"]
    first_code = next(cell for cell in cells if cell["cell_type"] == "code")
    assert "".join(first_code["source"]).startswith(launch.INSTALL_MARK)


def _cell_installs(requirements: list[str], tensorflow: bool) -> list[str]:
    """What the install cell passes to pip after the course itself, on a runtime without
    tlcourse whose package metadata requires ``requirements``."""
    import importlib.metadata
    import importlib.util
    from unittest import mock

    def find_spec(name):
        return object() if name == "tensorflow" and tensorflow else None

    with mock.patch.object(importlib.util, "find_spec", find_spec), \
            mock.patch.object(importlib.metadata, "requires", return_value=requirements), \
            mock.patch("subprocess.run") as pip:
        exec(launch.install_cell("someone/course"), {})
    course, needed = (call.args[0] for call in pip.call_args_list)
    return needed[len(course) - 2:]  # the same pip command, less "--no-deps" and the source


@pytest.mark.parametrize("tensorflow", [False, True])
def test_the_install_cell_selects_the_requirements_packaging_selects(tensorflow):
    """The cell parses requirements by hand (Colab runs it before anything is installed);
    it picks what ``packaging`` does: the base requirements and the ``course`` extra, less
    Jupyter and, where the runtime has it, TensorFlow."""
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    requirements = requires("tlcourse") + [
        'jax>=0.4; extra == "backends"', 'numpy>=1.26; python_version >= "3.11"',
        'ipywidgets>=8; extra == "course"', 'pytest>=7; extra == "test"']
    have = {"jupyterlab", "ipykernel"} | ({"tensorflow"} if tensorflow else set())
    wanted = [Requirement(r) for r in requirements]
    wanted = [(r.name, str(r.specifier)) for r in wanted if r.name not in have
              and (r.marker is None or r.marker.evaluate({"extra": "course"}))]
    installed = [Requirement(r) for r in _cell_installs(requirements, tensorflow)]
    assert [(r.name, str(r.specifier)) for r in installed] == wanted
    assert all(r.marker is None or r.marker.evaluate() for r in installed)  # pip keeps each
    assert ("ipywidgets", ">=8") in wanted and ("pytest", ">=7") not in wanted
    assert (("tensorflow", ">=2.16") in wanted) is not tensorflow


def test_a_cell_without_an_id_gets_a_unique_one(tmp_path):
    copy = tmp_path / NOTEBOOKS[0].name
    notebook = json.loads(NOTEBOOKS[0].read_text())
    del notebook["cells"][-1]["id"]  # as a cell pasted in by a tool that writes no ids
    copy.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    assert launch.apply(copy, launch.repository_slug())
    ids = [cell.get("id") for cell in json.loads(copy.read_text())["cells"]]
    assert None not in ids and len(set(ids)) == len(ids)


def test_badges_follow_the_repository_named_in_pyproject(tmp_path):
    slug = launch.repository_slug()
    assert slug == "tlcourse/transfer-learning-course"
    moved = tmp_path / "pyproject.toml"
    moved.write_text((ROOT / "pyproject.toml").read_text().replace(slug, "someone/fork"))
    copy = tmp_path / NOTEBOOKS[0].name
    shutil.copy(NOTEBOOKS[0], copy)
    assert launch.apply(copy, launch.repository_slug(moved))  # a moved repository shows
    assert "github/someone/fork/blob/main/notebooks/" in copy.read_text()


def test_readme_course_map_links_every_notebook_to_colab_and_kaggle():
    readme = README.read_text()
    slug = launch.repository_slug()
    for path in NOTEBOOKS:
        assert launch.colab_url(path.name, slug) in readme, path.name
        assert launch.kaggle_url(path.name, slug) in readme, path.name


def test_a_non_github_repository_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project.urls]\nRepository = "https://gitlab.com/a/b"\n')
    with pytest.raises(ValueError, match="not a GitHub repository"):
        launch.repository_slug(pyproject)


@pytest.mark.slow
@pytest.mark.real_data
def test_the_install_cell_installs_the_course_into_an_environment_without_it(tmp_path):
    """Notebook 00 in a fresh virtual environment that lacks tlcourse, like a Colab runtime.

    The environment sees this one's third-party packages (Keras, TensorFlow, Jupyter…) but
    not tlcourse; the install cell must install it, offline, from a copy of this checkout.
    """
    real_data_or_skip()
    source = tmp_path / "source"
    shutil.copytree(ROOT / "tlcourse", source / "tlcourse",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    # A plain path line: this environment's packages become importable, but not its .pth
    # files, so tlcourse's editable install stays invisible.
    (site / "course_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    kernels = env / "share" / "jupyter" / "kernels" / "fresh"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh", "language": "python"}))
    variables = dict(os.environ, TLCOURSE_SOURCE=str(source), PIP_NO_INDEX="1",
                     PIP_NO_BUILD_ISOLATION="0", JUPYTER_PATH=str(env / "share" / "jupyter"),
                     PYTHONPATH="")
    probe = "import importlib.util; print(importlib.util.find_spec('tlcourse'))"
    before = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            env=variables, check=True).stdout.strip()
    assert before == "None"
    notebook = tmp_path / "00_start_here.ipynb"
    shutil.copy(repository.NOTEBOOKS / notebook.name, notebook)
    run = ("import nbformat, nbclient; nb = nbformat.read('00_start_here.ipynb', 4); "
           "nbclient.NotebookClient(nb, kernel_name='fresh', timeout=600).execute(); "
           "nbformat.write(nb, 'executed.ipynb')")
    done = subprocess.run([python, "-c", run], capture_output=True, text=True, cwd=tmp_path,
                          env=variables, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    after = subprocess.run([python, "-c", "import tlcourse; print(tlcourse.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=variables,
                           check=True).stdout.strip()
    assert after.startswith(str(site)), after  # installed into the fresh environment
    executed = json.loads((tmp_path / "executed.ipynb").read_text())
    outputs = [output for cell in executed["cells"] if cell["cell_type"] == "code"
               for output in cell["outputs"]]
    assert not [output for output in outputs if output["output_type"] == "error"]
    printed = "".join("".join(output.get("text", "")) for output in outputs)
    assert "Profile 'cpu'" in printed
