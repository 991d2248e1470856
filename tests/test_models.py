import numpy as np

from tlcourse import models


def test_compact_cnn_is_small_and_outputs_class_probabilities():
    model = models.compact_cnn(64, classes=10)
    assert 50_000 < model.count_params() < 200_000
    photos = np.random.default_rng(0).integers(0, 256, (3, 64, 64, 3)).astype("uint8")
    probabilities = np.asarray(model.predict(photos, verbose=0))
    assert probabilities.shape == (3, 10) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_scratch_cnn_is_the_articles_three_blocks_and_two_dense_layers():
    model = models.scratch_cnn(64)
    conv = [layer for layer in model.layers if layer.__class__.__name__ == "Conv2D"]
    dense = [layer for layer in model.layers if layer.__class__.__name__ == "Dense"]
    assert [layer.filters for layer in conv] == [16, 64, 128]
    assert [layer.units for layer in dense] == [512, 512, 1]
