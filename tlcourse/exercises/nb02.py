"""Exercises of notebook 02: a CNN from scratch overfits."""

from __future__ import annotations

from . import behaviour

# The two input sizes a model is built at: the cpu profile's and the article's.
SIZES = (64, 150)
# The short training run of 02.gap: 120 training photos, 6 epochs, 125 validation photos.
# Over seeds 0-2 the Flatten CNN ends 0.28-0.32 more accurate on its training photos than on
# validation, the GAP CNN -0.03 to +0.03; both train in about 17 s on two CPU cores.
GAP_RUN = {"per_class": 60, "epochs": 6, "batch_size": 12, "validation_step": 4}


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
    import numpy as np

    models = {}
    for size in SIZES:
        model = build(size)
        if not isinstance(model, keras.Model):
            return f"{name}({size}) returned {type(model).__name__}, not a Keras model."
        if tuple(model.input_shape[1:]) != (size, size, 3):
            return (f"{name}({size}) takes inputs of shape {tuple(model.input_shape[1:])}, "
                    f"not ({size}, {size}, 3).")
        models[size] = model
    counts = [models[size].count_params() for size in SIZES]
    if pooling == "gap" and counts[0] != counts[1]:
        return (f"Your model has {counts[0]:,} parameters at {SIZES[0]} px and {counts[1]:,} at "
                f"{SIZES[1]} px: with global average pooling in Flatten's place the count must "
                "not depend on the image size.")
    reference = _reference(SIZES[0], pooling)
    if _kinds(models[SIZES[0]]) != _kinds(reference):
        return (f"Your model's layers are {', '.join(_kinds(models[SIZES[0]]))}; the spec's are "
                f"{', '.join(_kinds(reference))}.")
    for size, count in zip(SIZES, counts):
        expected = _reference(size, pooling)
        if count != expected.count_params():
            mine, spec = _layers(models[size]), _layers(expected)
            first = next(i for i, (a, b) in enumerate(zip(mine, spec))
                         if a.count_params() != b.count_params())
            suspects = ("its filters or kernel size"
                        if isinstance(spec[first], keras.layers.Conv2D)
                        else "its units, or the size of its input (the convolutions' padding)")
            return (f"At {size} px your model has {count:,} parameters, the spec gives "
                    f"{expected.count_params():,}: the first difference is layer {first + 1} "
                    f"({type(mine[first]).__name__}, {mine[first].count_params():,} parameters "
                    f"instead of {spec[first].count_params():,}): check {suspects}.")
    pairs = zip(_layers(models[SIZES[0]]), _layers(reference))
    for number, (mine, spec) in enumerate(pairs, 1):
        if hasattr(spec, "activation"):
            have, want = mine.activation.__name__, spec.activation.__name__
            if have != want:
                return (f"Layer {number} ({type(mine).__name__}) has activation '{have}'; the "
                        f"spec says '{want}'.")
        if isinstance(spec, keras.layers.Rescaling):
            low, high = (float(mine.scale) * v + float(mine.offset) for v in (0, 255))
            if not (np.isclose(low, 0) and np.isclose(high, 1)):
                return (f"The Rescaling layer maps pixels 0–255 to {low:.3g}–{high:.3g}; the spec "
                        "says 0–1.")
    # Same weights in the spec's model: the same photos must give the same outputs.
    model = models[SIZES[0]]
    reference.set_weights(model.get_weights())
    photos = np.random.default_rng(0).integers(0, 256, (4, SIZES[0], SIZES[0], 3))
    photos = photos.astype("float32")
    outputs = np.asarray(model.predict(photos, verbose=0))
    if outputs.shape != (4, 1):
        return (f"Four photos gave an output of shape {outputs.shape}, not (4, 1): one "
                "probability each.")
    if not np.allclose(outputs, reference.predict(photos, verbose=0), atol=1e-5):
        return ("With the same weights, the spec's model gives other outputs for the same photos: "
                "are the layers connected in the spec's order?")
    return None


@behaviour("02.build_cnn",
           "Write build_cnn(image_size): the scratch CNN of the spec in the notebook, for "
           "square photos of image_size pixels (pixels 0–255 in, one 'dog' probability out).",
           "Rebuild it from keras.Input, layers.Rescaling, layers.Conv2D, layers.MaxPooling2D, "
           "layers.Flatten and layers.Dense, reading the spec line by line: each Conv2D's "
           "filters, kernel size and activation (padding left at Keras' default), each Dense "
           "layer's units and activation.")
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
    import numpy as np

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
