"""Extract frozen-backbone features once and cache them on disk.

The cache key combines the backbone, the SHA-256 of its weights file, the image size
and the exact photos (``ImageSplit.content_id``), so a second call loads from disk and
a change to any of them extracts anew.
"""

from __future__ import annotations

import dataclasses
import functools
import time

import numpy as np
from tqdm.auto import tqdm

from . import backbones, cachefiles, datasets, fileio, folders, settings
from .datasets import ImageSplit
from .downloads import sha256sum


@dataclasses.dataclass
class Extraction:
    """Features of one split and what producing them cost.

    ``extraction_seconds`` is the time the backbone took when the features were computed,
    also when this call loaded them from the cache (``cached``; ``load_seconds`` is then
    what loading took).
    """

    features: np.ndarray
    extraction_seconds: float
    cached: bool
    load_seconds: float


@functools.lru_cache(maxsize=4)
def feature_model(name: str, image_size: int, weights: str | None):
    """The pooled backbone used for extraction (built once per process)."""
    return backbones.build(name, weights=weights, image_size=image_size, pooling="avg")


@functools.lru_cache(maxsize=16)
def weights_id(name: str, weights: str) -> str:
    """Short SHA-256 of the backbone's ImageNet weights file."""
    spec = backbones.get(name)
    feature_model(name, spec.input_size, weights)  # downloads the file if needed
    return sha256sum(backbones.weights_path(spec))[:16]


def cache_key(name: str, split: ImageSplit, weights: str | None) -> str:
    """File stem of the cached features (long ones shortened with a hash).

    Random weights (``weights=None``) are drawn from the seeds a notebook sets, which
    ``TLCOURSE_SEED`` offsets, so each run number caches its own random network's features.
    """
    size = split.images.shape[1]
    origin = f"random-run{settings.run_seed()}" if weights is None else weights_id(name, weights)
    return fileio.bounded_name(f"{name}-{origin}-{size}px-{split.content_id}")


def compute(model, preprocess, batches, total: int, description: str) -> np.ndarray:
    """Run ``model`` over an iterable of uint8 batches; float32 features out."""
    chunks = []
    with tqdm(total=total, desc=description, unit="photo", leave=False) as bar:
        for batch in batches:
            inputs = preprocess(np.asarray(batch, dtype="float32"))
            chunks.append(np.asarray(model.predict_on_batch(inputs), dtype="float32"))
            bar.update(len(batch))
    return np.concatenate(chunks)


def in_batches(images: np.ndarray, batch_size: int):
    """Consecutive slices of ``images`` with ``batch_size`` rows each (the last may be short)."""
    return (images[start:start + batch_size] for start in range(0, len(images), batch_size))


def extract_paths(name: str, paths: list, image_size: int | None = None,
                  batch_size: int | None = None, weights: str | None = "imagenet") -> np.ndarray:
    """Features straight from image files, decoding the next batch while the model runs.

    Memory stays at a few batches whatever the number of photos; nothing is cached.
    ``batch_size`` defaults to the profile's ``feature_batch_size``.
    """
    spec = backbones.get(name)
    size = image_size or spec.input_size
    model = feature_model(name, size, weights)
    batch_size = batch_size or settings.profile().feature_batch_size
    batches = datasets.decode_batches(paths, size, batch_size)
    return compute(model, spec.preprocess, batches, len(paths), f"{name} features")


def extract(name: str, split: ImageSplit, weights: str | None = "imagenet",
            batch_size: int | None = None) -> Extraction:
    """Features of every photo of ``split`` from the frozen backbone ``name``.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"mobilenet_v2_0.35"``.
    split : ImageSplit
        Photos to encode (e.g. ``data.train``).
    weights : {"imagenet", None}
        Pretrained (default) or random weights on purpose.
    batch_size : int, optional
        Photos per forward pass; default: the profile's ``feature_batch_size``.
    """
    array_path = folders.cache_dir("features") / f"{cache_key(name, split, weights)}.npy"
    start = time.perf_counter()
    cached = cachefiles.load(array_path, mmap=False)
    if cached is not None and "seconds" in cached[1]:
        features, metadata = cached
        return Extraction(features, metadata["seconds"], True, time.perf_counter() - start)
    spec = backbones.get(name)
    model = feature_model(name, split.images.shape[1], weights)
    start = time.perf_counter()
    batches = in_batches(split.images, batch_size or settings.profile().feature_batch_size)
    features = compute(model, spec.preprocess, batches, len(split.images), f"{name} features")
    seconds = time.perf_counter() - start
    cachefiles.save(array_path, features, seconds=seconds, images=len(features))
    return Extraction(features, seconds, False, 0.0)
