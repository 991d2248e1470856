import os

import pytest

from tlcourse import fileio


def test_read_only_folder_is_not_writable(tmp_path):
    tmp_path.chmod(0o555)
    try:
        assert not fileio.is_writable(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert fileio.is_writable(tmp_path)
    assert not os.listdir(tmp_path)


def test_atomic_file_replaces_only_a_complete_write(tmp_path):
    target = tmp_path / "results.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with fileio.atomic_file(target, "w") as handle:
            handle.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no partial file left
    with fileio.atomic_file(target, "w") as handle:
        handle.write("new")
    assert target.read_text() == "new"


def test_bounded_name_keeps_short_names_and_hashes_long_ones():
    assert fileio.bounded_name("cats") == "cats"
    long_a, long_b = "猫" * 70 + "a", "猫" * 70 + "b"  # 211 bytes each, same start
    bounded = fileio.bounded_name(long_a)
    assert len(bounded.encode()) <= 120 and bounded.startswith("猫")
    assert bounded != fileio.bounded_name(long_b)


def test_only_orphaned_partial_files_are_removed(tmp_path):
    import subprocess
    import sys

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    orphan = tmp_path / f".features.npy.{finished.stdout.strip()}.part"
    live = tmp_path / f".features.npy.{os.getpid()}.part"
    for path in (orphan, live):
        path.write_bytes(b"half")
    fileio.remove_orphan_parts(tmp_path)
    assert not orphan.exists() and live.exists()
