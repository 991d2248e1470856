"""Exercises of notebook 07: pretrained embeddings in a Keras text classifier."""

from __future__ import annotations

import functools

from . import Mistake, behaviour

VOCABULARY_SIZE = 20_000
LENGTH = 300  # word ids per article, as in the notebook
MADE_UP_WORDS = ("flumbergast", "snarfwidgetry", "blorptastical", "quimbleworth", "zandoxify")
TRAIN_ARTICLES, EPOCHS = 400, 4
# Measured: the notebook's averaging classifier reaches 0.88–0.89 validation accuracy after
# 4 epochs on these 400 articles (3–5 s on 2 CPU cores); max pooling about 0.5; chance 0.2.
MIN_ACCURACY = 0.7


@functools.cache
def _bbc():
    """BBC News split as in the notebook, and its ``TextVectorization`` of 20,000 training words."""
    from ..texts import bbc_news, vectorizer

    news = bbc_news(seed=0)
    return news, vectorizer(news.train.texts, VOCABULARY_SIZE, LENGTH)


def _checker_vocabulary(glove) -> list[str]:
    """2,000 BBC training words with made-up words GloVe lacks spread among them."""
    words = _bbc()[1].get_vocabulary()[:2_000]
    for position, word in zip((7, 150, 600, 1200, 1990), MADE_UP_WORDS):
        assert word not in glove.key_to_index, word
        words.insert(position, word)
    return words


@behaviour("07.embedding_matrix",
           "Write embedding_matrix(vectors, vocabulary) → (matrix, coverage) with numpy, the "
           "course's convention: one row per vocabulary entry; row 0 (padding) zeros; row 1 "
           "(unknown) and the rows of words vectors lacks random normal numbers with the "
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
        return "Row 0 (the padding id) is not zeros."
    random_rows = matrix[[1] + missing]
    if not np.all(np.any(random_rows, axis=1)):
        return Mistake(
            f"The rows of the unknown id (1) or of words GloVe lacks "
            f"({', '.join(MADE_UP_WORDS[:2])}, …) are zeros; the convention gives them random "
            "vectors.",
            "Zeros, as Deep Learning with Python and the Keras example use, make every word GloVe "
            "lacks one and the same vector, and one that adds nothing to an article's average "
            "while still counting in it: a frozen classifier cannot tell those words apart or "
            "learn anything from them. A random row with the pretrained vectors' spread gives "
            "each word a vector of its own, on the scale of the others, that the softmax layer "
            "can use even frozen. Which rows did you leave at zero?")
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


def _pooling(model, matrix, ids) -> str | None:
    """Which pooling of the word vectors explains the model's outputs on ``ids``, if a simple one."""
    import keras
    import numpy as np

    dense = model.layers[-1]
    if not isinstance(dense, keras.layers.Dense) or len(dense.get_weights()) != 2:
        return None
    kernel, bias = dense.get_weights()
    vectors, real = matrix[ids], (ids > 0)[..., None]
    candidates = [("average", (vectors * real).sum(1) / real.sum(1)),
                  ("padded average", vectors.mean(1)),
                  ("maximum", np.where(real, vectors, -np.inf).max(1)),
                  ("maximum", vectors.max(1)),  # padding's zero rows included
                  ("sum", (vectors * real).sum(1))]
    outputs = np.asarray(model.predict(ids, verbose=0))
    for name, pooled in candidates:
        expected = keras.ops.convert_to_numpy(keras.ops.softmax(pooled @ kernel + bias))
        if np.allclose(outputs, expected, atol=1e-4):
            return name
    return None


POOLING_MISTAKES = {
    "padded average": Mistake(
        "Its output is the softmax of the average over all 300 positions, padding included: a "
        "short article's average is pulled towards zero.",
        "Padding (id 0) is not a word. What tells the layers after the Embedding which positions "
        "are padding?"),
    "maximum": Mistake(
        "Its output is the softmax of the largest value of each vector dimension over the words, "
        "not of their average.",
        "A maximum keeps one word's value per dimension; an article's topic shows in all of its "
        "words together."),
    "sum": Mistake(
        "Its output is the softmax of the sum of the word vectors: a long article gets a longer "
        "vector than a short one on the same topic.",
        "The representation should not grow with the article's length."),
}


@behaviour("07.classifier",
           "Write build_classifier(matrix, classes): a Keras model that reads 300 word ids per "
           "article (0 = padding), represents the article by the average of its words' vectors, "
           "which start as the rows of matrix and never change in training, and returns the "
           "probabilities of classes topics. The checker compiles it (Adam 1e-2), trains it on "
           "400 BBC articles and tests what it does.",
           "Which starting weights, which frozen part, which treatment of padding, which pooling? "
           "Only the last layer should train.")
def classifier_behaves(build_classifier) -> str | None:
    import keras
    import numpy as np

    from ..embeddings import embedding_matrix, load_glove

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
            if when == "Before training":
                return Mistake(f"{when} the Embedding's weights are not the matrix.",
                               "The layer is given its size; what gives it its starting values?")
            return Mistake(f"{when} the Embedding's weights are not the matrix: training moved them.",
                           "The pretrained vectors must stay as they are: what keeps a layer's "
                           "weights out of training?")
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
        if next(_embedding_layers(model)).trainable_weights:
            return Mistake(f"With a 100 × 8 matrix and 3 classes it has {count:,} trainable "
                           "parameters, not 8 × 3 + 3 = 27: the Embedding layer trains.",
                           "The pretrained vectors must stay as they are: what keeps a layer's "
                           "weights out of training?")
        return Mistake(f"With a 100 × 8 matrix and 3 classes it has {count:,} trainable parameters, "
                       "not 8 × 3 + 3 = 27: a Dense layer on one 8-number average per article.",
                       "Does the layer before the softmax see one vector per article, whatever "
                       "its words' order, or one per word position?")
    ids = rng.integers(1, 100, (4, LENGTH)).astype("int32")
    ids[:, 200:] = 0  # padded articles
    ids[1, 50:] = 0   # and a short one
    probabilities = np.asarray(model.predict(ids, verbose=0))
    if probabilities.shape != (4, 3):
        return (f"Four articles and 3 classes gave an output of shape {probabilities.shape}, "
                "not (4, 3).")
    if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1, atol=1e-4):
        return Mistake("Its outputs are not probabilities: a row must be ≥ 0 and sum to 1.",
                       "What turns the last layer's scores into probabilities over the topics?")
    pooling = _pooling(model, small, ids)
    if pooling in POOLING_MISTAKES:
        return POOLING_MISTAKES[pooling]
    model.fit(ids, np.arange(4) % 3, epochs=1, verbose=0)
    problem = embedding_problem(model, small, "After one training step")
    if problem:
        return problem

    news, vectorize = _bbc()
    matrix = embedding_matrix(load_glove(50), vectorize.get_vocabulary()).matrix
    chosen = np.random.default_rng(0).choice(len(news.train.texts), TRAIN_ARTICLES,
                                             replace=False)
    x_train = np.asarray(vectorize([news.train.texts[i] for i in chosen]))
    x_validation = np.asarray(vectorize(news.validation.texts))
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


# The decision: fine-tuned and frozen scored on the same validation articles, as many as the
# BBC validation split has. Each case: articles both get right, only fine-tuned gets right,
# only frozen gets right, the right answer.
ARTICLES = 445
CASES = {"large gain": (380, 40, 2, True), "paired gain": (399, 14, 1, True),
         "within the noise": (330, 60, 45, False), "loss": (399, 1, 14, False)}


def _case(both, only_tuned, only_frozen):
    """Per-article correctness of fine-tuned and frozen with these counts, in shuffled order."""
    import numpy as np

    tuned = np.zeros(ARTICLES, bool)
    frozen = np.zeros(ARTICLES, bool)
    tuned[:both + only_tuned] = True
    frozen[:both] = True
    frozen[both + only_tuned:both + only_tuned + only_frozen] = True
    order = np.random.default_rng(both).permutation(ARTICLES)
    return tuned[order], frozen[order]


@behaviour("07.worth_fine_tuning",
           "Write worth_fine_tuning(fine_tuned_correct, frozen_correct) → True or False: given "
           "one boolean per validation article for each model (the same articles, in the same "
           "order), say whether fine-tuning the embedding is worth keeping over the frozen "
           "model, which is cheaper (one shared embedding, nothing to store per task): True "
           "only when the evidence shows a gain beyond the noise of these articles. The "
           "checker gives it four pairs of models; the cell then applies it to this run's.",
           "How large a difference between two models would these articles show by chance "
           "alone, and is the gain larger?")
def worth_fine_tuning_behaves(worth_fine_tuning) -> str | None:
    import numpy as np

    from ..stats import paired_comparison

    answers = {}
    for name, (both, only_tuned, only_frozen, right) in CASES.items():
        answer = worth_fine_tuning(*_case(both, only_tuned, only_frozen))
        if not isinstance(answer, (bool, np.bool_)):
            return f"It returned {answer!r} for the {name!r} case, not True or False."
        answers[name] = bool(answer)

    def evidence(name):
        both, only_tuned, only_frozen, _ = CASES[name]
        return (f"{paired_comparison(*_case(both, only_tuned, only_frozen))}, fine-tuned "
                "minus frozen")

    if answers["loss"] and not answers["large gain"]:
        return Mistake(f"It keeps fine-tuning when fine-tuned is worse ({evidence('loss')}) and "
                       "drops it when fine-tuned is far better.",
                       "Which argument is the fine-tuned model's, and which way round is a gain?")
    if answers["loss"]:
        return Mistake(f"It keeps fine-tuning when fine-tuned is worse: {evidence('loss')}.",
                       "A difference beyond the noise is a reason only when it is in "
                       "fine-tuning's favour.")
    if answers["within the noise"]:
        return Mistake(f"It keeps fine-tuning for {evidence('within the noise')}.",
                       "A higher accuracy on these articles is not yet a gain: what would a "
                       "difference between two equally good models look like on them?")
    if not answers["large gain"]:
        return f"It drops fine-tuning for {evidence('large gain')}."
    if not answers["paired gain"]:
        return Mistake(f"It drops fine-tuning for {evidence('paired gain')}. The two accuracies' "
                       "intervals overlap, but the models answered the same articles.",
                       "Most articles both models get right: the evidence is in the articles on "
                       "which they disagree. Are those few mostly one model's?")
    return None
