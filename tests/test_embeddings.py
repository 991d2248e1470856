import numpy as np
import pytest
from gensim.models import KeyedVectors

from tlcourse import embeddings, folders
from conftest import corpus_or_skip

WORDS = ["king", "queen", "man", "woman", "paris", "france", "rome", "italy", "apple", "King"]


def toy_vectors() -> KeyedVectors:
    """Vectors where gender and capital-of are clean directions."""
    rng = np.random.default_rng(0)
    base = {w: rng.normal(size=8) for w in WORDS}
    gender = rng.normal(size=8)
    capital = rng.normal(size=8)
    base["queen"] = base["king"] + gender
    base["woman"] = base["man"] + gender
    base["paris"] = base["france"] + capital
    base["rome"] = base["italy"] + capital
    base["King"] = base["king"] + rng.normal(scale=0.01, size=8)
    return embeddings.keyed_vectors(WORDS, np.array([base[w] for w in WORDS], dtype=np.float32))


def test_analogy_evaluator_matches_gensim_on_toy_vectors(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(": family\nman woman king queen\nking queen man woman\n"
                         ": capitals\nfrance paris italy rome\nparis france rome italy\n"
                         "france paris apple banana\n")
    kv = toy_vectors()
    ours = embeddings.evaluate_analogies(kv, questions, restrict_vocab=len(WORDS))
    gensim_score, sections = kv.evaluate_word_analogies(str(questions), restrict_vocab=len(WORDS))
    assert ours.accuracy == gensim_score
    assert (ours.total, ours.skipped) == (4, 1)
    assert set(ours.sections) == {"family", "capitals"}


def test_analogy_evaluator_never_answers_a_question_word_in_another_case(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(": family\nman woman king queen\n")
    score = embeddings.evaluate_analogies(toy_vectors(), questions, restrict_vocab=len(WORDS))
    assert score.correct == 1  # "King" (a case variant of "king") is not an answer


def test_best_matches_equal_one_big_argmax_with_ties_and_exclusions():
    rng = np.random.default_rng(0)
    unit = rng.integers(-3, 4, size=(50, 8)).astype(np.float32)  # exact sums: many ties
    a, b, c = rng.integers(0, 12, size=(3, 40))  # repeated words and (a, b) pairs
    rows, cols = rng.integers(0, 40, 60), rng.integers(0, 50, 60)
    word_scores = unit @ unit.T
    scores = word_scores[b] - word_scores[a] + word_scores[c]
    scores[rows, cols] = -np.inf
    for threads in (1, 3):
        tiled = embeddings.best_matches(a, b, c, unit, rows, cols, query_block=4,
                                        vocab_block=7, threads=threads)
        assert np.array_equal(tiled, scores.argmax(axis=1))


def test_analogy_file_with_no_answerable_question(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(": fruit\napple banana cherry grape\n")
    score = embeddings.evaluate_analogies(toy_vectors(), questions, restrict_vocab=len(WORDS))
    assert (score.accuracy, score.total, score.skipped) == (0.0, 0, 1)


def test_word2vec_text_and_binary_files_round_trip(tmp_path):
    kv = toy_vectors()
    kv.save_word2vec_format(str(tmp_path / "v.txt"), binary=False)
    kv.save_word2vec_format(str(tmp_path / "v.bin"), binary=True)
    text = embeddings.load_word2vec(tmp_path / "v.txt")
    binary = embeddings.load_word2vec(tmp_path / "v.bin", limit=4)
    assert np.allclose(text["queen"], kv["queen"], atol=1e-5)
    assert binary.index_to_key == WORDS[:4]


def test_missing_word2vec_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="word2vec-google-news-300"):
        embeddings.load_word2vec(tmp_path / "nothing.bin")


def test_glove_text_format_is_parsed():
    words, vectors = embeddings.parse_glove_text(["the 0.1 0.2\n", "cat -1 2.5\n"])
    assert words == ["the", "cat"]
    assert vectors.dtype == np.float32 and np.allclose(vectors, [[0.1, 0.2], [-1.0, 2.5]])


def test_embedding_matrix_rows_and_coverage():
    kv = toy_vectors()
    result = embeddings.embedding_matrix(kv, ["<pad>", "<unk>", "queen", "zebra", "paris"])
    assert np.array_equal(result.matrix[0], np.zeros(8))
    assert np.allclose(result.matrix[2], kv["queen"])
    assert result.missing == ["zebra"] and result.coverage == pytest.approx(2 / 3)


def test_unknown_glove_size_is_refused():
    with pytest.raises(ValueError, match="50, 100, 200, 300"):
        embeddings.load_glove(64)


def test_real_glove_loads_fast_the_second_time_and_scores(isolated):
    corpus_or_skip()
    first = embeddings.load_glove(50)
    assert first.vectors.shape == (400_000, 50) and first.vectors.flags["C_CONTIGUOUS"]
    again = embeddings.load_glove(50)
    assert again.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0] == "queen"
    assert list((folders.cache_root() / "glove").glob("*.npy"))
    ours = embeddings.evaluate_similarity(again)
    gensim_pearson, gensim_spearman, _ = again.evaluate_word_pairs(
        embeddings.datapath(embeddings.WORDSIM353))
    assert ours["spearman"] == pytest.approx(gensim_spearman[0], abs=1e-6)
    assert ours["pearson"] == pytest.approx(gensim_pearson[0], abs=1e-5)
    assert ours["spearman"] == pytest.approx(0.503, abs=0.005)
    restricted = embeddings.evaluate_similarity(again, allowed={"tiger", "cat", "king", "queen"})
    assert restricted["pairs"] < 5


def test_word2vec_binary_file_is_written_in_binary_and_read_back_exactly(tmp_path):
    kv = toy_vectors()
    path = embeddings.save_word2vec_binary(kv, tmp_path / "sub" / "toy.bin")
    data = path.read_bytes()
    header = f"{len(WORDS)} 8\n".encode()
    first = header + b"king " + kv["king"].astype(np.float32).tobytes()
    assert data.startswith(first)  # raw float32 numbers, not decimal text
    back = embeddings.load_word2vec(path)
    assert back.index_to_key == WORDS and np.array_equal(back.vectors, kv.vectors)
    assert embeddings.load_word2vec(path, limit=3).vectors.shape == (3, 8)


def test_interrupted_word2vec_write_leaves_no_file(tmp_path, monkeypatch):
    kv = toy_vectors()
    path = tmp_path / "toy.bin"

    def write_half_then_fail(self, fname, binary=False, **kwargs):
        with open(fname, "wb", closefd=not isinstance(fname, int)) as handle:
            handle.write(b"10 8\nking ")
        raise OSError("disk full")

    monkeypatch.setattr(KeyedVectors, "save_word2vec_format", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        embeddings.save_word2vec_binary(kv, path)
    assert list(tmp_path.iterdir()) == []  # neither the file nor a leftover partial


def test_glove_word2vec_file_is_written_once_to_the_cache(isolated, monkeypatch):
    calls = []

    def fake_glove(dim):
        calls.append(dim)
        return toy_vectors()

    monkeypatch.setattr(embeddings, "load_glove", fake_glove)
    path = embeddings.glove_word2vec_file(50)
    assert path.parent == folders.cache_root() / "glove" and path.suffix == ".bin"
    assert embeddings.glove_word2vec_file(50) == path and calls == [50]
    loaded = embeddings.load_word2vec(path)
    assert np.array_equal(loaded["queen"], toy_vectors()["queen"])
    with pytest.raises(ValueError, match="50, 100, 200, 300"):
        embeddings.glove_word2vec_file(64)


@pytest.mark.parametrize("dim", ["50", 50.0, True])
def test_a_glove_size_of_the_wrong_type_is_named_as_given(dim):
    with pytest.raises(ValueError, match=rf"dim must be one of .* \(an int\), not {dim!r}\."):
        embeddings.load_glove(dim)
