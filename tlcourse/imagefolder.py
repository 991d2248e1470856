"""Your own photos: a folder with one subfolder per class, loaded defensively.

Every readable image is used, whatever its format or colour mode; every file that is
not is listed with its reason in one report. Unrecoverable problems raise one error that
names the folder and what to do. Nothing in the folder is ever modified. Kept beside Keras'
``image_dataset_from_directory``, which stops at the first file it cannot decode, in the
middle of training, and says nothing of the others.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import numbers
import os
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm.auto import tqdm

from .datasets import (ImageData, ImageSplit, UnusableImage, check_image_size,
                       decode_image)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}


class FolderError(ValueError):
    """The folder cannot be used as it is; the message says what to do."""


@dataclasses.dataclass
class FolderReport:
    """Which files were kept (per class) and which were skipped, with reasons."""

    root: Path
    kept: dict[str, int]
    skipped: list[tuple[str, str]]
    splits: dict[str, int] = dataclasses.field(default_factory=dict)
    streamed: bool = False

    def reasons(self) -> dict[str, int]:
        """Number of skipped files per reason."""
        return dict(collections.Counter(reason for _, reason in self.skipped))

    def __str__(self) -> str:
        lines = [f"{self.root}: kept {sum(self.kept.values())} images "
                 + ", ".join(f"{name} {count}" for name, count in self.kept.items())]
        if self.splits:
            lines[0] = (f"{self.root}: already split, your split is used: "
                        + ", ".join(f"{name} {count}" for name, count in self.splits.items())
                        + f"; training classes {', '.join(self.kept)}")
        if self.skipped:
            lines.append(f"skipped {len(self.skipped)} files: "
                         + ", ".join(f"{reason} {n}" for reason, n in self.reasons().items()))
            lines += [f"  {path}: {reason}" for path, reason in self.skipped]
        return "\n".join(lines)


def _visible(name: str) -> bool:
    """False for hidden files and folders, and for the ``__MACOSX`` folder of macOS zips."""
    return not name.startswith(".") and name != "__MACOSX"


def list_files(root: Path) -> tuple[dict[str, list[Path]], list[tuple[str, str]]]:
    """Candidate image files per class (sub-subfolders included) and the files passed over."""
    root = Path(root).expanduser()
    if not root.is_dir():
        raise FolderError(
            f"{root} does not exist or is not a folder. Give the path of a folder that holds "
            "one subfolder per class, e.g. photos/cats/… and photos/dogs/….")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and _visible(p.name))
    if not classes:
        raise FolderError(
            f"{root} has no class subfolders. Put the photos of each class in their own "
            "subfolder (the subfolder names become the class names).")
    candidates: dict[str, list[Path]] = {}
    passed_over: list[tuple[str, str]] = []
    for name in classes:
        found = []
        for folder, subfolders, files in os.walk(root / name):
            for hidden in sorted(d for d in subfolders if not _visible(d)):
                passed_over.append((str((Path(folder) / hidden).relative_to(root)),
                                    "hidden folder"))
            subfolders[:] = sorted(d for d in subfolders if _visible(d))
            for file in sorted(files):
                path = Path(folder) / file
                relative = str(path.relative_to(root))
                if not _visible(file):
                    passed_over.append((relative, "hidden file"))
                elif path.is_symlink() and not path.exists():
                    passed_over.append((relative, "broken link (its target is missing)"))
                elif path.suffix.lower() not in IMAGE_SUFFIXES:
                    passed_over.append((relative, "not an image file"))
                else:
                    found.append(path)
        candidates[name] = found
    return candidates, passed_over


def check_share(argument: str, value) -> float:
    """``value`` as a float strictly between 0 and 1, or a ValueError naming ``argument``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{argument} must be a share strictly between 0 and 1 (e.g. 0.2), "
                         f"not {value!r}.")
    return float(value)


def _split(count: int, validation_split: float, rng) -> np.ndarray:
    """Boolean mask of validation members: at least one, and at least one left to train.

    Not scikit-learn's ``train_test_split(stratify=…)``: on small folders it leaves a class
    out of validation (classes of 2, 2, 2 and 10 photos at 0.2: validation 1, 1, 0, 2; of
    2, 3 and 40: 0, 1, 8), and a learner's folder is often that small.
    """
    n_validation = min(count - 1, max(1, round(validation_split * count)))
    mask = np.zeros(count, dtype=bool)
    mask[rng.permutation(count)[:n_validation]] = True
    return mask


EXTRA_FOLDER = ("extra folder beside the split folders, not used (move it out, or rename it "
                "val/ or test/)")
# Folder names that mean "this folder is already split" (case-insensitive) → the split.
SPLIT_FOLDERS = {"train": "train", "training": "train", "val": "validation",
                 "valid": "validation", "validation": "validation", "test": "test",
                 "testing": "test"}


def _subfolders(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).iterdir() if p.is_dir() and _visible(p.name))


def split_folders(root: Path) -> dict[str, Path] | None:
    """``{split: folder}`` when ``root`` is already split (train/, val/, test/ …), else None.

    Folders named like splits only in part are classes (``test/`` beside ``cats/``), unless
    train/ is there with val/ or test/: then the others (``unlabeled/``…) are extra folders.
    """
    folders = {p.name.lower(): p for p in _subfolders(root)}
    named = {name: folder for name, folder in folders.items() if name in SPLIT_FOLDERS}
    meanings = {SPLIT_FOLDERS[name] for name in named}
    if not named or (len(named) < len(folders) and not ("train" in meanings
                                                         and len(meanings) > 1)):
        return None
    splits: dict[str, Path] = {}
    for name, folder in sorted(named.items()):
        split = SPLIT_FOLDERS[name]
        if split in splits:
            raise FolderError(f"{root} has both {splits[split].name}/ and {folder.name}/ for the "
                              f"{split} split. Keep one of them.")
        splits[split] = folder
    if "train" not in splits:
        raise FolderError(f"{root} looks split ({', '.join(sorted(named))}) but has no train/ "
                          "folder. Add one, or put the class subfolders directly in it.")
    return splits


class FileImages:
    """An ``images`` array never held whole: indexing decodes those files (``decode_image``).

    An int, a slice or an index array gives uint8 ``(…, size, size, 3)`` pixels, as the
    in-memory array would; ``shape``, ``dtype`` and ``len`` are the whole array's.
    """

    dtype = np.dtype(np.uint8)

    def __init__(self, paths: list[Path], size: int):
        self.paths, self.size = list(paths), size
        self.shape = (len(self.paths), size, size, 3)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index) -> np.ndarray:
        chosen = np.arange(len(self.paths))[index]
        if chosen.ndim == 0:
            return decode_image(self.paths[chosen], self.size)
        out = np.empty((len(chosen), *self.shape[1:]), dtype=np.uint8)
        for row, position in enumerate(chosen):
            out[row] = decode_image(self.paths[position], self.size)
        return out

    def subset(self, mask: np.ndarray) -> FileImages:
        """The files where ``mask`` is True, still undecoded."""
        return FileImages([p for p, keep in zip(self.paths, mask) if keep], self.size)


# Decoded pixels a 2 GB machine (Binder) holds beside Python, Keras and a small backbone.
IN_MEMORY_LIMIT_BYTES = 750 * 2**20


def decoded_bytes(count: int, image_size: int) -> int:
    """Peak memory of ``count`` decoded photos while loading: the pixels and the split copies."""
    return 2 * count * image_size * image_size * 3


def loading_plan(count: int, image_size: int, stream: bool) -> str:
    """One sentence: the memory estimate and whether the photos are held or streamed."""
    estimate = (f"{count} candidate photos at {image_size} px take about "
                f"{decoded_bytes(count, image_size) / 2**20:,.0f} MB decoded "
                f"(limit {IN_MEMORY_LIMIT_BYTES / 2**20:,.0f} MB)")
    if stream:
        return (f"{estimate}: streaming, each batch is decoded from its files when used "
                "(memory stays flat; every pass over the photos decodes them again).")
    return f"{estimate}: decoded once and held in memory."


def _read_classes(root: Path, listing, image_size: int, stream: bool,
                  minimum: int = 1) -> tuple[ImageSplit, FolderReport]:
    """Decode every usable image of ``listing`` (``list_files(root)``) to check it.

    Returns the whole folder as one split (its ``content_id`` the digest of its pixels;
    with ``stream`` its images are ``FileImages``) and the report. Each class needs at least
    ``minimum`` usable images.
    """
    candidates, skipped = listing
    skipped = list(skipped)
    total = sum(map(len, candidates.values()))
    pixels = None if stream else np.empty((total, image_size, image_size, 3), dtype=np.uint8)
    digest = hashlib.sha256()
    labels, files, kept = [], [], {}
    with tqdm(total=total, desc=f"reading {root.name}", unit="file") as bar:
        for label, (name, paths) in enumerate(candidates.items()):
            kept[name] = 0
            for path in paths:
                relative = str(path.relative_to(root))
                try:
                    image = decode_image(path, image_size)
                except UnusableImage as unusable:
                    skipped.append((relative, unusable.reason))
                else:
                    if pixels is not None:
                        pixels[len(labels)] = image
                    digest.update(image.tobytes())
                    labels.append(label)
                    files.append(relative)
                    kept[name] += 1
                bar.update(1)
    report = FolderReport(root, kept, skipped)
    too_few = [name for name, count in kept.items() if count < minimum]
    if too_few:
        why = (f"fewer than {minimum} usable images, so they cannot be split into training and "
               "validation" if minimum > 1 else "no usable image")
        raise FolderError(f"In {root}, class folder(s) {too_few} have {why}. Add photos to them "
                          f"or move those folders out of {root}.\n{report}")
    if len(kept) < 2:
        raise FolderError(f"{root} has only one class ({list(kept)}); a classifier needs at "
                          "least two class subfolders.")
    images = (FileImages([root / f for f in files], image_size) if stream
              else pixels[:len(labels)])
    split = ImageSplit(images, np.asarray(labels, dtype=np.int32), files,
                       digest.hexdigest()[:16], folder=root)
    return split, report


def load_image_folder(root: str | Path, image_size: int = 224, validation_split: float = 0.2,
                      seed: int = 0, stream: bool | None = None
                      ) -> tuple[ImageData, FolderReport]:
    """Load a folder of class subfolders into train / validation splits, with a report.

    A folder that is already split (``train/<class>/…`` beside ``val/`` or ``validation/``,
    and ``test/``) keeps its split: train for training, val for validation (carved from
    train with ``validation_split`` when absent), test as ``data.test``, never trained on.
    Before decoding, one printed line estimates the memory the decoded photos need and says
    whether they are held in memory or streamed from their files.

    Parameters
    ----------
    root : path
        A folder with one subfolder per class (or per split, then per class); images may
        sit in deeper subfolders.
    image_size : int
        Square size of the decoded images.
    validation_split : float
        Share of each class held out for validation (at least one image per class) when the
        folder has no validation split of its own.
    seed : int
        Seed of the split.
    stream : bool, optional
        Decode each batch from the files when used (``FileImages``) instead of holding the
        photos in memory; default: when ``decoded_bytes`` exceeds ``IN_MEMORY_LIMIT_BYTES``.
    """
    image_size = check_image_size(image_size)
    check_share("validation_split", validation_split)
    root = Path(root).expanduser()
    if not root.is_dir():
        list_files(root)  # raises the error that names the problem
    splits = split_folders(root) or {"train": root}
    listings = {name: list_files(folder) for name, folder in splits.items()}
    classes = tuple(listings["train"][0])
    for name, (candidates, _) in listings.items():
        if tuple(candidates) != classes:
            raise FolderError(f"{splits[name]} has the classes {list(candidates)}, but the "
                              f"training folder has {list(classes)}. Every split needs the "
                              "same class subfolders.")
    count = sum(len(paths) for candidates, _ in listings.values() for paths in candidates.values())
    if stream is None:
        stream = decoded_bytes(count, image_size) > IN_MEMORY_LIMIT_BYTES
    print(loading_plan(count, image_size, stream))
    minimum = 1 if "validation" in splits else 2  # else validation is carved from train
    whole, report = _read_classes(splits["train"], listings["train"], image_size, stream,
                                  minimum)
    report.streamed = stream
    if splits["train"] != root:
        report.skipped += [(f"{extra.name}/", EXTRA_FOLDER) for extra in _subfolders(root)
                           if extra not in splits.values()]

    def part(mask: np.ndarray, name: str) -> ImageSplit:
        images = whole.images.subset(mask) if stream else whole.images[mask]
        return ImageSplit(images, whole.labels[mask], [f for f, m in zip(whole.files, mask) if m],
                          f"{root.name}-{whole.content_id}-{name}", folder=whole.folder)

    def own_split(name: str) -> ImageSplit | None:
        if name not in splits:
            return None
        split, split_report = _read_classes(splits[name], listings[name], image_size, stream)
        report.skipped += [(f"{splits[name].name}/{f}", why) for f, why in split_report.skipped]
        report.splits[name] = len(split)
        split.content_id = f"{root.name}-{split.content_id}-{name}"
        return split

    validation, test = own_split("validation"), own_split("test")
    if validation is None:
        rng = np.random.default_rng(seed)
        held_out = np.zeros(len(whole), dtype=bool)
        for label in range(len(classes)):
            members = np.flatnonzero(whole.labels == label)
            held_out[members] = _split(len(members), validation_split, rng)
        train, validation = part(~held_out, "train"), part(held_out, "validation")
    else:
        train = part(np.ones(len(whole), dtype=bool), "train")
    if len(splits) > 1:
        report.splits = {"train": len(train), **report.splits}
    data = ImageData(train, validation, classes, image_size, test=test)
    return data, report


DEMO_PER_CLASS = 100
DEMO_EXPECTED_SKIPS = {"corrupt or truncated image": 1, "not a readable image": 1,
                       "empty file": 1, "not an image file": 2, "hidden file": 1,
                       "too small (4×4 pixels)": 1, "hidden folder": 1}


def build_demo_folder(destination: Path, per_class: int = DEMO_PER_CLASS) -> Path:
    """A realistic messy folder: real cats and dogs photos plus every kind of broken file.

    ``per_class`` real photos per class, plus per class three more in other formats
    (grayscale, CMYK, RGBA PNG, 16-bit PNG, upper-case name, nested subfolder), plus
    the broken files of ``DEMO_EXPECTED_SKIPS``. Built once; an existing one is reused.
    """
    from .datasets import cats_vs_dogs_folder

    destination = Path(destination)
    marker = destination / ".tlcourse-demo"
    if marker.exists():
        return destination
    source = cats_vs_dogs_folder() / "train"
    cats, dogs = destination / "cats", destination / "dogs"
    (cats / "2024" / "summer").mkdir(parents=True, exist_ok=True)
    (dogs / ".thumbnails").mkdir(parents=True, exist_ok=True)
    for name, folder in (("cat", cats), ("dog", dogs)):
        for i in range(per_class):
            (folder / f"{name}.{i}.jpg").write_bytes((source / f"{name}s" / f"{name}.{i}.jpg")
                                                     .read_bytes())
    extra = per_class

    def real(name: str, offset: int) -> Image.Image:
        return Image.open(source / f"{name}s" / f"{name}.{extra + offset}.jpg").convert("RGB")

    real("cat", 0).convert("L").save(cats / "gray.jpg")
    real("cat", 1).convert("CMYK").save(cats / "cmyk.jpg")
    real("cat", 2).save(cats / "2024" / "summer" / "nested.jpg")
    real("dog", 0).convert("RGBA").save(dogs / "alpha.png")
    gray = np.asarray(real("dog", 1).convert("L"), dtype=np.uint16) * 257
    Image.fromarray(gray).save(dogs / "deep16.png")
    real("dog", 2).save(dogs / "UPPER.JPG")
    whole = (source / "cats" / f"cat.{extra + 3}.jpg").read_bytes()
    (cats / "truncated.jpg").write_bytes(whole[: len(whole) // 3])
    (cats / "random_bytes.jpg").write_bytes(np.random.default_rng(0).bytes(4096))
    (cats / "empty.jpg").write_bytes(b"")
    (cats / "notes.txt").write_text("these are my cats\n")
    (cats / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (dogs / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    real("dog", 3).resize((4, 4)).save(dogs / "tiny.png")
    real("dog", 4).save(dogs / ".thumbnails" / "thumb.jpg")
    marker.write_text("built by tlcourse.imagefolder.build_demo_folder\n")
    return destination
