"""Notebook 08's behaviour checkers name the mistake in realistic wrong learner code."""

import numpy as np
import pytest
from keras import ops

from conftest import encoder_or_skip
from tlcourse import encoders


@pytest.fixture
def encoder():
    encoder_or_skip()


def without_cls_and_sep(padding_mask):
    keep = np.array(padding_mask, copy=True)
    keep[:, 0] = False
    keep[np.arange(len(keep)), keep.sum(1)] = False  # the last real position, after [CLS] left
    return keep


def masked(padding_mask):
    return ops.expand_dims(ops.cast(padding_mask, "float32"), -1)


@pytest.mark.real_data
@pytest.mark.parametrize("wrong, message", [
    (lambda out, mask: ops.mean(out, axis=1), "padding included"),
    (lambda out, mask: ops.sum(out * masked(mask), axis=1), "does not divide"),
    (lambda out, mask: ops.sum(out * masked(mask), axis=1) / out.shape[1],
     "divides by the padded length"),
    (lambda out, mask: out[:, 0], "first token ([CLS])"),
    (lambda out, mask: encoders.normalize(encoders.mean_pool(out, mask)), "normalises"),
    (lambda out, mask: ops.mean(out, axis=2), "shape"),
    (lambda out, mask: encoders.mean_pool(out, ~mask), "padding positions only.\nHint: "
                                                       "padding_mask is True for the real tokens"),
    (lambda out, mask: encoders.mean_pool(out, mask & without_cls_and_sep(mask)),
     "leaves out [CLS] and [SEP].\nHint: The mask marks them as real tokens"),
    (encoders.mean_pool, "course's own"),
], ids=["unmasked", "sum", "padded_length", "cls", "normalised", "wrong_axis", "inverted_mask",
        "without_cls_sep", "course_function"])
def test_mean_pool_checker_names_the_mistake(encoder, expect_hint, wrong, message):
    expect_hint("08.mean_pool", wrong, message)


def unit(vectors):
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda a, d: np.argmax(a @ d.T, axis=1), "went to it.\nHint: A dot product grows"),
    (lambda a, d: np.argmin(unit(a) @ unit(d).T, axis=1), "least similar"),
    (lambda a, d: unit(a) @ unit(d).T, "a score for every article"),
    (lambda a, d: np.argmax(unit(a) @ unit(d).T, axis=0), "one topic per article"),
    (lambda a, d: np.max(unit(a) @ unit(d).T, axis=1), "whole numbers"),
], ids=["dot_product", "argmin", "scores", "wrong_axis", "max_not_argmax"])
def test_zero_shot_checker_names_the_mistake(expect_hint, wrong, message):
    expect_hint("08.zero_shot", wrong, message)


@pytest.mark.parametrize("wrong, message", [
    (lambda v, y, k: np.stack([v[y == c].sum(0) for c in range(k)]), "sums"),
    (lambda v, y, k: np.stack([v[y == c].mean(0) for c in dict.fromkeys(y)]), "first appear"),
    (lambda v, y, k: np.tile(v.mean(0), (k, 1)), "average of all vectors"),
    (lambda v, y, k: np.stack([v[y == c].mean(0) for c in range(k)]).T, "shape"),
    (lambda v, y, k: np.stack([np.median(v[y == c], 0) for c in range(k)]), "not the average"),
], ids=["sum", "first_appearance", "overall_mean", "transposed", "median"])
def test_prototypes_checker_names_the_mistake(expect_hint, wrong, message):
    expect_hint("08.prototypes", wrong, message)


@pytest.mark.parametrize("wrong, message", [
    ({"random_init": "near TF-IDF", "stage_2": "helps"},
     "put the random-weight encoder near chance, not near TF-IDF.\nHint: Its 22.7 M weights"),
    ({"random_init": "near chance", "stage_2": "no change"},
     "stage 2 helps, beyond what the seeds spread, not 'no change'.\nHint: Stage 2 starts"),
    ({"random_init": "low", "stage_2": "helps"}, "choose one of"),
    ("near chance", "give a dict"),
], ids=["random_like_tfidf", "stage_2_nothing", "not_a_level", "not_a_dict"])
def test_prediction_checker_names_the_mistake(expect_hint, wrong, message):
    expect_hint("08.predict", wrong, message)


def test_the_prediction_is_judged_by_the_card(monkeypatch):
    from tlcourse import cards
    from tlcourse.exercises import nb08

    card = cards.load()
    runs = card["notebooks"]["08_transformers"]["results"]
    runs["random_init_test_accuracy_5_per_topic"]["mean"] = 0.80  # as if it learned
    runs["fine_tuned_test_accuracy_5_per_topic"]["values"] = list(
        runs["frozen_head_test_accuracy_5_per_topic"]["values"])
    monkeypatch.setattr(cards, "load", lambda: card)
    assert nb08._card_outcomes() == {"random_init": "near TF-IDF", "stage_2": "no change"}
