"""Exercises of notebook 04: fine-tuning."""

from __future__ import annotations

from . import behaviour


@behaviour("04.unfreeze",
           "Write unfreeze(base, from_layer): every layer from the one named from_layer on "
           "becomes trainable, BatchNormalization layers excepted; every layer before it is "
           "frozen.",
           "Every layer has its own trainable flag: False for the layers before from_layer "
           "and for every keras.layers.BatchNormalization, True for the rest (start from "
           "base.trainable = True, which sets them all).")
def unfreeze_behaves(unfreeze) -> str | None:
    import keras
    import numpy as np

    from ..backbones import build

    # ImageNet weights: in a random MobileNetV2 the signal all but vanishes, and so would
    # the gradients whose effect this checker watches. 32 px keeps the step fast.
    base = build("mobilenet_v2_0.35", image_size=32)
    base.trainable = False
    unfreeze(base, "block_14_expand")
    model = keras.Sequential([base, keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    watched = ("Conv1", "block_13_project", "block_14_expand", "Conv_1", "block_15_expand_BN",
               "Conv_1_bn")
    before = {name: [np.array(w) for w in base.get_layer(name).weights] for name in watched}
    rng = np.random.default_rng(0)
    model.fit(rng.normal(size=(8, 32, 32, 3)).astype("float32"), rng.integers(0, 2, 8),
              batch_size=8, epochs=1, verbose=0)

    def moved(name):
        return any(not np.array_equal(old, np.asarray(new))
                   for old, new in zip(before[name], base.get_layer(name).weights))

    if moved("Conv1") or moved("block_13_project"):
        return "A kernel before from_layer changed in one training step: it was not frozen."
    if not (moved("block_14_expand") and moved("Conv_1")):
        return "Kernels from from_layer on did not change in one training step: still frozen."
    if moved("block_15_expand_BN") or moved("Conv_1_bn"):
        return ("A BatchNormalization layer after from_layer changed its scale, shift or "
                "statistics in one training step.")
    return None


@behaviour("04.callbacks",
           "Write callbacks(path): the Keras callbacks that stop training once validation loss "
           "has not improved for 2 epochs, end with the weights of the best epoch, and keep "
           "the best model in the .keras file at path.",
           "keras.callbacks.EarlyStopping and keras.callbacks.ModelCheckpoint both watch a "
           "monitor (which loss tells you about overfitting?); look at restore_best_weights "
           "and save_best_only.")
def callbacks_behave(callbacks) -> str | None:
    import tempfile
    from pathlib import Path

    import keras
    import numpy as np

    # A one-weight model whose validation loss falls, bottoms out and rises again, every
    # time: training targets y = 2x, validation targets y = x, weight starting at 0.
    x = np.linspace(-1, 1, 64, dtype="float32")[:, None]
    model = keras.Sequential([keras.Input((1,)),
                              keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.3), loss="mse")
    epochs = 30
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "best.keras"
        history = model.fit(x, 2 * x, validation_data=(x, x), batch_size=64, epochs=epochs,
                            verbose=0, callbacks=callbacks(str(path))).history
        losses = history["val_loss"]
        best = int(np.argmin(losses))
        if len(losses) == epochs:
            return (f"Training ran all {epochs} epochs although validation loss was lowest "
                    f"after epoch {best + 1}.")
        if len(losses) > best + 1 + 2:
            return (f"Training went on {len(losses) - best - 1} epochs after the best one; "
                    "it should stop 2 epochs without improvement later.")
        final = model.evaluate(x, x, verbose=0)
        if not np.isclose(final, losses[best], rtol=1e-4):
            return (f"The model ends with validation loss {final:.3g}, not the best epoch's "
                    f"{losses[best]:.3g}: its best weights were not restored.")
        if not path.is_file():
            return "No model file was written at path."
        saved = keras.models.load_model(path).evaluate(x, x, verbose=0)
        if not np.isclose(saved, losses[best], rtol=1e-4):
            return (f"The saved model has validation loss {saved:.3g}, not the best epoch's "
                    f"{losses[best]:.3g}: the file holds a later epoch.")
    return None
