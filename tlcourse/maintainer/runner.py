"""``python -m tlcourse run``: execute notebooks headless, with wall time and peak memory."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from .. import results
from .repository import notebook_paths


class PeakSampler:
    """Keeps the largest value ``measure()`` returns, sampled every ``interval`` s in a thread.

    Use as a context manager around the work to watch; ``peak`` is None until a sample exists.
    """

    def __init__(self, interval: float = 0.25):
        self.interval, self.peak = interval, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def measure(self) -> float | None:
        raise NotImplementedError

    def _sample(self) -> None:
        while not self._stop.is_set():
            value = self.measure()
            if value is not None:
                self.peak = value if self.peak is None else max(self.peak, value)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class PeakMemory(PeakSampler):
    """The summed RSS in bytes of this process's children (the kernel)."""

    def measure(self) -> int:
        import psutil

        total = 0
        for child in psutil.Process().children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total


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
            "seconds": time.perf_counter() - start, "peak_gb": (memory.peak or 0) / 2**30}


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


