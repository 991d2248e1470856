import pytest

from tlcourse import folders


def test_directories_follow_environment(isolated):
    assert folders.data_home() == isolated / "data"
    cache = folders.cache_dir("features")
    assert cache == isolated / "cache" / "features" and cache.is_dir()


def test_unwritable_cache_gives_clear_error(isolated, monkeypatch):
    locked = isolated / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.setenv(folders.CACHE_ENV, str(locked))
    try:
        with pytest.raises(PermissionError, match=folders.CACHE_ENV):
            folders.cache_dir("features")
    finally:
        locked.chmod(0o755)
