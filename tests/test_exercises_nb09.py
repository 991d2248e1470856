"""Notebook 09's behaviour checkers answer realistic wrong attempts with what went wrong."""

import os
from pathlib import Path

import keras
import pytest

from tlcourse import exercises, imagefolder, stats
from tlcourse.exercises import nb09


def choose(rule):
    """The answer to 09.keep_or_not that ``rule(frozen, fine_tuned)`` gives for each folder."""
    return {name: rule(frozen, fine_tuned)
            for name, (frozen, fine_tuned) in nb09.scenarios().items()}


def right_rule(frozen, fine_tuned):
    comparison = stats.paired_comparison(fine_tuned, frozen)
    return "fine-tuned" if comparison.difference > 0 and not comparison.within_noise() else "frozen"


def higher_accuracy(frozen, fine_tuned):
    return "fine-tuned" if fine_tuned.mean() > frozen.mean() else "frozen"


def intervals_apart(frozen, fine_tuned):
    apart = stats.accuracy_interval(fine_tuned)[0] > stats.accuracy_interval(frozen)[1]
    return "fine-tuned" if apart else "frozen"


def beyond_noise_either_way(frozen, fine_tuned):
    return "frozen" if stats.paired_comparison(fine_tuned, frozen).within_noise() else "fine-tuned"


def test_the_folders_show_every_case():
    verdicts = {name: str(stats.paired_comparison(fine_tuned, frozen))
                for name, (frozen, fine_tuned) in nb09.scenarios().items()}
    assert verdicts["pets, 42 photos"].startswith("+2.4 points (2 items only the first got")
    assert "within the noise" in verdicts["x-rays, 120 photos"]
    assert "beyond the noise" in verdicts["satellite, 500 photos"]
    assert verdicts["documents, 300 photos"].startswith("-6.7 points")


def test_keeping_fine_tuning_only_beyond_the_noise_is_right(capsys):
    exercises.check("09.keep_or_not", choose(right_rule))
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("rule, message", [
    (higher_accuracy, "pets, 42 photos: you kept the fine-tuned model for a lead of 2.4 points on "
                      "42 photos.\nHint: A higher accuracy on these photos is not yet"),
    (intervals_apart, "satellite, 500 photos: you kept the frozen model; the fine-tuned one is "
                      "ahead by 3.0 points on 500 photos, and the two intervals overlap.\nHint: "
                      "Overlapping intervals do not settle it"),
    (beyond_noise_either_way, "documents, 300 photos: you kept the fine-tuned model, which is "
                              "behind by 6.7 points on 300 photos.\nHint: Read the sign"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_keep_or_not_names_the_mistake(rule, message, expect_hint):
    expect_hint("09.keep_or_not", choose(rule), message)


def test_keep_or_not_asks_for_every_folder(expect_hint):
    expect_hint("09.keep_or_not", {"pets, 42 photos": "frozen"}, "one choice for each of")


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
    (keras_defaults, "different orders, so features computed in one pass would not line up with "
                     "labels read in another.\nHint: Keras shuffles by default"),
    (one_hot, "one-hot rows; the course's models take one integer class number per photo.\n"
              "Hint: sparse_categorical_crossentropy wants integer labels"),
    (training_subset, "11 photos, per class [6, 4, 1]; the folder holds 13, per class [6, 4, 3]."
                      "\nHint: Keep every photo"),
    (default_size, "its images are 256 × 256 × 3, not 32 × 32 × 3.\nHint: Keras resizes"),
    (scaled_to_one, "pixels go from 0 to 1, not 0–255.\nHint: Leave the pixels as Keras reads"),
    (case_insensitive_classes, "class_names are ['figs', 'pears', 'Plums'], not ['Plums', "
                               "'figs', 'pears'].\nHint: Let Keras find the classes"),
    (grayscale, "1 channel(s), not 3.\nHint: The backbone was trained on colour photos"),
    (unbatched, "one image at a time, not batches of them.\nHint: Features are computed a "
                "batch at a time"),
    (without_labels, "it yields images alone.\nHint: A head learns from labels"),
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
    (returns_the_original, "returned the model it was given, not the one loaded back from the "
                           "file.\nHint: Returning the model in memory proves nothing"),
    (saves_elsewhere, "the path it was given.\nHint: Save to exactly the path"),
    (forgets_to_return, "It returned None, not the reloaded model.\nHint: Compare what you saved"),
    (without_preprocessing, "no Rescaling layer: it expects photos already scaled, so raw "
                            "photos would get other answers.\nHint: Save the model you were "
                            "given, whole"),
    (fresh_copy, "predicts other probabilities than the original for the same photos "
                 "(largest difference"),
    (fresh_copy, "\nHint: The layers alone are not the model"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_export_checker_names_the_mistake(wrong, message, expect_hint):
    expect_hint("09.export", wrong, message)
