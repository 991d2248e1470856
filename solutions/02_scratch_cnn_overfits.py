"""Solutions to the exercises of notebook 02 (run by tests/test_exercises.py)."""

from tlcourse import models


def params_at_150():
    return models.scratch_cnn(150).count_params()


def flatten_size():
    side = 64
    for _ in range(3):
        side = (side - 2) // 2  # 3 × 3 convolution, then 2 × 2 pooling
    return side * side * 128


def dense_share():
    model = models.scratch_cnn(64)
    dense = [layer for layer in model.layers if layer.name.startswith("dense")][0]
    return dense.count_params() / model.count_params()


ANSWERS = {"02.params_at_150": params_at_150, "02.flatten_size": flatten_size,
           "02.dense_share": dense_share}
