import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest
from PIL import Image

from tlcourse import datasets, downloads, folders, settings
from conftest import REAL_DATA, real_data_or_skip, write_fake_photos


def labels_match_colours(split) -> bool:
    """Fake photos of label 0 are reddish, the others greenish: do the labels match the pixels?"""
    red_minus_green = split.images[..., 0].mean((1, 2)) - split.images[..., 1].mean((1, 2))
    return bool(((red_minus_green > 0) == (split.labels == 0)).all())


def test_cats_vs_dogs_from_data_home(fake_photos):
    data = datasets.cats_vs_dogs(image_size=32)
    assert data.train.images.shape == (12, 32, 32, 3)
    assert data.train.images.dtype == np.uint8
    assert data.validation.images.shape == (4, 32, 32, 3)
    assert data.test.images.shape == (4, 32, 32, 3)
    assert list(data.train.labels) == [0] * 6 + [1] * 6
    assert list(data.validation.labels) == list(data.test.labels) == [0, 0, 1, 1]
    assert not set(data.validation.files) & set(data.test.files)
    assert data.class_names == ("cats", "dogs")
    assert labels_match_colours(data.train)  # cats were drawn reddish, dogs greenish
    assert "train 12 [6, 6]" in repr(data)


def test_decoded_arrays_are_cached(fake_photos, monkeypatch):
    first = datasets.cats_vs_dogs(image_size=24)
    monkeypatch.setattr(datasets, "decode_images", lambda *a, **k: pytest.fail("decoded twice"))
    second = datasets.cats_vs_dogs(image_size=24)
    assert np.array_equal(first.train.images, second.train.images)
    assert len(list(folders.cache_dir("arrays").glob("*.npy"))) == 3  # train, validation, test


def _pillow_decode(path, size, resample="BILINEAR"):
    """The reference: a full-size decode with Pillow, converted to RGB and resized."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB").resize((size, size), getattr(Image, resample)))


def test_decode_image_gives_rgb_from_grey_and_transparent_files(tmp_path):
    from PIL import Image

    gradient = np.add.outer(np.arange(40), np.arange(50)).astype(np.uint8) * 2
    Image.fromarray(gradient).save(tmp_path / "grey.jpg", quality=95)
    alpha = np.full((40, 50), 255, dtype=np.uint8)
    Image.fromarray(np.dstack([gradient, 255 - gradient, gradient // 2, alpha])).save(
        tmp_path / "rgba.png")
    for name in ("grey.jpg", "rgba.png"):
        decoded = datasets.decode_image(tmp_path / name, 24)
        assert decoded.shape == (24, 24, 3) and decoded.dtype == np.uint8
        assert np.abs(decoded.astype(int) - _pillow_decode(tmp_path / name, 24)).mean() < 2
    grey = datasets.decode_image(tmp_path / "grey.jpg", 24)
    assert (grey[..., 0] == grey[..., 1]).all() and (grey[..., 1] == grey[..., 2]).all()


@pytest.mark.parametrize("suffix", [".jpg", ".png"])  # libjpeg-turbo's path and Pillow's
def test_unusable_files_raise_with_their_reason(tmp_path, monkeypatch, suffix):
    Image.new("RGB", (4, 4)).save(tmp_path / f"tiny{suffix}")
    Image.new("RGB", (64, 64)).save(tmp_path / f"large{suffix}")
    (tmp_path / f"empty{suffix}").write_bytes(b"")
    for name, reason in (("tiny", r"too small \(4×4 pixels\)"), ("empty", "empty file")):
        with pytest.raises(datasets.UnusableImage, match=f"{name}{suffix}: {reason}$"):
            datasets.decode_image(tmp_path / f"{name}{suffix}", 8)
    assert datasets.decode_image(tmp_path / f"large{suffix}", 8).shape == (8, 8, 3)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(datasets.UnusableImage, match=r"too large \(over 1,000 pixels\)$"):
        datasets.decode_image(tmp_path / f"large{suffix}", 8)


def test_small_photos_are_enlarged_bilinearly(tmp_path):
    from PIL import Image

    Image.fromarray(np.add.outer(np.arange(20), np.arange(30)).astype(np.uint8) * 4).save(
        tmp_path / "small.png")
    assert np.array_equal(datasets.decode_image(tmp_path / "small.png", 48),
                          _pillow_decode(tmp_path / "small.png", 48))


def test_a_jpeg_libjpeg_turbo_rejects_is_decoded_by_pillow(fake_photos, monkeypatch):
    rejected = []

    def reject(data, **kwargs):
        rejected.append(len(data))
        raise ValueError("unsupported JPEG")

    path = sorted(fake_photos.glob("train/*/*.jpg"))[0]
    monkeypatch.setattr(datasets.simplejpeg, "decode_jpeg", reject)
    decoded = datasets.decode_image(path, 24)
    assert rejected == [path.stat().st_size]
    assert np.array_equal(decoded, _pillow_decode(path, 24, "BOX"))  # shrunk: box filter


@pytest.mark.real_data
def test_dct_scaled_decoding_matches_a_full_decode_on_real_photos():
    real_data_or_skip()
    paths = sorted((REAL_DATA / "validation" / "dogs").glob("*.jpg"))[:20]
    ours = np.stack([datasets.decode_image(path, 224) for path in paths]).astype(int)
    reference = np.stack([_pillow_decode(path, 224) for path in paths]).astype(int)
    assert np.abs(ours - reference).mean() < 5  # of 255 levels (3.2 measured): filtering only


def test_decode_batches_match_decode_images(fake_photos):
    paths = sorted(fake_photos.glob("train/*/*.jpg"))
    batches = list(datasets.decode_batches(paths, 24, batch_size=5))
    assert [len(b) for b in batches] == [5, 5, 2]
    assert np.array_equal(np.concatenate(batches), datasets.decode_images(paths, 24))


def test_decode_batches_raise_on_a_broken_file_and_stop_cleanly(fake_photos, tmp_path):
    paths = sorted(fake_photos.glob("train/*/*.jpg"))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    with pytest.raises(datasets.UnusableImage, match="broken.jpg: not a readable image"):
        list(datasets.decode_batches(paths[:3] + [broken], 24, batch_size=2))
    threads = threading.active_count()
    first = next(iter(datasets.decode_batches(paths, 24, batch_size=1, ahead=1)))
    assert first.shape == (1, 24, 24, 3)
    assert threading.active_count() == threads  # the abandoned generator's workers have ended


def test_balanced_subset_is_seeded(fake_photos):
    a = datasets.cats_vs_dogs(image_size=16, per_class=3, seed=1)
    b = datasets.cats_vs_dogs(image_size=16, per_class=3, seed=1)
    c = datasets.cats_vs_dogs(image_size=16, per_class=3, seed=2)
    assert list(np.bincount(a.train.labels)) == [3, 3]
    assert a.train.files == b.train.files
    assert a.train.files != c.train.files
    assert a.train.content_id != c.train.content_id
    assert len(a.validation) == len(a.test) == 4


def test_subset_larger_than_class_is_refused(fake_photos):
    with pytest.raises(ValueError, match="has only 6"):
        datasets.cats_vs_dogs(image_size=16, per_class=7)


def test_corrupt_photo_is_reported_and_left_alone(fake_photos):
    victim = fake_photos / "train" / "dogs" / "dog.6.jpg"
    victim.write_bytes(b"not a jpeg")
    with pytest.raises(downloads.ChecksumError, match="1 corrupt") as error:
        datasets.cats_vs_dogs(image_size=16)
    assert "python -m tlcourse fetch" in str(error.value)
    assert victim.read_bytes() == b"not a jpeg"


def test_read_only_data_home_with_writable_cache(fake_photos, isolated):
    home = isolated / "data"
    for path in [home, *home.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        before = sorted(p.name for p in home.rglob("*"))
        data = datasets.cats_vs_dogs(image_size=16)
        assert len(data.train) == 12
        assert sorted(p.name for p in home.rglob("*")) == before
    finally:
        for path in [home, *home.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_missing_photos_offline_says_what_to_run(isolated, monkeypatch):
    def offline(remote, folder, **kwargs):
        raise downloads.AssetUnavailableError(
            downloads.offline_message(remote.filename, folder, "no network"))

    monkeypatch.setattr(downloads, "fetch", offline)
    with pytest.raises(downloads.AssetUnavailableError, match="python -m tlcourse fetch"):
        datasets.cats_vs_dogs(image_size=16)


@pytest.fixture
def served_archive(isolated, http_folder, monkeypatch):
    """A fake cats_and_dogs_filtered.zip served on localhost as the set's download URL."""
    served, url = http_folder
    staging = isolated / "staging" / datasets.CATS_VS_DOGS.root
    manifest = write_fake_photos(staging, {"train": 2, "validation": 1})
    monkeypatch.setattr(datasets, "read_manifest", lambda name=None: dict(manifest))
    shutil.make_archive(str(served / "cats_and_dogs_filtered"), "zip", staging.parent)
    remote = downloads.RemoteFile("cats_and_dogs_filtered.zip", url + "cats_and_dogs_filtered.zip")
    monkeypatch.setattr(datasets, "CATS_VS_DOGS",
                        dataclasses.replace(datasets.CATS_VS_DOGS, remote=remote))


def test_download_extracts_and_verifies(served_archive):
    folder = datasets.cats_vs_dogs_folder()
    assert folder == folders.data_home() / datasets.CATS_VS_DOGS.root
    assert not (folders.data_home() / "cats_and_dogs_filtered.zip").exists()
    assert len(datasets.cats_vs_dogs(image_size=16).train) == 4


def test_data_home_argument_downloads_there_instead_of_the_environment_home(served_archive,
                                                                           tmp_path):
    mine = tmp_path / "my_data"
    data = datasets.cats_vs_dogs(image_size=16, data_home=mine)
    assert len(data.train) == 4
    assert (mine / datasets.CATS_VS_DOGS.root).is_dir()
    assert not (folders.data_home() / datasets.CATS_VS_DOGS.root).exists()
    assert datasets.cats_vs_dogs_folder(download=False, data_home=mine) == \
        mine / datasets.CATS_VS_DOGS.root


def test_datasets_import_without_keras():
    code = ("import sys, tlcourse.datasets, tlcourse.imagefolder; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('keras', 'tensorflow', 'jax', 'torch')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_read_only_data_home_downloads_to_the_cache_and_finds_it_there(served_archive):
    home = folders.data_home()
    home.mkdir()
    home.chmod(0o555)
    try:
        folder = datasets.cats_vs_dogs_folder()
        assert folder == folders.cache_root() / "data" / datasets.CATS_VS_DOGS.root
        datasets._verified_folders.clear()
        assert datasets.cats_vs_dogs_folder(download=False) == folder
        assert list(home.iterdir()) == []
    finally:
        home.chmod(0o755)


@pytest.mark.real_data
def test_real_photos_match_the_shipped_manifest():
    real_data_or_skip()
    manifest = datasets.read_manifest()
    assert len(manifest) == 3000
    datasets.verify_folder(REAL_DATA, manifest)
    files, labels = datasets.split_files("train")
    assert len(files) == 2000 and labels.sum() == 1000
    assert files[0] == "train/cats/cat.0.jpg" and files[1] == "train/cats/cat.1.jpg"


@pytest.mark.parametrize("photo_set, sizes", [
    (datasets.CATS_VS_DOGS, {"train": 2000, "validation": 500, "test": 500}),
    (datasets.EUROSAT, {"train": 2000, "validation": 500, "test": 500}),
])
def test_splits_are_fixed_stratified_and_disjoint(photo_set, sizes):
    """From the shipped manifests alone: no photos needed."""
    chosen = {}
    for split, size in sizes.items():
        files, labels = datasets.split_files(split, photo_set)
        classes = len(photo_set.class_names)
        assert len(files) == size
        assert np.bincount(labels, minlength=classes).tolist() == [size // classes] * classes
        assert datasets.split_files(split, photo_set)[0] == files  # the same photos every call
        chosen[split] = set(files)
    assert not chosen["train"] & chosen["validation"]
    assert not chosen["train"] & chosen["test"]
    assert not chosen["validation"] & chosen["test"]
    assert set.union(*chosen.values()) == set(datasets.read_manifest(photo_set.root))


@pytest.mark.real_data
@pytest.mark.parametrize("load, photo_set", [(datasets.cats_vs_dogs, datasets.CATS_VS_DOGS),
                                             (datasets.eurosat, datasets.EUROSAT)],
                         ids=["cats_vs_dogs", "eurosat"])
def test_loaded_held_out_photos_are_not_training_photos(load, photo_set):
    """What the loader returns, by pixel content: a held-out split holding training photos
    would make every accuracy on it an overestimate that no file-name check sees."""
    real_data_or_skip()
    def contents(split):
        return {hashlib.sha256(image.tobytes()).digest() for image in split.images}

    data = load(image_size=32)  # at 8 px two uniform sea photos decode alike
    train, folder = contents(data.train), datasets.photo_folder(photo_set)
    for name in ("validation", "test"):
        held_out = getattr(data, name)
        assert held_out.files == datasets.split_files(name, photo_set)[0]
        assert not contents(held_out) & train, f"the loaded {name} split holds training photos"
        some = held_out.files[::97]
        decoded = datasets.decode_images([folder / f for f in some], data.image_size)
        assert np.array_equal(held_out.images[::97], decoded), f"{name}: images are not its files"


def test_held_out_split_does_not_depend_on_the_run_seed(monkeypatch):
    first = datasets.split_files("test", datasets.EUROSAT)[0]
    monkeypatch.setenv(settings.SEED_ENV, "2")
    np.random.seed(123)
    assert datasets.split_files("test", datasets.EUROSAT)[0] == first


def _write_fake_eurosat(root, classes=("AnnualCrop", "Forest"), per_class=6):
    """Tiny JPEGs in EuroSAT's layout (``<Class>/<Class>_<n>.jpg``); returns their manifest."""
    rng = np.random.default_rng(1)
    manifest = {}
    for index, name in enumerate(classes):
        (root / name).mkdir(parents=True)
        for number in range(1, per_class + 1):
            pixels = rng.integers(0, 60, (64, 64, 3), dtype=np.uint8)
            pixels[..., index] += 180
            relative = f"{name}/{name}_{number}.jpg"
            Image.fromarray(pixels).save(root / relative, quality=95)
            manifest[relative] = hashlib.sha256((root / relative).read_bytes()).hexdigest()
    return manifest


def test_eurosat_download_tries_the_mirror_and_keeps_only_manifest_photos(
        isolated, http_folder, monkeypatch):
    served, url = http_folder
    release = isolated / "release" / "2750"  # the official zip's top folder
    manifest = _write_fake_eurosat(release)
    Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(release / "Forest" / "Forest_99.jpg")
    shutil.make_archive(str(served / "EuroSAT"), "zip", release.parent)
    fake = dataclasses.replace(
        datasets.EUROSAT, class_folders=("AnnualCrop", "Forest"),
        class_names=("annual crop", "forest"),
        remote=downloads.RemoteFile("EuroSAT.zip", url + "missing/EuroSAT.zip",
                                    mirrors=(url + "EuroSAT.zip",)))
    monkeypatch.setattr(datasets, "EUROSAT", fake)
    monkeypatch.setattr(datasets, "read_manifest", lambda name=None: dict(manifest))
    monkeypatch.setattr(downloads.time, "sleep", lambda seconds: None)
    data = datasets.eurosat(image_size=32)
    folder = folders.data_home() / "eurosat_rgb_300"
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.jpg")) == sorted(manifest)
    assert not (folders.data_home() / "EuroSAT.zip").exists()
    assert (len(data.train), len(data.validation), len(data.test)) == (8, 2, 2)
    assert labels_match_colours(data.train)  # the first class was drawn reddish


@pytest.mark.real_data
def test_real_eurosat_photos_match_the_shipped_manifest():
    folder = REAL_DATA.parent / datasets.EUROSAT.root
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide the EuroSAT subset via {folders.DATA_ENV}")
        pytest.skip(f"set {folders.DATA_ENV} to a folder holding {datasets.EUROSAT.root}")
    datasets.verify_folder(folder, datasets.read_manifest(datasets.EUROSAT.root))
    data = datasets.eurosat(image_size=64)
    assert data.train.images.shape == (2000, 64, 64, 3)
    assert "Helber" in datasets.EUROSAT.notice and "MIT" in datasets.EUROSAT.notice


def test_batches_cover_every_photo_once_per_epoch(fake_photos):
    data = datasets.cats_vs_dogs(image_size=16)
    batches = data.train.batches(batch_size=5)
    assert len(batches) == 3
    seen = np.concatenate([batches[i][1] for i in range(len(batches))])
    assert sorted(seen) == sorted(data.train.labels)
    images, labels = batches[0]
    assert images.shape == (5, 16, 16, 3) and images.dtype == np.uint8


def test_shuffled_batches_with_fixed_steps_cycle_and_reshuffle(fake_photos):
    data = datasets.cats_vs_dogs(image_size=16)
    batches = data.train.batches(batch_size=4, shuffle=True, seed=0, steps=9)
    assert len(batches) == 9
    first = batches.order.copy()
    assert len(first) >= 36 and sorted(first[:12]) == list(range(12))
    batches.on_epoch_end()
    assert not np.array_equal(first, batches.order)


@pytest.mark.parametrize("arguments, message", [
    ({"image_size": "160"}, r"image_size must be a whole number of at least 8 .* not '160'\."),
    ({"image_size": 100.5}, r"image_size .* not 100\.5\."),
    ({"per_class": 0}, r"per_class must be a whole number of at least 1 .* not 0\."),
    ({"per_class": -1}, r"per_class .* not -1\."),
])
def test_bad_arguments_are_refused_before_any_photo_is_verified(isolated, monkeypatch,
                                                                arguments, message):
    monkeypatch.setattr(datasets, "photo_folder", lambda *a, **k: pytest.fail("looked for photos"))
    with pytest.raises(ValueError, match=message):
        datasets.cats_vs_dogs(**arguments)
