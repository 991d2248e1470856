"""Exercises of notebook 10: fine-tuning on several devices."""

from __future__ import annotations

import math

from . import Mistake, behaviour

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
           "A variable stays where it was created: look at where this notebook's fine_tune "
           "creates its model.")
def build_replicated_behaves(build_replicated) -> str | Mistake | None:
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
        return Mistake("It returned one model per device (strategy.run calls build on every "
                       "replica).",
                       "Data parallelism builds one model whose variables are mirrored; fit "
                       "then runs each step on every replica by itself.")
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
            return Mistake(f"It built the model in the scope of another strategy (one it made "
                           f"itself?), on {_devices(other)}, not in the scope of the strategy "
                           f"it was given, on {_devices(strategy)}.",
                           "fit uses the strategy whose scope created the variables: use the "
                           "one the checker passes in.")
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


TUNED_BATCH, TUNED_RATE, GPUS, PER_GPU = 32, 1e-4, 4, 32  # the situation 10.scale_up describes


@behaviour("10.scale_up",
           "The fine-tuning runs with a global batch of 32 at learning rate 1e-4, tuned on one "
           "device. On 4 GPUs with room for 32 photos each, choose answer = {'global_batch': ..., "
           "'learning_rate': ...} so that every GPU is fully used and the model learns as it "
           "did on one device.",
           "Work out two things in turn: how many photos each GPU receives from one global "
           "batch, and how many photos one update of the weights now averages over.")
def scale_up_behaves(answer) -> str | Mistake | None:
    if not isinstance(answer, dict) or set(answer) != {"global_batch", "learning_rate"}:
        return (f"It is {answer!r}: answer with a dict of two entries, 'global_batch' and "
                f"'learning_rate'.")
    batch, rate = answer["global_batch"], answer["learning_rate"]
    if not isinstance(batch, int) or not isinstance(rate, (int, float)) or rate <= 0:
        return (f"global_batch must be a whole number of photos and learning_rate a positive "
                f"number, not {batch!r} and {rate!r}.")
    if batch < GPUS * PER_GPU:
        return Mistake(
            f"With a global batch of {batch}, each of the {GPUS} GPUs receives {batch / GPUS:g} "
            f"photos per step, not the {PER_GPU} it has room for.",
            "MirroredStrategy splits the global batch between the devices: the batch the "
            "pipeline makes is what all the GPUs share, not what one of them receives.")
    if batch > GPUS * PER_GPU:
        return Mistake(
            f"With a global batch of {batch}, each GPU would receive {batch / GPUS:g} photos per "
            f"step, more than the {PER_GPU} it has memory for.",
            "The strategy divides the global batch by the number of devices: count what one "
            "GPU then holds.")
    scale = rate / TUNED_RATE
    factor = batch / TUNED_BATCH
    if math.isclose(scale, 1, rel_tol=0.05):
        return Mistake(
            f"The batch grows {factor:g} times but the learning rate stays at {TUNED_RATE:g}: "
            f"each update averages {factor:g} times as many gradients, and an epoch has "
            f"{factor:g} times fewer updates, so the model moves less per epoch than it did on "
            f"one device.",
            "The notebook names a rule (Goyal et al. 2017) for the learning rate when the "
            "global batch grows: reread the data-parallelism paragraph.")
    if math.isclose(scale, factor, rel_tol=0.05):
        return None
    return Mistake(
        f"The batch grows {factor:g} times and the learning rate {scale:g} times.",
        "The linear scaling rule keeps the ratio of learning rate to global batch size: "
        "by what factor did the global batch change?")
