"""Notebook 07's behaviour checkers name the mistake in realistic wrong learner code."""

import os

import keras
import numpy as np
import pytest

from tlcourse import embeddings, texts


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


def classifier(matrix, classes, trainable=False, initial=True, activation="softmax",
               pooling=keras.layers.GlobalAveragePooling1D):
    start = {"embeddings_initializer": keras.initializers.Constant(matrix)} if initial else {}
    return keras.Sequential([
        keras.Input((300,), dtype="int32"),
        keras.layers.Embedding(*matrix.shape, mask_zero=True, trainable=trainable, **start),
        pooling(),
        keras.layers.Dense(classes, activation=activation),
    ])


@pytest.mark.parametrize("build, message", [
    (lambda m, c: classifier(m, c, trainable=True), "the Embedding layer is not frozen"),
    (lambda m, c: classifier(m, c, initial=False), "weights are not the matrix"),
    (lambda m, c: classifier(m, c, activation=None), "outputs are not probabilities"),
    (lambda m, c: classifier(m, c, pooling=keras.layers.Flatten), "not 8 × 3 + 3 = 27"),
    (lambda m, c: classifier(m, c, pooling=keras.layers.GlobalMaxPooling1D),
     "validation accuracy"),
], ids=["trainable", "random_start", "no_softmax", "flatten", "max_pooling"])
@pytest.mark.filterwarnings("ignore:Layer .* does not support masking:UserWarning")
def test_07_classifier_mistakes(expect_hint, build, message):
    expect_hint("07.classifier", build, message)
