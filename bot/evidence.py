"""Choose the sentences that answer a question, and decide whether the sources answer it at all.

Cosine similarity alone cannot tell "answerable" from "merely on topic" (scores shift with the
question's language), so the decision also looks inside the best sentences and their neighbours:
- Arabic questions: the share of the question's key terms (normalised, stemmed, weighted by
  rarity) found there;
- English questions: the share of its names (matched across scripts by consonant skeleton) and
  numbers found there, and at least one of them, or a transliterated loanword ("tactical" ~
  تكتيكي), specific to few sentences, unless the dense match is strong;
- "how many" questions: a number the question did not already contain, in the best sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.arabic import normalise, stems, stopwords, tokens
from retrieval.models import Language, Sentence
from retrieval.search import Candidate, CorpusView, SearchResult
from retrieval.transliteration import latin_skeleton, skeleton_found, text_skeletons

LEXICAL_WEIGHT = {"ar": 0.12, "en": 0.04}
MIN_SIMILARITY = {"ar": 0.80, "en": 0.77}
MIN_COVERAGE = {"ar": 0.48, "en": 0.5}
STRONG_SIMILARITY_EN = 0.81  # an English match this close needs no specific name
MIN_SPECIFIC_IDF = 2.0  # a name found in at most ~1/7 of the sentences
SAME_ARTICLE_MARGIN = 0.02
OTHER_ARTICLE_MARGIN = 0.045
# "covered in two articles", "in each report", "يذكر مقالان", "في كل منهما": one quote per source.
_MULTI_SOURCE = re.compile(
    r"\b(?:two|both|each|several|multiple|different)\s+(?:of\s+the\s+)?(?:articles?|reports?|sources?|outlets?)\b"
    r"|\bin each\b|مقالان|مقالين|تقريران|تقريرين|المصدرين|كل منهما|كلا المقال",
    re.IGNORECASE,
)
_COUNT_QUESTION = re.compile(r"\bhow (?:many|much)\b|(?:^|\s)كم(?:\s|$)", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-zA-Z]+")
_WORD = re.compile(r"\b[a-z]{6,}\b")  # candidate loanwords: "tactical" ~ تكتيكي, "strategic" ~ استراتيجي
MIN_LOANWORD_SKELETON = 4
_NUMBER = re.compile(r"\d+")
_STANDALONE_NUMBER = re.compile(r"(?<![\w-])\d+(?![\w-])")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Anchor:
    """A name or number from an English question, with how rare it is in the corpus."""

    text: str
    skeleton: str
    idf: float


@dataclass(frozen=True)
class QuestionTerms:
    """What the evidence should contain."""

    language: Language
    weights: dict[str, float]
    anchors: tuple[Anchor, ...]  # names and numbers: the evidence should contain them
    numbers: frozenset[str]
    wants_count: bool
    multi_source: bool = False
    loanwords: tuple[Anchor, ...] = ()  # common words that may be transliterated: only make evidence specific


@dataclass(frozen=True)
class Scored:
    """A candidate, the share of the question's terms around it, and its combined score."""

    candidate: Candidate
    coverage: float
    specific: bool
    score: float

    @property
    def sentence(self) -> Sentence:
        return self.candidate.sentence


def _idf(frequency: int, total: int) -> float:
    return math.log((total + 1) / (frequency + 0.5))


def question_terms(question: str, language: Language, view: CorpusView) -> QuestionTerms:
    """Key terms of a question. A term absent from the corpus weighs like one seen once."""
    total = view.sentence_count
    weights = {t: _idf(max(1, view.sentence_frequency.get(t, 0)), total) for t in stems(question, True)}
    anchors: list[Anchor] = []
    loanwords: list[Anchor] = []
    if language == "en":
        stop = stopwords()

        def anchor(word: str) -> Anchor:
            skeleton = latin_skeleton(word)
            return Anchor(word, skeleton, _idf(view.skeleton_count(skeleton), total))

        anchors = [anchor(w) for w in dict.fromkeys(_NAME.findall(question)) if w.lower() not in stop]
        anchors = [a for a in anchors if len(a.skeleton) >= 2]
        anchors += [
            Anchor(n, n, _idf(view.sentence_frequency.get(n, 0), total)) for n in dict.fromkeys(_NUMBER.findall(question))
        ]
        loanwords = [anchor(w) for w in dict.fromkeys(_WORD.findall(question)) if w not in stop]
        loanwords = [a for a in loanwords if len(a.skeleton) >= MIN_LOANWORD_SKELETON]
    return QuestionTerms(
        language=language,
        weights=weights,
        anchors=tuple(anchors),
        numbers=frozenset(_NUMBER.findall(normalise(question))),
        wants_count=bool(_COUNT_QUESTION.search(question)),
        multi_source=bool(_MULTI_SOURCE.search(question)),
        loanwords=tuple(loanwords),
    )


def _window(sentence: Sentence, view: CorpusView) -> str:
    """The sentence with its neighbours: pronouns and subjects often sit one sentence away."""
    return " ".join(s.text for s in view.neighbourhood(sentence))


def _arabic_coverage(terms: QuestionTerms, window: str) -> float:
    total = sum(terms.weights.values())
    present = set(stems(window))
    return sum(w for t, w in terms.weights.items() if t in present) / total if total else 0.0


def _found(anchors: Sequence[Anchor], window: str) -> list[Anchor]:
    words = tokens(window)
    skeletons = text_skeletons(words)
    numbers = set(words)
    return [
        a for a in anchors
        if (a.text in numbers if a.text.isdigit() else skeleton_found(a.skeleton, skeletons))
    ]


def score(result: SearchResult, terms: QuestionTerms, view: CorpusView) -> list[Scored]:
    """Candidates ranked by similarity plus a bonus for the question's terms around them."""
    weight = LEXICAL_WEIGHT[terms.language]
    scored = []
    for candidate in result.candidates:
        window = _window(candidate.sentence, view)
        if terms.language == "ar":
            share, specific = _arabic_coverage(terms, window), True
            bonus = (share + _arabic_coverage(terms, candidate.sentence.text)) / 2
        else:
            found = _found(terms.anchors, window)
            share = len(found) / len(terms.anchors) if terms.anchors else 0.0
            specific = any(a.idf >= MIN_SPECIFIC_IDF for a in found + _found(terms.loanwords, window))
            bonus = share
        scored.append(Scored(candidate, share, specific, candidate.similarity + weight * bonus))
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def select(scored: Sequence[Scored], limit: int, multi_source: bool = False) -> list[Scored]:
    """The best sentence first, then near-equals from its article and the best of other articles.

    A question that asks what several sources say gets the best sentence of the second-best
    article whatever its margin.
    """
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
        first_of_second_source = multi_source and not same and len({c.sentence.article_id for c in chosen}) == 1
        if (best.score - item.score <= margin or first_of_second_source) and (same or not article_taken):
            chosen.append(item)
    rest = sorted(chosen[1:], key=lambda s: (s.sentence.article_id != best.sentence.article_id, s.sentence.start))
    return [best, *rest]


def _has_new_number(sentence: Sentence, terms: QuestionTerms) -> bool:
    """A standalone number that the question does not already contain and that is not a year."""
    return any(
        n not in terms.numbers and not _YEAR.match(n) for n in _STANDALONE_NUMBER.findall(normalise(sentence.text))
    )


def answerable(evidence: Sequence[Scored], terms: QuestionTerms) -> bool:
    """Whether the chosen sentences really answer the question (never a best guess)."""
    if not evidence:
        return False
    best = evidence[0]
    similarity = best.candidate.similarity
    if similarity < MIN_SIMILARITY[terms.language] or best.coverage < MIN_COVERAGE[terms.language]:
        return False
    if terms.language == "en" and not (best.specific or similarity >= STRONG_SIMILARITY_EN):
        return False
    if terms.wants_count and not _has_new_number(best.sentence, terms):
        return False  # the count must be in the best sentence, not in one about something else
    return True


def worth_asking_model(scored: Sequence[Scored], terms: QuestionTerms) -> bool:
    """A loose gate before a language model judges: something close enough to the question exists."""
    return bool(scored) and scored[0].candidate.similarity >= MIN_SIMILARITY[terms.language]
