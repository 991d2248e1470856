"""Datasets: cats_and_dogs_filtered, decoded once and cached as arrays.

Photos are looked for in the data home (``TLCOURSE_DATA``, may be read-only), then in
the cache; when absent they are downloaded from the public URL. Every photo is checked
against the per-file SHA-256 manifest shipped in this package before it is used.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import numpy as np
import simplejpeg
from PIL import Image
from tqdm.auto import tqdm

from . import downloads, settings
from .training import Batches

CATS_VS_DOGS = downloads.RemoteFile(
    filename="cats_and_dogs_filtered.zip",
    url="https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",
)
CATS_VS_DOGS_ROOT = "cats_and_dogs_filtered"
CLASS_NAMES = ("cats", "dogs")
SPLITS = ("train", "validation")

# In the array cache key: another decoder gives other pixels (a few levels of 255 apart).
DECODER = "turbo-dct-box"

_verified_folders: set[Path] = set()


@dataclasses.dataclass
class ImageSplit:
    """One split: ``images`` uint8 (N, size, size, 3), ``labels`` int (N,), source ``files``.

    ``content_id`` names exactly which photos (by content) and size the split holds;
    feature caches are keyed by it.
    """

    images: np.ndarray
    labels: np.ndarray
    files: list[str]
    content_id: str

    def __len__(self) -> int:
        return len(self.labels)

    def batches(self, batch_size: int = 32, shuffle: bool = False, seed: int = 0,
                steps: int | None = None) -> Batches:
        """A Keras ``PyDataset`` of (uint8 images, labels) read batch by batch (no full copy)."""
        return Batches(self.images, self.labels, batch_size, shuffle, seed, steps)


@dataclasses.dataclass
class ImageData:
    """Train and validation splits with their class names and image size."""

    train: ImageSplit
    validation: ImageSplit
    class_names: tuple[str, ...]
    image_size: int
    batch_size: int

    def __repr__(self) -> str:
        counts = {
            name: [int((split.labels == i).sum()) for i in range(len(self.class_names))]
            for name, split in (("train", self.train), ("validation", self.validation))
        }
        return (
            f"ImageData({self.image_size}x{self.image_size} px, classes {list(self.class_names)}, "
            f"train {len(self.train)} {counts['train']}, "
            f"validation {len(self.validation)} {counts['validation']})"
        )


def read_manifest(name: str = CATS_VS_DOGS_ROOT) -> dict[str, str]:
    """The shipped per-file manifest: relative path → SHA-256."""
    text = resources.files("tlcourse").joinpath("manifests", f"{name}.sha256").read_text()
    entries = {}
    for line in text.splitlines():
        digest, relative = line.split(maxsplit=1)
        entries[relative.strip()] = digest
    return entries


def verify_folder(folder: Path, manifest: dict[str, str]) -> None:
    """Check every manifest file under ``folder``; raise ChecksumError naming what is wrong."""
    folder = Path(folder)
    if folder.resolve() in _verified_folders:
        return
    missing, corrupt = [], []
    for relative, digest in tqdm(sorted(manifest.items()), desc="verifying photos", leave=False):
        path = folder / relative
        if not path.is_file():
            missing.append(relative)
        elif downloads.sha256sum(path) != digest:
            corrupt.append(relative)
    if missing or corrupt:
        examples = ", ".join((missing + corrupt)[:5])
        raise downloads.ChecksumError(
            f"{folder} does not match the shipped manifest: {len(missing)} missing and "
            f"{len(corrupt)} corrupt file(s) (e.g. {examples}). Nothing was changed there. "
            f"Move that folder aside and run `{downloads.FETCH_COMMAND}` to get a clean copy."
        )
    _verified_folders.add(folder.resolve())


def cats_vs_dogs_folder(download: bool = True) -> Path:
    """The verified ``cats_and_dogs_filtered`` folder, downloading it when needed.

    Looks in the data home first (``TLCOURSE_DATA``), then in the cache. A download
    goes to the data home when it is writable, else to the cache.
    """
    manifest = read_manifest()
    candidates = [settings.data_home() / CATS_VS_DOGS_ROOT,
                  settings.cache_root() / "data" / CATS_VS_DOGS_ROOT]
    for folder in candidates:
        if folder.is_dir():
            verify_folder(folder, manifest)
            return folder
    if not download:
        raise downloads.AssetUnavailableError(
            downloads.offline_message(CATS_VS_DOGS_ROOT, candidates[0], "download=False")
        )
    home = settings.data_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    parent = home if settings.is_writable(home) else settings.cache_dir("data")
    archive = downloads.fetch(CATS_VS_DOGS, parent)
    folder = downloads.safe_extract_zip(archive, parent, CATS_VS_DOGS_ROOT)
    verify_folder(folder, manifest)
    archive.unlink()
    return folder


def decode_image(path: Path, size: int) -> np.ndarray:
    """Decode one photo to RGB uint8 ``(size, size, 3)``, squashed like Keras' loaders.

    JPEGs are decoded by libjpeg-turbo already scaled down in the DCT to the smallest scale
    that keeps both sides at least ``size`` (5/8 or 3/4 for most of these photos at 224 px);
    the rest of the way is an area average (box filter), bilinear where a photo is enlarged.
    That costs about half the CPU of a full-size decode and bilinear resize with Pillow.
    Other formats, and JPEGs libjpeg-turbo rejects, go through Pillow.
    """
    image = _decode_rgb(path.read_bytes(), size)
    resample = Image.BOX if min(image.size) >= size else Image.BILINEAR
    return np.asarray(image.resize((size, size), resample), dtype=np.uint8)


def _decode_rgb(data: bytes, size: int) -> Image.Image:
    """The photo in ``data`` as RGB, DCT-scaled towards ``size`` where libjpeg-turbo can."""
    if simplejpeg.is_jpeg(data):
        with contextlib.suppress(ValueError):
            return Image.fromarray(simplejpeg.decode_jpeg(
                data, colorspace="RGB", min_height=size, min_width=size))
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def decode_images(paths: list[Path], size: int, description: str = "decoding") -> np.ndarray:
    """Decode photos in parallel threads (the decoders release the GIL) with a progress bar."""
    out = np.empty((len(paths), size, size, 3), dtype=np.uint8)
    workers = min(8, (os.cpu_count() or 1) * 2)
    with ThreadPoolExecutor(workers) as pool:
        results = pool.map(lambda p: decode_image(p, size), paths)
        for index, array in enumerate(tqdm(results, total=len(paths), desc=description,
                                           leave=False)):
            out[index] = array
    return out


def _lowest_priority() -> None:
    """Lower the calling thread to the lowest scheduling priority (where the OS allows it)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def decode_batches(paths: list[Path], size: int, batch_size: int = 32, ahead: int = 2):
    """Yield decoded uint8 batches of ``paths``, decoding the next ones in worker threads.

    One worker per core, each at the lowest scheduling priority (Linux): while the consumer
    (a model) computes, they use only the CPU time it leaves idle; when it waits for a batch,
    every core decodes that batch. Besides the batch being handed over, ``ahead`` + 1 are
    queued (``ahead`` ready ones and the one in progress, as a single producer would keep).
    """
    chunks = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)]
    pool = ThreadPoolExecutor(os.cpu_count() or 1, initializer=_lowest_priority)
    queued: collections.deque = collections.deque()

    def enqueue(index: int) -> None:
        if index < len(chunks):
            queued.append([pool.submit(decode_image, path, size) for path in chunks[index]])

    try:
        for index in range(ahead + 1):
            enqueue(index)
        for index in range(len(chunks)):
            photos = queued.popleft()
            enqueue(index + ahead + 1)
            yield np.stack([photo.result() for photo in photos])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def manifest_digest(files: list[str], manifest: dict[str, str]) -> str:
    """A short digest of exactly which photos (by content) an array holds."""
    digest = hashlib.sha256()
    for relative in files:
        digest.update(f"{relative} {manifest[relative]}\n".encode())
    return digest.hexdigest()[:16]


def cached_array(name: str, build) -> np.ndarray:
    """Load ``cache/arrays/name.npy`` memory-mapped, building and saving it atomically once."""
    path = settings.cache_dir("arrays") / f"{name}.npy"
    if not path.exists():
        array = build()
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        with open(partial, "wb") as handle:
            np.save(handle, array, allow_pickle=False)
        os.replace(partial, path)
    return np.load(path, mmap_mode="r", allow_pickle=False)


def split_files(split: str) -> tuple[list[str], np.ndarray]:
    """Relative paths (sorted by class, then name) and labels of one split."""
    manifest = read_manifest()
    files, labels = [], []
    for label, class_name in enumerate(CLASS_NAMES):
        prefix = f"{split}/{class_name}/"
        names = [f for f in manifest if f.startswith(prefix)]
        names.sort(key=lambda f: int(f.rsplit(".", 2)[-2]))
        files += names
        labels += [label] * len(names)
    return files, np.asarray(labels, dtype=np.int32)


def load_split(split: str, image_size: int) -> ImageSplit:
    """A whole split decoded at ``image_size`` (cached after the first call)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    files, labels = split_files(split)
    manifest = read_manifest()
    key = (f"{CATS_VS_DOGS_ROOT}-{split}-{image_size}px-{DECODER}-"
           f"{manifest_digest(files, manifest)}")

    def build() -> np.ndarray:
        folder = cats_vs_dogs_folder()
        return decode_images([folder / f for f in files], image_size, f"decoding {split}")

    return ImageSplit(cached_array(key, build), labels, files, key)


def balanced_indices(labels: np.ndarray, per_class: int, seed: int) -> np.ndarray:
    """Sorted indices of ``per_class`` random examples of each class."""
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if per_class > len(members):
            raise ValueError(
                f"per_class={per_class} but class {label} has only {len(members)} examples."
            )
        chosen.append(rng.choice(members, per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def subset(split: ImageSplit, indices: np.ndarray) -> ImageSplit:
    """The examples of ``split`` at ``indices`` (images copied into memory)."""
    digest = hashlib.sha256(np.asarray(indices, dtype=np.int64).tobytes()).hexdigest()[:12]
    return ImageSplit(np.asarray(split.images[indices]), split.labels[indices],
                      [split.files[i] for i in indices], f"{split.content_id}-subset-{digest}")


def cats_vs_dogs(image_size: int = 160, per_class: int | None = None, seed: int = 0,
                 batch_size: int = 32) -> ImageData:
    """cats_and_dogs_filtered: 2,000 training and 1,000 validation photos of cats and dogs.

    Parameters
    ----------
    image_size : int
        Square size the photos are resized to (decoded once, then cached).
    per_class : int, optional
        A balanced random subset of the training photos, this many per class.
        Validation always keeps all 1,000 photos.
    seed : int
        Seed for the subset.
    batch_size : int
        Default batch size for ``split.batches()`` in the notebooks.

    Returns
    -------
    ImageData
        ``.train`` and ``.validation`` with uint8 ``images`` and int ``labels``
        (0 = cats, 1 = dogs), ready for ``model.fit``.
    """
    if image_size < 8:
        raise ValueError(f"image_size={image_size} is too small; use at least 8 pixels.")
    train = load_split("train", image_size)
    if per_class is not None:
        train = subset(train, balanced_indices(train.labels, per_class, seed))
    validation = load_split("validation", image_size)
    return ImageData(train, validation, CLASS_NAMES, image_size, batch_size)
