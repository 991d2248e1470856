"""Cached arrays heal themselves: a damaged file is reported by path, deleted and rebuilt."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tlcourse import cachefiles, datasets, features, folders


def truncate(path):
    path.write_bytes(path.read_bytes()[:-100])


def zero_the_end(path):  # same size: the last photos zeroed
    data = bytearray(path.read_bytes())
    data[-500:] = bytes(500)
    path.write_bytes(bytes(data))


def garble_metadata(path):
    cachefiles.metadata_path(path).write_text('{"file_bytes": 12')


@pytest.mark.parametrize("damage", [truncate, zero_the_end, garble_metadata])
def test_a_damaged_photo_array_is_reported_deleted_and_rebuilt(fake_photos, capsys, damage):
    first = np.array(datasets.cats_vs_dogs(image_size=24).train.images)
    (path,) = folders.cache_dir("arrays").glob("cats_and_dogs_filtered-train-*.npy")
    damage(path)
    again = datasets.cats_vs_dogs(image_size=24).train.images
    assert np.array_equal(first, again)
    assert f"tlcourse cache: {path} " in capsys.readouterr().err
    datasets.cats_vs_dogs(image_size=24)
    assert "tlcourse cache" not in capsys.readouterr().err  # reported once, healed


@pytest.mark.parametrize("damage", [truncate, zero_the_end, garble_metadata])
def test_damaged_features_are_reported_deleted_and_recomputed(fake_photos, capsys, damage):
    data = datasets.cats_vs_dogs(image_size=32)
    first = features.extract("mobilenet_0.25", data.train, weights=None)
    (path,) = folders.cache_dir("features").glob("*.npy")
    damage(path)
    again = features.extract("mobilenet_0.25", data.train, weights=None)
    assert not again.cached and np.allclose(first.features, again.features, atol=1e-6)
    assert f"tlcourse cache: {path} " in capsys.readouterr().err
    assert features.extract("mobilenet_0.25", data.train, weights=None).cached


def test_a_file_cached_before_checksums_is_adopted_or_rebuilt(tmp_path, capsys):
    whole, cut = tmp_path / "whole.npy", tmp_path / "cut.npy"
    for path in (whole, cut):
        np.save(path, np.arange(1000))
    truncate(cut)
    assert np.array_equal(cachefiles.load(whole)[0], np.arange(1000))
    assert "crc32" in json.loads(cachefiles.metadata_path(whole).read_text())
    assert cachefiles.load(cut) is None and not cut.exists()
    assert "cut.npy is 8,028 bytes, not the 8,128 its header promises" in capsys.readouterr().err


def test_temporaries_of_dead_writers_are_removed(isolated):
    folder = folders.cache_dir("arrays")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    orphan = folder / f".photos.npy.{dead}.part"
    live = folder / f".other.npy.{os.getpid()}.part"
    orphan.write_bytes(b"half")
    live.write_bytes(b"in progress")
    folders.cache_dir("arrays")
    assert not orphan.exists() and live.exists()


def test_cache_clear_deletes_what_is_rebuilt_and_keeps_the_rest(fake_photos, capsys):
    from tlcourse import __main__ as command, results

    datasets.cats_vs_dogs(image_size=24)
    results.record("01_what_is_transfer_learning", "accuracy", 0.9)
    assert command.main(["cache", "--clear"]) == 0
    out = capsys.readouterr().out
    assert "arrays/: " in out and "deleted (rebuilt when next needed)" in out
    assert "results/: " in out and " kept" in out
    assert not (folders.cache_root() / "arrays").exists()
    assert results.get("01_what_is_transfer_learning", "accuracy") == 0.9
    datasets.cats_vs_dogs(image_size=24)  # rebuilt
