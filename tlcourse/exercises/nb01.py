"""Exercises of notebook 01: what transfer learning is."""

from __future__ import annotations

import functools

import numpy as np

from . import Mistake, behaviour, exercise

# The photos classify() is tried on, and the ImageNet classes its top class must be among.
CLASSIFY_PHOTOS = {
    "coffee": (504, 967, 968),  # coffee mug, espresso, cup
    # Chelsea is a tabby, but the network's top class for her is lynx (287): the checker
    # compares with the network, so wild cats (286 cougar, 287 lynx) count as a top class here.
    "chelsea": tuple(range(281, 288)),
}
# Largest difference in a top-5 probability that another resize method may cause (measured:
# bilinear with antialiasing, Pillow and nearest neighbour stay within 0.07 of Keras' bilinear
# resize; a missing preprocess_input moves them by 0.19 to 0.60).
CLASSIFY_TOLERANCE = 0.1
# How close to the network fed unscaled pixels an answer must be to be diagnosed as such (the
# same resize gives the same numbers; an unresized photo misses them by more).
UNSCALED_TOLERANCE = 0.02


@functools.cache
def _imagenet_probabilities() -> np.ndarray:
    """The 1,000 ImageNet probabilities MobileNet α 0.25 (128 px) gives each checked photo."""
    import keras
    import skimage.data

    from ..backbones import build, get

    model = build("mobilenet_0.25", include_top=True, image_size=128)
    batch = np.stack([np.array(keras.ops.image.resize(
        getattr(skimage.data, name)().astype("float32"), (128, 128))) for name in CLASSIFY_PHOTOS])
    preprocess = get("mobilenet_0.25").preprocess  # scales its argument in place
    return np.stack([np.asarray(model(preprocess(batch.copy()), training=False)),
                     np.asarray(model(batch / 255.0, training=False)),
                     np.asarray(model(batch, training=False))])


UNSCALED = Mistake(
    "Its probabilities match the network fed pixels that were not scaled the way MobileNet's "
    "were in training.",
    "The network learned on pixels brought into one range by the preprocessing of its "
    "family; raw 0–255 pixels (or 0–1) are not what it saw.")


def _rounded(values) -> list[float]:
    return [round(float(value), 3) for value in values]


@behaviour("01.classify",
           "Write classify(image): for one RGB photo of any size (height × width × 3, uint8), "
           "the 5 most probable ImageNet classes as a list of (class name, probability) pairs, "
           "most probable first, from the pretrained MobileNet α 0.25 (128 px) with its "
           "ImageNet classifier.",
           "Compare each step with what the network saw in training: its input size, its pixel "
           "scaling, and then the order and pairing of what you return.")
def classify_behaves(classify) -> str | None:
    import skimage.data

    from ..imagenet import class_names

    names = class_names()  # None without imagenet_class_index.json: then only numbers count
    right, *unscaled = _imagenet_probabilities()
    for number, (photo_name, accepted) in enumerate(CLASSIFY_PHOTOS.items()):
        probabilities = right[number]
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
            problem = (f"classify({photo_name}) returned {str(top5)[:120]}, not a list of 5 "
                       "(class name, probability) pairs.")
            if hasattr(top5, "__len__") and len(top5) == 5 and all(
                    hasattr(item, "__len__") and len(item) == 3 for item in top5):
                return Mistake(problem, "Each item holds three values, as Keras' decoded "
                               "predictions do (class id, name, probability): return two.")
            return problem
        given = np.array([float(probability) for _, probability in top5])
        if np.any(np.diff(given) > 0):
            return Mistake(f"For {photo_name} the probabilities {_rounded(given)} are not "
                           "in decreasing order.",
                           "A plain sort puts the smallest first; the most probable class "
                           "comes first.")
        order = np.argsort(probabilities)[::-1][:5]
        expected = probabilities[order]
        difference = float(np.abs(given - expected).max())
        if difference > CLASSIFY_TOLERANCE:
            if any(np.abs(given - np.sort(wrong[number])[::-1][:5]).max() <= UNSCALED_TOLERANCE
                   for wrong in unscaled):
                return UNSCALED
            return (f"For {photo_name} your top-5 probabilities {_rounded(given)} "
                    "differ from the pretrained network's "
                    f"{_rounded(expected)} (by up to {difference:.2f}): was the "
                    "whole photo resized to 128 × 128, not cropped or left at its size?")
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
                return Mistake(
                    f"For {photo_name} you give '{name}' probability {float(probability):.3f}; "
                    f"the network gives it {true:.3f}: is each name paired with its own "
                    "probability?",
                    "Names and probabilities sorted or indexed separately lose their pairing: "
                    "take both from the same class id.")
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
            problem = f"For {description}, your function says '{answer.strip()}', but {effect}."
            if state in _FLAG_HINTS:
                return Mistake(problem, _FLAG_HINTS[state])
            return problem
    return None


# The cases where reading one flag instead of what training would update gives a wrong answer.
_FLAG_HINTS = {
    "frozen base": "The model as a whole is trainable: its new head is. The question is about "
                   "the pretrained part alone.",
    "every layer frozen": "A network's own trainable flag can stay True while each layer inside "
                          "it is frozen: ask what training would actually update.",
}


# Training histories stopping_epoch() is tried on: (what they show, Keras History.history).
# The noisy one comes first: there each wrong rule picks a different epoch.
STOPPING_CASES = (
    ("is best after epoch 5 of 10, with noise", {
        "loss": [0.70, 0.66, 0.60, 0.55, 0.50, 0.46, 0.41, 0.37, 0.33, 0.30],
        "accuracy": [0.50, 0.59, 0.66, 0.71, 0.75, 0.78, 0.81, 0.84, 0.86, 0.88],
        "val_loss": [0.69, 0.65, 0.63, 0.64, 0.59, 0.61, 0.60, 0.63, 0.64, 0.66],
        "val_accuracy": [0.52, 0.60, 0.64, 0.63, 0.70, 0.68, 0.69, 0.67, 0.67, 0.66]}),
    ("overfits after epoch 3 of 8", {
        "loss": [0.69, 0.60, 0.52, 0.43, 0.33, 0.24, 0.16, 0.10],
        "accuracy": [0.53, 0.67, 0.74, 0.80, 0.86, 0.91, 0.95, 0.97],
        "val_loss": [0.68, 0.62, 0.58, 0.60, 0.66, 0.74, 0.83, 0.95],
        "val_accuracy": [0.55, 0.66, 0.71, 0.70, 0.69, 0.68, 0.68, 0.67]}),
    ("is still improving after 6 epochs", {
        "loss": [0.69, 0.63, 0.58, 0.54, 0.51, 0.48],
        "accuracy": [0.52, 0.63, 0.69, 0.73, 0.76, 0.78],
        "val_loss": [0.69, 0.64, 0.60, 0.57, 0.55, 0.54],
        "val_accuracy": [0.51, 0.62, 0.67, 0.71, 0.73, 0.74]}),
)


@behaviour("01.stopping_epoch",
           "Write stopping_epoch(history): history is a Keras History.history dict (one value "
           "per epoch under 'loss', 'accuracy', 'val_loss' and 'val_accuracy'); return the "
           "epoch, counted from 1, whose weights you would keep.",
           "What would tell you the network has started memorising its training photos "
           "rather than learning what holds for new ones?")
def stopping_epoch_behaves(stopping_epoch) -> str | None:
    for description, history in STOPPING_CASES:
        chosen = stopping_epoch({name: list(values) for name, values in history.items()})
        if isinstance(chosen, (bool, np.bool_)) or not isinstance(chosen, (int, np.integer)):
            return (f"For a history that {description}, stopping_epoch returned {chosen!r}, "
                    "not an epoch number (an int).")
        best = int(np.argmin(history["val_loss"])) + 1  # here also where val_accuracy peaks
        if chosen == best:
            continue
        problem = (f"For a history that {description}, it chose epoch {chosen} of "
                   f"{len(history['loss'])}.")
        if chosen == best - 1:
            return Mistake(problem, "Keras counts epochs from 1; a Python list counts from 0.")
        if chosen in (int(np.argmin(history["loss"])) + 1, int(np.argmax(history["accuracy"])) + 1):
            return Mistake(problem + " That is where the network does best on its training "
                           "photos.", "Training loss keeps falling while a network memorises; "
                           "only photos it never trains on show when that starts.")
        if chosen == int(np.argmax(history["val_loss"])) + 1:
            return Mistake(problem + " That is where the validation loss is highest.",
                           "A lower loss is a better network.")
        return problem
    return None


@exercise("01.vgg_vs_mobilenet",
          "How many times more parameters does VGG16 have than MobileNetV2 alpha 0.35, both "
          "with their ImageNet classifier? Round to the nearest integer.",
          "Count every weight of each network, its 1,000-class classifier included (no "
          "pretrained weights are needed to count), and divide the larger count by the smaller.")
def vgg_vs_mobilenet() -> int:
    from ..backbones import build

    vgg = build("vgg16", weights=None, include_top=True).count_params()
    mobile = build("mobilenet_v2_0.35", weights=None, include_top=True).count_params()
    return round(vgg / mobile)
