"""Solutions to the exercises of notebook 08 (run by tests/test_exercises.py)."""

from tlcourse.exercises.nb08 import FOLDERS


def skipped_total():
    # truncated, random bytes, empty, notes.txt, .DS_Store, Thumbs.db, tiny.png, .thumbnails/
    return 8


def class_order():
    return sorted(name for name in FOLDERS if not name.startswith("."))


def validation_of_seven():
    return min(7 - 1, max(1, round(0.2 * 7)))


ANSWERS = {"08.skipped_total": skipped_total, "08.class_order": class_order,
           "08.validation_of_seven": validation_of_seven}
