"""Wrong learner models for notebook 02's behaviour exercises get the checker's specific message."""

import keras
import numpy as np
import pytest
from keras import layers

from tlcourse import exercises


def cnn(image_size, units=512, filters=(16, 64, 128), rescaling=(1 / 255, 0.0), output="sigmoid",
        pooling=layers.Flatten):
    stack = [keras.Input((image_size, image_size, 3))]
    if rescaling:
        stack.append(layers.Rescaling(*rescaling))
    for number in filters:
        stack += [layers.Conv2D(number, 3, activation="relu"), layers.MaxPooling2D()]
    stack += [pooling(), layers.Dense(units, activation="relu"),
              layers.Dense(units, activation="relu"), layers.Dense(1, activation=output)]
    return keras.Sequential(stack)


@pytest.mark.parametrize("wrong, message", [
    (lambda size: cnn(size, units=256),
     "At 64 px your model has 1,329,537 parameters, the spec gives 2,706,561: the first "
     "difference is layer 9 (Dense"),
    (lambda size: cnn(size, filters=(16, 32, 64)), "the first difference is layer 4 (Conv2D"),
    (lambda size: cnn(size, rescaling=None), "Your model's layers are Conv2D, MaxPooling2D"),
    (lambda size: cnn(size, rescaling=(1 / 127.5, -1.0)), "maps pixels 0–255 to -1–1"),
    (lambda size: cnn(size, output=None), "Layer 11 (Dense) has activation 'linear'"),
    (lambda size: cnn(size, pooling=layers.GlobalAveragePooling2D), "GlobalAveragePooling2D"),
], ids=["256 dense units", "fewer filters", "no rescaling", "scaled to -1..1", "no sigmoid",
        "GAP already"])
def test_build_cnn_mistakes_are_named(expect_hint, wrong, message):
    expect_hint("02.build_cnn", wrong, message)


@pytest.mark.parametrize("wrong, message", [
    (lambda size: cnn(size), "must not depend on the image size"),
    (lambda size: cnn(size, pooling=lambda: keras.Sequential(
        [layers.GlobalAveragePooling2D(), layers.Flatten()])), "layers are"),
    (lambda size: cnn(size, units=256, pooling=layers.GlobalAveragePooling2D),
     "the first difference is layer 9 (Dense"),
], ids=["still Flatten", "GAP inside a Sequential", "256 dense units"])
def test_gap_mistakes_are_named(expect_hint, wrong, message):
    expect_hint("02.gap", wrong, message)


@pytest.mark.parametrize("wrong, message", [
    (lambda size: cnn(size, rescaling=None), "Hint: Pixels arrive as 0–255"),
    (lambda size: cnn(size, output=None), "Hint: The last unit must give a probability"),
    (lambda size: cnn(size, units=256), "Hint: A Dense layer has (inputs + 1) × units"),
    (lambda size: layers.Dense(1), "Hint: Your function must return the model it builds"),
], ids=["no rescaling", "no sigmoid", "256 dense units", "a layer, not a model"])
def test_build_cnn_hints_follow_the_mistake(expect_hint, wrong, message):
    expect_hint("02.build_cnn", wrong, message)


def test_build_cnn_hint_does_not_dictate_the_layers(capsys):
    exercises.check("02.build_cnn", lambda size: cnn(size, units=256))
    assert "layers.Conv2D, layers.MaxPooling2D" not in capsys.readouterr().out


@pytest.mark.parametrize("choice", [
    lambda history: int(np.argmax(history["val_accuracy"])) + 1,
    lambda history: int(np.argmin(history["val_loss"])) + 1,
], ids=["best validation accuracy", "lowest validation loss"])
def test_stopping_on_validation_is_accepted(choice, capsys):
    exercises.check("02.stop", choice)
    assert "✔ Exercise 02.stop: correct." in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda history: int(np.argmax(history["accuracy"])) + 1,
     "Hint: That is where the training curves are best"),
    (lambda history: len(history["loss"]), "Hint: That is where the training curves are best"),
    (lambda history: int(np.argmax(history["val_accuracy"])),
     "Hint: Keras numbers epochs from 1"),
    (lambda history: max(history["val_accuracy"]), "Hint: That looks like an accuracy"),
    (lambda history: 4, "it chose epoch 4: validation accuracy 0.62 there"),
], ids=["best training accuracy", "last epoch", "counted from 0", "an accuracy", "always 4"])
def test_stopping_mistakes_are_named(expect_hint, wrong, message):
    expect_hint("02.stop", wrong, message)
