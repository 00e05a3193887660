"""The coding assistant: which codes might apply to segments nobody has coded yet. Pure functions.

Two signals, and a suggestion's score is the stronger of them (0 to 1):

* **key terms** — the code's own key terms and those of every theme it rolls up to (the review's
  Table 2 gives them per theme). A term matches a segment when each of its words does (small words
  such as "of" and "the" are ignored); words match after light stemming — one common English
  suffix is cut ("listening", "listened" -> "listen") and a stem of five letters or more also
  matches a longer one it begins ("communic" ~ "communicat"); a term word ending in ``*`` matches
  every word it begins. The score is n / (n + 1) for n matching terms (0.5, 0.67, 0.75 ...).
* **similarity** — the cosine similarity between the segment and the text already coded with the
  code (the highest over its codings), on TF-IDF vectors of the documents' segments
  (scikit-learn), or on sentence embeddings when the optional model is installed.

Suggestions are what they say: stored as codings of the coder "assistant" with origin
``suggested`` and their score and reason, never counted as a person's coding until one accepts them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from synthesist.synthesis.model import Code, Coding, Document, SpanKind, Theme
from synthesist.synthesis.segments import Segment, segments
from synthesist.synthesis.themes import themes_of_code

__all__ = ["Suggestion", "matching_terms", "stem", "suggest_codes", "tfidf_vectors"]

Vectoriser = Callable[[Sequence[str]], NDArray[np.float64]]
"""Texts to L2-normalised row vectors (a row per text), fitted on the texts given."""

# one of these is cut, longest first
# fmt: off
_SUFFIXES = sorted(
    ["ations", "ation", "ators", "ator", "ingly", "ings", "ing", "ions", "ion", "ities", "ity",
     "ments", "ment", "edly", "ed", "ies", "es", "ers", "er", "ly", "s", "e"],
    key=len,
    reverse=True,
)
# small words a key term may hold that need not be in the segment
_SMALL = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
     "on", "or", "the", "their", "to", "with"]
)
# fmt: on
_WORD = re.compile(r"[\w*]+(?:'\w+)?")
_QUOTES = "\"“‘'«"


@dataclass(frozen=True, slots=True)
class Suggestion:
    document_id: int
    code_id: int
    segment: Segment
    score: float
    kind: SpanKind
    reason: str


def stem(word: str) -> str:
    """``word`` lower-cased, without a possessive and one common suffix (keeping 3 letters at least)."""
    base = word.lower().removesuffix("'s").removesuffix("’s")
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            return base[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return base


def _same(term_stem: str, word_stem: str) -> bool:
    if term_stem == word_stem:
        return True
    short, long = sorted((term_stem, word_stem), key=len)
    return len(short) >= 5 and long.startswith(short)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.replace("-", " ")) if w.lower() not in _SMALL]


def matching_terms(terms: Iterable[str], text: str) -> list[str]:
    """The key terms of which every word occurs in ``text`` (see the module docstring)."""
    stems = [stem(word) for word in _words(text)]
    raw = [word.lower() for word in _words(text)]
    found = []
    for term in terms:
        parts = _words(term)
        if parts and all(_word_matches(part, stems, raw) for part in parts):
            found.append(term)
    return found


def _word_matches(part: str, stems: list[str], raw: list[str]) -> bool:
    if part.endswith("*"):
        prefix = part[:-1].lower()
        return bool(prefix) and any(word.startswith(prefix) for word in raw)
    wanted = stem(part)
    return any(_same(wanted, word) for word in stems)


def tfidf_vectors(texts: Sequence[str]) -> NDArray[np.float64]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=r"(?u)\b\w\w+\b")
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # only stop words or no words at all: nothing to compare
        return np.zeros((len(texts), 1))
    return np.asarray(matrix.toarray(), dtype=np.float64)  # rows are L2-normalised by default


def suggest_codes(
    documents: Sequence[Document],
    codes: Sequence[Code],
    themes: Sequence[Theme],
    coded: Sequence[Coding],
    *,
    targets: Iterable[int],
    skip: Callable[[int, int, Segment], bool] = lambda document_id, code_id, segment: False,
    min_score: float = 0.3,
    limit: int = 2,
    vectorise: Vectoriser = tfidf_vectors,
) -> list[Suggestion]:
    """Suggestions for the segments of the ``targets`` documents that no coding in ``coded`` (the
    people's and consensus codings) touches: at most ``limit`` codes per segment, each scoring at
    least ``min_score``, best first. ``skip`` says which (document, code, segment) to leave alone
    (suggested before)."""
    live = [code for code in codes if code.merged_into is None]
    theme_index: Mapping[int, Theme] = {theme.id: theme for theme in themes}
    terms = {code.id: _terms(code, theme_index) for code in live}
    wanted = set(targets)
    candidates: list[tuple[Document, Segment]] = []
    for document in documents:
        if document.id not in wanted:
            continue
        mine = [c for c in coded if c.document_id == document.id]
        for segment in segments(document.text):
            if not any(c.start < segment.content_end and segment.content_start < c.end for c in mine):
                candidates.append((document, segment))
    if not candidates or not live:
        return []
    examples = [(c.code_id, c.id, c.text) for c in coded if c.text.strip()]
    texts = [document.text[s.content_start : s.content_end] for document, s in candidates]
    vectors = vectorise(texts + [text for _, _, text in examples])
    segment_vectors, example_vectors = vectors[: len(texts)], vectors[len(texts) :]
    similarity = segment_vectors @ example_vectors.T if examples else np.zeros((len(texts), 0))
    found: list[Suggestion] = []
    for row, (document, segment) in enumerate(candidates):
        scored: list[Suggestion] = []
        for code in live:
            if skip(document.id, code.id, segment):
                continue
            matched = matching_terms(terms[code.id], texts[row])
            term_score = len(matched) / (len(matched) + 1)
            best_sim, best_id = 0.0, None
            for column, (code_id, coding_id, _) in enumerate(examples):
                if code_id == code.id and similarity[row, column] > best_sim:
                    best_sim, best_id = float(similarity[row, column]), coding_id
            score = max(term_score, best_sim)
            if score < min_score:
                continue
            reasons = []
            if matched:
                reasons.append(f"key terms: {', '.join(matched)}")
            if best_id is not None and best_sim > 0:
                reasons.append(f"like coding {best_id} ({best_sim:.2f})")
            kind = SpanKind.QUOTE if texts[row][:1] in _QUOTES else SpanKind.INTERPRETATION
            scored.append(
                Suggestion(document.id, code.id, segment, round(score, 4), kind, "; ".join(reasons))
            )
        scored.sort(key=lambda s: (-s.score, s.code_id))
        found += scored[:limit]
    return found


def _terms(code: Code, themes: Mapping[int, Theme]) -> list[str]:
    terms = list(code.key_terms)
    for theme_id in themes_of_code(code, themes):
        terms += [term for term in themes[theme_id].key_terms if term not in terms]
    return terms
