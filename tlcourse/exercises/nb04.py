"""Exercises of notebook 04: fine-tuning."""

from __future__ import annotations

from . import behaviour, exercise


@exercise("04.resnet_first_unfrozen",
          "Fine-tuning ResNet50 from the registry's boundary: what is the name of the first "
          "layer that becomes trainable?",
          "Build tlcourse.backbones.build('resnet50', weights=None) and find the layer right "
          "after backbones.get('resnet50').finetune_after in model.layers.")
def resnet_first_unfrozen() -> str:
    from ..backbones import build, first_trainable_layer, get

    return first_trainable_layer(build("resnet50", weights=None), get("resnet50"))


@exercise("04.trainable_params",
          "After unfreezing MobileNetV2 α 0.35 from its registry boundary with BatchNormalization "
          "kept frozen, how many parameters of the backbone are trainable?",
          "Use tlcourse.backbones.unfreeze_top(model, spec) on a weights=None build, then "
          "sum the sizes of model.trainable_weights (numpy.prod of each shape).")
def trainable_params() -> int:
    import numpy as np

    from ..backbones import build, get, unfreeze_top

    model = build("mobilenet_v2_0.35", weights=None)
    unfreeze_top(model, get("mobilenet_v2_0.35"))
    return int(sum(np.prod(weight.shape) for weight in model.trainable_weights))


@exercise("04.batchnorm_above_boundary",
          "How many BatchNormalization layers of MobileNetV2 α 0.35 lie above (after) the "
          "fine-tuning boundary?",
          "Count the layers after the boundary index for which "
          "isinstance(layer, keras.layers.BatchNormalization) is True.")
def batchnorm_above_boundary() -> int:
    import keras

    from ..backbones import build, get

    model = build("mobilenet_v2_0.35", weights=None)
    names = [layer.name for layer in model.layers]
    above = model.layers[names.index(get("mobilenet_v2_0.35").finetune_after) + 1:]
    return sum(isinstance(layer, keras.layers.BatchNormalization) for layer in above)


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
