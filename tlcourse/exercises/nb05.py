"""Exercises of notebook 05: how much data, and how far does ImageNet's knowledge travel?"""

from __future__ import annotations

import contextlib

from . import Mistake, behaviour

NOTEBOOK = "05_how_much_data"
# A single seed's point scatters more than the card's mean over runs: the card records the sd
# over one run's seeds (``…_seed_sd``); a point within this many of them of the mean is accepted.
SEED_SDS = 3.5


@behaviour("05.balanced_subset",
           "Write balanced_subset(labels, per_class, seed): the indices of per_class randomly "
           "drawn examples of every class (each example at most once), the same ones for the "
           "same seed, other ones for another seed, and an error when a class has fewer than "
           "per_class examples.",
           "Draw each class's examples from that class alone, without putting any back, with a "
           "generator made from seed inside the function (so a seed always gives the same "
           "draw); a class that is too small must stop it, not shrink the draw.")
def balanced_subset_behaves(balanced_subset) -> str | Mistake | None:
    import numpy as np

    # Made-up labels: three classes of different sizes, in no particular order.
    labels = np.random.default_rng(5).permutation(np.repeat([0, 1, 2], [30, 12, 50]))
    chosen = np.asarray(balanced_subset(labels, 8, 1))
    if chosen.dtype == bool:
        return Mistake("It returned a boolean mask; the notebook indexes with the chosen "
                       "indices.", "Return the positions of the chosen examples in labels, "
                       "one number per chosen example, not a True/False per example.")
    if chosen.ndim != 1 or not np.issubdtype(chosen.dtype, np.integer):
        return f"It returned {chosen.dtype} values of shape {chosen.shape}, not a list of indices."
    if len(chosen) and (chosen.min() < 0 or chosen.max() >= len(labels)):
        return f"Some indices are not positions in labels (0 to {len(labels) - 1})."
    if len(np.unique(chosen)) < len(chosen):
        return Mistake(f"{len(chosen) - len(np.unique(chosen))} of the {len(chosen)} indices "
                       "repeat an example already chosen.",
                       "Draw without putting an example back once it is chosen.")
    counts = np.bincount(labels[chosen], minlength=3).tolist()
    if counts != [8, 8, 8]:
        return Mistake(f"Asked for 8 per class from classes of 30, 12 and 50 examples, it chose "
                       f"{counts} of them: a balanced subset has 8 of each, 24 in all.",
                       "Draw each class's examples from that class's own positions, per_class "
                       "of them, rather than from all the labels at once.")
    if not np.array_equal(np.sort(chosen), np.sort(np.asarray(balanced_subset(labels, 8, 1)))):
        return Mistake("Two calls with the same seed chose different examples.",
                       "Make the random generator from seed inside the function: a generator "
                       "shared between calls has moved on by the next call.")
    others = [np.sort(np.asarray(balanced_subset(labels, 8, seed))) for seed in (2, 3)]
    if all(np.array_equal(np.sort(chosen), other) for other in others):
        return Mistake("Seeds 1, 2 and 3 chose the same examples: the seed changed nothing.",
                       "The examples must be drawn at random with seed; taking the first ones "
                       "of each class ignores it.")
    try:
        too_many = np.asarray(balanced_subset(labels, 13, 1))
    except Exception:  # noqa: BLE001  (any error will do: numpy's, or the learner's own)
        return None
    return Mistake(f"Asked for 13 per class where one class has only 12 examples, it returned "
                   f"{len(too_many)} indices instead of raising an error: a curve point drawn "
                   "that way would not have the number of photos per class it is plotted at.",
                   "A class with fewer than per_class examples must stop the draw with an "
                   "error; a draw that quietly takes fewer hides it.")


UNSEEN = ("Score the classifier on photos that neither trained nor chose anything: the test "
          "split's features and labels.")


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


def _card_band(card_results: dict, name: str) -> tuple[float, float, float]:
    """A card entry's mean and the band (low, high) a single seed's result falls in."""
    mean = card_results[name]["mean"]
    margin = max(3 * card_results[name]["sd"], SEED_SDS * card_results[f"{name}_seed_sd"]["mean"])
    return mean, mean - margin, mean + margin


def _what_it_trained_and_scored(seen: dict, per_class: int, train, test,
                                 validation) -> str | Mistake | None:
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
        return Mistake(f"At per_class={per_class} the classifier trained on {len(y)} photos "
                       f"({each} of {len(counts)} classes); a point of the curve trains on "
                       f"{per_class} photos of each of the 10 classes, {10 * per_class} in all.",
                       "Fit on a balanced subset of the training split: per_class photos of "
                       "every class, drawn with seed.")
    if not seen["predict"]:
        return None
    scored = seen["predict"][-1]
    if scored.shape == X.shape and np.allclose(scored, X):
        return Mistake("It scored the classifier on the photos it trained on; a curve point "
                       "is its accuracy on the test split, photos it never saw.", UNSEEN)
    if scored.shape == train.shape and np.allclose(scored, train):
        return Mistake(f"It scored the classifier on all {len(train)} training photos; a curve "
                       f"point is its accuracy on the {len(test)} photos of the test split.",
                       UNSEEN)
    if scored.shape == test.shape and not np.allclose(scored, test) \
            and np.allclose(scored, validation()):
        return Mistake("It scored the classifier on the validation split; the curve's points "
                       "are accuracy on the test split.",
                       "Validation photos are for choosing (here: the scratch CNN's learning "
                       "rate and when it stops); a curve reports photos that chose nothing, "
                       "the test split.")
    return None


@behaviour("05.curve_point",
           "Write curve_point(per_class, seed): one point of the far target's curve for frozen "
           "features at 64 px. A logistic regression (max_iter=2000) trained on the MobileNetV2 "
           "α 0.35 features of a balanced subset of EuroSAT's training photos (per_class of "
           "each class, drawn with seed); return its accuracy on the test split.",
           "Compare with feature_curve, for one size and one seed: which photos it fits "
           "(per_class of each class of the training split, drawn with seed), which features "
           "(the backbone's, at 64 px), and which split it scores (test).")
def curve_point_behaves(curve_point) -> str | Mistake | None:
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
            return Mistake(f"It returned {accuracy:g}, not a test accuracy (a share from 0 to "
                           "1).", "Return the share of test photos it gets right, not a "
                           "percentage.")
        problem = _what_it_trained_and_scored(
            seen, per_class, train, test, lambda: extract(backbone, far.validation).features)
        if problem:
            return problem
        if seen["fit"]:
            trained_on[per_class, seed] = seen["fit"][-1][0]
        results = card["notebooks"][NOTEBOOK]["results"]
        mean, low, high = _card_band(results, f"far_features_64px_{per_class}_per_class")
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
            return Mistake(f"{where}; {enlarged['mean']:.3f} is what features of photos "
                           "enlarged to 96 px give.", "Extract the features of the photos at "
                           "their own 64 px, the size this curve is measured at.")
        return f"{where}."
    if (10, 1) in trained_on and (10, 2) in trained_on \
            and np.array_equal(trained_on[10, 1], trained_on[10, 2]):
        return Mistake("Seeds 1 and 2 trained on the same photos: the seed changed nothing.",
                       "Draw the balanced subset with the seed curve_point is given.")
    return None


DECISION_SIZE = 200  # photos per class in the decision exercise


def _evidence() -> tuple[dict[str, float], float]:
    """The far curves' means and the band an answer must fall in: the learner's own run when it
    recorded everything (a point, for reading and rounding), else the card's means and three
    times the spread of the gap over the card's runs (at least 1.5 points)."""
    import math

    from ..cards import load
    from ..results import of

    card, own = load()["notebooks"][NOTEBOOK]["results"], of(NOTEBOOK)
    if set(card) <= set(own):
        return {name: entry["value"] for name, entry in own.items()}, 1.0
    spread = math.hypot(card[f"far_features_64px_{DECISION_SIZE}_per_class"]["sd"],
                        card[f"far_scratch_{DECISION_SIZE}_per_class"]["sd"])
    return {name: entry["mean"] for name, entry in card.items()}, max(1.5, 300 * spread)


def _gap(means: dict, features: str, scratch: str, per_class: int) -> float:
    """Mean test accuracy of ``features`` minus ``scratch``, in points."""
    return 100 * (means[f"{features}_{per_class}_per_class"]
                  - means[f"{scratch}_{per_class}_per_class"])


@behaviour("05.features_or_scratch",
           f"A new land-use task on satellite photos, {DECISION_SIZE} labelled photos per class "
           "at 64 px. From this notebook's far curves, choose \"features\" (frozen MobileNetV2 "
           "features at 64 px and a logistic regression) or \"scratch\" (the compact CNN, tuned "
           "on validation), and say by how many points of test accuracy your choice is ahead "
           "(mean over the seeds). Answer a pair such as (\"scratch\", 2.5).",
           "Take the two far curves at the asked number of photos per class, both at 64 px: "
           "the choice is the higher one, the lead is their difference in points.")
def features_or_scratch_behaves(answer) -> str | Mistake | None:
    try:
        choice, points = answer
        points = float(points)
    except (TypeError, ValueError):
        return f"It is {answer!r}, not a pair (choice, points) such as (\"scratch\", 2.5)."
    if choice not in ("features", "scratch"):
        return f"The choice is {choice!r}: it must be \"features\" or \"scratch\"."
    results, band = _evidence()
    features, scratch = "far_features_64px", "far_scratch"
    gap = _gap(results, features, scratch, DECISION_SIZE)
    best, lead = ("features" if gap > 0 else "scratch"), abs(gap)
    if choice != best:
        return Mistake(f"At {DECISION_SIZE} photos per class {best} is {lead:.1f} points ahead "
                       f"of {choice} on the far target's test photos (mean over seeds).",
                       "The choice is the method whose far curve is higher at that size, both "
                       "at 64 px; check which line you read.")
    if abs(points - lead) <= band:
        return None
    where = (f"{best} is {lead:.1f} ± {band:.1f} points ahead at {DECISION_SIZE} photos per "
             f"class (mean over seeds, with the measured band); you said {points:.2f}")
    if points < 0 and abs(points + lead) <= band:
        return Mistake(f"{where}.", "Say how far your choice is ahead: a positive number.")
    if abs(100 * points - lead) <= band:
        return Mistake(f"{where}: a difference of shares, not of points.",
                       "A point is a hundredth of accuracy: multiply the difference by 100.")
    others = [(f"the gap at {n} photos per class", _gap(results, features, scratch, n),
               f"Read the curves at {DECISION_SIZE} photos per class, the size asked about.")
              for n in (10, 50)]
    others += [("the near target's gap (cats vs dogs)",
                _gap(results, "near_features", "near_scratch", DECISION_SIZE),
                "The new task is satellite photos: read the far target's curves."),
               ("the gap of features from photos enlarged to 96 px",
                _gap(results, "far_features_96px", scratch, DECISION_SIZE),
                "The question keeps the photos at 64 px: read the 64-px features line.")]
    for name, value, hint in others:
        if abs(abs(value) - points) <= band < abs(abs(value) - lead):
            return Mistake(f"{where}, which is {name}.", hint)
    return f"{where}."
