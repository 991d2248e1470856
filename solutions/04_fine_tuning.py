"""Solutions to the exercises of notebook 04 (run by tests/test_exercises.py)."""

import keras


def unfreeze(base, from_layer):
    """Trainable from ``from_layer`` on, BatchNormalization excepted; frozen before."""
    base.trainable = True
    reached = False
    for layer in base.layers:
        reached = reached or layer.name == from_layer
        layer.trainable = reached and not isinstance(layer, keras.layers.BatchNormalization)


def callbacks(path):
    return [keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
            keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)]


ANSWERS = {"04.unfreeze": lambda: unfreeze, "04.callbacks": lambda: callbacks}
