"""Exercises of notebook 07: pretrained embeddings in a Keras text classifier."""

from __future__ import annotations

import functools

from . import behaviour

VOCABULARY_SIZE = 20_000
LENGTH = 300  # word ids per article, as in the notebook
MADE_UP_WORDS = ("flumbergast", "snarfwidgetry", "blorptastical", "quimbleworth", "zandoxify")
TRAIN_ARTICLES, EPOCHS = 400, 4
# Measured: the notebook's averaging classifier reaches 0.88–0.89 validation accuracy after
# 4 epochs on these 400 articles (3–5 s on 2 CPU cores); max pooling about 0.5; chance 0.2.
MIN_ACCURACY = 0.7


@functools.cache
def _bbc():
    """BBC News split as in the notebook, and its 20,000-word training vocabulary."""
    from ..texts import bbc_news, build_vocabulary

    news = bbc_news(seed=0)
    return news, build_vocabulary(news.train.texts, VOCABULARY_SIZE)


def _checker_vocabulary(glove) -> list[str]:
    """2,000 BBC training words with made-up words GloVe lacks spread among them."""
    words = list(_bbc()[1][:2_000])
    for position, word in zip((7, 150, 600, 1200, 1990), MADE_UP_WORDS):
        assert word not in glove.key_to_index, word
        words.insert(position, word)
    return words


@behaviour("07.embedding_matrix",
           "Write embedding_matrix(vectors, vocabulary) → (matrix, coverage) with numpy, the "
           "course's convention: one row per vocabulary entry; row 0 (<pad>) zeros; row 1 "
           "(<unk>) and the rows of words vectors lacks random normal numbers with the "
           "standard deviation of the pretrained vectors; every other row i the vector of "
           "vocabulary[i]; coverage the share of the words after the two reserved entries that "
           "have a vector.",
           "Does row i hold vocabulary[i], the two reserved ids counted as rows? Which rows "
           "stay zero and which get random numbers? Which entries does coverage count?")
def embedding_matrix_behaves(embedding_matrix) -> str | None:
    import numpy as np

    from ..embeddings import embedding_matrix as course_matrix
    from ..embeddings import load_glove

    glove = load_glove(50)
    vocabulary = _checker_vocabulary(glove)
    result = embedding_matrix(glove, vocabulary)
    try:
        matrix, coverage = result
        matrix = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError):
        return f"It returned {type(result).__name__}, not a pair (matrix, coverage)."
    expected = course_matrix(glove, vocabulary)
    if matrix.shape != expected.matrix.shape:
        return (f"The matrix has shape {matrix.shape}; it needs one row per vocabulary entry, "
                f"the two reserved ones included: {expected.matrix.shape}.")
    missing = [row for row, word in enumerate(vocabulary) if word in expected.missing]
    for row, word in enumerate(vocabulary[2:], start=2):
        if row in missing or np.allclose(matrix[row], glove[word], atol=1e-6):
            continue
        for shift in (-2, -1, 1, 2):
            if 0 <= row + shift < len(matrix) and np.allclose(matrix[row + shift], glove[word],
                                                               atol=1e-6):
                return (f"The vector of vocabulary[{row}] ({word!r}) is in row {row + shift}: "
                        f"rows are off by {abs(shift)}; row i must hold the vector of "
                        "vocabulary[i], reserved ids included.")
        return f"Row {row} does not hold the pretrained vector of vocabulary[{row}] ({word!r})."
    if np.any(matrix[0]):
        return "Row 0 (<pad>, the padding id) is not zeros."
    random_rows = matrix[[1] + missing]
    if not np.all(np.any(random_rows, axis=1)):
        return (f"The rows of <unk> or of words GloVe lacks ({', '.join(MADE_UP_WORDS[:2])}, …) "
                "are zeros; the convention gives them random vectors.")
    spread = float(np.asarray(glove.vectors).std())
    if not 0.5 <= random_rows.std() / spread <= 2:
        return (f"The random rows have a standard deviation of {random_rows.std():.3g}; "
                f"the pretrained vectors' is {spread:.2f}.")
    if not isinstance(coverage, (int, float, np.floating)):
        return f"The coverage is {coverage!r}, not a number."
    if abs(coverage - expected.coverage) > 1e-6:
        if abs(coverage - expected.found / len(vocabulary)) < 1e-6:
            return (f"The coverage {coverage:.4f} counts the two reserved entries; it is the "
                    f"share of the {len(vocabulary) - 2:,} words after them.")
        return f"The coverage is {coverage:.4f}, not {expected.coverage:.4f}."
    return None


def _embedding_layers(model):
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.layers.Embedding):
            yield layer
        elif hasattr(layer, "layers"):
            yield from _embedding_layers(layer)


@behaviour("07.classifier",
           "Write build_classifier(matrix, classes): a Keras model that takes 300 word ids per "
           "article, embeds them with a keras.layers.Embedding that starts from matrix and is "
           "frozen, averages the vectors of the words (padding masked), and ends in a softmax "
           "over classes topics. The checker compiles it (Adam 1e-2), trains it on 400 BBC "
           "articles and checks the embedding stayed put.",
           "What sets an Embedding's starting weights, what keeps them fixed, and what makes "
           "the average skip padding? Only the last layer should train.")
def classifier_behaves(build_classifier) -> str | None:
    import keras
    import numpy as np

    from ..embeddings import embedding_matrix, load_glove
    from ..texts import encode

    def compiled(matrix, classes):
        model = build_classifier(matrix, classes)
        model.compile(optimizer=keras.optimizers.Adam(1e-2),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def embedding_problem(model, matrix, when):
        layers = list(_embedding_layers(model))
        if len(layers) != 1:
            return f"The model has {len(layers)} keras.layers.Embedding layers, not one."
        weights = np.asarray(layers[0].embeddings)
        if weights.shape != matrix.shape:
            return (f"The Embedding's weights have shape {weights.shape}, the matrix "
                    f"{matrix.shape}.")
        if not np.allclose(weights, matrix, atol=1e-6):
            return f"{when} the Embedding's weights are not the matrix."
        return None

    # A small random matrix first: the model must follow matrix and classes, not constants.
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    small = rng.normal(0, 0.7, (100, 8)).astype("float32")
    small[0] = 0
    model = compiled(small, 3)
    problem = embedding_problem(model, small, "Before training")
    if problem:
        return problem
    count = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    if count != 8 * 3 + 3:
        frozen = not next(_embedding_layers(model)).trainable_weights
        return (f"With a 100 × 8 matrix and 3 classes it has {count:,} trainable parameters, "
                "not 8 × 3 + 3 = 27"
                + (": the Embedding layer is not frozen." if not frozen else
                   ": only a Dense layer on the averaged word vectors should train."))
    ids = rng.integers(0, 100, (4, LENGTH)).astype("int32")
    ids[:, 200:] = 0  # padded articles
    probabilities = np.asarray(model.predict(ids, verbose=0))
    if probabilities.shape != (4, 3):
        return (f"Four articles and 3 classes gave an output of shape {probabilities.shape}, "
                "not (4, 3).")
    if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1, atol=1e-4):
        return "Its outputs are not probabilities: a row must be ≥ 0 and sum to 1."
    model.fit(ids, np.arange(4) % 3, epochs=1, verbose=0)
    problem = embedding_problem(model, small, "After one training step")
    if problem:
        return problem

    news, vocabulary = _bbc()
    matrix = embedding_matrix(load_glove(50), vocabulary).matrix
    chosen = np.random.default_rng(0).choice(len(news.train.texts), TRAIN_ARTICLES,
                                             replace=False)
    x_train = encode([news.train.texts[i] for i in chosen], vocabulary, LENGTH)
    x_validation = encode(news.validation.texts, vocabulary, LENGTH)
    keras.utils.set_random_seed(0)
    model = compiled(matrix, len(news.class_names))
    model.fit(x_train, news.train.labels[chosen], epochs=EPOCHS, batch_size=32, verbose=0)
    problem = embedding_problem(model, matrix, f"After {EPOCHS} epochs on BBC articles")
    if problem:
        return problem
    accuracy = model.evaluate(x_validation, news.validation.labels, verbose=0)[1]
    if accuracy < MIN_ACCURACY:
        return (f"Trained {EPOCHS} epochs on {TRAIN_ARTICLES} BBC articles it reached "
                f"{accuracy:.2f} validation accuracy; averaging frozen GloVe vectors reaches "
                f"about 0.89 (chance 0.2).")
    return None
