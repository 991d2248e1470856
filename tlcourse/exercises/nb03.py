"""Exercises of notebook 03: pretrained networks as frozen feature extractors."""

from __future__ import annotations

from . import behaviour, exercise


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


@behaviour("03.extractor",
           "Write feature_extractor(): a Keras model that takes raw photos (224 × 224 × 3, "
           "pixels 0–255) and returns MobileNetV2 α 0.35's pooled ImageNet features "
           "(1,280 numbers per photo), with every weight frozen.",
           "keras.applications.MobileNetV2(alpha=0.35, include_top=False, pooling='avg'), "
           "frozen with trainable = False, behind the scaling its preprocess_input applies "
           "(pixels to [-1, 1]), all in one keras.Model from a keras.Input((224, 224, 3)).")
def extractor_behaves(feature_extractor) -> str | None:
    import numpy as np

    from ..backbones import build, get

    model = feature_extractor()
    if model.trainable_weights:
        return f"The model has {len(model.trainable_weights)} trainable weight tensors."
    photos = np.random.default_rng(0).integers(0, 256, (4, 224, 224, 3)).astype("float32")
    features = np.asarray(model.predict(photos, verbose=0))
    if features.shape != (4, 1280):
        return f"Four photos gave an output of shape {features.shape}, not (4, 1280)."
    spec = get("mobilenet_v2_0.35")
    expected = build("mobilenet_v2_0.35").predict(spec.preprocess(photos.copy()), verbose=0)
    if not np.allclose(features, expected, atol=1e-4):
        return ("The features differ from MobileNetV2 α 0.35's ImageNet features of the same "
                "photos (largest difference "
                f"{float(np.abs(features - expected).max()):.3g}).")
    return None
