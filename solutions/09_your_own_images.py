"""Solutions to the exercises of notebook 09 (run by tests/test_exercises.py)."""

import keras

from tlcourse import stats
from tlcourse.exercises.nb09 import FOLDERS, scenarios


def keep_or_not():
    """Keep the fine-tuned model only where it is ahead beyond the noise of the same photos."""
    choices = {}
    for name, (frozen, fine_tuned) in scenarios().items():
        comparison = stats.paired_comparison(fine_tuned, frozen)
        ahead = comparison.difference > 0 and not comparison.within_noise()
        choices[name] = "fine-tuned" if ahead else "frozen"
    return choices


def class_order():
    # Hidden folders are skipped; sorted() puts capital letters before small ones.
    return sorted(name for name in FOLDERS if not name.startswith("."))


def load(folder, image_size):
    """A folder of class subfolders as batches of (0–255 images, integer labels), fixed order."""
    return keras.utils.image_dataset_from_directory(
        folder, label_mode="int", image_size=(image_size, image_size), batch_size=32,
        shuffle=False)


def export_and_reload(model, path):
    """Save the whole model as one .keras file and load it back."""
    model.save(path)
    return keras.models.load_model(path)


ANSWERS = {"09.keep_or_not": keep_or_not,
           "09.class_order": class_order,
           "09.dataset_from_directory": lambda: load,
           "09.export": lambda: export_and_reload}
