"""Gradients of a scalar function on every Keras backend (Keras 3 has no portable API)."""

from __future__ import annotations

import keras
import numpy as np


def value_and_gradient(function, inputs):
    """``function(inputs)`` summed to a scalar, and its gradient with respect to ``inputs``.

    ``function`` maps a tensor to a tensor of per-example scores built from Keras layers
    and ``keras.ops``; the gradient comes back as a NumPy array shaped like ``inputs``.
    """
    backend = keras.backend.backend()
    inputs = keras.ops.convert_to_tensor(np.asarray(inputs, dtype="float32"))
    if backend == "tensorflow":
        import tensorflow as tf
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            value = tf.reduce_sum(function(inputs))
        gradient = tape.gradient(value, inputs)
    elif backend == "jax":
        import jax
        value, gradient = jax.value_and_grad(lambda x: function(x).sum())(inputs)
    elif backend == "torch":
        import torch
        inputs = inputs.detach().requires_grad_(True)
        value = function(inputs).sum()
        (gradient,) = torch.autograd.grad(value, inputs)
    else:
        raise NotImplementedError(f"No gradient for the '{backend}' backend; use tensorflow, "
                                  "jax or torch (KERAS_BACKEND).")
    return float(keras.ops.convert_to_numpy(value)), keras.ops.convert_to_numpy(gradient)
