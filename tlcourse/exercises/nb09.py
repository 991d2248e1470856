"""Exercises of notebook 09: your own images."""

from __future__ import annotations

from pathlib import Path

from . import Mistake, behaviour, exercise

FOLDERS = ["apple", "Zebra", "mango", ".cache"]
# The checker's folder for 09.dataset_from_directory: class → number of photos.
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
           "Read the defaults of image_dataset_from_directory: each one that is not what the "
           "question asks for must be changed, and nothing else.")
def dataset_from_directory_behaves(load) -> str | Mistake | None:
    import tempfile

    import numpy as np

    from ..imagefolder import load_image_folder

    size = 32
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_photo_folder(Path(temporary) / "photos")
        data, report = load_image_folder(folder, image_size=size)
        dataset = load(folder, size)
        if isinstance(dataset, (tuple, list)):
            return Mistake(f"It returned {len(dataset)} objects, not one dataset of the whole "
                           "folder.", "This notebook's loader makes the validation split itself: "
                           "ask Keras for every photo of the folder, in one dataset.")
        first, problem = _yielded(dataset)
        if problem:
            return problem
        second, _ = _yielded(dataset)
    if not first or len(first[0]) != 2:
        return Mistake("Its elements are not (images, labels) pairs: it yields images alone.",
                       "A head learns from labels: ask for the labels Keras infers from the "
                       "subfolders.")
    if np.asarray(first[0][0]).ndim == 3:
        return Mistake("It yields one image at a time, not batches of them.",
                       "Features are computed a batch at a time: keep a batch size.")
    images = np.concatenate([np.asarray(batch[0]) for batch in first])
    labels = np.concatenate([np.asarray(batch[1]) for batch in first])
    if images.shape[1:3] == (size, size) and images.shape[3] != 3:
        return Mistake(f"Its images have {images.shape[3]} channel(s), not 3.",
                       "The backbone was trained on colour photos: ask for three channels, "
                       "whatever the files hold.")
    if images.shape[1:] != (size, size, 3):
        shape = " × ".join(map(str, images.shape[1:]))
        return Mistake(f"Asked for image_size={size}, its images are {shape}, not {size} × "
                       f"{size} × 3.", "Keras resizes every photo to the size it is given, and "
                       "to its own default size when it is given none.")
    if labels.ndim == 2 and labels.shape[1] == len(CLASS_SIZES):
        return Mistake("Its labels are one-hot rows; the course's models take one integer "
                       "class number per photo.", "sparse_categorical_crossentropy wants "
                       "integer labels: choose the label mode that gives them.")
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        return (f"Its labels are {labels.dtype} of shape {labels.shape}, not one integer class "
                "number per photo.")
    if images.max() <= 1.0:
        return Mistake("Its pixels go from 0 to 1, not 0–255.",
                       "Leave the pixels as Keras reads them: the model's first layer (the "
                       "backbone's own scaling) expects 0–255, so scaling them before it "
                       "squeezes every photo into a sliver of the range it was trained on.")
    class_names = list(data.class_names)
    names = getattr(dataset, "class_names", None)  # map, prefetch … return a dataset without
    if names is not None and list(names) != class_names:
        return Mistake(f"Its class_names are {list(names)}, not {class_names}.",
                       "Let Keras find the classes and their order: a list of names you give it "
                       "changes which label each class gets, and the notebook's loader would "
                       "disagree.")
    counts = np.bincount(labels, minlength=len(class_names)).tolist()
    if counts != list(report.kept.values()):
        return Mistake(f"It yields {len(labels)} photos, per class {counts}; the folder holds "
                       f"{sum(report.kept.values())}, per class {list(report.kept.values())}.",
                       "Keep every photo: a validation split here takes photos away from a "
                       "folder this notebook splits itself.")
    again = np.concatenate([np.asarray(batch[1]) for batch in second])
    if not np.array_equal(labels, again):
        return Mistake("Two passes over it came in different orders, so features computed in "
                       "one pass would not line up with labels read in another.",
                       "Keras shuffles by default, anew on every pass: ask for the folder's "
                       "fixed order.")
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
           "path, load that file back and return the model it gives.",
           "Compare what you saved, where, and what you returned with what the question asks.")
def export_behaves(export_and_reload) -> str | Mistake | None:
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
            return Mistake("It returned the model it was given, not the one loaded back from "
                           "the file.", "Returning the model in memory proves nothing about the "
                           "file: return what reading the file gives.")
        if not path.is_file():
            return Mistake(f"There is no file at {path}, the path it was given.",
                           "Save to exactly the path you were given: the caller looks for the "
                           "file there, and its .keras ending picks Keras' own format.")
        from_file = keras.models.load_model(path)
    if not any(isinstance(layer, keras.layers.Rescaling) for layer in _all_layers(from_file)):
        return Mistake("The saved model has no Rescaling layer: it expects photos already "
                       "scaled, so raw photos would get other answers.",
                       "Save the model you were given, whole: its first layer scales raw "
                       "photos, and a file without it classifies them differently.")
    for name, other in (("The model in the file", from_file), ("The returned model", reloaded)):
        largest = float(np.abs(other.predict(photos, verbose=0) - expected).max())
        if largest > 1e-6:
            return Mistake(f"{name} predicts other probabilities than the original for the "
                           f"same photos (largest difference {largest:.3g}).",
                           "The layers alone are not the model: save the trained model itself, "
                           "with its weights, not a rebuilt copy of its architecture.")
    return None


# Validation results of four folders: photos, both right, only the frozen base + head right,
# only the fine-tuned model right.
SCENARIO_COUNTS = {"pets, 42 photos": (42, 37, 1, 2), "x-rays, 120 photos": (120, 95, 3, 9),
                   "satellite, 500 photos": (500, 440, 2, 17),
                   "documents, 300 photos": (300, 240, 25, 5)}
CHOICES = ("frozen", "fine-tuned")


def scenarios() -> dict[str, tuple]:
    """Each folder's (frozen, fine_tuned) per-photo correctness on the same validation photos."""
    import numpy as np

    found = {}
    for name, (photos, both, only_frozen, only_fine_tuned) in SCENARIO_COUNTS.items():
        frozen, fine_tuned = np.zeros(photos, bool), np.zeros(photos, bool)
        frozen[:both + only_frozen] = fine_tuned[:both] = True
        fine_tuned[both + only_frozen:both + only_frozen + only_fine_tuned] = True
        order = np.random.default_rng(photos).permutation(photos)
        found[name] = (frozen[order], fine_tuned[order])
    return found


@behaviour("09.keep_or_not",
           "For each folder of tlcourse.exercises.nb09.scenarios() (its name → the frozen base + "
           "head's and the fine-tuned model's per-photo correctness on the same validation "
           "photos), decide which model this notebook's rule keeps: a dict from each name to "
           "'frozen' or 'fine-tuned'.",
           "The notebook keeps the fine-tuned model only when it is ahead beyond the noise of "
           "the photos both models were scored on.")
def keep_or_not_behaves(answer) -> str | Mistake | None:
    from ..stats import accuracy_interval, paired_comparison

    if not isinstance(answer, dict) or set(answer) != set(SCENARIO_COUNTS):
        return f"Give a dict with one choice for each of {list(SCENARIO_COUNTS)}."
    for name, (frozen, fine_tuned) in scenarios().items():
        choice = answer[name]
        if choice not in CHOICES:
            return f"{name}: {choice!r} is neither 'frozen' nor 'fine-tuned'."
        comparison = paired_comparison(fine_tuned, frozen)
        ahead = comparison.difference > 0 and not comparison.within_noise()
        if choice == ("fine-tuned" if ahead else "frozen"):
            continue
        points = f"{100 * abs(comparison.difference):.1f} points on {len(frozen)} photos"
        if choice == "fine-tuned" and comparison.difference < 0:
            return Mistake(f"{name}: you kept the fine-tuned model, which is behind by {points}.",
                           "Read the sign of the difference first: fine-tuning can lose photos "
                           "(unfrozen layers fitting the training photos, a rate too high).")
        if choice == "fine-tuned":
            return Mistake(f"{name}: you kept the fine-tuned model for a lead of {points}.",
                           "A higher accuracy on these photos is not yet a better model: on a "
                           "small validation split a lead of a few photos is what chance gives. "
                           "Ask whether the lead is beyond the noise of these photos.")
        if accuracy_interval(fine_tuned)[0] <= accuracy_interval(frozen)[1]:
            return Mistake(f"{name}: you kept the frozen model; the fine-tuned one is ahead by "
                           f"{points}, and the two intervals overlap.",
                           "Overlapping intervals do not settle it when both models were scored "
                           "on the same photos: what decides is on how many photos they "
                           "disagree, and which way.")
        return f"{name}: you kept the frozen model; the fine-tuned one is ahead by {points}."
    return None
