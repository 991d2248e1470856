"""Solutions to the exercises of notebook 03 (run by tests/test_exercises.py)."""

import keras

from tlcourse import backbones


def feature_size():
    return backbones.build("mobilenet_0.25", weights=None).output_shape[-1]


def compression():
    features = backbones.build("mobilenet_v2_0.35", weights=None).output_shape[-1]
    return round(224 * 224 * 3 / features)


def trainable_tensors():
    base = backbones.build("mobilenet_v2_0.35", weights=None)
    base.trainable = False
    model = keras.Sequential([base, keras.layers.Dense(1, activation="sigmoid")])
    return len(model.trainable_weights)


def feature_extractor():
    base = keras.applications.MobileNetV2(alpha=0.35, include_top=False, pooling="avg",
                                          input_shape=(224, 224, 3))
    base.trainable = False
    inputs = keras.Input((224, 224, 3))
    scaled = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)  # MobileNetV2's preprocess_input
    return keras.Model(inputs, base(scaled, training=False))


ANSWERS = {"03.feature_size": feature_size, "03.compression": compression,
           "03.trainable_tensors": trainable_tensors, "03.extractor": lambda: feature_extractor}
