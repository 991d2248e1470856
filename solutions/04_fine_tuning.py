"""Solutions to the exercises of notebook 04 (run by tests/test_exercises.py)."""

import keras
import numpy as np

from tlcourse import backbones


def resnet_first_unfrozen():
    model = backbones.build("resnet50", weights=None)
    names = [layer.name for layer in model.layers]
    return names[names.index(backbones.get("resnet50").finetune_after) + 1]


def trainable_params():
    model = backbones.build("mobilenet_v2_0.35", weights=None)
    backbones.unfreeze_top(model, backbones.get("mobilenet_v2_0.35"))
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def batchnorm_above_boundary():
    model = backbones.build("mobilenet_v2_0.35", weights=None)
    boundary = backbones.first_trainable_layer(model, backbones.get("mobilenet_v2_0.35"))
    names = [layer.name for layer in model.layers]
    return sum(isinstance(layer, keras.layers.BatchNormalization)
               for layer in model.layers[names.index(boundary):])


ANSWERS = {"04.resnet_first_unfrozen": resnet_first_unfrozen,
           "04.trainable_params": trainable_params,
           "04.batchnorm_above_boundary": batchnorm_above_boundary}


def unfreeze(base, from_layer):
    """Trainable from ``from_layer`` on, BatchNormalization excepted; frozen before."""
    base.trainable = True
    reached = False
    for layer in base.layers:
        reached = reached or layer.name == from_layer
        layer.trainable = reached and not isinstance(layer, keras.layers.BatchNormalization)


ANSWERS["04.unfreeze"] = lambda: unfreeze
