"""Exercises of notebook 04: fine-tuning."""

from __future__ import annotations

from . import exercise


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
