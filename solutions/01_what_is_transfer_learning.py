"""Solutions to the exercises of notebook 01 (run by tests/test_exercises.py)."""

import functools

import keras
import numpy as np

from tlcourse import imagenet


@functools.cache
def mobilenet():
    """MobileNet α 0.25 at 128 px with its ImageNet classifier (loaded once)."""
    return keras.applications.MobileNet(alpha=0.25, input_shape=(128, 128, 3),
                                        weights="imagenet")


def classify(image):
    batch = keras.ops.image.resize(image[np.newaxis].astype("float32"), (128, 128))
    batch = keras.applications.mobilenet.preprocess_input(np.array(batch))
    probabilities = mobilenet().predict(batch, verbose=0)[0]
    # keras.applications.mobilenet.decode_predictions(probabilities[np.newaxis], top=5) gives
    # the same names but downloads imagenet_class_index.json; tlcourse.imagenet reads the copy
    # `python -m tlcourse fetch` stores, and works offline.
    return [(name, probability)
            for _, name, probability in imagenet.top_predictions(probabilities, k=5)]


def kind_of_transfer(model):
    pretrained = model.layers[0]
    return "fine-tuning" if pretrained.trainable_weights else "feature extraction"


def stopping_epoch(history):
    # The weights after the epoch with the lowest loss on the validation photos (epochs count
    # from 1); the training loss keeps falling while the network memorises.
    return int(np.argmin(history["val_loss"])) + 1


def vgg_vs_mobilenet():
    vgg = keras.applications.VGG16(weights=None, include_top=True)
    mobile = keras.applications.MobileNetV2(alpha=0.35, weights=None, include_top=True)
    return round(vgg.count_params() / mobile.count_params())


ANSWERS = {"01.classify": lambda: classify, "01.kind_of_transfer": lambda: kind_of_transfer,
           "01.stopping_epoch": lambda: stopping_epoch, "01.vgg_vs_mobilenet": vgg_vs_mobilenet}
