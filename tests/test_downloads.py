import hashlib
import multiprocessing
import socket
import zipfile

import pytest

from tlcourse import downloads
from tlcourse.downloads import RemoteFile

PAYLOAD = b"pretrained weights " * 5000
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/weights.h5"


def test_download_verifies_and_renames_atomically(http_folder, tmp_path):
    served, url = http_folder
    (served / "weights.h5").write_bytes(PAYLOAD)
    target = downloads.fetch(RemoteFile("weights.h5", url + "weights.h5", DIGEST), tmp_path / "out")
    assert target.read_bytes() == PAYLOAD
    assert not list((tmp_path / "out").glob("*.part"))
    # A second call uses the verified file without the network.
    (served / "weights.h5").unlink()
    assert downloads.fetch(RemoteFile("weights.h5", url + "weights.h5", DIGEST),
                           tmp_path / "out") == target


def test_checksum_mismatch_is_quarantined_and_never_used(http_folder, tmp_path):
    served, url = http_folder
    (served / "weights.h5").write_bytes(PAYLOAD + b"tampered")
    out = tmp_path / "out"
    with pytest.raises(downloads.ChecksumError, match="corrupt"):
        downloads.fetch(RemoteFile("weights.h5", url + "weights.h5", DIGEST), out)
    assert not (out / "weights.h5").exists()
    assert len(list(out.glob("*.corrupt-*"))) == 1


def test_corrupt_file_already_in_place_is_quarantined(tmp_path):
    (tmp_path / "weights.h5").write_bytes(b"half a file")
    with pytest.raises(downloads.ChecksumError, match="python -m tlcourse fetch"):
        downloads.fetch(RemoteFile("weights.h5", closed_port_url(), DIGEST), tmp_path)
    assert not (tmp_path / "weights.h5").exists()


def test_truncated_download_is_detected_and_removed(monkeypatch, tmp_path):
    class ShortResponse:
        headers = {"Content-Length": str(len(PAYLOAD))}

        def __init__(self):
            self.data = [PAYLOAD[:1000], b""]

        def read(self, size):
            return self.data.pop(0)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(downloads.urllib.request, "urlopen", lambda url, timeout: ShortResponse())
    monkeypatch.setattr(downloads.time, "sleep", lambda seconds: None)
    with pytest.raises(downloads.AssetUnavailableError, match="connection closed after 1000"):
        downloads.fetch(RemoteFile("weights.h5", "http://example.invalid/w", DIGEST), tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / ".weights.h5.lock"]


def test_partial_file_from_an_interrupted_run_is_never_used(http_folder, tmp_path):
    served, url = http_folder
    (served / "weights.h5").write_bytes(PAYLOAD)
    (tmp_path / ".weights.h5.999.part").write_bytes(PAYLOAD[:10])
    target = downloads.fetch(RemoteFile("weights.h5", url + "weights.h5", DIGEST), tmp_path)
    assert target.read_bytes() == PAYLOAD


def test_offline_missing_asset_names_it_and_the_fetch_command(monkeypatch, tmp_path):
    monkeypatch.setattr(downloads.time, "sleep", lambda seconds: None)
    with pytest.raises(downloads.AssetUnavailableError) as error:
        downloads.fetch(RemoteFile("weights.h5", closed_port_url(), DIGEST), tmp_path)
    message = str(error.value)
    assert "weights.h5" in message and "python -m tlcourse fetch" in message
    assert not (tmp_path / "weights.h5").exists()


def _fetch_in_process(args):
    url, folder = args
    return str(downloads.fetch(RemoteFile("weights.h5", url, DIGEST), folder))


def test_two_processes_fetching_at_once_download_once(slow_http_folder, tmp_path):
    folder, url, requested = slow_http_folder  # each answer 0.5 s late: the fetches overlap
    (folder / "weights.h5").write_bytes(PAYLOAD)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        paths = pool.map(_fetch_in_process, [(url + "weights.h5", tmp_path)] * 2, chunksize=1)
    assert requested == ["/weights.h5"]  # the second process waited, then found the file
    assert len(set(paths)) == 1
    assert (tmp_path / "weights.h5").read_bytes() == PAYLOAD
    assert not list(tmp_path.glob("*.part"))


def _zip(path, names):
    with zipfile.ZipFile(path, "w") as bundle:
        for name in names:
            bundle.writestr(name, b"x")
    return path


def test_safe_extract_builds_the_folder(tmp_path):
    archive = _zip(tmp_path / "a.zip", ["photos/train/cat.0.jpg", "photos/readme.txt"])
    folder = downloads.safe_extract_zip(archive, tmp_path / "out", "photos")
    assert (folder / "train" / "cat.0.jpg").is_file()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["photos"]


@pytest.mark.parametrize("evil", ["../escape.txt", "/etc/evil", "photos/../../escape.txt"])
def test_unsafe_archive_members_are_refused(tmp_path, evil):
    archive = _zip(tmp_path / "evil.zip", ["photos/ok.txt", evil])
    (tmp_path / "out").mkdir()
    with pytest.raises(ValueError, match="outside the target folder"):
        downloads.safe_extract_zip(archive, tmp_path / "out", "photos")
    assert list((tmp_path / "out").iterdir()) == []
    assert not (tmp_path / "escape.txt").exists()


def test_full_disk_gives_a_clear_error_and_leaves_nothing(monkeypatch, tmp_path):
    def disk_full(url, part, description, timeout):
        part.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(downloads, "_stream", disk_full)
    with pytest.raises(OSError, match="Free space or point TLCOURSE_CACHE"):
        downloads.fetch(RemoteFile("weights.h5", "http://example.invalid/w", DIGEST), tmp_path)
    assert not list(tmp_path.glob("*.part")) and not (tmp_path / "weights.h5").exists()


def test_package_never_unpickles_downloaded_data():
    import re
    from pathlib import Path

    import tlcourse

    for source in Path(tlcourse.__file__).parent.rglob("*.py"):
        text = source.read_text()
        for call in re.findall(r"np\.load\([^)]*\)", text):
            assert "allow_pickle=False" in call, f"{source.name}: {call}"
        assert "safe_mode=False" not in text and "import pickle" not in text, source.name
