"""Exercises of notebook 03: pretrained networks as frozen feature extractors."""

from __future__ import annotations

from . import behaviour


@behaviour("03.extractor",
           "Write feature_extractor(): a Keras model that takes raw photos (224 × 224 × 3, "
           "pixels 0–255) and returns MobileNetV2 α 0.35's pooled ImageNet features "
           "(1,280 numbers per photo), with every weight frozen.",
           "keras.applications.MobileNetV2(alpha=0.35, include_top=False, pooling='avg'), "
           "frozen with trainable = False, behind the scaling its preprocess_input applies "
           "(pixels to [-1, 1]), all in one keras.Model from a keras.Input((224, 224, 3)).")
def extractor_behaves(feature_extractor) -> str | None:
    import numpy as np

    from ..backbones import build, get

    model = feature_extractor()
    if model.trainable_weights:
        return f"The model has {len(model.trainable_weights)} trainable weight tensors."
    photos = np.random.default_rng(0).integers(0, 256, (4, 224, 224, 3)).astype("float32")
    features = np.asarray(model.predict(photos, verbose=0))
    if features.shape != (4, 1280):
        return f"Four photos gave an output of shape {features.shape}, not (4, 1280)."
    spec = get("mobilenet_v2_0.35")
    expected = build("mobilenet_v2_0.35").predict(spec.preprocess(photos.copy()), verbose=0)
    if not np.allclose(features, expected, atol=1e-4):
        return ("The features differ from MobileNetV2 α 0.35's ImageNet features of the same "
                "photos (largest difference "
                f"{float(np.abs(features - expected).max()):.3g}).")
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


@behaviour("03.features_of_files",
           "Write features_of_files(extractor, paths, batch_size): the features of photos "
           "stored as files, read and encoded batch_size photos at a time (a folder too big for "
           "memory), in the order of paths. extractor takes raw 224 × 224 photos (pixels "
           "0–255), like your feature_extractor.",
           "Read one slice of paths at a time (keras.utils.load_img with a target_size, then "
           "keras.utils.img_to_array), give the stacked slice to the extractor, and join the "
           "slices' features in order.")
def features_of_files_behaves(features_of_files) -> str | None:
    import keras
    import numpy as np

    from ..backbones import build
    from ..datasets import cats_vs_dogs_folder, decode_images, split_files
    from ..models import preprocessing

    files = split_files("test")[0][::21]  # 24 photos, both classes
    paths = [cats_vs_dogs_folder() / name for name in files]
    inputs = keras.Input((224, 224, 3))
    model = keras.Model(inputs, build("mobilenet_v2_0.35")(preprocessing("mobilenet_v2_0.35")(inputs)))
    extractor = _CountingExtractor(model)
    features = np.asarray(features_of_files(extractor, paths, 8))
    if features.shape != (len(paths), 1280):
        return f"{len(paths)} photos gave an array of shape {features.shape}, not ({len(paths)}, 1280)."
    if not extractor.batch_sizes or max(extractor.batch_sizes) > 8:
        return (f"With batch_size 8 the extractor was given batches of {extractor.batch_sizes} "
                "photos: read and encode at most batch_size photos at a time.")
    expected = model.predict(decode_images(paths, 224), verbose=0)
    cosine = np.sum(features * expected, axis=1) / (
        np.linalg.norm(features, axis=1) * np.linalg.norm(expected, axis=1) + 1e-12)
    if np.median(cosine) < 0.9:
        return ("Your features point elsewhere than the extractor's features of the same photos "
                f"(median cosine {np.median(cosine):.2f}; resizing alone gives about 0.98): "
                "are they in the order of paths, resized to 224 px, and not scaled twice?")
    return None
