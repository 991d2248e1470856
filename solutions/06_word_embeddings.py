"""Solutions to the exercises of notebook 06 (run by tests/test_exercises.py)."""

import numpy as np

from tlcourse import embeddings
from tlcourse.exercises.nb06 import ODD_ONE_OUT


def cat_dog_cosine():
    glove = embeddings.load_glove(50)
    cat, dog = glove["cat"], glove["dog"]
    return round(float(cat @ dog / np.linalg.norm(cat) / np.linalg.norm(dog)), 2)


def paris_analogy():
    glove = embeddings.load_glove(50)
    return glove.most_similar(positive=["paris", "italy"], negative=["france"], topn=1)[0][0]


def odd_one_out():
    return embeddings.load_glove(50).doesnt_match(ODD_ONE_OUT)


ANSWERS = {"06.cat_dog_cosine": cat_dog_cosine, "06.paris_analogy": paris_analogy,
           "06.odd_one_out": odd_one_out}
