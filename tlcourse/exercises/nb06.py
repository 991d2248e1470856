"""Exercises of notebook 06: word embeddings."""

from __future__ import annotations

from . import Mistake, behaviour

ANALOGY_VOCABULARY = 100_000  # the analogy benchmark's restrict_vocab
ANALOGY_QUESTIONS = 20
# (file in gensim's test data, GloVe's most frequent words kept): small vocabularies leave
# pairs with unknown words, and on these two Pearson and Spearman differ by 0.02–0.03.
SIMILARITY_CASES = (("wordsim353.tsv", 10_000), ("simlex999.txt", 20_000))


# Word: (the word of similar meaning, the opposite) the learner predicts between.
NEARER_CANDIDATES = {"hot": ("warm", "cold"), "strong": ("powerful", "weak")}


@behaviour("06.predict_nearer",
           "Predict before you look at GloVe: which candidate does GloVe 50 d put nearer (higher "
           "cosine similarity) to 'hot', 'warm' or 'cold', and to 'strong', 'powerful' or "
           "'weak'? Answer with a dict whose keys 'hot' and 'strong' each give the candidate you "
           "chose.",
           "GloVe knows nothing of meaning: only which words turn up around which others in its "
           "6 billion tokens.")
def predict_nearer_behaves(prediction) -> str | None:
    from ..embeddings import load_glove

    if not isinstance(prediction, dict) or set(prediction) != set(NEARER_CANDIDATES):
        return f"The prediction is {prediction!r}: give a dict with the keys 'hot' and 'strong'."
    glove = load_glove(50)
    missed = []
    for word, candidates in NEARER_CANDIDATES.items():
        chosen = str(prediction[word]).strip().lower()
        if chosen not in candidates:
            return f"For {word!r} choose one of {candidates}, not {prediction[word]!r}."
        cosines = {candidate: float(glove.similarity(word, candidate)) for candidate in candidates}
        nearer = max(cosines, key=cosines.get)
        if chosen != nearer:
            missed.append(f"{word} ~ {chosen} {cosines[chosen]:.2f} but {word} ~ {nearer} "
                          f"{cosines[nearer]:.2f}")
    if not missed:
        return None
    if len(missed) == len(NEARER_CANDIDATES):
        return Mistake(
            "GloVe disagrees with both predictions: " + "; ".join(missed) + ".",
            "You predicted from meaning. GloVe places words by the contexts they share: "
            "think of the sentences each candidate can stand in, beside the word asked about.")
    return Mistake(f"GloVe disagrees with one prediction: {missed[0]}.",
                   "Whatever rule you used for the other word holds here too: what do the two "
                   "candidates' sentences look like?")


def _glove_top(words: int):
    """GloVe 50 d restricted to its ``words`` most frequent words, as KeyedVectors."""
    from ..embeddings import keyed_vectors, load_glove

    glove = load_glove(50)
    return keyed_vectors(glove.index_to_key[:words], glove.vectors[:words])


@behaviour("06.three_cos_add",
           "Write analogy(vectors, a, b, c) with numpy: 'a is to b as c is to ?'. Scale every "
           "vector to length 1, then return the word d of vectors (gensim KeyedVectors) whose "
           "vector has the highest cosine similarity with b − a + c, a, b and c excluded. "
           "Example: analogy(glove, 'man', 'king', 'woman') == 'queen'.",
           "Cosine similarity compares directions only; check each step of the query and of "
           "the scoring against that.")
def three_cos_add_behaves(analogy) -> str | None:
    import numpy as np

    from ..embeddings import read_analogies

    vectors = _glove_top(ANALOGY_VOCABULARY)
    questions = [tuple(word.lower() for word in question)
                 for _, items in read_analogies() for question in items
                 if all(word.lower() in vectors.key_to_index for word in question)]
    chosen = np.random.default_rng(0).choice(len(questions), ANALOGY_QUESTIONS, replace=False)
    raw = np.asarray(vectors.vectors)
    unit = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    differ, unnormalised, reversed_offset = [], 0, 0
    for a, b, c, _ in (questions[i] for i in chosen):
        answer = analogy(vectors, a, b, c)
        if not isinstance(answer, str):
            return (f"analogy(vectors, {a!r}, {b!r}, {c!r}) returned {answer!r}, not a word "
                    "(a str).")
        if answer in (a, b, c):
            return Mistake(f"For '{a} is to {b} as {c} is to ?' it answered one of the "
                           f"question words, {answer!r}.",
                           "The question words lie closest to their own combination; the "
                           "benchmark's answer is never one of them.")
        expected = vectors.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]
        if answer != expected:
            differ.append(f"{a} : {b} :: {c} : ? gave {answer!r}, not {expected!r}")
            rows = [vectors.key_to_index[word] for word in (a, b, c)]
            for matrix, query in ((raw, raw[rows[1]] - raw[rows[0]] + raw[rows[2]]),
                                  (unit, unit[rows[0]] - unit[rows[1]] + unit[rows[2]])):
                scores = matrix @ query
                scores[rows] = -np.inf
                if vectors.index_to_key[int(np.argmax(scores))] == answer:
                    if matrix is raw:
                        unnormalised += 1
                    else:
                        reversed_offset += 1
    if len(differ) <= 1:  # one may fall to a near tie in float rounding
        return None
    problem = (f"It differs from the cosine answer on {len(differ)} of "
               f"{ANALOGY_QUESTIONS} benchmark questions ({differ[0]}).")
    if unnormalised == len(differ):
        return Mistake(problem, "Its answers are those of dot products of raw vectors: long "
                       "(frequent) words win them whatever their direction.")
    if reversed_offset == len(differ):
        return Mistake(problem, "Its answers are those of a − b + c: which word is the "
                       "starting point, and which offset is added?")
    return problem


@behaviour("06.word_similarity",
           "Write word_similarity(vectors, path): read a word-pair file (WordSim353's format: "
           "lines starting with '#' are comments, then 'word1<TAB>word2<TAB>human score'), and "
           "return the Spearman correlation between the cosine similarity of each pair's "
           "vectors and the human scores, over the pairs whose two words vectors knows.",
           "Which pairs count (GloVe's words are lower-case)? And does the benchmark correlate "
           "the values themselves or their ranks?")
def word_similarity_behaves(word_similarity) -> str | None:
    import numpy as np
    from gensim.test.utils import datapath
    from scipy import stats

    from ..embeddings import evaluate_similarity

    for name, words in SIMILARITY_CASES:
        vectors = _glove_top(words)
        setting = f"{name} with GloVe's {words:,} most frequent words"
        try:
            answer = word_similarity(vectors, datapath(name))
        except KeyError as missing:
            return Mistake(f"On {setting} it raised KeyError {missing} for a word the vectors "
                           "lack.", "The benchmark scores only the pairs whose two words both "
                           "have a vector; the others are left out.")
        if not isinstance(answer, (int, float, np.floating)):
            return f"On {setting} it returned {answer!r}, not a number."
        expected = evaluate_similarity(vectors, datapath(name))
        if abs(answer - expected["spearman"]) <= 0.005:
            continue
        as_zero, cased, scores = [], [], []
        with open(datapath(name), encoding="utf-8") as handle:
            rows = [line.rstrip("\n").split("\t")[:3] for line in handle
                    if line.strip() and not line.startswith("#")]
        for first, second, score in rows:
            pair = (first.lower(), second.lower())
            known = all(word in vectors.key_to_index for word in pair)
            cosine = float(vectors.similarity(*pair)) if known else 0.0
            as_zero.append(cosine)
            scores.append(float(score))
            if first in vectors.key_to_index and second in vectors.key_to_index:
                cased.append((cosine, float(score)))
        unknown = len(rows) - expected["pairs"]
        mistakes = (  # (what it did, the value it gives, the hint for it)
            ("That is the Pearson correlation; the benchmark's score is Spearman's (of ranks)",
             expected["pearson"], "Human scores are ratings, not measurements: the benchmark "
             "compares the order of the pairs, not the values."),
            (f"It counted the {unknown} pairs with a word the vectors lack (as similarity 0) "
             "instead of skipping them", stats.spearmanr(as_zero, scores)[0],
             "A pair the vectors cannot score says nothing about them: leave it out."),
            (f"It skipped {len(rows) - unknown - len(cased)} more pairs than those with unknown "
             "words: the ones with capitals (e.g. 'Jerusalem')", stats.spearmanr(*zip(*cased))[0],
             "The file spells some words with capitals; GloVe's words are lower-case."),
        )
        for mistake, value, hint in mistakes:
            if abs(answer - value) <= 0.002:
                return Mistake(f"On {setting} it gave {answer:.3f}. {mistake}.", hint)
        return (f"On {setting} it gave {answer:.3f}; the Spearman correlation over the "
                f"{expected['pairs']} pairs with known words is {expected['spearman']:.3f}.")
    return None
