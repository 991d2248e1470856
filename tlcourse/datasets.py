"""Photo sets: cats_and_dogs_filtered (near ImageNet) and EuroSAT RGB (far), cached as arrays.

Photos are looked for in the data home (``TLCOURSE_DATA``, may be read-only), then in
the cache; when absent they are downloaded from their public URL. Every photo is checked
against the per-file SHA-256 manifest shipped in this package before it is used.

Each set has three splits: ``train`` to fit, ``validation`` to choose (epochs, learning
rates, variants) and ``test``, touched once for a notebook's headline numbers. The
validation / test split is drawn once, stratified by class, with a fixed seed, so every
run and every learner evaluates on the same photos.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import io
import numbers
import os
import re
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import numpy as np
import simplejpeg
from PIL import Image, UnidentifiedImageError
from tqdm.auto import tqdm

from . import cachefiles, downloads, fileio, folders

SPLITS = ("train", "validation", "test")
HELD_OUT_SEED = 0  # fixed: the validation / test photos never change between runs

# In the array cache key: another decoder gives other pixels (a few levels of 255 apart).
DECODER = "turbo-dct-box"
MIN_IMAGE_SIZE = 8


def check_count(argument: str, value, minimum: int, example: str) -> int:
    """``value`` as an int, or a ValueError naming ``argument`` and the values it accepts."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or value < minimum):
        raise ValueError(f"{argument} must be a whole number of at least {minimum} "
                         f"(e.g. {example}), not {value!r}.")
    return int(value)


def check_image_size(image_size) -> int:
    """``image_size`` as an int of at least ``MIN_IMAGE_SIZE`` pixels, else a clear ValueError."""
    return check_count("image_size", image_size, MIN_IMAGE_SIZE, "160 or 224")


@dataclasses.dataclass(frozen=True)
class PhotoSet:
    """A photo set the course knows: its source, classes and how its files split.

    ``splits`` maps a split to (folder pattern, start, stop): the split takes the files of
    each class under the pattern's folder (``{cls}`` is the class folder) that fall between
    the ``start`` and ``stop`` shares of a fixed random order of that folder's files.
    """

    root: str
    class_names: tuple[str, ...]
    class_folders: tuple[str, ...]
    splits: dict[str, tuple[str, float, float]]
    remote: downloads.RemoteFile
    archive_root: str
    notice: str


CATS_VS_DOGS = PhotoSet(
    root="cats_and_dogs_filtered",
    class_names=("cats", "dogs"),
    class_folders=("cats", "dogs"),
    # The public archive has train (1,000 per class) and validation (500 per class) folders;
    # its validation photos are halved into validation and test, as the TensorFlow tutorial does.
    splits={"train": ("train/{cls}/", 0.0, 1.0),
            "validation": ("validation/{cls}/", 0.0, 0.5),
            "test": ("validation/{cls}/", 0.5, 1.0)},
    remote=downloads.RemoteFile(
        filename="cats_and_dogs_filtered.zip",
        url="https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"),
    archive_root="cats_and_dogs_filtered",
    notice="cats_and_dogs_filtered: 3,000 photos of the Kaggle Dogs vs. Cats / Microsoft "
           "Asirra set, as published for the TensorFlow transfer-learning tutorial.",
)
EUROSAT = PhotoSet(
    root="eurosat_rgb_300",
    class_names=("annual crop", "forest", "herbaceous vegetation", "highway", "industrial",
                 "pasture", "permanent crop", "residential", "river", "sea or lake"),
    class_folders=("AnnualCrop", "Forest", "HerbaceousVegetation", "Highway", "Industrial",
                   "Pasture", "PermanentCrop", "Residential", "River", "SeaLake"),
    # 300 photos per class, picked evenly by file number from the 27,000 of the release.
    splits={"train": ("{cls}/", 0.0, 2 / 3),
            "validation": ("{cls}/", 2 / 3, 5 / 6),
            "test": ("{cls}/", 5 / 6, 1.0)},
    remote=downloads.RemoteFile(
        filename="EuroSAT.zip",
        url="http://madm.dfki.de/files/sentinel/EuroSAT.zip",
        mirrors=("https://huggingface.co/datasets/torchgeo/eurosat/resolve/"
                 "c877bcd43f099cd0196738f714544e355477f3fd/EuroSAT.zip",)),
    archive_root="2750",
    notice="EuroSAT RGB (Helber, Bischke, Dengel & Borth, IEEE JSTARS 2019): Copernicus "
           "Sentinel-2 photos, 64 × 64 px. MIT licence, Copyright (c) 2023 Patrick Helber "
           "(github.com/phelber/EuroSAT). The course uses 300 photos per class.",
)

_verified_folders: set[Path] = set()


@dataclasses.dataclass
class ImageSplit:
    """One split: ``images`` uint8 (N, size, size, 3), ``labels`` int (N,), source ``files``.

    ``content_id`` names exactly which photos (by content) and size the split holds;
    feature caches are keyed by it. ``folder``, when known, is the folder ``files`` are
    relative to.
    """

    images: np.ndarray
    labels: np.ndarray
    files: list[str]
    content_id: str
    folder: Path | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def batches(self, batch_size: int = 32, shuffle: bool = False, seed: int = 0,
                steps: int | None = None):
        """A Keras ``PyDataset`` of (uint8 images, labels) read batch by batch (no full copy)."""
        from .batches import Batches  # Keras is imported only when batches are asked for

        return Batches(self.images, self.labels, batch_size, shuffle, seed, steps)


@dataclasses.dataclass
class ImageData:
    """Train, validation and (for the course's photo sets) test splits, class names, size."""

    train: ImageSplit
    validation: ImageSplit
    class_names: tuple[str, ...]
    image_size: int
    test: ImageSplit | None = None

    def __repr__(self) -> str:
        def counts(split: ImageSplit) -> str:
            per_class = np.bincount(split.labels, minlength=len(self.class_names))
            return f"{len(split)} {per_class.tolist()}"

        test = f", test {counts(self.test)}" if self.test is not None else ""
        return (
            f"ImageData({self.image_size}x{self.image_size} px, classes {list(self.class_names)}, "
            f"train {counts(self.train)}, validation {counts(self.validation)}{test})"
        )


def read_manifest(name: str = CATS_VS_DOGS.root) -> dict[str, str]:
    """The shipped per-file manifest of photo set ``name``: relative path → SHA-256."""
    text = resources.files("tlcourse").joinpath("manifests", f"{name}.sha256").read_text()
    entries = {}
    for line in text.splitlines():
        digest, relative = line.split(maxsplit=1)
        entries[relative.strip()] = digest
    return entries


def verify_folder(folder: Path, manifest: dict[str, str], what: str = "photos") -> None:
    """Check every manifest file under ``folder``; raise ChecksumError naming what is wrong."""
    folder = Path(folder)
    if folder.resolve() in _verified_folders:
        return
    missing, corrupt = [], []
    for relative, digest in tqdm(sorted(manifest.items()), desc=f"verifying {what}", leave=False):
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


def candidate_folders(photo_set: PhotoSet, data_home: str | Path | None = None) -> list[Path]:
    """Where ``photo_set`` (or any asset with a ``root`` folder, such as an encoder) is looked
    for, in order: the data home, then the cache."""
    home = Path(data_home).expanduser() if data_home else folders.data_home()
    return [home / photo_set.root, folders.cache_root() / "data" / photo_set.root]


def photo_folder(photo_set: PhotoSet, download: bool = True,
                 data_home: str | Path | None = None) -> Path:
    """The verified folder of ``photo_set``, downloading it when needed.

    Looks in the data home first (``data_home``, default ``TLCOURSE_DATA`` or
    ``~/tlcourse_data``, as scikit-learn's ``fetch_*``), then in the cache. A download
    goes to the data home when it is writable, else to the cache; only the manifest's
    photos are extracted from the archive, which is deleted afterwards.
    """
    manifest = read_manifest(photo_set.root)
    candidates = candidate_folders(photo_set, data_home)
    for folder in candidates:
        if folder.is_dir():
            verify_folder(folder, manifest)
            return folder
    if not download:
        raise downloads.AssetUnavailableError(
            downloads.offline_message(photo_set.root, candidates[0], "download=False")
        )
    home = candidates[0].parent
    with contextlib.suppress(OSError):
        home.mkdir(parents=True, exist_ok=True)
    parent = home if fileio.is_writable(home) else folders.cache_dir("data")
    archive = downloads.fetch(photo_set.remote, parent)
    folder = downloads.safe_extract_zip(archive, parent, photo_set.root,
                                        source=photo_set.archive_root, members=sorted(manifest))
    verify_folder(folder, manifest)
    archive.unlink()
    return folder


def cats_vs_dogs_folder(download: bool = True, data_home: str | Path | None = None) -> Path:
    """The verified ``cats_and_dogs_filtered`` folder, downloading it when needed."""
    return photo_folder(CATS_VS_DOGS, download, data_home)


MIN_SIDE = 9  # pixels; a smaller file is an icon or a thumbnail, not a photo


class UnusableImage(ValueError):
    """A file that is not a usable image; ``reason`` says why in a few words."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.reason = reason


def decode_image(path: Path, size: int) -> np.ndarray:
    """Decode one image file to RGB uint8 ``(size, size, 3)``, squashed like Keras' loaders.

    The one decoder of the course, for the datasets and for your own photos. JPEGs are
    decoded by libjpeg-turbo already scaled down in the DCT to the smallest scale that keeps
    both sides at least ``size`` (5/8 or 3/4 for most photos at 224 px); the rest of the way
    is an area average (box filter), bilinear where a photo is enlarged. That costs about
    half the CPU of a full-size decode and bilinear resize with Pillow (bench P2 streams photos
    through it). Other formats, and JPEGs libjpeg-turbo rejects, go through Pillow: any colour
    mode becomes RGB (alpha over white, 16-bit scaled by its range, CMYK and palettes
    converted). A file that is not a usable image raises ``UnusableImage`` with the reason.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UnusableImage(path, "file not found (moved or deleted while loading?)") from error
    except PermissionError as error:
        raise UnusableImage(path, "no permission to read it (fix: chmod u+r on the file)") \
            from error
    if not data:
        raise UnusableImage(path, "empty file")
    image = _decode_rgb(path, data, size)
    resample = Image.BOX if min(image.size) >= size else Image.BILINEAR
    return np.asarray(image.resize((size, size), resample), dtype=np.uint8)


def _check_size(path: Path, width: int, height: int) -> None:
    """Refuse images too small to be photos and too large to decode safely."""
    if min(width, height) < MIN_SIDE:
        raise UnusableImage(path, f"too small ({width}×{height} pixels)")
    if width * height > Image.MAX_IMAGE_PIXELS:
        raise _too_large(path)


def _too_large(path: Path) -> UnusableImage:
    return UnusableImage(path, f"too large (over {Image.MAX_IMAGE_PIXELS:,} pixels)")


def _decode_rgb(path: Path, data: bytes, size: int) -> Image.Image:
    """The image in ``data`` as RGB, DCT-scaled towards ``size`` where libjpeg-turbo can."""
    if simplejpeg.is_jpeg(data):
        decoded = _jpeg_rgb(path, data, size)
        if decoded is not None:
            return decoded
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                _check_size(path, image.width, image.height)
                return _to_rgb(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large(path) from error
    except UnidentifiedImageError as error:
        raise UnusableImage(path, "not a readable image") from error
    except (OSError, SyntaxError) as error:
        raise UnusableImage(path, "corrupt or truncated image") from error


def _jpeg_rgb(path: Path, data: bytes, size: int) -> Image.Image | None:
    """libjpeg-turbo's DCT-scaled decode of a JPEG, or None where it rejects the file."""
    try:
        height, width, _, _ = simplejpeg.decode_jpeg_header(data)
    except ValueError:
        return None
    _check_size(path, width, height)
    try:
        return Image.fromarray(simplejpeg.decode_jpeg(
            data, colorspace="RGB", min_height=size, min_width=size))
    except ValueError:
        return None


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB whatever the mode: alpha over white, 16-bit scaled down, CMYK and palettes converted.

    16-bit pixels are scaled by the type's range (65,535 → 255), so a dark photo stays dark.
    """
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        pixels = np.clip(np.asarray(image, dtype=np.float64), 0, 65535)
        image = Image.fromarray(np.rint(pixels / 257).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
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
    """Load ``cache/arrays/name.npy`` memory-mapped and validated; build and save it when
    missing or damaged (see ``cachefiles``)."""
    path = folders.cache_dir("arrays") / f"{fileio.bounded_name(name)}.npy"
    if cachefiles.load(path) is None:
        cachefiles.save(path, build())
    return cachefiles.load(path)[0]


def _file_number(relative: str) -> int:
    """The photo's number in its file name (``cat.12.jpg`` → 12, ``Forest_305.jpg`` → 305)."""
    return int(re.findall(r"\d+", Path(relative).name)[-1])


def split_files(split: str, photo_set: PhotoSet = CATS_VS_DOGS) -> tuple[list[str], np.ndarray]:
    """Relative paths (by class, then file number) and labels of one split of ``photo_set``."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    pattern, start, stop = photo_set.splits[split]
    manifest = read_manifest(photo_set.root)
    files, labels = [], []
    for label, class_folder in enumerate(photo_set.class_folders):
        prefix = pattern.format(cls=class_folder)
        pool = sorted((f for f in manifest if f.startswith(prefix)), key=_file_number)
        order = np.random.default_rng([HELD_OUT_SEED, label]).permutation(len(pool))
        chosen = order[round(start * len(pool)):round(stop * len(pool))]
        files += sorted((pool[i] for i in chosen), key=_file_number)
        labels += [label] * len(chosen)
    return files, np.asarray(labels, dtype=np.int32)


def load_split(split: str, image_size: int, photo_set: PhotoSet = CATS_VS_DOGS,
               data_home: str | Path | None = None) -> ImageSplit:
    """A whole split decoded at ``image_size`` (cached after the first call)."""
    files, labels = split_files(split, photo_set)
    manifest = read_manifest(photo_set.root)
    key = (f"{photo_set.root}-{split}-{image_size}px-{DECODER}-"
           f"{manifest_digest(files, manifest)}")

    def build() -> np.ndarray:
        folder = photo_folder(photo_set, data_home=data_home)
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


def load_photo_set(photo_set: PhotoSet, image_size: int, per_class: int | None = None,
                   seed: int = 0, data_home: str | Path | None = None) -> ImageData:
    """Train, validation and test splits of ``photo_set`` (see ``cats_vs_dogs``)."""
    image_size = check_image_size(image_size)
    if per_class is not None:
        per_class = check_count("per_class", per_class, 1, "50; None for every photo")
    train = load_split("train", image_size, photo_set, data_home)
    if per_class is not None:
        train = subset(train, balanced_indices(train.labels, per_class, seed))
    validation, test = (load_split(split, image_size, photo_set, data_home)
                        for split in SPLITS[1:])
    return ImageData(train, validation, photo_set.class_names, image_size, test=test)


def cats_vs_dogs(image_size: int = 160, per_class: int | None = None, seed: int = 0,
                 data_home: str | Path | None = None) -> ImageData:
    """cats_and_dogs_filtered: 2,000 training, 500 validation and 500 test photos.

    A near target: ImageNet's 1,000 classes include 118 dog breeds and several cats.

    Parameters
    ----------
    image_size : int
        Square size the photos are resized to (decoded once, then cached).
    per_class : int, optional
        A balanced random subset of the training photos, this many per class.
        Validation and test always keep all their photos.
    seed : int
        Seed for the subset.
    data_home : str or Path, optional
        Folder the photos are looked for in and downloaded to (default: ``TLCOURSE_DATA``,
        else ``~/tlcourse_data``); a read-only one is fine once it holds them.

    Returns
    -------
    ImageData
        ``.train``, ``.validation`` and ``.test`` with uint8 ``images`` and int ``labels``
        (0 = cats, 1 = dogs), ready for ``model.fit``.
    """
    return load_photo_set(CATS_VS_DOGS, image_size, per_class, seed, data_home)


def eurosat(image_size: int = 64, per_class: int | None = None, seed: int = 0,
            data_home: str | Path | None = None) -> ImageData:
    """EuroSAT RGB, 10 land-use classes: 2,000 training, 500 validation and 500 test photos.

    A far target: Sentinel-2 satellite views (64 × 64 px) of crops, forests, rivers, towns…
    which no ImageNet class resembles. Users get the official ``EuroSAT.zip`` (about 90 MB);
    only the 3,000 photos of the shipped manifest are kept. Parameters and return value as
    in ``cats_vs_dogs``; labels follow ``EUROSAT.class_names`` (0 = annual crop … 9 = sea or
    lake). ``EUROSAT.notice`` is the dataset's licence notice.
    """
    return load_photo_set(EUROSAT, image_size, per_class, seed, data_home)
