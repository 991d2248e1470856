"""Registry of pretrained ImageNet backbones, plus AlexNet as architecture only.

Each entry knows its Keras constructor, matching ``preprocess_input``, default input
size, the last layer to keep frozen when fine-tuning, and facts for the course tables.
ImageNet weights are used only when cached in ``$KERAS_HOME/models`` or downloadable:
otherwise a call says so and how to fetch them. Random weights must be asked for with
``weights=None``; they are never a silent fallback.
"""

from __future__ import annotations

import dataclasses
import urllib.error
import urllib.request
from typing import Callable

import keras

from . import folders
from .downloads import FETCH_COMMAND

KERAS_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"


class WeightsUnavailableError(RuntimeError):
    """ImageNet weights are neither cached nor downloadable."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Backbone:
    """A pretrained network usable as a feature extractor or for fine-tuning.

    ``preprocessing`` is the input scaling its weights were trained with, named as
    ``keras.applications.imagenet_utils.preprocess_input`` names it: ``"tf"`` (pixels to
    −1…1), ``"caffe"`` (RGB to BGR minus the ImageNet means) or ``"torch"`` (0…1, then the
    ImageNet means and deviations). ``weights_files`` are the names of its ImageNet weights
    in ``$KERAS_HOME/models``, with and without the classifier (``{size}``: the input size),
    downloaded from ``weights_folder`` on Keras' storage.
    """

    name: str
    family: str
    constructor: Callable
    preprocessing: str
    weights_files: tuple[str, str]
    weights_folder: str
    input_size: int
    finetune_after: str
    year: int
    depth: int
    params_millions: float
    imagenet_top1: float
    alpha: float | None = None

    def preprocess(self, pixels):
        """Pixels 0–255 scaled as the weights expect (a NumPy array is scaled in place)."""
        return keras.applications.imagenet_utils.preprocess_input(pixels, mode=self.preprocessing)

    def weights_file(self, include_top: bool = False, size: int | None = None) -> str:
        """The file name Keras looks for in ``$KERAS_HOME/models``."""
        with_top, without_top = self.weights_files
        return (with_top if include_top else without_top).format(size=size or self.input_size)

    def weights_url(self, include_top: bool = False, size: int | None = None) -> str:
        """Where Keras downloads the weights file from."""
        return f"{KERAS_WEIGHTS_URL}{self.weights_folder}/{self.weights_file(include_top, size)}"


def _mobilenet_entries() -> dict[str, Backbone]:
    apps = keras.applications
    entries = {}
    for alpha in (1.0, 0.75, 0.5, 0.25):
        name = "mobilenet" if alpha == 1.0 else f"mobilenet_{alpha}"
        alpha_text = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}[alpha]
        entries[name] = Backbone(
            name=name, family="mobilenet", constructor=apps.MobileNet, preprocessing="tf",
            weights_files=(f"mobilenet_{alpha_text}_{{size}}_tf.h5",
                           f"mobilenet_{alpha_text}_{{size}}_tf_no_top.h5"),
            weights_folder="mobilenet", input_size=224,
            finetune_after="conv_pw_11_relu", year=2017, depth=28,
            params_millions={1.0: 4.3, 0.75: 2.6, 0.5: 1.3, 0.25: 0.5}[alpha],
            imagenet_top1={1.0: 70.4, 0.75: 68.4, 0.5: 63.3, 0.25: 49.8}[alpha], alpha=alpha)
    for alpha in (1.0, 0.75, 0.5, 0.35):
        name = "mobilenet_v2" if alpha == 1.0 else f"mobilenet_v2_{alpha}"
        stem = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{{size}}"
        entries[name] = Backbone(
            name=name, family="mobilenet_v2", constructor=apps.MobileNetV2, preprocessing="tf",
            weights_files=(f"{stem}.h5", f"{stem}_no_top.h5"), weights_folder="mobilenet_v2",
            input_size=224,
            finetune_after="block_12_add", year=2018, depth=53,
            params_millions={1.0: 3.5, 0.75: 2.6, 0.5: 2.0, 0.35: 1.7}[alpha],
            imagenet_top1={1.0: 71.3, 0.75: 69.8, 0.5: 65.4, 0.35: 60.3}[alpha], alpha=alpha)
    return entries


def _keras_file_names(family: str) -> tuple[str, str]:
    stem = f"{family}_weights_tf_dim_ordering_tf_kernels"
    return f"{stem}.h5", f"{stem}_notop.h5"


def _registry() -> dict[str, Backbone]:
    apps = keras.applications
    entries = {
        "vgg16": Backbone(
            name="vgg16", family="vgg16", constructor=apps.VGG16, preprocessing="caffe",
            weights_files=_keras_file_names("vgg16"), weights_folder="vgg16", input_size=224,
            finetune_after="block4_pool", year=2014, depth=16, params_millions=138.4,
            imagenet_top1=71.3),
        "vgg19": Backbone(
            name="vgg19", family="vgg19", constructor=apps.VGG19, preprocessing="caffe",
            weights_files=_keras_file_names("vgg19"), weights_folder="vgg19", input_size=224,
            finetune_after="block4_pool", year=2014, depth=19, params_millions=143.7,
            imagenet_top1=71.3),
        "resnet50": Backbone(
            name="resnet50", family="resnet50", constructor=apps.ResNet50, preprocessing="caffe",
            weights_files=_keras_file_names("resnet50"), weights_folder="resnet", input_size=224,
            finetune_after="conv4_block6_out", year=2015, depth=50, params_millions=25.6,
            imagenet_top1=74.9),
        "inception_v3": Backbone(
            name="inception_v3", family="inception_v3", constructor=apps.InceptionV3,
            preprocessing="tf", weights_files=_keras_file_names("inception_v3"),
            weights_folder="inception_v3", input_size=299,
            finetune_after="mixed8", year=2015, depth=48, params_millions=23.9,
            imagenet_top1=77.9),
    }
    entries.update(_mobilenet_entries())
    return entries


REGISTRY = _registry()


def get(name: str) -> Backbone:
    """Look a backbone up by name (e.g. ``"mobilenet_v2_0.35"``)."""
    if name == "alexnet":
        raise ValueError(
            "AlexNet has no Keras ImageNet weights (Keras never shipped them), so it cannot "
            "be a pretrained backbone here. Use tlcourse.backbones.alexnet() for its "
            "architecture, or pick one of: " + ", ".join(sorted(REGISTRY)))
    if name not in REGISTRY:
        raise KeyError(f"Unknown backbone {name!r}. Choose one of: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def weights_path(spec: Backbone, include_top: bool = False, size: int | None = None):
    """Path of the ImageNet weights file in the Keras cache (it may not exist)."""
    return folders.keras_home() / "models" / spec.weights_file(include_top, size)


def weights_cached(spec: Backbone, include_top: bool = False, size: int | None = None) -> bool:
    """True when Keras will find the ImageNet weights without any network."""
    return weights_path(spec, include_top, size).is_file()


def weights_downloadable(spec: Backbone, include_top: bool = False, size: int | None = None,
                         timeout: float = 5.0) -> bool:
    """True when the weights' URL answers (a HEAD request)."""
    request = urllib.request.Request(spec.weights_url(include_top, size), method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return True
    except (urllib.error.URLError, OSError, TimeoutError):
        return False


def weights_available(spec: Backbone, include_top: bool = False,
                      size: int | None = None) -> bool:
    """True when ImageNet weights are cached or can be downloaded now."""
    return weights_cached(spec, include_top, size) or weights_downloadable(spec, include_top, size)


def available_or_fallback(name: str, fallback: str = "mobilenet_v2_0.35") -> str:
    """``name`` when its ImageNet weights are cached or downloadable, else ``fallback``.

    Lets the ``gpu`` profile run offline with the weights at hand; the swap is printed, so
    a notebook's numbers are read as the fallback backbone's.
    """
    if name == fallback or weights_available(get(name)):
        return name
    print(f"ImageNet weights for {name} ({get(name).weights_file()}) are neither cached nor "
          f"downloadable here: this run uses {fallback} instead (`python -m tlcourse fetch "
          f"--backbone {name}` on a machine with internet access fetches them).")
    return fallback


def build(name: str, weights: str | None = "imagenet", include_top: bool = False,
          image_size: int | None = None, pooling: str | None = "avg") -> keras.Model:
    """Construct a backbone.

    Parameters
    ----------
    name : str
        A registry name, e.g. ``"mobilenet_v2_0.35"`` or ``"vgg16"``.
    weights : {"imagenet", None}
        ``"imagenet"`` loads pretrained weights (from the Keras cache or the internet)
        and fails clearly when neither has them. ``None`` builds random weights, which
        must be asked for explicitly.
    include_top : bool
        Keep the 1000-class ImageNet classifier.
    image_size : int, optional
        Input size; defaults to the backbone's own. The pretrained weights of the
        default size are loaded for any size (convolutions do not depend on it).
    pooling : {"avg", "max", None}
        Global pooling of the last feature map (ignored with ``include_top``).
    """
    spec = get(name)
    size = image_size or spec.input_size
    file_size = size if include_top else None
    if weights == "imagenet" and not weights_available(spec, include_top, file_size):
        raise WeightsUnavailableError(
            f"ImageNet weights for {name} ({spec.weights_file(include_top, file_size)}) are not in "
            f"{folders.keras_home() / 'models'} and cannot be downloaded. Run "
            f"`{FETCH_COMMAND} --backbone {name}` on a machine with internet access, or "
            "pass weights=None to build it with random weights on purpose."
        )
    if weights not in ("imagenet", None):
        raise ValueError("weights must be 'imagenet' or None (random, on purpose).")
    kwargs = {"weights": weights, "include_top": include_top}
    if spec.alpha is not None:
        kwargs["alpha"] = spec.alpha
    if include_top:
        kwargs["input_shape"] = (size, size, 3)
    else:
        kwargs["pooling"] = pooling
        default = size == spec.input_size
        kwargs["input_shape"] = (size, size, 3) if default or weights is None else (None, None, 3)
    model = spec.constructor(**kwargs)
    model.name = name if not include_top else f"{name}_with_top"
    return model


def unfreeze_top(model: keras.Model, spec: Backbone) -> None:
    """Make the layers after ``spec.finetune_after`` trainable, BatchNormalization excepted.

    Layers up to the boundary stay frozen; BatchNormalization layers stay frozen
    everywhere, so their statistics and scales keep what ImageNet taught them.
    """
    model.trainable = True
    boundary = [layer.name for layer in model.layers].index(spec.finetune_after) + 1
    for index, layer in enumerate(model.layers):
        if index < boundary or isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False


def alexnet(num_classes: int = 1000, image_size: int = 227,
            weights: str | None = None) -> keras.Model:
    """AlexNet (Krizhevsky et al., 2012) as architecture only, single-stream.

    Keras has never shipped ImageNet weights for AlexNet, so only ``weights=None`` works.
    """
    if weights is not None:
        raise ValueError(
            "No Keras ImageNet weights exist for AlexNet; build it with weights=None to "
            "inspect the architecture, or use a registry backbone such as 'vgg16'.")
    layers = keras.layers
    return keras.Sequential([
        keras.Input((image_size, image_size, 3)),
        layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1"),
        layers.MaxPooling2D(3, strides=2, name="pool1"),
        layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2"),
        layers.MaxPooling2D(3, strides=2, name="pool2"),
        layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3"),
        layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4"),
        layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5"),
        layers.MaxPooling2D(3, strides=2, name="pool5"),
        layers.Flatten(name="flatten"),
        layers.Dense(4096, activation="relu", name="fc6"),
        layers.Dropout(0.5),
        layers.Dense(4096, activation="relu", name="fc7"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax", name="fc8"),
    ], name="alexnet")
