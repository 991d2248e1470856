"""Exercises of notebook 05: how much data, and how far does ImageNet's knowledge travel?"""

from __future__ import annotations

import contextlib

from . import behaviour

# A single seed's curve point scatters more than the card's mean of 3 runs × 3 seeds: over 30
# seeds the sd of one far-target, 64-px point was 0.024 at 10 and 0.014 at 50 photos per class.
# 3.3 of those sds (rounded up) is the least margin the checker allows around the card's mean.
SINGLE_SEED_MARGIN = {10: 0.08, 50: 0.045}


@behaviour("05.balanced_subset",
           "Write balanced_subset(labels, per_class, seed): the indices of per_class randomly "
           "drawn examples of every class (each example at most once), the same ones for the "
           "same seed, other ones for another seed, and an error when a class has fewer than "
           "per_class examples.",
           "Draw each class's examples from that class alone, without putting any back, with a "
           "generator made from seed inside the function (so a seed always gives the same "
           "draw); a class that is too small must stop it, not shrink the draw.")
def balanced_subset_behaves(balanced_subset) -> str | None:
    import numpy as np

    # Made-up labels: three classes of different sizes, in no particular order.
    labels = np.random.default_rng(5).permutation(np.repeat([0, 1, 2], [30, 12, 50]))
    chosen = np.asarray(balanced_subset(labels, 8, 1))
    if chosen.dtype == bool:
        return "It returned a boolean mask; the notebook indexes with the chosen indices."
    if chosen.ndim != 1 or not np.issubdtype(chosen.dtype, np.integer):
        return f"It returned {chosen.dtype} values of shape {chosen.shape}, not a list of indices."
    if len(chosen) and (chosen.min() < 0 or chosen.max() >= len(labels)):
        return f"Some indices are not positions in labels (0 to {len(labels) - 1})."
    if len(np.unique(chosen)) < len(chosen):
        return (f"{len(chosen) - len(np.unique(chosen))} of the {len(chosen)} indices repeat "
                "an example already chosen.")
    counts = np.bincount(labels[chosen], minlength=3).tolist()
    if counts != [8, 8, 8]:
        return (f"Asked for 8 per class from classes of 30, 12 and 50 examples, it chose "
                f"{counts} of them: a balanced subset has 8 of each, 24 in all.")
    if not np.array_equal(np.sort(chosen), np.sort(np.asarray(balanced_subset(labels, 8, 1)))):
        return "Two calls with the same seed chose different examples."
    others = [np.sort(np.asarray(balanced_subset(labels, 8, seed))) for seed in (2, 3)]
    if all(np.array_equal(np.sort(chosen), other) for other in others):
        return "Seeds 1, 2 and 3 chose the same examples: the seed changed nothing."
    try:
        too_many = np.asarray(balanced_subset(labels, 13, 1))
    except Exception:  # noqa: BLE001  (any error will do: numpy's, or the learner's own)
        return None
    return (f"Asked for 13 per class where one class has only 12 examples, it returned "
            f"{len(too_many)} indices instead of raising an error: a curve point drawn that way "
            "would not have the number of photos per class it is plotted at.")


@contextlib.contextmanager
def _watching_logistic_regression():
    """Record what every scikit-learn LogisticRegression is fitted on and asked to predict.

    ``score``, ``predict`` and ``predict_proba`` all go through ``decision_function``.
    """
    from unittest import mock

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    seen: dict[str, list] = {"fit": [], "predict": []}
    fit, decide = LogisticRegression.fit, LogisticRegression.decision_function

    def watched_fit(self, X, y, *args, **kwargs):
        seen["fit"].append((np.array(X), np.array(y)))
        return fit(self, X, y, *args, **kwargs)

    def watched_decision_function(self, X):
        seen["predict"].append(np.array(X))
        return decide(self, X)

    with mock.patch.object(LogisticRegression, "fit", watched_fit), \
            mock.patch.object(LogisticRegression, "decision_function", watched_decision_function):
        yield seen


def _card_band(entry: dict, per_class: int) -> tuple[float, float, float]:
    """A card entry's mean and the band (low, high) a single seed's result falls in."""
    margin = max(3 * entry["sd"], SINGLE_SEED_MARGIN[per_class])
    return entry["mean"], entry["mean"] - margin, entry["mean"] + margin


def _what_it_trained_and_scored(seen: dict, per_class: int, train, test,
                                 validation) -> str | None:
    """Name a wrong training subset or a wrong scored split, from what LogisticRegression saw.

    ``validation`` is a function that returns the validation features (extracted only when
    needed).
    """
    import numpy as np

    if not seen["fit"]:
        return None
    X, y = seen["fit"][-1]
    counts = np.unique(y, return_counts=True)[1]
    if len(y) != 10 * per_class or len(counts) != 10 or set(counts) != {per_class}:
        each = (f"{counts.min()} of each" if counts.min() == counts.max()
                else f"{counts.min()} to {counts.max()} of each")
        return (f"At per_class={per_class} the classifier trained on {len(y)} photos ({each} "
                f"of {len(counts)} classes); a point of the curve trains on {per_class} photos "
                f"of each of the 10 classes, {10 * per_class} in all.")
    if not seen["predict"]:
        return None
    scored = seen["predict"][-1]
    if scored.shape == X.shape and np.allclose(scored, X):
        return ("It scored the classifier on the photos it trained on; a curve point is its "
                "accuracy on the test split, photos it never saw.")
    if scored.shape == train.shape and np.allclose(scored, train):
        return (f"It scored the classifier on all {len(train)} training photos; a curve point "
                f"is its accuracy on the {len(test)} photos of the test split.")
    if scored.shape == test.shape and not np.allclose(scored, test) \
            and np.allclose(scored, validation()):
        return ("It scored the classifier on the validation split; the curve's points are "
                "accuracy on the test split (this notebook chooses nothing, so it never needs "
                "the validation photos).")
    return None


@behaviour("05.curve_point",
           "Write curve_point(per_class, seed): one point of the far target's curve for frozen "
           "features at 64 px. A logistic regression (max_iter=2000) trained on the MobileNetV2 "
           "α 0.35 features of a balanced subset of EuroSAT's training photos (per_class of "
           "each class, drawn with seed); return its accuracy on the test split.",
           "Compare with feature_curve, for one size and one seed: which photos it fits "
           "(per_class of each class of the training split, drawn with seed), which features "
           "(the backbone's, at 64 px), and which split it scores (test).")
def curve_point_behaves(curve_point) -> str | None:
    import numpy as np
    from threadpoolctl import threadpool_limits

    from ..cards import load
    from ..datasets import eurosat
    from ..features import extract
    from ..settings import PROFILES

    card = load()
    backbone = PROFILES[card["profile"]].finetune_backbone  # what the card was measured with
    far = eurosat(image_size=64)
    train, test = (extract(backbone, split).features for split in (far.train, far.test))
    trained_on = {}
    for per_class, seed in ((10, 1), (10, 2), (50, 1)):
        # One BLAS thread: these fits are small, and where other programs keep the cores busy
        # (a shared Binder or class server) OpenBLAS's waiting threads make them 20× slower.
        with _watching_logistic_regression() as seen, threadpool_limits(1, user_api="blas"):
            accuracy = curve_point(per_class, seed)
        try:
            accuracy = float(accuracy)
        except (TypeError, ValueError):
            return f"It returned {accuracy!r}, not a test accuracy (one number from 0 to 1)."
        if not 0 <= accuracy <= 1:
            return f"It returned {accuracy:g}, not a test accuracy (a share from 0 to 1)."
        problem = _what_it_trained_and_scored(
            seen, per_class, train, test, lambda: extract(backbone, far.validation).features)
        if problem:
            return problem
        if seen["fit"]:
            trained_on[per_class, seed] = seen["fit"][-1][0]
        results = card["notebooks"]["05_how_much_data"]["results"]
        mean, low, high = _card_band(results[f"far_features_64px_{per_class}_per_class"],
                                     per_class)
        if low <= accuracy <= high:
            continue
        where = (f"At {per_class} photos per class (seed {seed}) it returned {accuracy:.3f}; "
                 f"a correct point lies within {mean:.3f} ± {high - mean:.3f} (the card's "
                 "mean, with room for any seed)")
        if accuracy >= 0.98:
            return (f"{where}: no method of the course comes near that on EuroSAT's test "
                    "photos, so they were probably not the photos it scored on.")
        enlarged = results.get(f"far_features_96px_{per_class}_per_class")
        if enlarged and accuracy > high and abs(accuracy - enlarged["mean"]) < accuracy - mean:
            return (f"{where}; {enlarged['mean']:.3f} is what features of photos enlarged to "
                    "96 px give.")
        return f"{where}."
    if (10, 1) in trained_on and (10, 2) in trained_on \
            and np.array_equal(trained_on[10, 1], trained_on[10, 2]):
        return "Seeds 1 and 2 trained on the same photos: the seed changed nothing."
    return None
