"""Cold start: score records against the protocol's include keywords with BM25.

Before the team has found a single relevant record there is nothing to learn from; the keywords
the protocol already lists (the concepts of the question, often the search terms) are the best
guess at what a relevant record says. Each record's title + abstract is scored with Okapi BM25
(Robertson & Zaragoza 2009), the keyword list taken as one query:

* a keyword of several words is a phrase: ``"heart failure"`` counts where those two words stand
  next to each other, not where "heart" and "failure" occur apart;
* a trailing ``*`` truncates, as in database searches: ``nudg*`` counts nudge, nudges, nudging
  (single words only; a ``*`` elsewhere is ignored);
* matching ignores case; words are runs of letters and digits.

BM25 rather than plain TF-IDF cosine because it saturates term frequency (an abstract that says
"nudge" ten times is not ten times as relevant) and normalises for length without letting a
short title with one keyword beat an abstract that covers all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import CountVectorizer

__all__ = ["keyword_scores"]

_TOKEN_PATTERN = r"(?u)\b\w+\b"
_TOKEN = re.compile(_TOKEN_PATTERN)
# The usual Okapi constants: term-frequency saturation and strength of length normalisation.
_K1 = 1.2
_B = 0.75
# Phrases longer than this are cut to their first words: long n-grams cost memory and rarely match.
_MAX_PHRASE = 4


def keyword_scores(texts: Sequence[str], keywords: Sequence[str]) -> NDArray[np.float64]:
    """The BM25 score of each text against the keywords as one query; 0 where none occurs."""
    scores = np.zeros(len(texts), dtype=np.float64)
    phrases, prefixes = _parse(keywords)
    if not texts or not (phrases or prefixes):
        return scores

    # One pass over all words: document lengths, and the vocabulary that truncated keywords expand in.
    words = CountVectorizer(token_pattern=_TOKEN_PATTERN, lowercase=True)
    try:
        unigrams = words.fit_transform(texts)
    except ValueError:  # not a single word in any text
        return scores
    terms = set(phrases)
    if prefixes:
        vocabulary: list[str] = list(words.get_feature_names_out())
        terms.update(word for word in vocabulary if word.startswith(prefixes))
    if not terms:
        return scores

    longest = max(len(term.split()) for term in terms)
    counter = CountVectorizer(
        token_pattern=_TOKEN_PATTERN,
        lowercase=True,
        ngram_range=(1, longest),
        vocabulary=sorted(terms),
    )
    tf = sp.csr_matrix(counter.transform(texts), dtype=np.float64)
    if tf.nnz == 0:
        return scores

    n = len(texts)
    lengths = np.asarray(unigrams.sum(axis=1), dtype=np.float64).ravel()
    mean_length = lengths.mean() or 1.0
    df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))

    rows = np.repeat(np.arange(n), np.diff(tf.indptr))
    norm = _K1 * (1 - _B + _B * lengths[rows] / mean_length)
    weighted = tf.data * (_K1 + 1) / (tf.data + norm) * idf[tf.indices]
    np.add.at(scores, rows, weighted)
    return scores


def _parse(keywords: Sequence[str]) -> tuple[list[str], tuple[str, ...]]:
    """Split keywords into exact phrases (words joined by one space) and truncation prefixes."""
    phrases: list[str] = []
    prefixes: list[str] = []
    for keyword in keywords:
        tokens = _TOKEN.findall(keyword.lower())[:_MAX_PHRASE]
        if not tokens:
            continue
        if len(tokens) == 1 and keyword.strip().endswith("*"):
            prefixes.append(tokens[0])
        else:
            phrases.append(" ".join(tokens))
    return phrases, tuple(prefixes)
