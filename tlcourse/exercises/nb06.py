"""Exercises of notebook 06: word embeddings."""

from __future__ import annotations

from . import exercise

ODD_ONE_OUT = ["breakfast", "cereal", "dinner", "lunch"]


@exercise("06.cat_dog_cosine",
          "What is the cosine similarity of 'cat' and 'dog' in GloVe 50 d? (two decimals)",
          "glove.similarity('cat', 'dog'), or the dot product of the two vectors divided by "
          "the product of their norms.", tolerance=0.005)
def cat_dog_cosine() -> float:
    from ..embeddings import load_glove

    return float(load_glove(50).similarity("cat", "dog"))


@exercise("06.paris_analogy",
          "paris − france + italy ≈ ? Give GloVe's top answer.",
          "glove.most_similar(positive=['paris', 'italy'], negative=['france'], topn=1)")
def paris_analogy() -> str:
    from ..embeddings import load_glove

    return load_glove(50).most_similar(positive=["paris", "italy"], negative=["france"],
                                       topn=1)[0][0]


@exercise("06.odd_one_out",
          "Which word of tlcourse.exercises.nb06.ODD_ONE_OUT does GloVe find the odd one out?",
          "glove.doesnt_match(words): the word furthest from the mean of the others.")
def odd_one_out() -> str:
    from ..embeddings import load_glove

    return load_glove(50).doesnt_match(ODD_ONE_OUT)
