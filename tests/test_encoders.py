"""The encoder's files (found, downloaded, verified), mean pooling, cached sentence embeddings."""

import hashlib

import numpy as np
import pytest

from conftest import encoder_or_skip
from tlcourse import datasets, downloads, encoders

FILES = {"config.json": b'{"model_type": "bert"}', "vocab.txt": b"[PAD]\n[UNK]\n",
         "1_Pooling/config.json": b'{"pooling_mode_mean_tokens": true}'}


@pytest.fixture
def served_model(isolated, http_folder, monkeypatch):
    """A three-file model repository served on localhost, with its manifest."""
    folder, url = http_folder
    model = encoders.HubModel("owner/tiny-encoder", "abc123", "tiny-encoder", "notice",
                              host=url.rstrip("/"))
    for relative, content in FILES.items():
        path = folder / model.repo / "resolve" / model.revision / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    manifest = {relative: hashlib.sha256(content).hexdigest() for relative, content in FILES.items()}
    real = datasets.read_manifest
    monkeypatch.setattr(datasets, "read_manifest",
                        lambda name: manifest if name == model.manifest else real(name))
    return model, folder


def test_mean_pool_averages_real_tokens_only():
    tokens = np.arange(2 * 4 * 3, dtype="float32").reshape(2, 4, 3)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    pooled = np.asarray(encoders.mean_pool(tokens, mask))
    np.testing.assert_allclose(pooled[0], tokens[0, :2].mean(0))
    np.testing.assert_allclose(pooled[1], tokens[1].mean(0))


def test_model_files_are_downloaded_into_the_data_home_and_verified(served_model, isolated):
    model, _ = served_model
    folder = encoders.encoder_folder(model)
    assert folder == isolated / "data" / "hf" / "owner" / "tiny-encoder"
    kept = {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")}  # not the download locks
    assert kept == set(FILES)
    assert encoders.encoder_location(model) == folder


def test_a_corrupt_download_is_refused_and_the_model_stays_absent(served_model):
    model, served = served_model
    (served / model.repo / "resolve" / model.revision / "vocab.txt").write_bytes(b"tampered")
    with pytest.raises(downloads.ChecksumError, match=r"vocab\.txt.* is corrupt"):
        encoders.encoder_folder(model)
    assert encoders.encoder_location(model) is None  # config.json is fetched last


def test_offline_error_names_the_model_and_the_fetch_command(isolated):
    model = encoders.HubModel("owner/absent", "abc", encoders.MINILM.manifest, "notice",
                              host="http://127.0.0.1:9")
    with pytest.raises(downloads.AssetUnavailableError) as error:
        encoders.encoder_folder(model, download=False)
    assert "owner/absent" in str(error.value) and downloads.FETCH_COMMAND in str(error.value)


@pytest.mark.slow
def test_real_encoder_embeddings_ignore_padding_and_are_cached(private_cache):
    encoder_or_skip()
    backbone, tokenizer = encoders.load_encoder(download=False)
    sentences = ["The bank raised its interest rates.", "Shares fell."]
    short, long = (encoders.sentence_embeddings(backbone, tokenizer, sentences, length=n,
                                                description=None) for n in (12, 64))
    np.testing.assert_allclose(np.sum(short * long, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(short, axis=1), 1.0, atol=1e-5)
    first = encoders.cached_sentence_embeddings(backbone, tokenizer, sentences, "probe", length=64)
    cached = encoders.cached_sentence_embeddings(None, None, sentences, "probe", length=64)
    np.testing.assert_array_equal(first, cached)  # no encoder needed the second time
    np.testing.assert_allclose(first, long, atol=1e-6)
