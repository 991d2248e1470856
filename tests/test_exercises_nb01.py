"""Wrong learner code for notebook 01's behaviour exercises gets the checker's specific message."""

import functools

import keras
import numpy as np
import pytest

from tlcourse import exercises, imagenet


@functools.cache
def mobilenet():
    return keras.applications.MobileNet(alpha=0.25, input_shape=(128, 128, 3),
                                        weights="imagenet")


def probabilities(image, preprocess=True):
    batch = np.array(keras.ops.image.resize(image[np.newaxis].astype("float32"), (128, 128)))
    if preprocess:
        batch = keras.applications.mobilenet.preprocess_input(batch)
    return mobilenet().predict(batch, verbose=0)[0]


def pairs(probs, names_of=lambda i: (imagenet.class_names() or ["?"] * 1000)[i]):
    order = np.argsort(probs)[::-1][:5]
    return [(names_of(i), float(probs[i])) for i in order]



@pytest.mark.real_data  # MobileNet's ImageNet weights
def test_classify_without_preprocess_input(expect_hint):
    def unscaled(image):
        return pairs(probabilities(image, preprocess=False))

    expect_hint("01.classify", unscaled, "not scaled the way MobileNet's were in training")


@pytest.mark.real_data  # MobileNet's ImageNet weights
def test_classify_with_the_least_probable_first(expect_hint):
    def ascending(image):
        return pairs(probabilities(image))[::-1]

    expect_hint("01.classify", ascending, "A plain sort puts the smallest first")


@pytest.mark.real_data  # MobileNet's ImageNet weights
def test_classify_returning_decode_predictions_triples(expect_hint):
    def triples(image):
        return [(int(i), name, p) for i, name, p in imagenet.top_predictions(probabilities(image))]

    expect_hint("01.classify", triples, "Each item holds three values")


@pytest.mark.real_data  # MobileNet's ImageNet weights
def test_classify_that_does_not_resize(expect_hint):
    def unresized(image):
        batch = keras.applications.mobilenet.preprocess_input(image[np.newaxis].astype("float32"))
        return pairs(mobilenet().predict(batch, verbose=0)[0])

    expect_hint("01.classify", unresized, "resized to 128 × 128")


@pytest.mark.real_data  # MobileNet's ImageNet weights
def test_classify_with_names_one_class_off(expect_hint, monkeypatch):
    """With a class-name file, names paired with the wrong probabilities are caught."""
    names = [f"class_{i}" for i in range(1000)]
    monkeypatch.setattr(imagenet, "class_names", lambda: names)

    def shifted(image):
        return pairs(probabilities(image), names_of=lambda i: names[(i + 1) % 1000])

    expect_hint("01.classify", shifted, "lose their pairing")
    exercises.check("01.classify", lambda image: pairs(probabilities(image)), strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda model: "fine-tuning" if model.trainable else "feature extraction",
     "The model as a whole is trainable: its new head is"),
    (lambda model: "fine-tuning" if model.layers[0].trainable else "feature extraction",
     "A network's own trainable flag can stay True"),
    (lambda model: "fine-tuning" if model.trainable_weights else "feature extraction",
     "frozen with base.trainable = False"),
    (lambda model: not model.layers[0].trainable, "neither 'feature extraction' nor"),
], ids=["model.trainable", "layers[0].trainable", "model.trainable_weights", "a boolean"])
def test_kind_of_transfer_reading_the_wrong_flag(expect_hint, wrong, message):
    expect_hint("01.kind_of_transfer", wrong, message)


def stopping_epoch(history):
    return int(np.argmin(history["val_loss"])) + 1


@pytest.mark.parametrize("wrong, message", [
    (lambda history: int(np.argmin(history["val_loss"])), "Keras counts epochs from 1"),
    (lambda history: len(history["loss"]), "where the network does best on its training photos"),
    (lambda history: int(np.argmin(history["loss"])) + 1, "Training loss keeps falling"),
    (lambda history: int(np.argmax(history["val_loss"])) + 1, "A lower loss is a better network"),
    (lambda history: float(np.argmin(history["val_loss"]) + 1), "not an epoch number"),
], ids=["counted from 0", "last epoch", "training loss", "highest val_loss", "a float"])
def test_stopping_epoch_diagnoses_the_rule(expect_hint, wrong, message):
    expect_hint("01.stopping_epoch", wrong, message)


def test_stopping_epoch_by_validation_accuracy_is_accepted_too():
    exercises.check("01.stopping_epoch", stopping_epoch, strict=True)
    exercises.check("01.stopping_epoch",
                    lambda history: int(np.argmax(history["val_accuracy"])) + 1, strict=True)
