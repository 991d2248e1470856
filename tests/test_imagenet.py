import numpy as np

from tlcourse import imagenet


def test_cat_and_dog_probability_sums_the_cat_classes_and_the_dog_breeds():
    probabilities = np.zeros((3, 1000))
    probabilities[0, 281] = 0.6   # tabby
    probabilities[0, 151] = 0.1   # Chihuahua, the first dog breed
    probabilities[1, 268] = 0.5   # Mexican hairless, the last dog breed
    probabilities[1, 287] = 0.2   # lynx, the last cat class
    probabilities[2, 0] = 1.0     # tench: neither
    cats, dogs = imagenet.cat_and_dog_probability(probabilities)
    assert np.allclose(cats, [0.6, 0.2, 0.0]) and np.allclose(dogs, [0.1, 0.5, 0.0])
    assert len(imagenet.DOG_CLASSES) == 118 and len(imagenet.CAT_CLASSES) == 7
