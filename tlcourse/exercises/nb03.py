"""Exercises of notebook 03: pretrained networks as frozen feature extractors."""

from __future__ import annotations

from . import exercise


@exercise("03.feature_size",
          "How many numbers describe one photo after MobileNet α 0.25 with average pooling?",
          "Build tlcourse.backbones.build('mobilenet_0.25', weights=None) and look at "
          "output_shape: the number of channels of its last feature map.")
def feature_size() -> int:
    from ..backbones import build

    return int(build("mobilenet_0.25", weights=None).output_shape[-1])


@exercise("03.compression",
          "How many times fewer numbers is a MobileNetV2 α 0.35 feature vector than the "
          "224 × 224 × 3 photo it describes? Round to the nearest integer.",
          "Divide 224 * 224 * 3 by the feature size (the backbone's output_shape[-1]).")
def compression() -> int:
    from ..backbones import build

    return round(224 * 224 * 3 / build("mobilenet_v2_0.35", weights=None).output_shape[-1])


@exercise("03.trainable_tensors",
          "Put a Dense(1, sigmoid) head on MobileNetV2 α 0.35 and freeze the base "
          "(base.trainable = False). How many trainable weight tensors does the whole model have?",
          "len(model.trainable_weights): a frozen base contributes none; a Dense layer has a "
          "kernel and a bias.")
def trainable_tensors() -> int:
    import keras

    from ..backbones import build

    base = build("mobilenet_v2_0.35", weights=None)
    base.trainable = False
    model = keras.Sequential([base, keras.layers.Dense(1, activation="sigmoid")])
    return len(model.trainable_weights)
