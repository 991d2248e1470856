"""Solutions to the exercises of notebook 03 (run by tests/test_exercises.py)."""

import keras
import numpy as np


def feature_extractor():
    base = keras.applications.MobileNetV2(alpha=0.35, include_top=False, pooling="avg",
                                          input_shape=(224, 224, 3))
    base.trainable = False
    inputs = keras.Input((224, 224, 3))
    scaled = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)  # MobileNetV2's preprocess_input
    return keras.Model(inputs, base(scaled))


def features_of_files(extractor, paths, batch_size=32):
    chunks = []
    for start in range(0, len(paths), batch_size):
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(path, target_size=(224, 224)))
                           for path in paths[start:start + batch_size]])
        chunks.append(np.asarray(extractor.predict_on_batch(photos)))
    return np.concatenate(chunks)


def choose_backbone(table, max_ms_per_photo):
    fast_enough = [name for name, row in table.items() if 1000 / row["photos_per_s"] <= max_ms_per_photo]
    return max(fast_enough, key=lambda name: table[name]["val_accuracy"], default=None)


ANSWERS = {"03.extractor": lambda: feature_extractor,
           "03.features_of_files": lambda: features_of_files,
           "03.choose_backbone": lambda: choose_backbone}
