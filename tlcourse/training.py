"""Fit helpers: a progress bar with timing, training budgets, an optimizer restart."""

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
