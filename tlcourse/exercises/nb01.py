"""Exercises of notebook 01: what transfer learning is."""

from __future__ import annotations

import functools

import numpy as np

from . import behaviour, exercise

# The photos classify() is tried on, and the ImageNet classes its top class must be among.
CLASSIFY_PHOTOS = {
    "coffee": (504, 967, 968),  # coffee mug, espresso, cup
    "chelsea": tuple(range(281, 288)),  # ImageNet's cat classes: Chelsea is a tabby cat
}
# Largest difference in a top-5 probability that another resize method may cause (measured:
# bilinear with antialiasing, Pillow and nearest neighbour stay within 0.07 of Keras' bilinear
# resize; a missing preprocess_input moves them by 0.19 to 0.60).
CLASSIFY_TOLERANCE = 0.1


@functools.cache
def _imagenet_probabilities() -> np.ndarray:
    """The 1,000 ImageNet probabilities MobileNet α 0.25 (128 px) gives each checked photo."""
    import keras
    import skimage.data

    from ..backbones import build, get

    model = build("mobilenet_0.25", include_top=True, image_size=128)
    batch = np.stack([np.array(keras.ops.image.resize(
        getattr(skimage.data, name)().astype("float32"), (128, 128))) for name in CLASSIFY_PHOTOS])
    return np.asarray(model(get("mobilenet_0.25").preprocess(batch), training=False))


def _rounded(values) -> list[float]:
    return [round(float(value), 3) for value in values]


@behaviour("01.classify",
           "Write classify(image): for one RGB photo of any size (height × width × 3, uint8), "
           "the 5 most probable ImageNet classes as a list of (class name, probability) pairs, "
           "most probable first, from the pretrained MobileNet α 0.25 (128 px) with its "
           "ImageNet classifier.",
           "Resize the whole photo to the network's 128 × 128 input, put it in a batch of one, "
           "scale it with keras.applications.mobilenet.preprocess_input, model.predict, then "
           "decode the 1,000 probabilities (mobilenet.decode_predictions, or "
           "tlcourse.imagenet.top_predictions offline) into (name, probability) pairs.")
def classify_behaves(classify) -> str | None:
    import skimage.data

    from ..imagenet import class_names

    names = class_names()  # None without imagenet_class_index.json: then only numbers count
    for (photo_name, accepted), probabilities in zip(CLASSIFY_PHOTOS.items(),
                                                     _imagenet_probabilities()):
        photo = getattr(skimage.data, photo_name)()
        try:
            top5 = classify(photo.copy())
        except Exception as error:  # the learner's code failed: say where and how
            first_line = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
            return (f"classify({photo_name}) raised {type(error).__name__} ({first_line}) on "
                    f"a photo of {photo.shape[0]} × {photo.shape[1]} px.")
        if (isinstance(top5, (str, bytes)) or not hasattr(top5, "__len__") or len(top5) != 5
                or not all(len(pair) == 2 and isinstance(pair[0], str)
                           and isinstance(pair[1], (float, int, np.floating)) for pair in top5)):
            return (f"classify({photo_name}) returned {str(top5)[:120]}, not a list of 5 "
                    "(class name, probability) pairs.")
        given = np.array([float(probability) for _, probability in top5])
        if np.any(np.diff(given) > 0):
            return (f"For {photo_name} the probabilities {_rounded(given)} are not "
                    "in decreasing order: the most probable class comes first.")
        order = np.argsort(probabilities)[::-1][:5]
        expected = probabilities[order]
        difference = float(np.abs(given - expected).max())
        if difference > CLASSIFY_TOLERANCE:
            return (f"For {photo_name} your top-5 probabilities {_rounded(given)} "
                    "differ from the pretrained network's "
                    f"{_rounded(expected)} (by up to {difference:.2f}): was the "
                    "whole photo resized to 128 × 128 and scaled with preprocess_input?")
        if names is None:
            continue
        if top5[0][0] not in {names[i] for i in accepted}:
            return (f"For {photo_name} your top class is '{top5[0][0]}'; the network's is "
                    f"'{names[order[0]]}'.")
        for name, probability in top5:
            if name not in names:
                return f"For {photo_name} '{name}' is not an ImageNet class name."
            true = float(probabilities[names.index(name)])
            if abs(true - float(probability)) > CLASSIFY_TOLERANCE:
                return (f"For {photo_name} you give '{name}' probability {float(probability):.3f}; "
                        f"the network gives it {true:.3f}: is each name paired with its own "
                        "probability?")
    return None


# What training does to the pretrained part of each model kind_of_transfer() is shown.
_TRANSFER_CASES = (
    ("a MobileNetV2 frozen with base.trainable = False, under a new Dense head",
     "image", "frozen base"),
    ("a MobileNetV2 with base.trainable = True, under a new Dense head",
     "image", "all trainable"),
    ("a text model whose pretrained Embedding has trainable=False", "text", False),
    ("a text model whose pretrained Embedding has trainable=True", "text", True),
    ("a MobileNetV2 whose layers from block_14 on are trainable and the rest frozen",
     "image", "top unfrozen"),
    ("a MobileNetV2 whose every layer was frozen one by one (base.trainable itself is still "
     "True)", "image", "every layer frozen"),
)
TRANSFER_KINDS = ("feature extraction", "fine-tuning")


def _image_model():
    import keras

    base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None,
                                          include_top=False, pooling="avg")
    return keras.Sequential([keras.Input((32, 32, 3)), base,
                             keras.layers.Dense(2, activation="softmax")])


def _set_state(model, state: str) -> None:
    """Freeze the MobileNetV2 inside ``model`` as ``state`` says."""
    base = model.layers[0]
    base.trainable = state != "frozen base"
    if state == "top unfrozen":
        boundary = [layer.name for layer in base.layers].index("block_14_expand")
        for number, layer in enumerate(base.layers):
            layer.trainable = number >= boundary
    elif state == "every layer frozen":
        for layer in base.layers:
            layer.trainable = False


def _text_model(trainable: bool):
    import keras
    import numpy as np

    vectors = np.random.default_rng(0).normal(size=(500, 16)).astype("float32")
    return keras.Sequential([
        keras.Input((20,), dtype="int32"),
        keras.layers.Embedding(500, 16, embeddings_initializer=keras.initializers.Constant(vectors),
                               trainable=trainable),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])


@behaviour("01.kind_of_transfer",
           "Write kind_of_transfer(model): for a model whose first layer (model.layers[0]) is a "
           "pretrained network or embedding, return 'feature extraction' when training the "
           "model would leave that pretrained part unchanged, 'fine-tuning' when training "
           "would update some of its weights.",
           "model.fit updates only the weights Keras lists as trainable, and a frozen flag can "
           "sit on the model, on the pretrained layer as a whole or on each of the layers "
           "inside it.")
def kind_of_transfer_behaves(kind_of_transfer) -> str | None:
    image_model = None
    for description, kind, state in _TRANSFER_CASES:
        if kind == "image":
            if image_model is None:
                image_model = _image_model()
            model = image_model
            _set_state(model, state)
        else:
            model = _text_model(state)
        expected = TRANSFER_KINDS[bool(model.layers[0].trainable_weights)]
        answer = kind_of_transfer(model)
        if not isinstance(answer, str) or answer.strip().lower() not in TRANSFER_KINDS:
            return (f"For {description}, kind_of_transfer returned {answer!r}, neither "
                    "'feature extraction' nor 'fine-tuning'.")
        if answer.strip().lower() != expected:
            effect = ("training would not change a single pretrained weight"
                      if expected == TRANSFER_KINDS[0] else "training would update its weights")
            return (f"For {description}, your function says '{answer.strip()}', but {effect}.")
    return None


@exercise("01.vgg_vs_mobilenet",
          "How many times more parameters does VGG16 have than MobileNetV2 alpha 0.35, both "
          "with their ImageNet classifier? Round to the nearest integer.",
          "Build both with keras.applications (weights=None is enough to count parameters, "
          "include_top=True keeps the classifier) and compare their count_params().")
def vgg_vs_mobilenet() -> int:
    from ..backbones import build

    vgg = build("vgg16", weights=None, include_top=True).count_params()
    mobile = build("mobilenet_v2_0.35", weights=None, include_top=True).count_params()
    return round(vgg / mobile)
