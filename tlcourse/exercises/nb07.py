"""Exercises of notebook 07: pretrained embeddings in a Keras text classifier."""

from __future__ import annotations

from . import exercise

VOCABULARY_SIZE = 20_000


@exercise("07.coverage",
          "What share of the 20,000-word BBC training vocabulary (tlcourse.texts.bbc_news(seed=0), "
          "build_vocabulary(train texts, 20_000)) has a GloVe vector? Answer between 0 and 1, "
          "two decimals.",
          "tlcourse.embeddings.embedding_matrix(glove, vocabulary).coverage", tolerance=0.005)
def coverage() -> float:
    from ..embeddings import embedding_matrix, load_glove
    from ..texts import bbc_news, build_vocabulary

    vocabulary = build_vocabulary(bbc_news(seed=0).train.texts, VOCABULARY_SIZE)
    return embedding_matrix(load_glove(50), vocabulary).coverage


@exercise("07.frozen_parameters",
          "A frozen 20,000 × 50 Embedding, average pooling and Dense(5, softmax): how many "
          "trainable parameters does the classifier have?",
          "Only the Dense layer trains: 50 inputs × 5 outputs + 5 biases.")
def frozen_parameters() -> int:
    import keras

    model = keras.Sequential([
        keras.Input((10,), dtype="int32"),
        keras.layers.Embedding(VOCABULARY_SIZE, 50, trainable=False),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(5, activation="softmax"),
    ])
    return sum(int(w.numpy().size) for w in model.trainable_weights)


@exercise("07.unknown_share",
          "With the notebook's vocabulary (20,000 words from the training articles), what share "
          "of the validation articles' tokens are unknown (encoded as 1)? Two decimals.",
          "Encode the validation texts with tlcourse.texts.encode(texts, vocabulary, 10_000) and "
          "count ids equal to 1 among the non-padding ids (> 0).", tolerance=0.005)
def unknown_share() -> float:
    from ..texts import bbc_news, build_vocabulary, encode

    news = bbc_news(seed=0)
    vocabulary = build_vocabulary(news.train.texts, VOCABULARY_SIZE)
    ids = encode(news.validation.texts, vocabulary, 10_000)
    return float((ids == 1).sum() / (ids > 0).sum())
