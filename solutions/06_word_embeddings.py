"""Solutions to the exercises of notebook 06 (run by tests/test_exercises.py)."""

import numpy as np
from scipy import stats


def analogy(vectors, a, b, c):
    """'a is to b as c is to ?': the word closest in cosine to b − a + c (unit vectors)."""
    unit = vectors.vectors / np.linalg.norm(vectors.vectors, axis=1, keepdims=True)
    rows = [vectors.key_to_index[word] for word in (a, b, c)]
    query = unit[rows[1]] - unit[rows[0]] + unit[rows[2]]
    scores = unit @ query  # the query's length does not change which row scores highest
    scores[rows] = -np.inf
    return vectors.index_to_key[int(np.argmax(scores))]


def word_similarity(vectors, path):
    """Spearman correlation of cosine similarity with human scores, known pairs only."""
    cosines, scores = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            first, second, score = line.lower().split("\t")[:3]
            if first in vectors.key_to_index and second in vectors.key_to_index:
                u, v = vectors[first], vectors[second]
                cosines.append(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
                scores.append(float(score))
    return stats.spearmanr(cosines, scores)[0]


def predict_nearer():
    # Opposites fill the same slots ("the water is hot / cold", "a strong / weak currency"):
    # they share more contexts than a milder word of similar meaning does.
    return {"hot": "cold", "strong": "weak"}


ANSWERS = {"06.predict_nearer": predict_nearer, "06.three_cos_add": lambda: analogy,
           "06.word_similarity": lambda: word_similarity}
