"""Exercises of notebook 08: a pretrained transformer encoder."""

from __future__ import annotations

import functools

import numpy as np

from . import Mistake, behaviour

# Short sentences of different lengths, so a batch of them holds padding.
SENTENCES = ("The bank raised its interest rates.",
             "We sat on the grassy bank of the river and watched the boats go by.",
             "Shares fell.",
             "The striker scored twice in the second half of the cup final.")
LENGTH = 24  # tokens: every sentence above is padded
TOPICS, ARTICLES, DIMENSION = 5, 60, 16


@functools.cache
def _encoder_outputs():
    """The real encoder's token vectors and padding mask for ``SENTENCES``."""
    from .. import encoders

    backbone, tokenizer = encoders.load_encoder()
    inputs = encoders.pack(tokenizer, list(SENTENCES), LENGTH)
    output = np.asarray(backbone.predict_on_batch(inputs)["sequence_output"])
    return output, inputs["padding_mask"]


def _as_rows(result, shape) -> tuple[np.ndarray | None, str | None]:
    """``result`` as a float array of ``shape``, or a sentence on why it is not one."""
    try:
        array = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"It returned {type(result).__name__}, not an array."
    if array.shape != shape:
        return None, f"It returned shape {array.shape}; expected {shape}."
    return array, None


@behaviour("08.mean_pool",
           "Write mean_pool(sequence_output, padding_mask) → one vector per text: the average "
           "of its token vectors over the real tokens only (padding_mask True), with keras.ops "
           "or numpy.",
           "Which positions of a padded batch belong to the text, and what should each text's "
           "average be divided by?")
def mean_pool_behaves(mean_pool) -> Mistake | str | None:
    from ..encoders import mean_pool as course_mean_pool

    if mean_pool is course_mean_pool:
        return "That is the course's own encoders.mean_pool; write the pooling yourself."
    output, mask = _encoder_outputs()
    pooled, problem = _as_rows(mean_pool(output, mask), (output.shape[0], output.shape[2]))
    if problem:
        return problem
    weights = mask[..., None].astype(np.float64)
    expected = (output * weights).sum(1) / weights.sum(1)
    if np.allclose(pooled, expected, rtol=1e-4, atol=1e-5):
        return None
    if np.allclose(pooled, output.mean(1), rtol=1e-4, atol=1e-5):
        return Mistake("It averages every position, padding included: the pad tokens' vectors "
                       "pull short sentences towards one another.",
                       "Weight each position by its mask before you add them up.")
    if np.allclose(pooled, (output * weights).sum(1), rtol=1e-4, atol=1e-5):
        return Mistake("It sums the real tokens' vectors but does not divide by their number.",
                       "A sum grows with the text's length; an average does not.")
    if np.allclose(pooled, (output * weights).sum(1) / output.shape[1], rtol=1e-4, atol=1e-5):
        return Mistake("It divides by the padded length, not by each text's number of real "
                       "tokens: short texts get shorter vectors.",
                       "How many real tokens does each text have? The mask can count them.")
    padding = 1.0 - weights
    if np.allclose(pooled, (output * padding).sum(1) / padding.sum(1), rtol=1e-4, atol=1e-5):
        return Mistake("It averages the padding positions only.",
                       "padding_mask is True for the real tokens, not for the padding.")
    inner = weights.copy()
    inner[:, 0] = 0.0                                              # [CLS]
    inner[np.arange(len(inner)), mask.sum(1) - 1] = 0.0            # [SEP]
    if np.allclose(pooled, (output * inner).sum(1) / inner.sum(1), rtol=1e-4, atol=1e-5):
        return Mistake("It leaves out [CLS] and [SEP].",
                       "The mask marks them as real tokens, and all-MiniLM-L6-v2 was trained "
                       "with a pooling that averages them too: use the mask as it is.")
    if np.allclose(pooled, output[:, 0], rtol=1e-4, atol=1e-5):
        return Mistake("It returns the first token ([CLS]) of each text.",
                       "BERT's classification models read [CLS]; this encoder was trained to be "
                       "read as the average of its real tokens.")
    unit = expected / np.linalg.norm(expected, axis=1, keepdims=True)
    if np.allclose(pooled, unit, rtol=1e-4, atol=1e-5):
        return Mistake("It normalises the average to length 1.",
                       "The pooling stops at the average; the course normalises afterwards, in "
                       "a step of its own.")
    return "It does not equal the average of each text's real-token vectors."


def _topic_problem():
    """Articles near one of 5 topic directions, and descriptions with very unequal lengths.

    Returns (articles, descriptions, true topics). Cosine similarity gets every article
    right; a raw dot product favours the longest description vector.
    """
    rng = np.random.default_rng(8)
    directions = rng.normal(size=(TOPICS, DIMENSION))
    topics = np.arange(ARTICLES) % TOPICS
    articles = directions[topics] + 0.35 * rng.normal(size=(ARTICLES, DIMENSION))
    articles /= np.linalg.norm(articles, axis=1, keepdims=True)
    lengths = np.array([1.0, 1.0, 6.0, 1.0, 1.0])[:, None]
    descriptions = lengths * directions / np.linalg.norm(directions, axis=1, keepdims=True)
    return articles, descriptions, topics


@behaviour("08.zero_shot",
           "Write zero_shot(article_vectors, description_vectors) → one topic number per "
           "article: the topic whose description vector has the highest cosine similarity with "
           "the article's vector. Rows are vectors; do not assume they have length 1.",
           "What makes one description win for every article? Compare directions, not lengths, "
           "and return one topic per row.")
def zero_shot_behaves(zero_shot) -> Mistake | str | None:
    articles, descriptions, topics = _topic_problem()
    result = np.asarray(zero_shot(articles, descriptions))
    if result.shape == (ARTICLES, TOPICS):
        return Mistake("It returned a score for every article and topic.",
                       "Return one topic number per article: which topic scores best?")
    if result.shape != (ARTICLES,):
        return f"It returned shape {result.shape}; expected one topic per article: ({ARTICLES},)."
    if not np.issubdtype(result.dtype, np.integer):
        return f"It returned {result.dtype} values; topics are whole numbers 0–{TOPICS - 1}."
    accuracy = float(np.mean(result == topics))
    if accuracy == 1.0:
        return None
    scores = articles @ descriptions.T
    if np.array_equal(result, scores.argmax(1)):
        return Mistake(f"It picks the largest dot product: one description vector is 6 times "
                       f"longer than the others, and {np.mean(result == 2):.0%} of the articles "
                       "went to it.",
                       "A dot product grows with the vectors' lengths; cosine similarity "
                       "compares directions only.")
    if np.array_equal(result, scores.argmin(1)) or np.array_equal(
            result, (articles @ (descriptions / np.linalg.norm(descriptions, axis=1,
                                                                keepdims=True)).T).argmin(1)):
        return Mistake("It picks the least similar description.",
                       "Higher cosine similarity means more alike.")
    return f"It gets {accuracy:.0%} of 60 articles right where cosine similarity gets all."


def _labelled_vectors():
    """60 vectors of 4 classes, labels not in class order, classes of unequal size."""
    rng = np.random.default_rng(80)
    labels = rng.permutation(np.repeat(np.arange(4), [24, 18, 12, 6]))
    centres = rng.normal(size=(4, DIMENSION))
    return centres[labels] + 0.5 * rng.normal(size=(len(labels), DIMENSION)), labels


@behaviour("08.prototypes",
           "Write prototypes(vectors, labels, classes) → an array of shape (classes, d): row k "
           "the average of the vectors whose label is k (a few-shot classifier then gives each "
           "article the topic of its most similar prototype, as zero-shot does with descriptions).",
           "Row k belongs to topic number k, whatever order the labels come in; average only that "
           "topic's rows.")
def prototypes_behave(prototypes) -> Mistake | str | None:
    vectors, labels = _labelled_vectors()
    result, problem = _as_rows(prototypes(vectors, labels, 4), (4, DIMENSION))
    if problem:
        return problem
    expected = np.stack([vectors[labels == k].mean(0) for k in range(4)])
    if np.allclose(result, expected, atol=1e-6):
        return None
    if np.allclose(result, np.stack([vectors[labels == k].sum(0) for k in range(4)]), atol=1e-6):
        return Mistake("It sums each topic's vectors.",
                       "Topics with more labelled articles would get longer prototypes; an "
                       "average keeps the topics comparable.")
    order = list(dict.fromkeys(labels))  # topics in order of first appearance
    if np.allclose(result, expected[order], atol=1e-6):
        return Mistake(f"Its rows follow the order in which topics first appear ({order}).",
                       "Row k must belong to topic number k, whatever order the labels come in.")
    if np.allclose(result, np.broadcast_to(vectors.mean(0), result.shape), atol=1e-6):
        return Mistake("Every row is the average of all vectors.",
                       "Each row averages only the vectors of its own label.")
    return "Row k is not the average of the vectors labelled k."


RANDOM_INIT_LEVELS = ("near chance", "near TF-IDF", "near the pretrained encoder")
STAGE_2_EFFECTS = ("helps", "no change", "hurts")


def _card_outcomes() -> dict[str, str]:
    """What 08's committed card measured at 5 articles per topic, in the words of the question:
    where the random-weight encoder lands, and what stage 2 does beyond the seeds' spread."""
    from .. import cards

    measured = cards.load()["notebooks"]["08_transformers"]["results"]
    levels = {"near chance": 1 / TOPICS,
              "near TF-IDF": measured["tfidf_logreg_test_accuracy_5_per_topic"]["mean"],
              "near the pretrained encoder": measured["frozen_test_accuracy_5_per_topic"]["mean"]}
    random_init = measured["random_init_test_accuracy_5_per_topic"]["mean"]
    gains = (np.array(measured["fine_tuned_test_accuracy_5_per_topic"]["values"])
             - np.array(measured["frozen_head_test_accuracy_5_per_topic"]["values"]))
    spread = 2 * gains.std(ddof=1)
    effect = ("helps" if gains.mean() - spread > 0 else
              "hurts" if gains.mean() + spread < 0 else "no change")
    return {"random_init": min(levels, key=lambda level: abs(levels[level] - random_init)),
            "stage_2": effect}


@behaviour("08.predict",
           "Predict before running the fine-tuning cells, with 5 labelled articles per topic: "
           f"where will the same architecture from random weights land on test accuracy, one of "
           f"{RANDOM_INIT_LEVELS}; and what will stage 2 (the top layers unfrozen) do to the "
           f"stage-1 model, one of {STAGE_2_EFFECTS}? Answer a dict with the keys 'random_init' "
           "and 'stage_2'. It is judged against the three runs of the card.",
           "Which of the two models has anything to start from but the 25 articles?")
def predict_behaves(prediction) -> Mistake | str | None:
    if not isinstance(prediction, dict) or set(prediction) != {"random_init", "stage_2"}:
        return (f"The prediction is {prediction!r}: give a dict with the keys 'random_init' and "
                "'stage_2'.")
    for key, choices in (("random_init", RANDOM_INIT_LEVELS), ("stage_2", STAGE_2_EFFECTS)):
        if prediction[key] not in choices:
            return f"For {key!r} choose one of {choices}, not {prediction[key]!r}."
    truth = _card_outcomes()
    if prediction["random_init"] != truth["random_init"]:
        return Mistake(f"The card's runs put the random-weight encoder {truth['random_init']}, "
                       f"not {prediction['random_init']}.",
                       "Its 22.7 M weights start random: the 25 articles are all it has to learn "
                       "English from, where TF-IDF needs to learn nothing about words.")
    if prediction["stage_2"] != truth["stage_2"]:
        return Mistake(f"Over the card's runs stage 2 {truth['stage_2']}, beyond what the seeds "
                       f"spread, not '{prediction['stage_2']}'.",
                       "Stage 2 starts from stage 1's trained head and moves the encoder slowly "
                       "(04's recipe): what can it still learn from the 25 articles that a head "
                       "on frozen vectors cannot?")
    return None
