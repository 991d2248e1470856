"""Keras 3 portability: the same extraction and head fit under JAX and PyTorch as under
TensorFlow, on real photos and weights, each in a fresh interpreter."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tlcourse import folders
from conftest import real_data_or_skip

pytestmark = [pytest.mark.backends, pytest.mark.real_data, pytest.mark.slow]

PROBE = Path(__file__).with_name("backend_probe.py")
PACKAGES = {"jax": "jax", "torch": "torch"}


def run_probe(backend: str, cache: Path) -> dict:
    env = dict(os.environ, KERAS_BACKEND=backend, **{folders.CACHE_ENV: str(cache)})
    done = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def tensorflow_run(tmp_path_factory):
    real_data_or_skip()
    cache = tmp_path_factory.mktemp("cache-tensorflow")
    return cache, run_probe("tensorflow", cache)


@pytest.mark.parametrize("backend", sorted(PACKAGES))
def test_backend_matches_tensorflow(backend, tensorflow_run, tmp_path):
    if importlib.util.find_spec(PACKAGES[backend]) is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {PACKAGES[backend]} (see .ci/run)")
        pytest.skip(f"pip install {PACKAGES[backend]} to test KERAS_BACKEND={backend}")
    tensorflow_cache, reference = tensorflow_run
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "arrays").symlink_to(tensorflow_cache / "arrays")  # decoded photos, not features
    result = run_probe(backend, cache)
    print(f"{backend}: accuracy {result['accuracy']:.4f}, tensorflow {reference['accuracy']:.4f}")
    assert result["backend"] == backend
    assert reference["accuracy"] >= 0.9
    assert abs(result["accuracy"] - reference["accuracy"]) <= 0.01
    np.testing.assert_allclose(result["features"], reference["features"], atol=1e-3)
    np.testing.assert_allclose(result["gradient"], [[2.0, -4.0, 6.0]], atol=1e-6)
    assert result["quarter_turns"] and reference["quarter_turns"]
