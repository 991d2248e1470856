"""Notebook 07's behaviour checkers name the mistake in realistic wrong learner code."""

import os

import keras
import numpy as np
import pytest

from tlcourse import embeddings, exercises, stats, texts


@pytest.fixture(autouse=True)
def glove_and_bbc_or_skip():
    if embeddings.glove_location(50) is None or texts.bbc_news_location() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide GloVe 50 d and the BBC News corpus (the `course` extra)")
        pytest.skip("GloVe 50 d or the BBC News corpus is not installed (the `course` extra)")


def random_matrix(vectors, vocabulary):
    matrix = np.random.default_rng(0).normal(0, np.std(vectors.vectors),
                                             (len(vocabulary), vectors.vector_size))
    matrix[0] = 0
    return matrix


def test_07_matrix_rows_shifted_by_the_reserved_ids(expect_hint):
    def embedding_matrix(vectors, vocabulary):
        matrix, found = random_matrix(vectors, vocabulary), 0
        for i, word in enumerate(vocabulary[2:]):  # i starts at 0, the words at id 2
            if word in vectors.key_to_index:
                matrix[i] = vectors[word]
                found += 1
        return matrix, found / (len(vocabulary) - 2)

    expect_hint("07.embedding_matrix", embedding_matrix, "rows are off by 2")


def test_07_coverage_counting_the_reserved_entries(expect_hint):
    def embedding_matrix(vectors, vocabulary):
        matrix, found = random_matrix(vectors, vocabulary), 0
        for i, word in enumerate(vocabulary):
            if i >= 2 and word in vectors.key_to_index:
                matrix[i] = vectors[word]
                found += 1
        return matrix, found / len(vocabulary)

    expect_hint("07.embedding_matrix", embedding_matrix, "counts the two reserved entries")


def test_07_missing_words_left_at_zero(expect_hint):
    def embedding_matrix(vectors, vocabulary):
        matrix, found = np.zeros((len(vocabulary), vectors.vector_size)), 0
        for i, word in enumerate(vocabulary):
            if i >= 2 and word in vectors.key_to_index:
                matrix[i] = vectors[word]
                found += 1
        return matrix, found / (len(vocabulary) - 2)

    expect_hint("07.embedding_matrix", embedding_matrix, "are zeros; the convention")
    expect_hint("07.embedding_matrix", embedding_matrix, "cannot tell those words apart")


def classifier(matrix, classes, trainable=False, initial=True, activation="softmax",
               pooling=keras.layers.GlobalAveragePooling1D, mask=True):
    start = {"embeddings_initializer": keras.initializers.Constant(matrix)} if initial else {}
    return keras.Sequential([
        keras.Input((300,), dtype="int32"),
        keras.layers.Embedding(*matrix.shape, mask_zero=mask, trainable=trainable, **start),
        pooling(),
        keras.layers.Dense(classes, activation=activation),
    ])


@pytest.mark.parametrize("build, message", [
    (lambda m, c: classifier(m, c, trainable=True), "what keeps a layer's weights out of training"),
    (lambda m, c: classifier(m, c, initial=False), "what gives it its starting values"),
    (lambda m, c: classifier(m, c, activation=None), "into probabilities over the topics"),
    (lambda m, c: classifier(m, c, pooling=keras.layers.Flatten), "one per word position"),
    (lambda m, c: classifier(m, c, pooling=keras.layers.GlobalMaxPooling1D),
     "largest value of each vector dimension"),
    (lambda m, c: classifier(m, c, mask=False), "padding included"),
], ids=["trainable", "random_start", "no_softmax", "flatten", "max_pooling", "no_mask"])
@pytest.mark.filterwarnings("ignore:Layer .* does not support masking:UserWarning")
def test_07_classifier_mistakes(expect_hint, build, message):
    expect_hint("07.classifier", build, message)


def paired_decision(tuned, frozen):
    comparison = stats.paired_comparison(tuned, frozen)
    return comparison.difference > 0 and not comparison.within_noise()


def test_07_fine_tuning_decision_accepted(capsys):
    exercises.check("07.worth_fine_tuning", paired_decision)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("decide, message", [
    (lambda tuned, frozen: bool(tuned.mean() > frozen.mean()),
     "+3.4 points (60 items only the first got right, 45 only the second; McNemar p = 0.17"),
    (lambda tuned, frozen: bool(stats.accuracy_interval(tuned)[0] > stats.accuracy_interval(frozen)[1]),
     "the evidence is in the articles on which they disagree"),
    (lambda tuned, frozen: paired_decision(frozen, tuned), "Which argument is"),
    (lambda tuned, frozen: "fine-tune", "not True or False"),
], ids=["accuracy_higher", "intervals_apart", "arguments_swapped", "a_word"])
def test_07_fine_tuning_decision_mistakes(expect_hint, decide, message):
    expect_hint("07.worth_fine_tuning", decide, message)
