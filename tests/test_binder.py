"""Binder: repo2docker's dry run (``--no-build``) turns ``binder/`` into a Dockerfile that
installs the course and prefetches the cpu profile's photos and weights."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    if importlib.util.find_spec("repo2docker") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install jupyter-repo2docker (the test extra)")
        pytest.skip("pip install jupyter-repo2docker")
    done = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--no-run",
                           "--debug", str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def test_binder_uses_python_311(dockerfile):
    assert "python=3.11" in dockerfile


def test_binder_installs_the_course_after_copying_the_repository(dockerfile):
    copy = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert copy < install  # `-e .[course]` needs the whole repository in place
    lines = (ROOT / "binder" / "requirements.txt").read_text().split()
    assert "-e" in lines and ".[course]" in lines


def test_binder_prefetches_the_cpu_profile(dockerfile):
    assert "RUN ./binder/postBuild" in dockerfile
    post_build = ROOT / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert "python -m tlcourse fetch --profile cpu" in post_build.read_text()


def test_readme_has_a_binder_badge_opening_the_first_notebook():
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\((\S+)\)", readme)
    assert badge, "README lacks the Binder launch badge"
    link = badge.group(1)
    assert link.startswith("https://mybinder.org/v2/")
    path = link.split("urlpath=lab/tree/", 1)[1]
    assert (ROOT / path).is_file()


def test_binder_badge_points_at_the_project_repository():
    import tomllib

    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    slug = repository.removeprefix("https://github.com/")
    assert f"https://mybinder.org/v2/gh/{slug}/HEAD?" in (ROOT / "README.md").read_text()
