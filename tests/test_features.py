import dataclasses

import keras
import numpy as np
import pytest

from tlcourse import datasets, features, folders, models, settings
from conftest import real_data_or_skip


def test_second_extraction_loads_from_cache(fake_photos, monkeypatch):
    data = datasets.cats_vs_dogs(image_size=32)
    first = features.extract("mobilenet_0.25", data.train, weights=None)
    assert first.features.shape == (12, 256) and not first.cached

    def recompute(*args, **kwargs):
        raise AssertionError("features recomputed instead of loaded from the cache")

    monkeypatch.setattr(features, "compute", recompute)
    second = features.extract("mobilenet_0.25", data.train, weights=None)
    assert second.cached and np.array_equal(first.features, second.features)
    assert second.extraction_seconds == first.extraction_seconds


def test_extract_paths_streams_the_same_features(fake_photos):
    data = datasets.cats_vs_dogs(image_size=32)
    paths = [fake_photos / f for f in data.train.files]
    streamed = features.extract_paths("mobilenet_0.25", paths, 32, batch_size=5, weights=None)
    cached = features.extract("mobilenet_0.25", data.train, weights=None).features
    np.testing.assert_allclose(streamed, cached, rtol=1e-4, atol=1e-5)


def test_extraction_uses_the_profile_batch_size(fake_photos, monkeypatch):
    data = datasets.cats_vs_dogs(image_size=32)
    paths = [fake_photos / f for f in data.train.files]
    sizes = []

    def record_sizes(model, preprocess, batches, *rest):
        sizes.append([len(batch) for batch in batches])
        return np.zeros((12, 4), dtype="float32")

    monkeypatch.setattr(features, "compute", record_sizes)
    features.extract_paths("mobilenet_0.25", paths, 32, weights=None)
    features.extract("mobilenet_0.25", data.train, weights=None)
    batch = settings.profile().feature_batch_size
    expected = [min(batch, 12 - start) for start in range(0, 12, batch)]
    assert sizes == [expected, expected]


def test_cache_key_changes_with_photos_and_size(fake_photos):
    a = datasets.cats_vs_dogs(image_size=32)
    b = datasets.cats_vs_dogs(image_size=32, per_class=3)
    c = datasets.cats_vs_dogs(image_size=40)
    keys = {features.cache_key("mobilenet_0.25", split.train, None) for split in (a, b, c)}
    assert len(keys) == 3


def test_random_weights_are_cached_per_run_number(fake_photos, monkeypatch):
    data = datasets.cats_vs_dogs(image_size=32)
    first = features.cache_key("mobilenet_0.25", data.train, None)
    monkeypatch.setenv(settings.SEED_ENV, "1")
    assert features.cache_key("mobilenet_0.25", data.train, None) != first


@pytest.mark.real_data
def test_mobilenet_v2_features_separate_real_cats_and_dogs():
    """Test (a): frozen MobileNetV2 0.35 features + a linear head ≥ 0.95 validation accuracy."""
    real_data_or_skip()
    data = datasets.cats_vs_dogs(image_size=224)
    train = features.extract("mobilenet_v2_0.35", data.train)
    validation = features.extract("mobilenet_v2_0.35", data.validation)
    keras.utils.set_random_seed(0)
    head = models.linear_head(train.features.shape[1])
    head.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                 metrics=["accuracy"])
    head.fit(train.features, data.train.labels, epochs=30, batch_size=64, verbose=0)
    accuracy = head.evaluate(validation.features, data.validation.labels, verbose=0,
                             return_dict=True)["accuracy"]
    print(f"MobileNetV2 0.35 frozen features + linear head: {accuracy:.4f} validation accuracy; "
          f"extraction {train.extraction_seconds + validation.extraction_seconds:.1f} s for "
          "3,000 photos "
          f"(cached: {train.cached})")
    assert accuracy >= 0.95


def test_a_long_folder_name_gives_a_bounded_cache_file_name(fake_photos, tmp_path):
    data = datasets.cats_vs_dogs(image_size=32)
    split = dataclasses.replace(data.train, content_id="猫" * 70 + "-0123456789abcdef-train")
    extraction = features.extract("mobilenet_0.25", split, weights=None)
    assert extraction.features.shape == (12, 256)
    names = [p.name for p in folders.cache_dir("features").iterdir()]
    assert names and max(len(name.encode()) for name in names) <= 130
