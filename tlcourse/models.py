"""Small Keras models shared by several notebooks."""

from __future__ import annotations

import keras
from keras import layers


def augmentation(seed: int = 0) -> keras.Sequential:
    """Random flips, small rotations and zooms (active only while training)."""
    return keras.Sequential([
        layers.RandomFlip("horizontal", seed=seed),
        layers.RandomRotation(0.1, seed=seed),
        layers.RandomZoom(0.2, seed=seed),
    ], name="augmentation")


def scratch_cnn(image_size: int, augment: bool = False, dropout: float = 0.0) -> keras.Model:
    """The article's CNN from scratch: three conv/pool blocks and two dense layers of 512.

    Parameters
    ----------
    image_size : int
        Square input size in pixels (uint8 photos; rescaled inside the model).
    augment : bool
        Put random flips, rotations and zooms in front (training only).
    dropout : float
        Dropout rate after each dense layer (0 = none).
    """
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Rescaling(1 / 255)(inputs)
    if augment:
        x = augmentation()(x)
    for filters in (16, 64, 128):
        x = layers.Conv2D(filters, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    for _ in range(2):
        x = layers.Dense(512, activation="relu")(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="scratch_cnn" + ("_augmented" if augment else ""))


def compact_cnn(image_size: int, classes: int) -> keras.Model:
    """A small CNN from scratch for learning curves: a strided first convolution, three
    conv/pool blocks and global average pooling (about 0.1 M parameters).

    The strided first convolution makes it about 4× faster to train than ``scratch_cnn``
    at 64 px on a CPU, so a curve over several data sizes and seeds fits a notebook.
    """
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Rescaling(1 / 255)(inputs)
    x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    for filters in (64, 128):
        x = layers.Conv2D(filters, 3, activation="relu", padding="same")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="compact_cnn")
