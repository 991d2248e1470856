"""Small Keras models shared by several notebooks."""

from __future__ import annotations

import keras
from keras import layers

from . import backbones


def augmentation(seed: int = 0) -> keras.Sequential:
    """Random flips, small rotations and zooms (active only while training)."""
    return keras.Sequential([
        layers.RandomFlip("horizontal", seed=seed),
        layers.RandomRotation(0.1, seed=seed),
        layers.RandomZoom(0.2, seed=seed),
    ], name="augmentation")


def scratch_cnn(image_size: int, augment: bool = False, dropout: float = 0.0,
                dense_units: int = 512) -> keras.Model:
    """The article's CNN from scratch: three conv/pool blocks and two dense layers of 512.

    Parameters
    ----------
    image_size : int
        Square input size in pixels (uint8 photos; rescaled inside the model).
    augment : bool
        Put random flips, rotations and zooms in front (training only).
    dropout : float
        Dropout rate after each dense layer (0 = none).
    dense_units : int
        Width of the two dense layers (1,536 makes about 9.5 million parameters at 64 px).
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
        x = layers.Dense(dense_units, activation="relu")(x)
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


@keras.saving.register_keras_serializable(package="tlcourse")
class RandomRotate90(layers.Layer):
    """Rotate each square image by a random multiple of 90° (training only).

    Satellite and microscope photos have no "up": with ``RandomFlip("horizontal")`` in front
    this draws from all eight symmetries of the square, without the blank corners or
    interpolation blur of ``RandomRotation``.
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=False):
        if not training:
            return images
        turns = keras.random.randint((keras.ops.shape(images)[0],), 0, 4,
                                     seed=self.seed_generator)
        choice = keras.ops.one_hot(turns, 4, dtype=images.dtype)[:, :, None, None, None]
        rotations = [keras.ops.rot90(images, k=k, axes=(1, 2)) for k in range(4)]
        return sum(choice[:, k] * rotation for k, rotation in enumerate(rotations))

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def square_symmetries(seed: int | None = None) -> keras.Sequential:
    """Random flips and quarter turns: the eight symmetries of a square photo."""
    return keras.Sequential([layers.RandomFlip("horizontal", seed=seed), RandomRotate90(seed)],
                            name="augmentation")


@keras.saving.register_keras_serializable(package="tlcourse")
class Preprocess(layers.Layer):
    """A backbone's own ``preprocess_input`` as a layer, so a saved model carries it.

    Pixels 0–255 in, the scaling the named registry backbone was trained with out.
    """

    def __init__(self, backbone: str, **kwargs):
        super().__init__(**kwargs)
        self.backbone = backbone
        self.preprocess = backbones.get(backbone).preprocess

    def call(self, images):
        return self.preprocess(keras.ops.cast(images, "float32"))

    def get_config(self):
        return {**super().get_config(), "backbone": self.backbone}


def preprocessing(backbone: str) -> layers.Layer:
    """The named backbone's ``preprocess_input`` as a layer, taken from the registry.

    For the ``"tf"`` scaling, ``x / 127.5 - 1`` (MobileNet, MobileNetV2, InceptionV3), this is
    a plain ``Rescaling`` layer, so a saved model loads with Keras alone; otherwise (VGG,
    ResNet: channel swap and mean subtraction) a ``Preprocess`` layer, which needs ``tlcourse``.
    """
    if backbones.get(backbone).preprocessing == "tf":
        return layers.Rescaling(1 / 127.5, offset=-1, name="preprocess")
    return Preprocess(backbone, name="preprocess")


def image_classifier(backbone: str, head: keras.Model, image_size: int | None = None,
                     fine_tune: bool = False, augmentation: layers.Layer | None = None,
                     weights: str | None = "imagenet",
                     name: str = "image_classifier") -> keras.Model:
    """Photos (0–255) in, ``head``'s output out, all from the registry entry ``backbone``.

    ``augmentation`` (optional, active in training only) → the backbone's own preprocessing
    (``preprocessing``) → the pretrained backbone, frozen, or with ``fine_tune`` its top blocks
    trainable as ``backbones.unfreeze_top`` sets them → ``head``. The backbone is the layer
    named ``backbone``: ``classifier.get_layer(backbone)``.
    """
    spec = backbones.get(backbone)
    size = image_size or spec.input_size
    base = backbones.build(backbone, weights=weights, image_size=size)
    if fine_tune:
        backbones.unfreeze_top(base, spec)
    else:
        base.trainable = False
    inputs = keras.Input((size, size, 3))
    x = augmentation(inputs) if augmentation is not None else inputs
    return keras.Model(inputs, head(base(preprocessing(backbone)(x))), name=name)


def linear_head(feature_size: int, dropout: float = 0.0, name: str = "head") -> keras.Model:
    """A logistic-regression head (one sigmoid unit) on a feature vector."""
    inputs = keras.Input((feature_size,))
    x = keras.layers.Dropout(dropout)(inputs) if dropout else inputs
    outputs = keras.layers.Dense(1, activation="sigmoid", name="probability")(x)
    return keras.Model(inputs, outputs, name=name)
