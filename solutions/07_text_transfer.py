"""Solutions to the exercises of notebook 07 (run by tests/test_exercises.py)."""

import functools

import numpy as np

from tlcourse import embeddings, texts


@functools.cache
def corpus():
    """BBC News split as in the notebook, and its 20,000-word vocabulary (read on first use)."""
    news = texts.bbc_news(seed=0)
    return news, texts.build_vocabulary(news.train.texts, 20_000)


def coverage():
    glove = embeddings.load_glove(50)
    vocabulary = corpus()[1]
    found = sum(word in glove.key_to_index for word in vocabulary[2:])
    return found / (len(vocabulary) - 2)


def frozen_parameters():
    return 50 * 5 + 5


def unknown_share():
    news, vocabulary = corpus()
    tokens = [t for text in news.validation.texts for t in texts.tokenize(text)]
    known = set(vocabulary)
    return float(np.mean([t not in known for t in tokens]))


ANSWERS = {"07.coverage": coverage, "07.frozen_parameters": frozen_parameters,
           "07.unknown_share": unknown_share}
