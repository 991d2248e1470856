"""Fit helpers: a progress bar with timing, and small reusable heads."""

from __future__ import annotations

import time

import keras
import numpy as np
from tqdm.auto import tqdm


class ProgressBar(keras.callbacks.Callback):
    """One tqdm bar over epochs showing the latest metrics, plus wall-clock timing.

    After ``fit``: ``seconds`` (total) and ``epoch_seconds`` (one per epoch,
    validation included).
    """

    def __init__(self, description: str = "training"):
        super().__init__()
        self.description = description
        self.epoch_seconds: list[float] = []
        self.seconds = 0.0

    def on_train_begin(self, logs=None):
        self.bar = tqdm(total=self.params.get("epochs"), desc=self.description, unit="epoch")
        self.start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_seconds.append(time.perf_counter() - self.epoch_start)
        self.bar.set_postfix({k: f"{v:.3f}" for k, v in (logs or {}).items()})
        self.bar.update(1)

    def on_train_end(self, logs=None):
        self.seconds = time.perf_counter() - self.start
        self.bar.close()


def scratch_steps(photos: int, minimum_steps: int, epochs: int = 8, batch_size: int = 32) -> int:
    """Training steps for a scratch CNN on ``photos``: ``epochs`` passes, at least ``minimum_steps``.

    Small sets get the same minimum budget (many passes over the few photos); large sets
    get enough passes to learn from all of them.
    """
    return max(minimum_steps, int(np.ceil(epochs * photos / batch_size)))


def linear_head(feature_size: int, dropout: float = 0.0, name: str = "head") -> keras.Model:
    """A logistic-regression head (one sigmoid unit) on a feature vector."""
    inputs = keras.Input((feature_size,))
    x = keras.layers.Dropout(dropout)(inputs) if dropout else inputs
    outputs = keras.layers.Dense(1, activation="sigmoid", name="cat_or_dog")(x)
    return keras.Model(inputs, outputs, name=name)


def binary_accuracy(model: keras.Model, x, y, batch_size: int = 64) -> float:
    """Accuracy of a one-sigmoid-unit model at threshold 0.5."""
    probabilities = np.asarray(model.predict(x, batch_size=batch_size, verbose=0)).ravel()
    return float(((probabilities > 0.5).astype(int) == np.asarray(y).ravel()).mean())
