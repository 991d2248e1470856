"""ImageNet class names and top-k predictions, offline-honest.

Class names come from Keras' ``imagenet_class_index.json`` in ``$KERAS_HOME/models``
(``python -m tlcourse fetch`` downloads it). Without it, predictions carry class ids only.
"""

from __future__ import annotations

import json

import numpy as np

from . import folders

CLASS_INDEX = "imagenet_class_index.json"
CLASS_INDEX_URL = f"https://storage.googleapis.com/download.tensorflow.org/data/{CLASS_INDEX}"

CAT_CLASSES = range(281, 288)  # 5 domestic (tabby … Egyptian cat), then cougar and lynx
DOG_CLASSES = range(151, 269)  # the 118 dog breeds


def class_names() -> list[str] | None:
    """The 1,000 ImageNet class names, or None when the index file is not available."""
    path = folders.keras_home() / "models" / CLASS_INDEX
    if not path.is_file():
        return None
    index = json.loads(path.read_text())
    return [index[str(i)][1] for i in range(1000)]


def top_predictions(probabilities: np.ndarray, k: int = 5) -> list[tuple[int, str, float]]:
    """The ``k`` most probable classes as (class id, name or '?', probability).

    Not Keras' ``decode_predictions``: it gives no class ids (notebooks check ids) and
    downloads the class index when it is missing instead of answering offline.
    """
    names = class_names()
    order = np.argsort(probabilities)[::-1][:k]
    return [(int(i), names[i] if names else "?", float(probabilities[i])) for i in order]


def cat_and_dog_probability(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each photo's summed probability of ImageNet's cat classes and of its 118 dog breeds.

    ``probabilities`` is (photos, 1000) from a network with its ImageNet classifier; a
    zero-shot cats-vs-dogs classifier says "dog" where the second sum is larger.
    """
    probabilities = np.asarray(probabilities)
    return (probabilities[:, list(CAT_CLASSES)].sum(axis=1),
            probabilities[:, list(DOG_CLASSES)].sum(axis=1))
