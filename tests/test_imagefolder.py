import hashlib
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tlcourse import datasets, imagefolder

RNG = np.random.default_rng(0)


def photo(mode="RGB", size=(40, 30)):
    channels = {"RGB": 3, "RGBA": 4, "CMYK": 4, "L": 1}[mode]
    pixels = RNG.integers(0, 255, (size[1], size[0], channels), dtype=np.uint8)
    return Image.fromarray(pixels.squeeze() if channels == 1 else pixels, mode)


def jpeg_bytes(mode="RGB", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    photo(mode, size).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def messy_folder(tmp_path):
    """Two classes of every kind of file a real photo folder holds."""
    root = tmp_path / "photos"
    cats, dogs = root / "cats", root / "dogs"
    (cats / "holiday" / "day1").mkdir(parents=True)
    (dogs / ".thumbnails").mkdir(parents=True)
    for i in range(3):
        (cats / f"cat{i}.jpg").write_bytes(jpeg_bytes())
        (dogs / f"dog{i}.jpeg").write_bytes(jpeg_bytes())
    good = {
        cats / "upper.JPG": jpeg_bytes(),
        cats / "holiday" / "day1" / "nested.jpg": jpeg_bytes(),
        cats / "gray.jpg": jpeg_bytes("L"),
        cats / "cmyk.jpg": jpeg_bytes("CMYK"),
        dogs / "huge.jpg": jpeg_bytes(size=(6000, 4000)),
    }
    for path, data in good.items():
        path.write_bytes(data)
    photo("RGBA").save(dogs / "alpha.PNG")
    Image.fromarray((RNG.integers(0, 65535, (30, 40))).astype(np.uint16)).save(dogs / "deep.png")
    photo().convert("P").save(dogs / "anim.gif")
    photo().save(dogs / "web.webp")
    photo().save(dogs / "bitmap.bmp")
    (cats / "truncated.jpg").write_bytes(jpeg_bytes()[:300])
    (cats / "random.jpg").write_bytes(RNG.bytes(2000))
    (cats / "empty.jpg").write_bytes(b"")
    (cats / "notes.txt").write_text("not a photo")
    (cats / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (dogs / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (dogs / "tiny.png").write_bytes(b"")
    photo(size=(4, 4)).save(dogs / "tiny.png")
    (dogs / ".thumbnails" / "t.jpg").write_bytes(jpeg_bytes())
    return root


def snapshot(root):
    return {str(p): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in root.rglob("*") if p.is_file()}


def test_every_good_image_is_used_and_every_skip_is_reported(messy_folder):
    before = snapshot(messy_folder)
    data, report = imagefolder.load_image_folder(messy_folder, image_size=32, seed=0)
    assert report.kept == {"cats": 7, "dogs": 9}
    assert report.reasons() == {"hidden folder": 1, "hidden file": 1, "not an image file": 2,
                                "corrupt or truncated image": 1, "not a readable image": 1,
                                "empty file": 1, "too small (4×4 pixels)": 1}
    assert len(data.train) + len(data.validation) == 16
    assert data.train.images.shape[1:] == (32, 32, 3) and data.train.images.dtype == np.uint8
    assert set(data.validation.labels) == {0, 1} and set(data.train.labels) == {0, 1}
    assert data.class_names == ("cats", "dogs")
    assert "skipped 8 files" in str(report) and "cats/truncated.jpg" in str(report)
    assert snapshot(messy_folder) == before


def test_colour_modes_become_sensible_rgb(tmp_path):
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(tmp_path / "clear.png")
    assert (datasets.decode_image(tmp_path / "clear.png", 8) == 255).all()  # alpha over white
    Image.fromarray(np.full((20, 20), 65535, np.uint16)).save(tmp_path / "white16.png")
    assert (datasets.decode_image(tmp_path / "white16.png", 8) == 255).all()
    Image.new("CMYK", (20, 20), (0, 0, 0, 0)).save(tmp_path / "white.jpg")
    assert datasets.decode_image(tmp_path / "white.jpg", 8).min() > 240


def test_class_with_one_usable_image_is_an_error_naming_it(messy_folder):
    lonely = messy_folder / "birds"
    lonely.mkdir()
    (lonely / "bird.jpg").write_bytes(jpeg_bytes())
    (lonely / "broken.jpg").write_bytes(b"garbage")
    with pytest.raises(imagefolder.FolderError, match=r"\['birds'\].*fewer than 2"):
        imagefolder.load_image_folder(messy_folder, image_size=16)


@pytest.mark.parametrize("setup, message", [
    (lambda root: None, "does not exist"),
    (lambda root: root.mkdir(), "no class subfolders"),
    (lambda root: (root / "only").mkdir(parents=True), "fewer than 2 usable images"),
])
def test_unusable_folders_raise_one_clear_error(tmp_path, setup, message):
    root = tmp_path / "mine"
    setup(root)
    with pytest.raises(imagefolder.FolderError, match=message):
        imagefolder.load_image_folder(root, image_size=16)


@pytest.mark.real_data
def test_demo_folder_report_matches_what_was_planted(tmp_path):
    from conftest import real_data_or_skip

    real_data_or_skip()
    root = imagefolder.build_demo_folder(tmp_path / "demo", per_class=5)
    data, report = imagefolder.load_image_folder(root, image_size=32)
    assert report.kept == {"cats": 8, "dogs": 8}
    assert report.reasons() == imagefolder.DEMO_EXPECTED_SKIPS
    assert imagefolder.build_demo_folder(root, per_class=5) == root  # reused, not rebuilt


def _class_folders(root, counts):
    """``counts`` = {class: number of photos}: small JPEGs under root/<class>/."""
    for name, count in counts.items():
        (root / name).mkdir(parents=True)
        for i in range(count):
            (root / name / f"{name}{i}.jpg").write_bytes(jpeg_bytes())


def test_a_folder_already_split_keeps_its_split_and_says_so(tmp_path):
    root = tmp_path / "photos"
    _class_folders(root / "train", {"cats": 5, "dogs": 4})
    _class_folders(root / "Val", {"cats": 2, "dogs": 2})
    _class_folders(root / "test", {"cats": 3, "dogs": 1})
    data, report = imagefolder.load_image_folder(root, image_size=16)
    assert data.class_names == ("cats", "dogs")  # not ("Val", "test", "train")
    assert (len(data.train), len(data.validation), len(data.test)) == (9, 4, 4)
    assert list(data.test.labels) == [0, 0, 0, 1]
    assert all(f.startswith(("cats/", "dogs/")) for f in data.validation.files)
    assert "already split, your split is used: train 9, validation 4, test 4" in str(report)


def test_a_split_folder_without_validation_carves_it_from_train(tmp_path):
    root = tmp_path / "photos"
    _class_folders(root / "training", {"a": 5, "b": 5})
    _class_folders(root / "testing", {"a": 1, "b": 1})
    data, report = imagefolder.load_image_folder(root, image_size=16, validation_split=0.2)
    assert (len(data.train), len(data.validation), len(data.test)) == (8, 2, 2)
    assert not set(data.train.files) & set(data.validation.files)


@pytest.mark.parametrize("layout, message", [
    ({"train": {"a": 2, "b": 2}, "val": {"a": 1, "c": 1}}, "same class subfolders"),
    ({"val": {"a": 2, "b": 2}, "test": {"a": 1, "b": 1}}, "no train/ folder"),
    ({"train": {"a": 2, "b": 2}, "val": {"a": 1, "b": 1}, "validation": {"a": 1, "b": 1}},
     "Keep one of them"),
])
def test_inconsistent_split_folders_raise_a_clear_error(tmp_path, layout, message):
    root = tmp_path / "photos"
    for split, counts in layout.items():
        _class_folders(root / split, counts)
    with pytest.raises(imagefolder.FolderError, match=message):
        imagefolder.load_image_folder(root, image_size=16)


def test_class_folders_named_like_splits_only_in_part_are_classes(tmp_path):
    root = tmp_path / "photos"
    _class_folders(root, {"test": 2, "cats": 2})  # "test" is a class: not every name is a split
    data, _ = imagefolder.load_image_folder(root, image_size=16)
    assert data.class_names == ("cats", "test") and data.test is None


def test_a_broken_link_is_skipped_and_reported(tmp_path):
    root = tmp_path / "photos"
    _class_folders(root, {"cats": 2, "dogs": 2})
    (root / "cats" / "gone.jpg").symlink_to(tmp_path / "deleted.jpg")
    data, report = imagefolder.load_image_folder(root, image_size=16)
    assert report.skipped == [("cats/gone.jpg", "broken link (its target is missing)")]
    assert len(data.train) + len(data.validation) == 4


def test_a_file_without_read_permission_is_reported_as_such(tmp_path, monkeypatch):
    root = tmp_path / "photos"
    _class_folders(root, {"cats": 3, "dogs": 2})
    read = Path.read_bytes

    def read_as_unprivileged_user(path):  # the tests may run as root
        if path.name == "cats0.jpg":
            raise PermissionError(13, "Permission denied", str(path))
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", read_as_unprivileged_user)
    _, report = imagefolder.load_image_folder(root, image_size=16)
    assert report.skipped == [("cats/cats0.jpg",
                               "no permission to read it (fix: chmod u+r on the file)")]


@pytest.mark.parametrize("arguments, message", [
    ({"image_size": 0}, r"image_size must be a whole number of at least 8 .* not 0\."),
    ({"image_size": "224"}, r"image_size .* not '224'\."),
    ({"image_size": 100.5}, r"image_size .* not 100\.5\."),
    ({"validation_split": 1.5}, r"validation_split must be a share strictly between 0 and 1"),
    ({"validation_split": -0.2}, r"validation_split .* not -0\.2\."),
    ({"validation_split": 0}, r"validation_split .* not 0\."),
])
def test_bad_arguments_are_refused_before_any_photo_is_read(tmp_path, monkeypatch, arguments,
                                                            message):
    root = tmp_path / "photos"
    _class_folders(root, {"cats": 2, "dogs": 2})
    monkeypatch.setattr(imagefolder, "decode_image", lambda *a: pytest.fail("read a photo"))
    with pytest.raises(ValueError, match=message):
        imagefolder.load_image_folder(root, **arguments)


def test_sixteen_bit_images_are_scaled_by_the_type_range(tmp_path):
    Image.fromarray(np.full((20, 20), 1000, np.uint16)).save(tmp_path / "dark16.png")
    assert (datasets.decode_image(tmp_path / "dark16.png", 8) == 4).all()  # 1000 / 257


def test_an_extra_folder_beside_the_splits_is_reported_not_trained_on(tmp_path):
    root = tmp_path / "photos"
    _class_folders(root / "train", {"ants": 3, "bees": 3})
    _class_folders(root / "val", {"ants": 1, "bees": 1})
    _class_folders(root / "unlabeled", {"misc": 2})
    _class_folders(root / "__MACOSX", {"train": 1})
    data, report = imagefolder.load_image_folder(root, image_size=16)
    assert data.class_names == ("ants", "bees")
    assert report.skipped == [("unlabeled/", imagefolder.EXTRA_FOLDER)]
    assert "unlabeled/: extra folder beside the split folders, not used" in str(report)


@pytest.mark.parametrize("layout", ["flat", "split"])
def test_streamed_splits_match_the_in_memory_ones(tmp_path, monkeypatch, capsys, layout):
    root = tmp_path / "photos"
    if layout == "flat":
        _class_folders(root, {"cats": 4, "dogs": 3})
    else:
        _class_folders(root / "train", {"cats": 3, "dogs": 3})
        _class_folders(root / "val", {"cats": 2, "dogs": 1})
    held, _ = imagefolder.load_image_folder(root, image_size=16)
    assert "decoded once and held in memory" in capsys.readouterr().out
    monkeypatch.setattr(imagefolder, "IN_MEMORY_LIMIT_BYTES", 1000)  # 7 photos: 10,752 bytes
    streamed, report = imagefolder.load_image_folder(root, image_size=16)
    out = capsys.readouterr().out
    assert f"{len(held.train) + len(held.validation)} candidate photos at 16 px" in out
    assert "streaming, each batch is decoded from its files when used" in out
    assert report.streamed and isinstance(streamed.train.images, imagefolder.FileImages)
    for a, b in ((held.train, streamed.train), (held.validation, streamed.validation)):
        assert np.array_equal(a.images, b.images[:]) and a.images.shape == b.images.shape
        assert np.array_equal(a.labels, b.labels) and a.files == b.files
        assert a.content_id == b.content_id
        assert np.array_equal(a.images[[-1, 0]], b.images[np.array([-1, 0])])
        assert all((b.folder / f).is_file() for f in b.files)  # files are relative to folder
