"""Exercises of notebook 03: pretrained networks as frozen feature extractors."""

from __future__ import annotations

from . import Mistake, behaviour

NAME = "mobilenet_v2_0.35"


@behaviour("03.extractor",
           "Write feature_extractor(): a Keras model that takes raw photos (224 × 224 × 3, "
           "pixels 0–255) and returns MobileNetV2 α 0.35's pooled ImageNet features "
           "(1,280 numbers per photo), with every weight frozen.",
           "Compare your model with the notebook's `base` on the same photos: the same "
           "network (MobileNetV2, α 0.35, ImageNet weights), the same input scaling as its "
           "preprocess_input, the same pooling?")
def extractor_behaves(feature_extractor) -> str | Mistake | None:
    import numpy as np

    from ..backbones import build, get

    model = feature_extractor()
    photos = np.random.default_rng(0).integers(0, 256, (4, 224, 224, 3)).astype("float32")
    features = np.asarray(model.predict(photos, verbose=0))
    if features.shape == (4, 7, 7, 1280):
        return Mistake("Four photos gave an output of shape (4, 7, 7, 1280): a 7 × 7 grid of "
                       "features per photo, not one vector.",
                       "One photo's features are one vector: the last feature map has to be "
                       "pooled over its 7 × 7 positions, as the notebook's `base` does.")
    if features.shape == (4, 1000):
        return Mistake("Four photos gave 1,000 numbers each: ImageNet's class probabilities.",
                       "A feature extractor stops before ImageNet's classifier: the network's "
                       "1,000-class top must not be part of it.")
    if features.shape != (4, 1280):
        return f"Four photos gave an output of shape {features.shape}, not (4, 1280)."
    feature_map = build(NAME, pooling=None)
    scaled = get(NAME).preprocess(photos.copy())
    known = {  # what a mistaken model computes → the mistake
        "right": feature_map.predict(scaled, verbose=0).mean(axis=(1, 2)),
        "unscaled": feature_map.predict(photos, verbose=0).mean(axis=(1, 2)),
        "/255": feature_map.predict(photos / 255, verbose=0).mean(axis=(1, 2)),
        "max": feature_map.predict(scaled, verbose=0).max(axis=(1, 2)),
    }
    found = next((k for k, v in known.items() if np.allclose(features, v, atol=1e-4)), None)
    if found == "unscaled":
        return Mistake("Your features are those of the raw 0–255 pixels: the photos reach the "
                       "network without its preprocessing.",
                       "MobileNetV2 learned ImageNet from pixels scaled its own way: find what "
                       "its preprocess_input does to a pixel, and make that step part of your "
                       "model.")
    if found == "/255":
        return Mistake("Your features are those of pixels scaled to [0, 1] (divided by 255).",
                       "[0, 1] is the usual scaling for a network trained from scratch, not the "
                       "one MobileNetV2 was trained with: compare what its preprocess_input "
                       "makes of the pixels 0 and 255.")
    if found == "max":
        return Mistake("Your features are the maximum of the last feature map over its 7 × 7 "
                       "positions.",
                       "The course's features average the positions, as the notebook's `base` "
                       "was built to; a maximum keeps each feature's strongest position only.")
    if found is None:
        return ("The features differ from MobileNetV2 α 0.35's ImageNet features of the same "
                "photos (largest difference "
                f"{float(np.abs(features - known['right']).max()):.3g}).")
    if model.trainable_weights:
        return Mistake(f"The features are right, but the model has {len(model.trainable_weights)} "
                       "trainable weight tensors.",
                       "A feature extractor keeps every weight as ImageNet left it, whatever is "
                       "trained on top: freeze the backbone as the notebook froze `base`, then "
                       "count your model's trainable weights again.")
    return None


class _CountingExtractor:
    """A feature extractor that records the size of every batch it is given."""

    def __init__(self, model):
        self.model, self.batch_sizes = model, []

    def _seen(self, photos):
        self.batch_sizes.append(len(photos))
        return photos

    def predict(self, photos, **kwargs):
        return self.model.predict(self._seen(photos), **{"verbose": 0, **kwargs})

    def predict_on_batch(self, photos):
        return self.model.predict_on_batch(self._seen(photos))

    def __call__(self, photos, **kwargs):
        return self.model(self._seen(photos), **kwargs)

    def __getattr__(self, name):
        return getattr(self.model, name)


def _cosines(a, b):
    """Cosine similarity of every row of ``a`` with every row of ``b``."""
    import numpy as np

    a = a / (np.linalg.norm(a, axis=1, keepdims=True) + 1e-12)
    return a @ (b / (np.linalg.norm(b, axis=1, keepdims=True) + 1e-12)).T


@behaviour("03.features_of_files",
           "Write features_of_files(extractor, paths, batch_size): the features of photos "
           "stored as files, read and encoded batch_size photos at a time (a folder too big for "
           "memory), in the order of paths. extractor takes raw 224 × 224 photos (pixels "
           "0–255), like your feature_extractor.",
           "Compare your features of the first few paths with the extractor's features of the "
           "same photos decoded one by one at 224 × 224: what differs?")
def features_of_files_behaves(features_of_files) -> str | Mistake | None:
    import keras
    import numpy as np

    from ..backbones import build, get
    from ..datasets import cats_vs_dogs_folder, decode_images, split_files
    from ..models import preprocessing

    files = split_files("test")[0][::21]  # 24 photos, both classes
    paths = [cats_vs_dogs_folder() / name for name in files]
    inputs = keras.Input((224, 224, 3))
    model = keras.Model(inputs, build(NAME)(preprocessing(NAME)(inputs)))
    extractor = _CountingExtractor(model)
    features = np.asarray(features_of_files(extractor, paths, 8))
    if features.shape != (len(paths), 1280):
        return f"{len(paths)} photos gave an array of shape {features.shape}, not ({len(paths)}, 1280)."
    if not extractor.batch_sizes or max(extractor.batch_sizes) > 8:
        return Mistake(f"With batch_size 8 the extractor was given batches of "
                       f"{extractor.batch_sizes} photos.",
                       "A folder too big for memory is never read whole: read, and encode, at "
                       "most batch_size files before moving on to the next ones.")
    photos = decode_images(paths, 224)
    cosine = _cosines(features, model.predict(photos, verbose=0))
    if np.median(np.diag(cosine)) >= 0.9:
        return None
    if np.median(cosine.max(axis=1)) >= 0.9:
        return Mistake("Your features are those of the right photos, but in another order than "
                       "paths.",
                       "Row i of the result belongs to paths[i]: follow how your batches are "
                       "cut from paths and put back together.")
    twice = _cosines(features, model.predict(get(NAME).preprocess(photos.astype("float32")),
                                             verbose=0))
    if np.median(np.diag(twice)) >= 0.9:
        return Mistake("Your features are those of photos scaled twice: the extractor already "
                       "applies MobileNetV2's preprocessing.",
                       "The extractor takes raw 0–255 pixels, as the files hold them: give it "
                       "the photos as they are read.")
    return ("Your features point elsewhere than the extractor's features of the same photos "
            f"(median cosine {np.median(np.diag(cosine)):.2f}; resizing alone gives about 0.98).")


# A backbone table like the notebook's: validation and test accuracy, extraction speed.
_TABLE = {"vgg16": (0.975, 0.972, 9), "resnet50": (0.988, 0.980, 18),
          "inception_v3": (0.984, 0.978, 22), "mobilenet_v2": (0.978, 0.986, 60),
          "mobilenet_v2_0.35": (0.970, 0.976, 140), "mobilenet_0.50": (0.962, 0.982, 200),
          "mobilenet_0.25": (0.957, 0.958, 300)}


def _milliseconds(row) -> float:
    return 1000 / row["photos_per_s"]


@behaviour("03.choose_backbone",
           "Write choose_backbone(table, max_ms_per_photo): given a table like the notebook's "
           "`table` (backbone → val_accuracy, test_accuracy, photos_per_s, …), the backbone "
           "to deploy when extracting one photo's features may take at most max_ms_per_photo "
           "milliseconds: the most accurate one that meets this budget, or None when none does.",
           "Of the backbones that meet the budget, which one does the evidence you are allowed "
           "to choose with rank first?")
def choose_backbone_behaves(choose_backbone) -> str | Mistake | None:
    table = {name: {"val_accuracy": val, "test_accuracy": test, "photos_per_s": speed}
             for name, (val, test, speed) in _TABLE.items()}
    for budget in (10, 50, 2):
        fast = [name for name, row in table.items() if _milliseconds(row) <= budget]
        right = max(fast, key=lambda name: table[name]["val_accuracy"], default=None)
        by_test = max(fast, key=lambda name: table[name]["test_accuracy"], default=None)
        choice = choose_backbone({name: dict(row) for name, row in table.items()}, budget)
        if choice == right:
            continue
        if choice is None:
            return Mistake(f"With a budget of {budget} ms per photo you chose none, but "
                           f"{', '.join(fast)} meet it.",
                           "A backbone meets the budget when one photo takes at most "
                           "max_ms_per_photo milliseconds; photos_per_s says how many photos "
                           "fit in one second.")
        if choice not in table:
            return f"With a budget of {budget} ms per photo you returned {choice!r}, not a name of the table."
        ms = _milliseconds(table[choice])
        if ms > budget:
            return Mistake(f"With a budget of {budget} ms per photo you chose {choice}, which "
                           f"takes {ms:.0f} ms per photo.",
                           "The budget is a time per photo, the table gives photos per second: "
                           "turn one into the other before you compare, and leave out every "
                           "backbone over the budget.")
        if choice == by_test:
            return Mistake(f"With a budget of {budget} ms per photo you chose {choice}, the best "
                           f"on the test photos; on validation {right} is better.",
                           "The test split is touched once, for the headline number of a choice "
                           "already made: a choice made on it makes that number optimistic. "
                           "Choose on validation.")
        return Mistake(f"With a budget of {budget} ms per photo you chose {choice}, but {right} "
                       "also meets it and is more accurate on validation.",
                       "Meeting the budget is the condition, not the aim: among the backbones "
                       "that meet it, take the most accurate.")
    return None
