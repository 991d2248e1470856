"""Exercises of notebook 04: fine-tuning."""

from __future__ import annotations

from . import Mistake, behaviour

DIAGNOSES = ("right", "batchnorm trains", "still frozen", "everything trains")


def unfreeze_a(base, from_layer):
    base.trainable = True
    start = [layer.name for layer in base.layers].index(from_layer)
    for layer in base.layers[:start]:
        layer.trainable = False


def unfreeze_b(base, from_layer):
    import keras

    start = [layer.name for layer in base.layers].index(from_layer)
    for index, layer in enumerate(base.layers):
        layer.trainable = index >= start and not isinstance(layer, keras.layers.BatchNormalization)
    base.trainable = True


def unfreeze_c(base, from_layer):
    import keras

    for layer in base.layers:
        if layer.name == from_layer and not isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = True


def unfreeze_d(base, from_layer):
    import keras

    base.trainable = True
    reached = False
    for layer in base.layers:
        reached = reached or layer.name == from_layer
        layer.trainable = reached and not isinstance(layer, keras.layers.BatchNormalization)


VERSIONS = {"a": unfreeze_a, "b": unfreeze_b, "c": unfreeze_c, "d": unfreeze_d}

# What to look at again, by what the version really does (never the diagnosis itself).
_LOOK_AGAIN = {
    "right": "Follow three layers through it: one before from_layer, one after it and a "
             "BatchNormalization layer after it. Where does each end, and is that where the "
             "notebook's unfreeze leaves it?",
    "batchnorm trains": "Follow one BatchNormalization layer after from_layer through it: which "
                        "line sets its trainable flag last, and to what?",
    "still frozen": "Follow Conv_1, the last convolution, through it: which line sets its "
                    "trainable flag, if any? It was False when stage 1 ended.",
    "everything trains": "Follow Conv1, the first layer, through it: which line sets its "
                         "trainable flag last, and to what?",
}


def diagnose(unfreeze) -> str:
    """What ``unfreeze`` really does to a frozen MobileNetV2: one of :data:`DIAGNOSES`.

    It is applied to a base frozen as in stage 1; one training step then shows which kernels
    and BatchNormalization layers move.
    """
    import keras
    import numpy as np

    from ..backbones import build

    # ImageNet weights: in a random MobileNetV2 the signal all but vanishes, and so would
    # the gradients whose effect this watches. 32 px keeps the step fast.
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

    if not (moved("block_14_expand") and moved("Conv_1")):
        return "still frozen"
    if moved("Conv1") or moved("block_13_project"):
        return "everything trains"
    if moved("block_15_expand_BN") or moved("Conv_1_bn"):
        return "batchnorm trains"
    return "right"


@behaviour("04.unfreeze",
           "Four colleagues wrote unfreeze(base, from_layer) (printed above). Each is applied "
           "to the base frozen as in stage 1. Diagnose each without running it: answer a dict "
           "from 'a', 'b', 'c', 'd' to one of 'right' (the layers from from_layer on train, "
           "BatchNormalization excepted, and none before it), 'batchnorm trains' (as right, but "
           "the BatchNormalization layers after from_layer train too), 'still frozen' (not all "
           "layers after from_layer train) or 'everything trains' (layers before from_layer "
           "train too).",
           "Read each version line by line, following a layer before from_layer, one after it "
           "and a BatchNormalization layer after it.")
def unfreeze_diagnosed(answer) -> str | Mistake | None:
    if not isinstance(answer, dict) or set(answer) != set(VERSIONS):
        return f"Answer a dict with the keys {sorted(VERSIONS)}, one diagnosis each."
    unknown = [letter for letter, said in answer.items() if said not in DIAGNOSES]
    if unknown:
        return (f"{', '.join(unknown)}: {answer[unknown[0]]!r} is not one of the diagnoses "
                f"{DIAGNOSES}.")
    for letter, version in VERSIONS.items():
        truth = diagnose(version)
        if answer[letter] != truth:
            return Mistake(f"Version {letter} does not do what you said ({answer[letter]!r}).",
                           _LOOK_AGAIN[truth])
    return None


# Validation loss after each epoch of a run the callbacks below watch (a scripted run).
SCRIPTED_LOSSES = (0.62, 0.51, 0.47, 0.49, 0.46, 0.48, 0.50, 0.52, 0.55, 0.58)
PATIENCE = 3


def callbacks_on_script(path) -> dict:
    """Run Keras' EarlyStopping and ModelCheckpoint on :data:`SCRIPTED_LOSSES`: what happens."""
    import keras
    import numpy as np

    class Script(keras.callbacks.Callback):
        """After each epoch: report the scripted loss; set the one weight to the epoch number."""

        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = SCRIPTED_LOSSES[epoch]
            self.model.layers[0].kernel.assign([[float(epoch + 1)]])

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(np.zeros((1, 1)), np.zeros(1), epochs=len(SCRIPTED_LOSSES), verbose=0,
                        callbacks=[Script(), *callbacks(path)]).history

    def epoch_of(network):
        return int(round(float(np.asarray(network.layers[0].kernel)[0, 0])))

    return {"stops_after": len(history["loss"]), "model_holds": epoch_of(model),
            "file_holds": epoch_of(keras.models.load_model(path))}


def callbacks(path):
    import keras

    return [keras.callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE,
                                          restore_best_weights=True),
            keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)]


@behaviour("04.early_stopping",
           f"Predict before running: fit for up to {len(SCRIPTED_LOSSES)} epochs with "
           f"EarlyStopping(monitor='val_loss', patience={PATIENCE}, restore_best_weights=True) "
           "and ModelCheckpoint(path, monitor='val_loss', save_best_only=True); the validation "
           f"loss after epochs 1, 2, 3 … would be {list(SCRIPTED_LOSSES)}. Answer a dict: "
           "'stops_after' (the last epoch that runs), 'model_holds' and 'file_holds' (the epoch "
           "whose weights the model and the .keras file hold at the end), epochs counted from 1.",
           "Go through the losses epoch by epoch, keeping the best so far and the number of "
           "epochs since it improved.")
def early_stopping_predicted(answer) -> str | Mistake | None:
    import tempfile
    from pathlib import Path

    keys = {"stops_after", "model_holds", "file_holds"}
    if not isinstance(answer, dict) or set(answer) != keys:
        return f"Answer a dict with the keys {sorted(keys)}, one epoch number each."
    with tempfile.TemporaryDirectory() as folder:
        truth = callbacks_on_script(str(Path(folder) / "best.keras"))
    losses = list(SCRIPTED_LOSSES)
    first_best = 1 + losses.index(min(losses[:truth["model_holds"] - 1]))
    stops = answer["stops_after"]
    if stops != truth["stops_after"]:
        if stops == len(losses):
            hint = "Does the loss ever fail to improve for that many epochs in a row?"
        elif stops == first_best + PATIENCE:
            hint = (f"Compare epoch {truth['model_holds']}'s loss with epoch {first_best}'s: what "
                    "happens to the count of epochs without improvement after it?")
        elif stops == truth["model_holds"]:
            hint = ("EarlyStopping cannot know an epoch is the best until later epochs fail to "
                    "beat it: how many must fail?")
        else:
            hint = "Count the epochs after the best one that fail to improve on it, up to patience."
        return Mistake(f"Training does not stop after epoch {stops}.", hint)
    for key, what, hint in (
            ("model_holds", "the model", "What does restore_best_weights=True change about the "
                                         "weights the model is left with when training stops?"),
            ("file_holds", "the file", "With save_best_only=True, after which epochs does "
                                       "ModelCheckpoint write the file, and which write is last?")):
        if answer[key] != truth[key]:
            if answer[key] == first_best:
                hint = "Which epoch has the lowest validation loss of those that ran?"
            return Mistake(f"At the end {what} does not hold epoch {answer[key]}'s weights.", hint)
    return None
