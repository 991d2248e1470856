import keras
import numpy as np

from tlcourse import gradients


def test_value_and_gradient_of_a_keras_function():
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]], dtype="float32")
    value, gradient = gradients.value_and_gradient(
        lambda t: keras.ops.sum(t * t, axis=-1) + 3 * t[:, 0], x)
    assert np.isclose(value, float((x * x).sum() + 3 * x[:, 0].sum()))
    expected = 2 * x
    expected[:, 0] += 3
    assert np.allclose(gradient, expected)
