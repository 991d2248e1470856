"""Run by test_backends.py in a fresh interpreter under one ``KERAS_BACKEND``.

Extracts frozen MobileNetV2 0.35 features of 200 training and 300 validation photos and
fits the course's linear head, then prints one JSON line: backend, validation accuracy,
a slice of the features, a gradient through ``gradients.value_and_gradient`` (notebook 04's
Grad-CAM) and whether ``models.RandomRotate90`` only ever turns photos by quarter turns.
"""

import json

import keras
import numpy as np

from tlcourse import datasets, features, gradients, models, settings

BACKBONE = "mobilenet_v2_0.35"

data = datasets.cats_vs_dogs(image_size=224, per_class=100)
validation = datasets.subset(data.validation, datasets.balanced_indices(
    data.validation.labels, 150, seed=0))
train_features = features.extract(BACKBONE, data.train).features
validation_features = features.extract(BACKBONE, validation).features
settings.set_seeds(0)
head = models.linear_head(train_features.shape[1])
# Zero start and no shuffling: every backend takes the same optimisation path,
# so any difference in accuracy comes from the backends' arithmetic alone.
head.set_weights([np.zeros_like(weight) for weight in head.get_weights()])
head.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
             metrics=["accuracy"])
head.fit(train_features, data.train.labels, epochs=30, batch_size=64, shuffle=False, verbose=0)
point = np.array([[1.0, -2.0, 3.0]], dtype="float32")
_, gradient = gradients.value_and_gradient(lambda t: keras.ops.sum(t * t, axis=-1), point)
photos = np.random.default_rng(0).random((16, 8, 8, 3)).astype("float32")
turned = np.asarray(models.RandomRotate90(seed=0)(photos, training=True))
quarter_turns = all(any(np.array_equal(np.rot90(p, k), t) for k in range(4))
                    for p, t in zip(photos, turned))
print(json.dumps({
    "backend": keras.backend.backend(),
    "accuracy": head.evaluate(validation_features, validation.labels, verbose=0,
                              return_dict=True)["accuracy"],
    "features": np.asarray(validation_features[:4, :64], dtype=float).tolist(),
    "gradient": np.asarray(gradient, dtype=float).tolist(),
    "quarter_turns": quarter_turns,
}))
