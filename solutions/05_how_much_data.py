"""Solutions to the exercises of notebook 05 (run by tests/test_exercises.py)."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from tlcourse import cards, datasets, features


def balanced_subset(labels, per_class, seed):
    """Indices of ``per_class`` random examples of each class (numpy raises if a class is short)."""
    rng = np.random.default_rng(seed)
    chosen = [rng.choice(np.flatnonzero(labels == label), per_class, replace=False)
              for label in np.unique(labels)]
    return np.concatenate(chosen)


def curve_point(per_class, seed):
    """Test accuracy of a logistic regression on 64-px EuroSAT features of a balanced subset."""
    far = datasets.eurosat(image_size=64)
    train = features.extract("mobilenet_v2_0.35", far.train).features
    test = features.extract("mobilenet_v2_0.35", far.test).features
    chosen = balanced_subset(far.train.labels, per_class, seed)
    classifier = LogisticRegression(max_iter=2000)
    classifier.fit(train[chosen], far.train.labels[chosen])
    return classifier.score(test, far.test.labels)


def features_or_scratch(per_class=200):
    """The far curves' higher method at ``per_class`` and its lead in points (the card's means,
    which the notebook's table shows beside the run's own)."""
    results = cards.load()["notebooks"]["05_how_much_data"]["results"]
    with_features, scratch = (results[f"far_{method}_{per_class}_per_class"]["mean"]
                              for method in ("features_64px", "scratch"))
    return ("features" if with_features > scratch else "scratch"), 100 * abs(with_features - scratch)


ANSWERS = {"05.balanced_subset": lambda: balanced_subset, "05.curve_point": lambda: curve_point,
           "05.features_or_scratch": features_or_scratch}
