"""Notebook 09's behaviour checkers answer realistic wrong attempts with what went wrong."""

import os
from pathlib import Path

import keras
import pytest

from tlcourse import imagefolder
from tlcourse.exercises import nb09


def load_with(folder, image_size, **arguments):
    """image_dataset_from_directory as the solution calls it, some arguments changed."""
    settings = dict(label_mode="int", image_size=(image_size, image_size), batch_size=32,
                    shuffle=False, verbose=False)
    return keras.utils.image_dataset_from_directory(folder, **{**settings, **arguments})


def keras_defaults(folder, image_size):
    return keras.utils.image_dataset_from_directory(folder, image_size=(image_size, image_size))


def one_hot(folder, image_size):
    return load_with(folder, image_size, label_mode="categorical")


def training_subset(folder, image_size):
    return load_with(folder, image_size, validation_split=0.2, subset="training", seed=0)


def default_size(folder, image_size):
    return keras.utils.image_dataset_from_directory(folder, shuffle=False)


def scaled_to_one(folder, image_size):
    return load_with(folder, image_size).map(lambda images, labels: (images / 255, labels))


def case_insensitive_classes(folder, image_size):
    names = sorted((p.name for p in Path(folder).iterdir()), key=str.lower)
    return load_with(folder, image_size, class_names=names)


def grayscale(folder, image_size):
    return load_with(folder, image_size, color_mode="grayscale")


def unbatched(folder, image_size):
    return load_with(folder, image_size, batch_size=None)


def without_labels(folder, image_size):
    return load_with(folder, image_size, label_mode=None)


@pytest.mark.parametrize("wrong, message", [
    (keras_defaults, "different orders (shuffle=True)"),
    (one_hot, "one-hot rows"),
    (training_subset, "11 photos, per class [6, 4, 1]; the folder holds 13, per class [6, 4, 3]"),
    (default_size, "its images are 256 × 256 × 3"),
    (scaled_to_one, "pixels go from 0 to 1"),
    (case_insensitive_classes, "class_names are ['figs', 'pears', 'Plums']"),
    (grayscale, "32 × 32 × 1"),
    (unbatched, "one image at a time"),
    (without_labels, "label_mode=None"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_dataset_checker_names_the_mistake(wrong, message, expect_hint):
    expect_hint("09.dataset_from_directory", wrong, message)


def test_the_checkers_folder_loads_the_same_with_the_course_and_with_keras(tmp_path):
    folder = nb09.write_photo_folder(tmp_path / "photos")
    data, report = imagefolder.load_image_folder(folder, image_size=32)
    dataset = load_with(folder, 32)
    assert list(dataset.class_names) == list(data.class_names) == ["Plums", "figs", "pears"]
    assert list(report.kept.values()) == [6, 4, 3] and not report.skipped


def returns_the_original(model, path):
    model.save(path)
    return model


def saves_elsewhere(model, path):
    legacy = os.path.splitext(path)[0] + ".h5"
    model.save(legacy)
    return keras.models.load_model(legacy)


def forgets_to_return(model, path):
    model.save(path)
    keras.models.load_model(path)


def without_preprocessing(model, path):
    inference = keras.Sequential(model.layers[2:])  # the layers after the input scaling
    inference.save(path)
    return keras.models.load_model(path)


def fresh_copy(model, path):
    keras.models.clone_model(model).save(path)  # clone_model copies the layers, not the weights
    return keras.models.load_model(path)


@pytest.mark.parametrize("wrong, message", [
    (returns_the_original, "returned the model it was given"),
    (saves_elsewhere, "There is no file at"),
    (forgets_to_return, "It returned None"),
    (without_preprocessing, "no Rescaling layer"),
    (fresh_copy, "predicts other probabilities than the original"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_export_checker_names_the_mistake(wrong, message, expect_hint):
    expect_hint("09.export", wrong, message)
