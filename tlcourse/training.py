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


class Batches(keras.utils.PyDataset):
    """Batches of (inputs, labels) arrays for ``model.fit`` / ``evaluate``.

    Only the rows of each batch are read, so memory-mapped arrays are never copied whole.
    With ``shuffle`` every epoch draws a new random order; ``steps`` fixes the number of
    batches per epoch (cycling through the photos as often as needed), so small and large
    training sets get the same training budget.
    """

    def __init__(self, inputs: np.ndarray, labels: np.ndarray, batch_size: int = 32,
                 shuffle: bool = False, seed: int = 0, steps: int | None = None, **kwargs):
        super().__init__(**kwargs)  # workers, use_multiprocessing, max_queue_size
        self.inputs, self.labels = inputs, np.asarray(labels)
        self.batch_size, self.shuffle = batch_size, shuffle
        self.rng = np.random.default_rng(seed)
        self.steps = steps or int(np.ceil(len(self.labels) / batch_size))
        self.repeats = int(np.ceil(self.steps * batch_size / len(self.labels))) if steps else 1
        self.order = self._draw_order()

    def _draw_order(self) -> np.ndarray:
        count, repeats = len(self.labels), self.repeats
        if self.shuffle:
            return np.concatenate([self.rng.permutation(count) for _ in range(repeats)])
        return np.tile(np.arange(count), repeats)

    def __len__(self) -> int:
        return self.steps

    def __getitem__(self, index: int):
        chosen = np.sort(self.order[index * self.batch_size:(index + 1) * self.batch_size])
        return np.asarray(self.inputs[chosen]), self.labels[chosen]

    def on_epoch_end(self) -> None:
        if self.shuffle:
            self.order = self._draw_order()


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


def restart(model: keras.Model, weights: list, learning_rate: float) -> None:
    """Put ``weights`` back and give the compiled optimizer a fresh start at ``learning_rate``.

    Same effect as compiling again with a new optimizer (moments and step count zero), but the
    traced training step is kept: recompiling retraces it, tens of seconds per run for
    MobileNetV2 on a 2-core CPU. Only valid while the set of trainable layers stays the same.
    """
    model.set_weights(weights)
    for variable in model.optimizer.variables:
        variable.assign(keras.ops.zeros_like(variable))
    model.optimizer.learning_rate = learning_rate
