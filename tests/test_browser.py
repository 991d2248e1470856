"""A real browser: JupyterLab in headless Chromium opens the first notebook and runs its setup cell.

Works on a copy of the notebooks (JupyterLab autosaves), on a free localhost port with a
random token; the screenshot lands in ``executed/browser/`` (git-ignored).
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "executed" / "browser" / "00_start_here.png"
TITLE = "Transfer learning, hands on: start here"
SETUP_OUTPUT = "Profile 'cpu'"
KERNEL_IDLE = "Python 3 (ipykernel) | Idle"  # the status bar once the kernel is ready


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, log: Path,
                       timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with status {server.returncode}:\n"
                        f"{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer at {url} within {timeout:.0f} s")


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab serving a copy of notebooks/; yields its base URL and token."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={tmp_path}", "--LabApp.news_url=None"]
    if os.geteuid() == 0:  # containers and CI machines often run as root
        command.append("--allow-root")
    log = tmp_path / "jupyter.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/api/status?token={token}", server, log)
        yield base, token
    finally:
        shut_down(base, token, server)
    assert server.returncode is not None


def shut_down(base: str, token: str, server: subprocess.Popen) -> None:
    """Ask a Jupyter server to stop through its API; kill it when it does not."""
    request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        server.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        server.kill()
        server.wait()


def make_active(cell, expect, attempts: int = 4) -> None:
    """Click into ``cell`` until JupyterLab marks it active: a click can land on another cell
    while the notebook is still laying itself out."""
    for attempt in range(attempts):
        cell.locator(".jp-InputArea-editor").click()
        try:
            expect(cell).to_have_class(re.compile(r"\bjp-mod-active\b"), timeout=5_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def test_start_here_runs_its_setup_cell_in_chromium(chromium, jupyterlab):
    from playwright.sync_api import expect

    base, token = jupyterlab
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/lab/tree/notebooks/00_start_here.ipynb?token={token}")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=120_000)
    # JupyterLab selects the first cell again once the kernel connects: wait for that
    expect(page.get_by_role("button", name=KERNEL_IDLE)).to_be_visible(timeout=120_000)
    # The first code cell installs the course on Colab / Kaggle and does nothing here;
    # the second is the setup check that prints the profile.
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(1)
    make_active(cell, expect)
    page.keyboard.press("Escape")  # command mode: Shift+Enter runs the selected cell
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    expect(output).to_contain_text(SETUP_OUTPUT, timeout=180_000)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    cell.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT))
    print(f"screenshot: {SCREENSHOT}; setup cell printed: {output.inner_text()[:200]!r}")
    assert SCREENSHOT.stat().st_size > 10_000
