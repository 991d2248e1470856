"""Notebook 05's behaviour checkers answer realistic wrong attempts with what went wrong."""

import os

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from conftest import REAL_DATA
from tlcourse import cards, datasets, exercises, features, folders, results, settings
from tlcourse.exercises import nb05


def first_of_each_class(labels, per_class, seed):
    return np.concatenate([np.flatnonzero(labels == label)[:per_class]
                           for label in np.unique(labels)])


def ignores_classes(labels, per_class, seed):
    rng = np.random.default_rng(seed)
    return rng.choice(len(labels), per_class * len(np.unique(labels)), replace=False)


def with_replacement(labels, per_class, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(labels == label), per_class)
                           for label in np.unique(labels)])


def unseeded(labels, per_class, seed):
    return np.concatenate([np.random.choice(np.flatnonzero(labels == label), per_class,
                                            replace=False) for label in np.unique(labels)])


def silently_short(labels, per_class, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(np.flatnonzero(labels == label))[:per_class]
                           for label in np.unique(labels)])


def mask(labels, per_class, seed):
    chosen = np.zeros(len(labels), dtype=bool)
    chosen[silently_short(labels, per_class, seed)] = True
    return chosen


@pytest.mark.parametrize("wrong, message", [
    (first_of_each_class, "the seed changed nothing"),
    (ignores_classes, "a balanced subset has 8 of each"),
    (with_replacement, "repeat an example already chosen"),
    (unseeded, "same seed chose different examples"),
    (silently_short, "instead of raising an error"),
    (mask, "boolean mask"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_balanced_subset_checker_names_the_mistake(wrong, message, expect_hint):
    expect_hint("05.balanced_subset", wrong, message)


@pytest.mark.parametrize("wrong, hint", [
    (with_replacement, "Hint: Draw without putting an example back"),
    (unseeded, "Hint: Make the random generator from seed inside the function"),
    (silently_short, "Hint: A class with fewer than per_class examples must stop the draw"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_balanced_subset_mistakes_get_their_own_hint(wrong, hint, expect_hint):
    expect_hint("05.balanced_subset", wrong, hint)


@pytest.fixture(scope="module")
def real_eurosat(tmp_path_factory):
    """The real data home (only read) with a fresh cache shared by this module's tests."""
    if not (REAL_DATA.parent / datasets.EUROSAT.root).is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide the EuroSAT subset via {folders.DATA_ENV}")
        pytest.skip(f"set {folders.DATA_ENV} to a folder holding {datasets.EUROSAT.root}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(folders.DATA_ENV, str(REAL_DATA.parent))
        patch.setenv(folders.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        patch.setattr(settings, "_active_profile", None)
        datasets._verified_folders.clear()
        yield
    datasets._verified_folders.clear()


def point(per_class, seed, draw=datasets.balanced_indices, scored="test"):
    """A curve point the way a learner writes it, with a chosen draw and scored split."""
    far = datasets.eurosat(image_size=64)
    train = features.extract("mobilenet_v2_0.35", far.train).features
    chosen = draw(far.train.labels, per_class, seed)
    classifier = LogisticRegression(max_iter=2000).fit(train[chosen], far.train.labels[chosen])
    if scored == "its training photos":
        return classifier.score(train[chosen], far.train.labels[chosen])
    split = getattr(far, scored)
    return classifier.score(features.extract("mobilenet_v2_0.35", split).features, split.labels)


def per_class_in_all(per_class, seed):
    return point(per_class, seed, draw=lambda labels, n, seed: np.random.default_rng(seed).choice(
        len(labels), n, replace=False))


def every_photo(per_class, seed):
    return point(per_class, seed, draw=lambda labels, n, seed: np.arange(len(labels)))


def fixed_seed(per_class, seed):
    return point(per_class, 0)


def scored_on_training_photos(per_class, seed):
    return point(per_class, seed, scored="its training photos")


def scored_on_the_training_split(per_class, seed):
    return point(per_class, seed, scored="train")


def scored_on_validation(per_class, seed):
    return point(per_class, seed, scored="validation")


def percent(per_class, seed):
    return 100 * point(per_class, seed)


CARD_MEAN_10_PER_CLASS = cards.load()["notebooks"]["05_how_much_data"]["results"][
    "far_features_64px_10_per_class"]["mean"]


def chance(per_class, seed):
    return 0.1


@pytest.mark.parametrize("wrong, message", [
    (per_class_in_all, "trained on 10 photos (1 to 2 of each of 9 classes)"),
    (every_photo, "trained on 2000 photos (200 of each of 10 classes)"),
    (fixed_seed, "the seed changed nothing"),
    (scored_on_training_photos, "on the photos it trained on"),
    (scored_on_the_training_split, "on all 2000 training photos"),
    (scored_on_validation, "on the validation split"),
    (scored_on_validation, "Hint: Validation photos are for choosing"),
    (every_photo, "Hint: Fit on a balanced subset of the training split"),
    (percent, "not a test accuracy"),
    (chance, f"it returned 0.100; a correct point lies within {CARD_MEAN_10_PER_CLASS:.3f} ± "),
], ids=lambda value: getattr(value, "__name__", ""))
def test_curve_point_checker_names_the_mistake(wrong, message, real_eurosat, expect_hint):
    expect_hint("05.curve_point", wrong, message)


RESULTS = cards.load()["notebooks"]["05_how_much_data"]["results"]
CARD = {name: entry["mean"] for name, entry in RESULTS.items()}


def gap(features, scratch, per_class=nb05.DECISION_SIZE, means=CARD):
    """Features-minus-scratch gap in points (the card's, unless other means are given)."""
    return 100 * (means[f"{features}_{per_class}_per_class"] - means[f"{scratch}_{per_class}_per_class"])


FAR = gap("far_features_64px", "far_scratch")
BEST, OTHER = ("features", "scratch") if FAR > 0 else ("scratch", "features")


def test_decision_from_the_far_curves_is_accepted(private_cache, capsys):
    exercises.check("05.features_or_scratch", (BEST, abs(FAR)))
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    ((OTHER, abs(FAR)), "check which line you read"),
    ((BEST, abs(FAR) / 100), "multiply the difference by 100"),
    ((BEST, -abs(FAR)), "a positive number"),
    ((BEST, abs(gap("far_features_64px", "far_scratch", 10))), "the size asked about"),
    (("fine-tune", 5.0), "must be \"features\" or \"scratch\""),
], ids=["other choice", "shares", "negative", "other size", "unknown"])
def test_decision_checker_names_the_mistake(wrong, message, private_cache, expect_hint):
    expect_hint("05.features_or_scratch", wrong, message)


@pytest.fixture
def own_run(private_cache):
    """A learner's run that recorded every result: the card's, with the far scratch CNN 3
    points better at the decision's size. Its means are returned."""
    own = dict(CARD)
    own[f"far_scratch_{nb05.DECISION_SIZE}_per_class"] += 0.03
    for name, value in own.items():
        results.record("05_how_much_data", name, value)
    return own


def test_decision_is_read_from_the_learners_own_run(own_run, capsys, expect_hint):
    lead = abs(gap("far_features_64px", "far_scratch", means=own_run))
    exercises.check("05.features_or_scratch", (BEST, lead))
    assert "correct" in capsys.readouterr().out
    expect_hint("05.features_or_scratch", (BEST, abs(FAR)), f"ahead at {nb05.DECISION_SIZE}")
    expect_hint("05.features_or_scratch",
                (BEST, abs(gap("far_features_96px", "far_scratch", means=own_run))),
                "read the 64-px features line")
    expect_hint("05.features_or_scratch",
                (BEST, abs(gap("near_features", "near_scratch", means=own_run))),
                "read the far target's curves")
