"""``python -m tlcourse gpu-run``: every notebook through nbval under the ``gpu`` profile, measured.

For a machine with a GPU (``.ci/gpu`` calls it). Each notebook runs in its own
``pytest --nbval-lax`` process; its wall time, the peak memory of that process tree (pytest
and the notebook's kernel) and, where ``nvidia-smi`` answers, the peak GPU memory in use are
written to ``gpu_run.json`` and ``gpu_run.md``. Backbones of the profile whose weights are
missing offline are listed first: the notebooks skip them or fall back and say so.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .. import assets, backbones, results, settings
from .repository import commit, notebook_paths
from .runner import PeakMemory, PeakSampler


class GpuMemoryPeak(PeakSampler):
    """``nvidia-smi``'s memory in use, MiB summed over GPUs (None without ``nvidia-smi``)."""

    def __init__(self):
        super().__init__(interval=1.0)

    def measure(self) -> int | None:
        used = nvidia_smi("memory.used")
        return None if used is None else sum(int(line) for line in used.split())


def nvidia_smi(field: str) -> str | None:
    """``nvidia-smi``'s value of ``field`` for every GPU, one per line; None without it."""
    if shutil.which("nvidia-smi") is None:
        return None
    done = subprocess.run(["nvidia-smi", f"--query-gpu={field}", "--format=csv,noheader,nounits"],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def missing_weights(profile: settings.Profile) -> list[str]:
    """The profile's backbones whose ImageNet weights are neither cached nor downloadable."""
    return [name for name in assets.profile_backbones(profile)
            if not backbones.weights_available(backbones.get(name))]


def run_notebook(path: Path, profile: str, timeout: int) -> dict:
    """One notebook through ``pytest --nbval-lax`` in its own process; outcome and measurements."""
    environment = dict(os.environ, TLCOURSE_PROFILE=profile)
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
               f"--nbval-cell-timeout={timeout}", str(path)]
    start = time.perf_counter()
    with PeakMemory() as memory, GpuMemoryPeak() as gpu:
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return {"notebook": path.stem, "passed": done.returncode == 0, "summary": summary,
            "seconds": time.perf_counter() - start, "peak_gb": (memory.peak or 0) / 2**30,
            "gpu_peak_gb": None if gpu.peak is None else gpu.peak / 1024}


def markdown(report: dict) -> str:
    lines = [f"GPU run ({report['profile']} profile), {report['date']}, {report['machine']}, "
             f"GPU: {report['gpu'] or 'none found'}, commit {report['commit']}.",
             f"Backbones without weights here (skipped or replaced): "
             f"{', '.join(report['missing_weights']) or 'none'}.", "",
             "| notebook | nbval | wall time | peak memory (process tree) | peak GPU memory |",
             "|---|---|---|---|---|"]
    for row in report["notebooks"]:
        gpu = "—" if row["gpu_peak_gb"] is None else f"{row['gpu_peak_gb']:.1f} GB"
        lines.append(f"| {row['notebook']} | {row['summary']} | {row['seconds'] / 60:.1f} min | "
                     f"{row['peak_gb']:.2f} GB | {gpu} |")
    total = sum(row["seconds"] for row in report["notebooks"]) / 60
    lines.append(f"| all | {sum(r['passed'] for r in report['notebooks'])} of "
                 f"{len(report['notebooks'])} passed | {total:.1f} min | | |")
    return "\n".join(lines)


def run(output: Path, notebooks: list[str], profile: str = "gpu", timeout: int = 3600) -> int:
    """Run the notebooks, write ``gpu_run.json`` and ``gpu_run.md`` into ``output``."""
    settings.use_profile(profile)
    paths = [Path(p) for p in notebooks] or notebook_paths()
    missing = missing_weights(settings.profile())
    print(f"backbones without weights here: {', '.join(missing) or 'none'}", flush=True)
    gpu = nvidia_smi("name") or ""
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "machine": results.machine(), "gpu": gpu.replace("\n", ", "), "commit": commit(),
              "profile": profile, "missing_weights": missing, "notebooks": []}
    for path in paths:
        row = run_notebook(path, profile, timeout)
        report["notebooks"].append(row)
        print(f"{path.name}: {row['summary']} in {row['seconds'] / 60:.1f} min", flush=True)
    output.mkdir(parents=True, exist_ok=True)
    (output / "gpu_run.json").write_text(json.dumps(report, indent=1))
    table = markdown(report)
    (output / "gpu_run.md").write_text(table + "\n")
    print(table)
    return 0 if all(row["passed"] for row in report["notebooks"]) else 1
