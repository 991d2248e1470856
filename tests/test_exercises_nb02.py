"""Wrong learner models for notebook 02's behaviour exercises get the checker's specific message."""

import keras
import pytest
from keras import layers


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
