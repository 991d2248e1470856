"""Arrays served batch by batch to Keras (``model.fit`` / ``evaluate``): the data side's Keras part.

Kept apart from ``datasets`` so that loading photos never needs Keras.
"""

from __future__ import annotations

import keras
import numpy as np


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
