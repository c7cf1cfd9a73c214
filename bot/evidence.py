"""Choose the sentences that answer a question, and decide whether the sources answer it at all.

Cosine similarity alone cannot tell "answerable" from "merely on topic" (scores shift with the
question's language), so the decision also looks inside the best sentences: do the question's
key terms (Arabic, after normalisation and stemming, weighted by rarity), its names (across
scripts, for English questions) and, for "how many" questions, a number appear there?
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.arabic import normalise, stem, stems, stopwords, tokens
from retrieval.models import Language, Sentence
from retrieval.search import Candidate, CorpusView, SearchResult
from retrieval.transliteration import arabic_skeletons, name_found

LEXICAL_WEIGHT = {"ar": 0.12, "en": 0.04}
NEIGHBOUR_CREDIT = 0.5  # a term found only in the preceding sentence counts half
MIN_COVERAGE = {"ar": 0.5, "en": 0.5}
MIN_SIMILARITY = {"ar": 0.80, "en": 0.77}
SAME_ARTICLE_MARGIN = 0.02
OTHER_ARTICLE_MARGIN = 0.045
_COUNT_QUESTION = re.compile(r"\bhow (?:many|much)\b|(?:^|\s)كم(?:\s|$)", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+")
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class QuestionTerms:
    """What the evidence must contain: weighted stems, Latin-script names, numbers."""

    language: Language
    weights: dict[str, float]
    names: tuple[str, ...]
    numbers: frozenset[str]
    wants_count: bool


@dataclass(frozen=True)
class Scored:
    """A candidate with the share of the question's terms found in and just before it."""

    candidate: Candidate
    coverage: float
    score: float

    @property
    def sentence(self) -> Sentence:
        return self.candidate.sentence


def question_terms(question: str, language: Language, view: CorpusView) -> QuestionTerms:
    """Key terms of a question; Arabic stems are weighted by inverse sentence frequency."""
    weights: dict[str, float] = {}
    for term in stems(question, drop_stopwords=True):
        weights[term] = math.log((view.sentence_count + 1) / (view.sentence_frequency.get(term, 0) + 0.5))
    stop = stopwords()
    names = tuple(
        dict.fromkeys(
            w for w in _NAME.findall(question) if w.lower() not in stop and not _NUMBER.search(w)
        )
    )
    return QuestionTerms(
        language=language,
        weights=weights,
        names=names if language == "en" else (),
        numbers=frozenset(_NUMBER.findall(question)),
        wants_count=bool(_COUNT_QUESTION.search(question)),
    )


def _context(sentence: Sentence, view: CorpusView) -> tuple[set[str], set[str], set[str]]:
    """Stems of the sentence, stems of the sentence before it, and skeletons of both."""
    before = view.previous_sentence(sentence)
    own = set(stems(sentence.text))
    previous = set(stems(before.text)) if before else set()
    skeletons = set().union(*(arabic_skeletons(w) for w in tokens(sentence.text + " " + (before.text if before else ""))))
    return own, previous, skeletons


def coverage(terms: QuestionTerms, sentence: Sentence, view: CorpusView) -> float:
    """Weighted share (0..1) of the question's terms present in the sentence or just before it."""
    own, previous, skeletons = _context(sentence, view)
    if terms.language == "ar":
        total = sum(terms.weights.values())
        if not total:
            return 0.0
        found = sum(
            w * (1.0 if t in own else NEIGHBOUR_CREDIT if t in previous else 0.0)
            for t, w in terms.weights.items()
        )
        return found / total
    anchors = [*terms.names, *terms.numbers]
    if not anchors:
        return 0.0
    digits = own | previous
    found = sum(1 for n in terms.names if name_found(n, skeletons))
    found += sum(1 for n in terms.numbers if stem(n) in digits)
    return found / len(anchors)


def score(result: SearchResult, terms: QuestionTerms, view: CorpusView) -> list[Scored]:
    """Candidates ranked by similarity plus a bonus for the question's terms they contain."""
    weight = LEXICAL_WEIGHT[terms.language]
    scored = []
    for candidate in result.candidates:
        share = coverage(terms, candidate.sentence, view)
        scored.append(Scored(candidate, share, candidate.similarity + weight * share))
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def select(scored: Sequence[Scored], limit: int) -> list[Scored]:
    """The best sentence first, then near-equals from its article and the best of other articles."""
    if not scored:
        return []
    best = scored[0]
    chosen = [best]
    for item in scored[1:]:
        if len(chosen) >= limit:
            break
        same = item.sentence.article_id == best.sentence.article_id
        margin = SAME_ARTICLE_MARGIN if same else OTHER_ARTICLE_MARGIN
        article_taken = any(c.sentence.article_id == item.sentence.article_id for c in chosen)
        if best.score - item.score <= margin and (same or not article_taken):
            chosen.append(item)
    rest = sorted(chosen[1:], key=lambda s: (s.sentence.article_id != best.sentence.article_id, s.sentence.start))
    return [best, *rest]


def _has_new_number(sentence: Sentence, terms: QuestionTerms) -> bool:
    """A standalone number that the question does not already contain and that is not a year."""
    standalone = re.findall(r"(?<![\w-])\d+(?![\w-])", normalise(sentence.text))
    return any(n not in terms.numbers and not _YEAR.match(n) for n in standalone)


def answerable(evidence: Sequence[Scored], terms: QuestionTerms) -> bool:
    """Whether the chosen sentences really answer the question (never a best guess)."""
    if not evidence:
        return False
    best = evidence[0]
    if best.candidate.similarity < MIN_SIMILARITY[terms.language]:
        return False
    if best.coverage < MIN_COVERAGE[terms.language]:
        return False
    if terms.wants_count and not any(_has_new_number(e.sentence, terms) for e in evidence):
        return False
    return True
