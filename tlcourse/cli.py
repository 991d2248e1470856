"""The commands behind ``python -m tlcourse``: doctor, fetch and run."""

from __future__ import annotations

import os
import platform
import sys
import threading
import time
from pathlib import Path

from . import assets, results, settings
from .downloads import FETCH_COMMAND

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _folder_state(path: Path) -> str:
    if not path.exists():
        return "missing"
    return "writable" if settings.is_writable(path) else "READ-ONLY"


def doctor() -> int:
    """Print the environment report; return 1 when a required asset is missing."""
    import keras
    import psutil

    print(f"Python      {platform.python_version()} ({sys.executable})")
    print(f"Keras       {keras.__version__}, backend '{keras.backend.backend()}' "
          "(switch: set KERAS_BACKEND=tensorflow|jax|torch before starting Python)")
    try:
        import tensorflow as tf

        print(f"TensorFlow  {tf.__version__}")
    except ImportError:
        print("TensorFlow  not installed")
    memory = psutil.virtual_memory()
    print(f"Hardware    {os.cpu_count()} CPU cores, {memory.total / 2**30:.1f} GiB RAM "
          f"({memory.available / 2**30:.1f} GiB free), "
          f"GPU: {'yes' if settings.gpu_available() else 'none'}")
    profile = settings.profile()
    print(profile.describe())
    print(f"Data home   {settings.data_home()} [{_folder_state(settings.data_home())}]"
          f"  ({settings.DATA_ENV})")
    try:
        cache = settings.cache_dir()
        print(f"Cache       {cache} [writable]  ({settings.CACHE_ENV})")
    except PermissionError as error:
        print(f"Cache       PROBLEM: {error}")
    print(f"Keras home  {settings.keras_home()} [{_folder_state(settings.keras_home())}]"
          "  (KERAS_HOME; weights in models/)")
    missing = []
    print("Assets:")
    for asset in assets.for_profile(profile):
        location = asset.location()
        mark = "✔" if location else ("✘" if asset.required else "–")
        print(f"  {mark} {asset.name}: {location or 'missing'}")
        if location is None and asset.required:
            missing.append(asset.name)
    if missing:
        print(f"Missing {len(missing)} required asset(s). Fetch them with: {FETCH_COMMAND}"
              f" --profile {profile.name}")
        return 1
    print("Everything this profile needs is here.")
    return 0


def fetch(profile_name: str | None, only_backbones: list[str]) -> int:
    """Download what a profile (or the named backbones) needs; return 1 on any failure."""
    profile = settings.use_profile(profile_name) if profile_name else settings.profile()
    if only_backbones:
        wanted = [assets._weights_asset(name) for name in only_backbones]
    else:
        wanted = assets.for_profile(profile)
    failures = 0
    for asset in wanted:
        if asset.present():
            print(f"✔ {asset.name}: already at {asset.location()}")
            continue
        print(f"… fetching {asset.name}")
        try:
            asset.fetch()
            print(f"✔ {asset.name}: {asset.location()}")
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            failures += asset.required
            print(f"{'✘' if asset.required else '– (optional)'} {asset.name}: {error}")
    return 1 if failures else 0


class PeakMemory:
    """Samples the summed RSS of this process's children (the kernel) in a thread."""

    def __init__(self, interval: float = 0.25):
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def execute_notebook(path: Path, out_dir: Path, timeout: int) -> dict:
    """Run one notebook in a fresh kernel; return outcome, wall seconds and peak kernel RSS."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with PeakMemory() as memory:
        try:
            client.execute()
            outcome = "ok"
        except CellExecutionError as error:
            outcome = f"FAILED: {str(error).strip().splitlines()[-1]}"
    nbformat.write(notebook, out_dir / path.name)
    return {"notebook": path.stem, "outcome": outcome,
            "seconds": time.perf_counter() - start, "peak_gb": memory.peak / 2**30}


def notebook_paths() -> list[Path]:
    """The course's notebooks, in order: beside the package in a clone, else in ./notebooks.

    Raises FileNotFoundError naming both places when neither holds any (as after a
    non-editable ``pip install``, run outside the course folder).
    """
    places = [NOTEBOOKS, Path.cwd() / "notebooks"]
    for place in places:
        found = sorted(place.glob("[0-9][0-9]_*.ipynb"))
        if found:
            return found
    raise FileNotFoundError(
        f"No course notebooks in {' or '.join(map(str, places))}. Run this from the course "
        "folder (the one holding notebooks/), or name the notebooks to run.")


def run(notebooks: list[str], output: str, timeout: int) -> int:
    """Execute notebooks in order, save executed copies, print timings and recorded results."""
    from tqdm.auto import tqdm

    try:
        paths = [Path(p) for p in notebooks] or notebook_paths()
    except FileNotFoundError as error:
        print(error)
        return 1
    out_dir = Path(output)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = []
    for path in tqdm(paths, desc="notebooks", unit="notebook"):
        last = execute_notebook(path, out_dir, timeout)
        runs.append(last)
        print(f"{path.name}: {last['outcome']} in {last['seconds']:.0f} s, "
              f"peak kernel memory {last['peak_gb']:.2f} GB", flush=True)
    print(f"all notebooks: {sum(r['seconds'] for r in runs) / 60:.1f} min")
    print(results.markdown_table())
    return 0 if all(r["outcome"] == "ok" for r in runs) else 1


