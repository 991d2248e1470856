"""A pretrained transformer encoder through KerasHub: its files, loading, sentence embeddings.

The encoder is ``sentence-transformers/all-MiniLM-L6-v2`` (a 6-layer BERT-family encoder,
22.7 M parameters, WordPiece vocabulary), read by ``keras_hub`` straight from the Hugging Face
Hub's file layout. Its files are looked for in the data home (``hf/<repo>``), then in the
cache, else downloaded at a pinned revision and verified file by file against the manifest
shipped in the package, as the photo sets are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from . import datasets, downloads, fileio, folders


@dataclasses.dataclass(frozen=True)
class HubModel:
    """A model repository on the Hugging Face Hub, pinned to one revision."""

    repo: str
    revision: str
    manifest: str
    notice: str
    host: str = "https://huggingface.co"

    @property
    def root(self) -> Path:
        """Its folder inside the data home or the cache."""
        return Path("hf") / self.repo

    def remote(self, relative: str) -> downloads.RemoteFile:
        """One of its files, with the SHA-256 the shipped manifest gives."""
        return downloads.RemoteFile(
            filename=Path(relative).name,
            url=f"{self.host}/{self.repo}/resolve/{self.revision}/{relative}",
            sha256=datasets.read_manifest(self.manifest)[relative])


MINILM = HubModel(
    repo="sentence-transformers/all-MiniLM-L6-v2",
    revision="1110a243fdf4706b3f48f1d95db1a4f5529b4d41",
    manifest="all-MiniLM-L6-v2",
    notice="all-MiniLM-L6-v2 by the sentence-transformers project (Apache-2.0): "
           "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
)
SEQUENCE_LENGTH = 128  # tokens per article: all-MiniLM-L6-v2 was trained on 128-token inputs
BATCH_SIZE = 32


def encoder_location(model: HubModel = MINILM) -> Path | None:
    """The folder holding ``model``'s files, or None when it is in neither place."""
    return next((f for f in datasets.candidate_folders(model) if (f / "config.json").is_file()), None)


def encoder_folder(model: HubModel = MINILM, download: bool = True,
                   data_home: str | Path | None = None) -> Path:
    """The verified folder of ``model``'s files, downloading them when needed.

    A download goes to the data home when it is writable, else to the cache; each file is
    written atomically and checked against the shipped manifest.
    """
    manifest = datasets.read_manifest(model.manifest)
    candidates = datasets.candidate_folders(model, data_home)
    for folder in candidates:
        if (folder / "config.json").is_file():
            datasets.verify_folder(folder, manifest, "the encoder's files")
            return folder
    if not download:
        raise downloads.AssetUnavailableError(
            downloads.offline_message(model.repo, candidates[0], "download=False"))
    home = candidates[0].parents[len(model.root.parts) - 1]  # the data home itself
    with contextlib.suppress(OSError):
        home.mkdir(parents=True, exist_ok=True)
    folder = (candidates[0] if fileio.is_writable(home)
              else folders.cache_dir("data", *model.root.parts))
    for relative in sorted(manifest, key=lambda name: name == "config.json"):  # config.json last
        downloads.fetch(model.remote(relative), folder / Path(relative).parent)
    datasets.verify_folder(folder, manifest, "the encoder's files")
    return folder


def load_encoder(model: HubModel = MINILM, download: bool = True):
    """``(backbone, tokenizer)``: KerasHub's ``BertBackbone`` and ``BertTokenizer`` of ``model``.

    Prints the model's licence notice. Raises ``AssetUnavailableError`` naming the model and
    the fetch command when its files are missing and cannot be downloaded.
    """
    import keras
    import keras_hub

    folder = encoder_folder(model, download=download)
    print(model.notice)
    backbone = keras_hub.models.Backbone.from_preset(str(folder))
    if keras.backend.backend() == "tensorflow":
        # Keras leaves XLA off on a CPU; on this encoder it is faster there too (bench P6).
        backbone.jit_compile = True
    return backbone, keras_hub.models.Tokenizer.from_preset(str(folder))


def pack(tokenizer, texts: list[str], length: int = SEQUENCE_LENGTH) -> dict[str, np.ndarray]:
    """The encoder's inputs for ``texts``: ``[CLS] tokens [SEP]``, cut or padded to ``length``.

    Returns ``token_ids``, ``padding_mask`` (True for real tokens) and ``segment_ids`` (zeros:
    one segment per text), each of shape ``(len(texts), length)``.
    """
    import keras_hub

    # Tokenising a whole article to keep its first 126 tokens is wasted work: every word (run of
    # non-space characters) gives at least one token, so the first 2 × length words give the
    # very same ids (twice, for words the tokenizer drops entirely, such as control characters).
    texts = [" ".join(text.split()[:2 * length]) for text in texts]
    packer = keras_hub.layers.StartEndPacker(
        sequence_length=length, start_value=tokenizer.cls_token_id,
        end_value=tokenizer.sep_token_id, pad_value=tokenizer.pad_token_id,
        return_padding_mask=True)
    token_ids, padding_mask = packer(tokenizer(texts))
    token_ids = np.asarray(token_ids, dtype=np.int32)
    return {"token_ids": token_ids, "padding_mask": np.asarray(padding_mask, dtype=bool),
            "segment_ids": np.zeros_like(token_ids)}


def mean_pool(sequence_output, padding_mask):
    """The average token vector of each text over its real tokens (padding left out).

    Works on NumPy arrays and on Keras tensors, so it can sit inside a Keras model.
    """
    from keras import ops

    mask = ops.expand_dims(ops.cast(padding_mask, sequence_output.dtype), -1)
    return ops.sum(sequence_output * mask, axis=1) / ops.maximum(ops.sum(mask, axis=1), 1.0)


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (cosine similarity becomes a dot product)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)


def token_vectors(backbone, inputs: dict[str, np.ndarray],
                  batch_size: int = BATCH_SIZE, description: str | None = None):
    """Yield ``(sequence_output, padding_mask)`` per batch of ``inputs`` (from ``pack``).

    Every batch has the same shape (the last one is padded with copies of the first row and
    cut back), so the inference function is traced once.
    """
    count = len(inputs["token_ids"])
    with tqdm(total=count, desc=description, unit="text", disable=description is None) as bar:
        for start in range(0, count, batch_size):
            batch = {k: v[start:start + batch_size] for k, v in inputs.items()}
            real = len(batch["token_ids"])
            if real < batch_size and count > batch_size:
                batch = {k: np.concatenate([v, np.repeat(v[:1], batch_size - real, axis=0)])
                         for k, v in batch.items()}
            output = backbone.predict_on_batch(batch)["sequence_output"]
            yield np.asarray(output)[:real], batch["padding_mask"][:real]
            bar.update(real)


def sentence_embeddings(backbone, tokenizer, texts: list[str], length: int = SEQUENCE_LENGTH,
                        batch_size: int = BATCH_SIZE, description: str | None = "embedding"):
    """One unit-length vector per text: masked mean pooling of the encoder's token vectors.

    This is how sentence-transformers computes all-MiniLM-L6-v2's sentence embeddings.
    """
    inputs = pack(tokenizer, texts, length)
    pooled = [np.asarray(mean_pool(output, mask))
              for output, mask in token_vectors(backbone, inputs, batch_size, description)]
    return normalize(np.concatenate(pooled))


def cached_sentence_embeddings(backbone, tokenizer, texts: list[str], name: str,
                               length: int = SEQUENCE_LENGTH, model: HubModel = MINILM):
    """``sentence_embeddings`` of ``texts``, computed once and cached on disk.

    The cache key covers the texts themselves, the model revision and the length, so a
    different corpus, split or setting never reuses another's vectors.
    """
    digest = hashlib.sha256(f"{model.repo}@{model.revision} {length}\n".encode())
    for text in texts:
        digest.update(hashlib.sha256(text.encode()).digest())
    key = f"{model.manifest}_{name}_{length}_{digest.hexdigest()[:16]}"
    return datasets.cached_array(key, lambda: sentence_embeddings(
        backbone, tokenizer, texts, length, description=f"embedding {name} ({len(texts)} texts)"))
