"""Exercises of notebook 08: your own images."""

from __future__ import annotations

from . import exercise

FOLDERS = ["zebra", "Apple", "mango", ".cache"]


@exercise("08.skipped_total",
          "How many files and folders does the loader skip in the demo folder?",
          "Add up report.reasons().values() (or tlcourse.imagefolder.DEMO_EXPECTED_SKIPS).")
def skipped_total() -> int:
    from ..imagefolder import DEMO_EXPECTED_SKIPS

    return sum(DEMO_EXPECTED_SKIPS.values())


@exercise("08.class_order",
          "A folder has the subfolders of tlcourse.exercises.nb08.FOLDERS. Which class names does "
          "the loader use, in label order (a list)?",
          "Hidden folders (starting with '.') are skipped; the rest are sorted as Python sorts "
          "strings: upper-case letters come before lower-case ones.")
def class_order() -> list[str]:
    import tempfile
    from pathlib import Path

    from ..imagefolder import list_files

    with tempfile.TemporaryDirectory() as folder:
        for name in FOLDERS:
            (Path(folder) / name).mkdir()
        return list(list_files(Path(folder))[0])


@exercise("08.validation_of_seven",
          "With validation_share=0.2, how many of a class's 7 usable images go to validation?",
          "round(0.2 × 7), but at least one, and at least one must stay for training.")
def validation_of_seven() -> int:
    import numpy as np

    from ..imagefolder import _split

    return int(_split(7, 0.2, np.random.default_rng(0)).sum())
