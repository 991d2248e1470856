"""Set up the course and open it, or set it up and run every test.

    python course.py lab     # create .venv if missing, install, open JupyterLab
    python course.py test    # create .venv if missing, install, run unit tests + notebooks

Both are safe to run twice: the environment is reused and reinstalled only when
pyproject.toml changes. Options after ``lab`` go to ``jupyter lab`` (e.g. ``--no-browser
--port=8888``). Run as root (a container, a cloud VM's default user), ``lab`` adds
``--allow-root``, without which JupyterLab refuses to start, and says so.
Only the Python standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".tlcourse-installed"
TEST_COMMAND = ["-m", "pytest", "tests", "notebooks", "--nbval-lax", "-v"]


def ensure_environment() -> None:
    """Create ``.venv`` and install the course into it unless already up to date."""
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing the course and its dependencies (a few minutes the first time) …",
          flush=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[course,test]"],
                   check=True)
    STAMP.write_text(wanted)


def running_as_root() -> bool:
    """Whether this process runs as root (never on Windows, which has no ``geteuid``)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(options: list[str]) -> list:
    """``jupyter lab`` on the first notebook, with ``--allow-root`` added when run as root."""
    command = [PYTHON, "-m", "jupyter", "lab", *options,
               str(ROOT / "notebooks" / "00_start_here.ipynb")]
    if running_as_root() and "--allow-root" not in options:
        print("Running as root (as in a container): starting JupyterLab with --allow-root.",
              flush=True)
        command.insert(4, "--allow-root")
    return command


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("lab", "test") or (argv[0] == "test" and len(argv) > 1):
        print(__doc__)
        return 2
    ensure_environment()
    if argv[0] == "lab":
        command = lab_command(argv[1:])
    else:
        command = [PYTHON, *TEST_COMMAND]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
