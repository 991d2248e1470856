"""Exercises of notebook 10: fine-tuning on several devices."""

from __future__ import annotations

from . import behaviour

CLASSES = 3  # the checker's small classifier: 8 numbers in, 3 class probabilities out


def checker_strategy():
    """A MirroredStrategy over the first two logical devices (GPUs if any, else CPUs).

    In notebook 10 these are the two devices it set up; elsewhere (the test suite) there may
    be only one, and the strategy still mirrors every variable it creates.
    """
    import tensorflow as tf

    kind = "GPU" if tf.config.list_logical_devices("GPU") else "CPU"
    return tf.distribute.MirroredStrategy(
        [device.name for device in tf.config.list_logical_devices(kind)][:2])


def _devices(strategy) -> str:
    names = [name.rsplit("device:", 1)[-1] for name in strategy.extended.worker_devices]
    return f"{len(names)} device{'s' if len(names) > 1 else ''} ({', '.join(names)})"


@behaviour("10.build_replicated",
           "Write build_replicated(strategy, build): return the model that build() makes (a "
           "compiled Keras model), with every variable mirrored on the strategy's devices, so "
           "that fit splits each batch between them.",
           "A variable stays on the device where it was created: look at where this notebook's "
           "fine_tune creates its model, and create it there, under the strategy you were given "
           "(not a new one), by calling build() once.")
def build_replicated_behaves(build_replicated) -> str | None:
    import keras
    import numpy as np

    if keras.backend.backend() != "tensorflow":
        return ("tf.distribute needs the TensorFlow backend: start Jupyter with "
                "KERAS_BACKEND=tensorflow.")
    import tensorflow as tf

    built = []

    def build():
        inputs = keras.Input((8,))
        x = keras.layers.Dense(16, activation="relu")(inputs)
        x = keras.layers.BatchNormalization()(x)
        model = keras.Model(inputs, keras.layers.Dense(CLASSES, activation="softmax")(x))
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss="sparse_categorical_crossentropy")
        built.append(model)
        return model

    strategy = checker_strategy()
    model = build_replicated(strategy, build)
    if isinstance(model, tf.distribute.DistributedValues):
        return ("It returned one model per device (strategy.run calls build on every "
                "replica): data parallelism builds one model whose variables are mirrored, "
                "and fit splits the batches.")
    if model is build:
        return "It returned build itself, a function, not the model that calling it makes."
    if not isinstance(model, keras.Model):
        return f"It returned {model!r}, not the model build() makes."
    if not any(model is made for made in built):
        return "It returned a model that build() did not make."
    variables = list(model.variables) + list(model.optimizer.variables)
    outside = [variable for variable in variables
               if not strategy.extended.variable_created_in_scope(variable.value)]
    if outside:
        other = model.distribute_strategy  # the strategy whose scope the model was built in
        if other is not tf.distribute.get_strategy():  # the default one: built in no scope
            return (f"It built the model in the scope of another strategy (one it made "
                    f"itself?), on {_devices(other)}, not in the scope of the strategy it was "
                    f"given, on {_devices(strategy)}.")
        device = outside[0].value.device.rsplit("device:", 1)[-1]
        return (f"It built the model outside strategy.scope(): {len(outside)} of its "
                f"{len(variables)} variables live on one device only ({device}), not mirrored "
                f"on the strategy's {_devices(strategy)}, so fit would not split the batches.")
    inputs = np.random.default_rng(0).normal(size=(10, 8)).astype("float32")
    shape = tuple(model.predict(inputs, verbose=0).shape)
    if shape != (10, CLASSES):
        return (f"For 10 inputs its model predicts an array of shape {shape}, not (10, "
                f"{CLASSES}): return build()'s model unchanged.")
    return None
