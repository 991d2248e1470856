"""Exercises of notebook 02: a CNN from scratch overfits."""

from __future__ import annotations

import numpy as np

from . import Mistake, behaviour

# The two input sizes a model is built at: the cpu profile's and the article's.
SIZES = (64, 150)
# The short training run of 02.gap: 120 training photos, 6 epochs, 125 validation photos.
# Over seeds 0-2 the Flatten CNN ends 0.28-0.32 more accurate on its training photos than on
# validation, the GAP CNN -0.03 to +0.03; both train in about 17 s on two CPU cores.
GAP_RUN = {"per_class": 60, "epochs": 6, "batch_size": 12, "validation_step": 4}
# 02.stop: the validation photos behind each curve point, as in the notebook.
VALIDATION_PHOTOS = 500


def _reference(image_size: int, pooling: str = "flatten"):
    """The course's scratch CNN, with Flatten or with GlobalAveragePooling2D in its place."""
    import keras

    from ..models import scratch_cnn

    model = scratch_cnn(image_size)
    if pooling == "flatten":
        return model
    return keras.Sequential(
        [keras.Input((image_size, image_size, 3))]
        + [keras.layers.GlobalAveragePooling2D() if isinstance(layer, keras.layers.Flatten)
           else layer.__class__.from_config(layer.get_config()) for layer in model.layers[1:]])


def _layers(model) -> list:
    import keras

    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def _kinds(model) -> list[str]:
    return [type(layer).__name__ for layer in _layers(model)]


def _compare(build, name: str, pooling: str) -> str | None:
    """Build the learner's model at both sizes and compare it with the spec's, layer by layer."""
    import keras

    models = {}
    for size in SIZES:
        model = build(size)
        if not isinstance(model, keras.Model):
            return Mistake(f"{name}({size}) returned {type(model).__name__}, not a Keras model.",
                           "Your function must return the model it builds, not a layer, a "
                           "tensor or None.")
        if tuple(model.input_shape[1:]) != (size, size, 3):
            return Mistake(f"{name}({size}) takes inputs of shape "
                           f"{tuple(model.input_shape[1:])}, not ({size}, {size}, 3).",
                           "The input is one photo: its height, its width and its three "
                           "colour channels, all from the image_size argument.")
        models[size] = model
    counts = [models[size].count_params() for size in SIZES]
    if pooling == "gap" and counts[0] != counts[1]:
        return Mistake(f"Your model has {counts[0]:,} parameters at {SIZES[0]} px and "
                       f"{counts[1]:,} at {SIZES[1]} px: with global average pooling in "
                       "Flatten's place the count must not depend on the image size.",
                       "Something still lays every pixel of the last feature maps out for the "
                       "first Dense layer: that is the layer to replace.")
    reference = _reference(SIZES[0], pooling)
    kinds, spec_kinds = _kinds(models[SIZES[0]]), _kinds(reference)
    if kinds != spec_kinds:
        return Mistake(f"Your model's layers are {', '.join(kinds)}; the spec's are "
                       f"{', '.join(spec_kinds)}.", _layers_hint(kinds, spec_kinds))
    for size, count in zip(SIZES, counts):
        expected = _reference(size, pooling)
        if count != expected.count_params():
            mine, spec = _layers(models[size]), _layers(expected)
            first = next(i for i, (a, b) in enumerate(zip(mine, spec))
                         if a.count_params() != b.count_params())
            hint = ("A convolution's parameters come from its filters, its kernel size and "
                    "the channels it receives: compare those with the spec."
                    if isinstance(spec[first], keras.layers.Conv2D) else
                    "A Dense layer has (inputs + 1) × units parameters: either its units "
                    "differ from the spec's, or it receives more or fewer numbers (padding in "
                    "the convolutions changes the size of the last feature maps).")
            return Mistake(f"At {size} px your model has {count:,} parameters, the spec gives "
                           f"{expected.count_params():,}: the first difference is layer "
                           f"{first + 1} ({type(mine[first]).__name__}, "
                           f"{mine[first].count_params():,} parameters instead of "
                           f"{spec[first].count_params():,}).", hint)
    pairs = zip(_layers(models[SIZES[0]]), _layers(reference))
    for number, (mine, spec) in enumerate(pairs, 1):
        if hasattr(spec, "activation"):
            have, want = mine.activation.__name__, spec.activation.__name__
            if have != want:
                hint = ("The last unit must give a probability between 0 and 1, which a "
                        "linear unit does not." if want == "sigmoid" else
                        "Without a non-linearity between them, stacked layers compute no more "
                        "than one layer would: give each the spec's activation.")
                return Mistake(f"Layer {number} ({type(mine).__name__}) has activation "
                               f"'{have}'; the spec says '{want}'.", hint)
        if isinstance(spec, keras.layers.Rescaling):
            low, high = (float(mine.scale) * v + float(mine.offset) for v in (0, 255))
            if not (np.isclose(low, 0) and np.isclose(high, 1)):
                return Mistake(f"The Rescaling layer maps pixels 0–255 to "
                               f"{low:.3g}–{high:.3g}; the spec says 0–1.",
                               "Rescaling computes pixel × scale + offset: work out what a "
                               "pixel of 0 and one of 255 become with yours.")
    # Same weights in the spec's model: the same photos must give the same outputs.
    model = models[SIZES[0]]
    reference.set_weights(model.get_weights())
    photos = np.random.default_rng(0).integers(0, 256, (4, SIZES[0], SIZES[0], 3))
    photos = photos.astype("float32")
    outputs = np.asarray(model.predict(photos, verbose=0))
    if outputs.shape != (4, 1):
        return Mistake(f"Four photos gave an output of shape {outputs.shape}, not (4, 1).",
                       "The model answers one question per photo (is it a dog?): one "
                       "probability each.")
    if not np.allclose(outputs, reference.predict(photos, verbose=0), atol=1e-5):
        return Mistake("With the same weights, the spec's model gives other outputs for the same "
                       "photos.", "Follow your layers from input to output: does each one "
                       "receive the output of the layer before it, in the spec's order?")
    return None


def _layers_hint(kinds: list[str], spec_kinds: list[str]) -> str:
    """The hint for a model whose layers are not the spec's, by what is missing or extra."""
    missing = [kind for kind in dict.fromkeys(spec_kinds)
               if kinds.count(kind) < spec_kinds.count(kind)]
    extra = [kind for kind in dict.fromkeys(kinds) if kinds.count(kind) > spec_kinds.count(kind)]
    if missing == ["Rescaling"]:
        return "Pixels arrive as 0–255: the spec's first step brings them to 0–1 in the model."
    if "Flatten" in missing and "GlobalAveragePooling2D" in extra:
        return "The spec lays the last feature maps out with Flatten; pooling them comes later."
    if "GlobalAveragePooling2D" in missing:
        return "GlobalAveragePooling2D is a layer of its own in the model, where Flatten was."
    if not missing and not extra:
        return "You have the right layers in another order: compare them with the spec one by one."
    return (f"Compared with the spec your model lacks {', '.join(missing) or 'nothing'} and has "
            f"extra {', '.join(extra) or 'nothing'}: read the spec again block by block.")


@behaviour("02.build_cnn",
           "Write build_cnn(image_size): the scratch CNN of the spec in the notebook, for "
           "square photos of image_size pixels (pixels 0–255 in, one 'dog' probability out).",
           "Compare your layers with the spec in the comment, one line at a time.")
def build_cnn_behaves(build_cnn) -> str | None:
    return _compare(build_cnn, "build_cnn", "flatten")


@behaviour("02.gap",
           "Write gap_cnn(image_size): the same CNN with layers.GlobalAveragePooling2D() in "
           "place of Flatten.",
           "Global average pooling replaces each of the last feature maps by its mean: 128 "
           "numbers whatever the photo's size. Change only that one layer of your build_cnn.")
def gap_behaves(gap_cnn) -> str | None:
    problem = _compare(gap_cnn, "gap_cnn", "gap")
    if problem is None:
        _train_both(gap_cnn)
    return problem


def _train_both(gap_cnn) -> None:
    """Train the course's Flatten CNN and the learner's GAP CNN briefly; print both gaps."""
    import keras

    from ..datasets import cats_vs_dogs
    from ..models import scratch_cnn

    size = SIZES[0]
    data = cats_vs_dogs(image_size=size, per_class=GAP_RUN["per_class"])
    train = np.asarray(data.train.images), data.train.labels
    step = GAP_RUN["validation_step"]
    validation = np.asarray(data.validation.images[::step]), data.validation.labels[::step]
    print(f"Both CNNs trained for {GAP_RUN['epochs']} epochs on {len(train[1])} photos "
          f"({size} px), validated on {len(validation[1])}:")
    for label, build in (("Flatten", scratch_cnn), ("GlobalAveragePooling2D", gap_cnn)):
        keras.utils.set_random_seed(0)
        model = build(size)
        # Without XLA: compiling it costs more CPU time than these 60 steps.
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                      metrics=["accuracy"], jit_compile=False)
        model.fit(*train, batch_size=GAP_RUN["batch_size"], epochs=GAP_RUN["epochs"], verbose=0)
        accuracy = [model.evaluate(*split, batch_size=128, verbose=0)[1]
                    for split in (train, validation)]
        print(f"  {label:<23} {model.count_params():>10,} parameters   training accuracy "
              f"{accuracy[0]:.2f}   validation {accuracy[1]:.2f}   "
              f"gap {accuracy[0] - accuracy[1]:+.2f}")


def _curves() -> dict[str, dict[str, list[float]]]:
    """Three made-up training runs, validated on ``VALIDATION_PHOTOS`` photos each epoch."""
    rising = np.linspace(0.60, 0.99, 10)
    return {
        "overfits after epoch 4": {
            "accuracy": list(rising),
            "loss": list(1.0 - rising),
            "val_accuracy": [0.58, 0.63, 0.67, 0.73, 0.72, 0.70, 0.68, 0.67, 0.65, 0.64],
            "val_loss": [0.68, 0.63, 0.59, 0.57, 0.58, 0.62, 0.68, 0.75, 0.83, 0.92]},
        "overfits from epoch 1": {
            "accuracy": list(rising),
            "loss": list(1.0 - rising),
            "val_accuracy": [0.71, 0.66, 0.64, 0.62, 0.61, 0.60, 0.60, 0.59, 0.59, 0.58],
            "val_loss": [0.58, 0.63, 0.69, 0.76, 0.84, 0.92, 1.00, 1.08, 1.15, 1.22]},
        "still learning": {
            "accuracy": list(np.linspace(0.55, 0.78, 10)),
            "loss": list(np.linspace(0.69, 0.47, 10)),
            "val_accuracy": [0.55, 0.58, 0.60, 0.63, 0.64, 0.67, 0.68, 0.70, 0.72, 0.75],
            "val_loss": [0.69, 0.67, 0.66, 0.64, 0.63, 0.61, 0.60, 0.58, 0.56, 0.53]},
    }


def _noise(accuracy: float) -> float:
    """Half the width of the 95 % interval of an accuracy on the validation photos."""
    from ..stats import accuracy_interval

    right = round(accuracy * VALIDATION_PHOTOS)
    low, high = accuracy_interval(np.arange(VALIDATION_PHOTOS) < right)
    return (high - low) / 2


@behaviour("02.stop",
           "Write stopping_epoch(history): given a Keras history (a dict of per-epoch lists "
           f"'loss', 'accuracy', 'val_loss', 'val_accuracy'; validation on {VALIDATION_PHOTOS} "
           "photos), return the epoch, counted from 1 as Keras counts them, whose weights you "
           "would keep to classify new photos.",
           "Of the four curves, which ones measure photos the network never trained on, and "
           "where is that measure at its best?")
def stop_behaves(stopping_epoch) -> str | Mistake | None:
    for name, history in _curves().items():
        epoch = stopping_epoch({key: list(values) for key, values in history.items()})
        validation = history["val_accuracy"]
        best = int(np.argmax(validation)) + 1
        if isinstance(epoch, float) and 0 < epoch < 1:
            return Mistake(f"For the run that {name}, it returned {epoch:.3g}.",
                           "That looks like an accuracy; the question asks for the epoch at "
                           "which it was reached.")
        if not isinstance(epoch, (int, np.integer)) or isinstance(epoch, bool):
            return f"For the run that {name}, it returned {epoch!r}, not a whole epoch number."
        if not 1 <= epoch <= len(validation):
            if epoch == best - 1:
                return Mistake(f"For the run that {name}, it returned epoch {epoch}; its best "
                               f"validation epoch is {best} of {len(validation)}.",
                               "Keras numbers epochs from 1; a Python list counts its "
                               "positions from 0.")
            return (f"For the run that {name}, it returned {epoch}: its epochs are "
                    f"1–{len(validation)}.")
        chosen, noise = validation[epoch - 1], _noise(max(validation))
        if max(validation) - chosen <= noise:
            continue
        problem = (f"For the run that {name}, it chose epoch {epoch}: validation accuracy "
                   f"{chosen:.2f} there, {max(validation) - chosen:.2f} below the best "
                   f"({max(validation):.2f} at epoch {best}), more than the noise of "
                   f"{VALIDATION_PHOTOS} photos (±{noise:.2f}).")
        if epoch in (int(np.argmax(history["accuracy"])) + 1,
                     int(np.argmin(history["loss"])) + 1):
            return Mistake(problem, "That is where the training curves are best. A network "
                           "that memorises its photos keeps improving on them while it gets "
                           "worse on new ones: choose on photos it never trained on.")
        if epoch == best - 1:
            return Mistake(problem, "Keras numbers epochs from 1; a Python list counts its "
                           "positions from 0.")
        return problem
    return None
