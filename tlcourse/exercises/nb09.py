"""Exercises of notebook 09: your own images."""

from __future__ import annotations

from pathlib import Path

from . import behaviour, exercise

FOLDERS = ["apple", "Zebra", "mango", ".cache"]
# The checker's folder for 08.dataset_from_directory: class → number of photos.
CLASS_SIZES = {"pears": 3, "Plums": 6, "figs": 4}


@exercise("09.class_order",
          "A folder has the subfolders of tlcourse.exercises.nb09.FOLDERS. Which class names do "
          "the course's loader and keras.utils.image_dataset_from_directory use, in label order "
          "(a list)?",
          "A hidden folder (its name starts with '.') is no class, and Python orders strings by "
          "character code, not as a dictionary does: look up where capital letters come.")
def class_order() -> list[str]:
    import tempfile

    from ..imagefolder import list_files

    with tempfile.TemporaryDirectory() as folder:
        for name in FOLDERS:
            (Path(folder) / name).mkdir()
        return list(list_files(Path(folder))[0])


def write_photo_folder(root: Path, sizes: dict[str, int] = CLASS_SIZES) -> Path:
    """A clean class-per-subfolder folder of smooth 40 × 48 JPEGs, one colour per class."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    rows, columns = np.mgrid[0:40, 0:48]
    for index, (name, count) in enumerate(sizes.items()):
        (root / name).mkdir(parents=True)
        for number in range(count):
            pixels = np.stack([rows * 2.0, columns * 2.0, np.full((40, 48), 60.0)], axis=-1)
            pixels[..., index] += 100 + rng.integers(0, 40)
            Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(
                root / name / f"photo_{number:02d}.jpg", quality=95)
    return root


def _yielded(dataset) -> tuple[list, str | None]:
    """Every element of one pass over ``dataset``, or the reason it cannot be read as one."""
    try:
        return [tuple(element) if isinstance(element, (tuple, list)) else (element,)
                for element in dataset], None
    except TypeError:
        return [], (f"It returned a {type(dataset).__name__}, not the dataset "
                    "image_dataset_from_directory gives.")


@behaviour("09.dataset_from_directory",
           "Write load(folder, image_size): the folder's photos as a dataset from "
           "keras.utils.image_dataset_from_directory: square images of image_size pixels "
           "(0–255) in batches, integer labels, the same order on every pass.",
           "Look up image_dataset_from_directory's arguments and their defaults (label_mode, "
           "image_size, batch_size, shuffle): keep every photo of the folder, and remember that "
           "its features are computed in one pass and its labels read in another.")
def dataset_from_directory_behaves(load) -> str | None:
    import tempfile

    import numpy as np

    from ..imagefolder import load_image_folder

    size = 32
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_photo_folder(Path(temporary) / "photos")
        data, report = load_image_folder(folder, image_size=size)
        dataset = load(folder, size)
        if isinstance(dataset, (tuple, list)):
            return (f"It returned {len(dataset)} objects, not one dataset of the whole folder "
                    "(a validation split is not this loader's job).")
        first, problem = _yielded(dataset)
        if problem:
            return problem
        second, _ = _yielded(dataset)
    if not first or len(first[0]) != 2:
        return ("Its elements are not (images, labels) pairs: with label_mode=None it yields "
                "images alone.")
    if np.asarray(first[0][0]).ndim == 3:
        return "It yields one image at a time, not batches of them (batch_size=None)."
    images = np.concatenate([np.asarray(batch[0]) for batch in first])
    labels = np.concatenate([np.asarray(batch[1]) for batch in first])
    if images.shape[1:] != (size, size, 3):
        shape = " × ".join(map(str, images.shape[1:]))
        return f"Asked for image_size={size}, its images are {shape}, not {size} × {size} × 3."
    if labels.ndim == 2 and labels.shape[1] == len(CLASS_SIZES):
        return ("Its labels are one-hot rows (label_mode='categorical'); the course's models "
                "take integer labels (sparse_categorical_crossentropy).")
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        return (f"Its labels are {labels.dtype} of shape {labels.shape}, not one integer class "
                "number per photo.")
    if images.max() <= 1.0:
        return ("Its pixels go from 0 to 1; the models take 0–255 photos and scale them in "
                "their own first layer, as in this notebook.")
    class_names = list(data.class_names)
    names = getattr(dataset, "class_names", None)  # map, prefetch … return a dataset without
    if names is not None and list(names) != class_names:
        return (f"Its class_names are {list(names)}; the folder's classes, in the order both "
                f"loaders give them labels, are {class_names}.")
    counts = np.bincount(labels, minlength=len(class_names)).tolist()
    if counts != list(report.kept.values()):
        return (f"It yields {len(labels)} photos, per class {counts}; the folder holds "
                f"{sum(report.kept.values())}, per class {list(report.kept.values())}.")
    again = np.concatenate([np.asarray(batch[1]) for batch in second])
    if not np.array_equal(labels, again):
        return ("Two passes over it came in different orders (shuffle=True), so features "
                "computed in one pass would not line up with labels read in another.")
    # shuffle=False keeps the folder's order: class by class, files sorted by name.
    files = data.train.files + data.validation.files
    in_order = np.concatenate([data.train.labels, data.validation.labels])
    order = sorted(range(len(files)), key=lambda i: (in_order[i], files[i]))
    expected = np.concatenate([data.train.images, data.validation.images])[order]
    difference = float(np.abs(images.astype("float32") - expected).mean())
    if difference > 10:
        return (f"Its images differ from the folder's photos resized to {size} × {size} by "
                f"{difference:.0f} levels of 255 on average.")
    return None


def _all_layers(model):
    """Every layer of ``model``, those inside nested models included."""
    for layer in model.layers:
        yield layer
        yield from _all_layers(layer) if hasattr(layer, "layers") else ()


@behaviour("09.export",
           "Write export_and_reload(model, path): save the whole model to the .keras file at "
           "path, load it back with keras.models.load_model and return the reloaded model.",
           "Save the model you were given, whole (every layer, the preprocessing one included, "
           "not just its weights), to exactly the path you were given, and return what loading "
           "that file gives: a new model, not the one passed in.")
def export_behaves(export_and_reload) -> str | None:
    import tempfile

    import keras
    import numpy as np

    from ..models import preprocessing

    inputs = keras.Input((32, 32, 3))
    x = preprocessing("mobilenet_v2_0.35")(inputs)  # pixels 0–255 to [-1, 1], as in notebook 09
    x = keras.layers.Conv2D(4, 3, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x), name="photos")
    photos = np.random.default_rng(0).integers(0, 256, (8, 32, 32, 3)).astype("float32")
    expected = model.predict(photos, verbose=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "my_classifier.keras"
        reloaded = export_and_reload(model, path)
        if not isinstance(reloaded, keras.Model):
            return f"It returned {reloaded!r}, not the reloaded model."
        if reloaded is model:
            return "It returned the model it was given, not the one loaded back from the file."
        if not path.is_file():
            return f"There is no file at {path}, the path it was given."
        from_file = keras.models.load_model(path)
    if not any(isinstance(layer, keras.layers.Rescaling) for layer in _all_layers(from_file)):
        return ("The saved model has no Rescaling layer: it expects photos already scaled, "
                "so raw photos would get other answers.")
    for name, other in (("The model in the file", from_file), ("The returned model", reloaded)):
        largest = float(np.abs(other.predict(photos, verbose=0) - expected).max())
        if largest > 1e-6:
            return (f"{name} predicts other probabilities than the original for the same "
                    f"photos (largest difference {largest:.3g}).")
    return None
