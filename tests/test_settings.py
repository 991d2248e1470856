import numpy as np

import pytest

from tlcourse import settings


def test_profile_from_environment(isolated, monkeypatch):
    monkeypatch.setenv(settings.PROFILE_ENV, "gpu")
    assert settings.profile().name == "gpu"
    assert "vgg16" in settings.profile().feature_backbones


def test_profile_override_in_code(isolated, monkeypatch):
    monkeypatch.setenv(settings.PROFILE_ENV, "gpu")
    assert settings.use_profile("cpu").name == "cpu"
    assert settings.profile().name == "cpu"
    assert "Profile 'cpu'" in settings.profile().describe()


def test_unknown_profile_names_the_choices(isolated):
    with pytest.raises(ValueError, match="cpu"):
        settings.use_profile("laptop")


def test_gpu_profile_is_article_scale():
    gpu = settings.PROFILES["gpu"]
    assert 150 <= gpu.scratch_image_size <= 224
    assert {"vgg16", "resnet50", "inception_v3", "mobilenet_v2"} <= set(gpu.feature_backbones)


def test_set_seeds_repeats_python_numpy_and_keras_draws(monkeypatch):
    import random

    import keras

    monkeypatch.setenv(settings.SEED_ENV, "0")

    def draws():
        return random.random(), float(np.random.rand()), float(keras.random.uniform(()))

    settings.set_seeds(3)
    first = draws()
    assert first[:2] == (random.Random(3).random(), np.random.RandomState(3).rand())
    settings.set_seeds(3)
    assert draws() == first
    settings.set_seeds(4)
    assert all(a != b for a, b in zip(draws(), first))


def test_run_seed_offsets_every_seed(monkeypatch):
    monkeypatch.setenv(settings.SEED_ENV, "1")
    settings.set_seeds(0)
    offset = np.random.random(3)
    monkeypatch.setenv(settings.SEED_ENV, "0")
    settings.set_seeds(1000)
    plain = np.random.random(3)
    settings.set_seeds(0)
    assert settings.run_seed() == 0
    assert np.array_equal(offset, plain)  # seed 0 in run 1 is seed 1000 in run 0
    assert not np.array_equal(plain, np.random.random(3))


def test_bad_run_seed_names_the_variable(monkeypatch):
    monkeypatch.setenv(settings.SEED_ENV, "first")
    with pytest.raises(ValueError, match="TLCOURSE_SEED"):
        settings.run_seed()
