"""Solutions to the exercises of notebook 07 (run by tests/test_exercises.py)."""

import keras
import numpy as np

from tlcourse import stats


def embedding_matrix(vectors, vocabulary):
    """Row i: the vector of vocabulary[i]; <pad> zeros; <unk> and unknown words random."""
    rng = np.random.default_rng(0)
    matrix = rng.normal(0, np.std(vectors.vectors), (len(vocabulary), vectors.vector_size))
    matrix[0] = 0
    found = 0
    for i, word in enumerate(vocabulary):
        if i >= 2 and word in vectors.key_to_index:
            matrix[i] = vectors[word]
            found += 1
    return matrix, found / (len(vocabulary) - 2)


def build_classifier(matrix, classes):
    """Frozen pretrained embedding → average of the words (padding masked) → softmax."""
    return keras.Sequential([
        keras.Input((300,), dtype="int32"),
        keras.layers.Embedding(matrix.shape[0], matrix.shape[1], mask_zero=True,
                               embeddings_initializer=keras.initializers.Constant(matrix),
                               trainable=False),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(classes, activation="softmax"),
    ])


def worth_fine_tuning(fine_tuned_correct, frozen_correct):
    """Keep fine-tuning only for a gain beyond the noise of a paired test on the same articles."""
    comparison = stats.paired_comparison(fine_tuned_correct, frozen_correct)
    return comparison.difference > 0 and not comparison.within_noise()


ANSWERS = {"07.embedding_matrix": lambda: embedding_matrix,
           "07.classifier": lambda: build_classifier,
           "07.worth_fine_tuning": lambda: worth_fine_tuning}
