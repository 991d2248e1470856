"""``python3 course.py lab``, the README's first command, run headless as root and as not.

JupyterLab refuses to start as root without ``--allow-root``; course.py adds it then, and says
so. Each test runs the real command (``ensure_environment`` included: it finds ``.venv`` up to
date and installs nothing), with ``--no-browser`` and a free port passed through to
``jupyter lab``, reaches the server's API with its token and shuts it down.
"""

import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
from conftest import needs
from test_browser import free_port, shut_down, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
STAMP = ROOT / ".venv" / ".tlcourse-installed"
ROOT_LINE = "Running as root (as in a container): starting JupyterLab with --allow-root."


def venv_up_to_date() -> bool:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return STAMP.is_file() and STAMP.read_text() == wanted


def as_user(user: str) -> list[str]:
    """The prefix that runs a command as ``user``: none for ourselves, else setpriv (from root)."""
    if user == "root":
        if os.geteuid() != 0:
            pytest.skip("JupyterLab's refusal of root needs this test to run as root")
        return []
    if os.geteuid() != 0:
        return []  # already not root
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot start the lab as another user")
    entry = pwd.getpwnam("nobody")
    return [setpriv, f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups", "--"]


@pytest.mark.parametrize("user", ["root", "nobody"])
def test_lab_starts_headless_and_answers_its_api(user, tmp_path):
    needs("a .venv installed from the current pyproject.toml", venv_up_to_date(),
          "run `python3 course.py lab` once (it reinstalls; this test must not)")
    prefix = as_user(user)
    # Jupyter's home, config, data and runtime folders, writable by the user the lab runs as
    home = Path(tempfile.mkdtemp(prefix="course-py-lab-"))
    if prefix:
        entry = pwd.getpwnam("nobody")
        os.chown(home, entry.pw_uid, entry.pw_gid)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), IPYTHONDIR=str(home / "ipython"),
               PYTHONDONTWRITEBYTECODE="1")
    command = [*prefix, sys.executable, str(ROOT / "course.py"), "lab", "--no-browser",
               "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
               "--LabApp.news_url=None"]
    log = tmp_path / "course_py_lab.log"
    base = f"http://127.0.0.1:{port}"
    try:
        with log.open("w") as log_file:
            server = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_serving(f"{base}/api/status?token={token}", server, log, timeout=60)
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=10) as reply:
                assert reply.status == 200 and b"started" in reply.read()
        finally:
            shut_down(base, token, server)
        output = log.read_text()
        assert server.returncode == 0, output[-2000:]
        assert "Installing" not in output
        first_line = output.splitlines()[0] if output else ""
        if user == "root":
            assert first_line == ROOT_LINE, output[-2000:]
        else:
            assert ROOT_LINE not in output
            assert "Running as root" not in output
    finally:
        shutil.rmtree(home, ignore_errors=True)
