"""The answer decision: rank candidate sentences and choose the reply kind, with fitted parameters.

Two logistic models per question language, both plain dot products at run time:
- the ranker scores each candidate sentence from `evidence.FEATURES` (does it hold the answer?);
- the answer model scores the question from the best-ranked sentences (`QUESTION_FEATURES` and
  the products of each pair of them, `pairwise`, so that one signal can count for more when
  another is strong): at or above `answer_threshold` the reply is an answer, at or above
  `related_threshold` the closest passages are shown as related (not an answer), below it
  nothing was found. An answer to a question asking for a number, a date or a name rests on its
  first quote: when that holds none, the reply is related instead ("how many Su-35s?" answered by
  the deal's sentence without a count, "which town in Tatarstan?" by the plant's sentence naming
  no town).
The parameters live in decision.json beside this file, written by `python -m isnad.bot.answer.fitting`
(see its docstring for the data and the command); nothing here is tuned by hand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from isnad.bot.answer.evidence import FEATURES, Ranked, features, select
from isnad.bot.answer.question import Question
from isnad.retrieval.models import Language
from isnad.retrieval.search import Candidate, CorpusView, SearchResult

DECISION_FILE = Path(__file__).with_name("decision.json")
QUESTION_FEATURES = (
    "best_score",
    "score_gap",
    "best_similarity",
    "best_coverage",
    "best_window_coverage",
    "best_rarest",
    "best_type_missing",
    "type_deficit",
    "top3_coverage",
    "best_soft_coverage",
    "best_soft_gain",
    "known_share",
    "term_count",
    "similarity_spread",
    "article_standout",
    "best_sparse",
    "sparse_standout",
)
SPREAD_RANK = 10  # the best similarity is compared with the tenth best
Kind = Literal["answered", "related", "not_found"]


@dataclass(frozen=True)
class Linear:
    """A logistic model: log-odds = weights . row + bias."""

    weights: tuple[float, ...]
    bias: float

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        return rows @ np.asarray(self.weights, dtype=np.float32) + self.bias


def pairwise(rows: np.ndarray) -> np.ndarray:
    """The answer model's terms: each row's features, then the product of every pair of them (squares included)."""
    first, second = np.triu_indices(rows.shape[1])
    return np.hstack([rows, rows[:, first] * rows[:, second]])


ANSWER_TERMS = len(QUESTION_FEATURES) * (len(QUESTION_FEATURES) + 3) // 2


@dataclass(frozen=True)
class LanguageParams:
    """Everything the decision needs for questions in one language."""

    ranker: Linear
    answer: Linear
    answer_threshold: float  # probability
    related_threshold: float
    citation_margin: float  # log-odds below the best sentence still quoted


@dataclass(frozen=True)
class DecisionParams:
    """Fitted parameters for both languages, with how they were made."""

    languages: dict[str, LanguageParams]
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = DECISION_FILE) -> DecisionParams:
        raw = json.loads(path.read_text(encoding="utf-8"))
        languages = {
            language: LanguageParams(
                ranker=Linear(tuple(p["ranker"]["weights"]), p["ranker"]["bias"]),
                answer=Linear(tuple(p["answer"]["weights"]), p["answer"]["bias"]),
                answer_threshold=p["answer_threshold"],
                related_threshold=p["related_threshold"],
                citation_margin=p["citation_margin"],
            )
            for language, p in raw["languages"].items()
        }
        if (
            raw.get("features") != list(FEATURES)
            or raw.get("question_features") != list(QUESTION_FEATURES)
            or any(len(p.answer.weights) != ANSWER_TERMS for p in languages.values())
        ):
            raise ValueError(f"{path} was fitted on other features: refit with python -m isnad.bot.answer.fitting")
        return cls(languages, raw.get("provenance", {}))

    def save(self, path: Path = DECISION_FILE) -> None:
        raw = {
            "features": list(FEATURES),
            "question_features": list(QUESTION_FEATURES),
            "languages": {language: asdict(p) for language, p in self.languages.items()},
            "provenance": self.provenance,
        }
        path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Decision:
    """The reply kind, its probability of being a real answer, and the sentences to quote."""

    kind: Kind
    probability: float
    evidence: tuple[Ranked, ...]


def rank(params: LanguageParams, question: Question, result: SearchResult, view: CorpusView) -> list[Ranked]:
    """Candidates ordered by the ranker's score."""
    return rank_rows(params, result.candidates, features(question, result, view))


def rank_rows(params: LanguageParams, candidates: Sequence[Candidate], rows: np.ndarray) -> list[Ranked]:
    """Candidates with their feature rows, ordered by the ranker's score."""
    scores = params.ranker(rows) if len(rows) else np.zeros(0)
    ranked = [Ranked(c, float(s), row) for c, s, row in zip(candidates, scores, rows, strict=True)]
    ranked.sort(key=lambda r: r.score, reverse=True)
    return ranked


def question_row(question: Question, ranked: Sequence[Ranked]) -> np.ndarray:
    """The answer model's input: how good the best sentences are, how far the best stands out from
    the other candidates (and from the rest of its own article, and in sparse terms from the
    median candidate), and how on-topic the question is."""
    if not ranked:
        return np.zeros(len(QUESTION_FEATURES), dtype=np.float32)
    column = {name: i for i, name in enumerate(FEATURES)}
    best = ranked[0].row
    second = ranked[1].score if len(ranked) > 1 else ranked[0].score - 5.0
    similarities = sorted((r.candidate.similarity for r in ranked), reverse=True)
    article = ranked[0].sentence.article_id
    same_article = [r.candidate.similarity for r in ranked if r.sentence.article_id == article]
    if len(same_article) == 1:  # a short article offers nothing to stand out from: compare with all candidates
        same_article = similarities
    return np.asarray(
        (
            ranked[0].score,
            ranked[0].score - second,
            best[column["similarity"]],
            best[column["coverage"]],
            best[column["window_coverage"]],
            best[column["rarest_found"]],
            best[column["type_missing"]],
            _type_deficit(ranked, column),
            max(r.row[column["coverage"]] for r in ranked[:3]),
            best[column["soft_coverage"]],
            best[column["soft_gain"]],
            question.known_share,
            math.log(1 + len(question.terms)),
            similarities[0] - similarities[min(SPREAD_RANK, len(similarities)) - 1],
            similarities[0] - float(np.median(same_article)),
            ranked[0].candidate.sparse,
            ranked[0].candidate.sparse - float(np.median([r.candidate.sparse for r in ranked])),
        ),
        dtype=np.float32,
    )


def _type_deficit(ranked: Sequence[Ranked], column: dict[str, int]) -> float:
    """How much more of the question the best candidate covers than the best one holding the kind of
    answer asked for (a number, a date, a name): "how many reactors" finds the reactors only where no number is."""
    coverage = [r.row[column["coverage"]] for r in ranked]
    typed = [c for c, r in zip(coverage, ranked, strict=True) if r.row[column["type_match"]]]
    if not any(r.row[column["type_match"]] or r.row[column["type_missing"]] for r in ranked):
        return 0.0  # no kind of answer asked for
    return float(max(coverage) - max(typed, default=0.0))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


def answer_probability(params: LanguageParams, question: Question, ranked: Sequence[Ranked]) -> float:
    if not ranked or not question.terms:
        return 0.0
    return _sigmoid(float(params.answer(pairwise(question_row(question, ranked)[None, :]))[0]))


def decide(params: DecisionParams, question: Question, result: SearchResult, view: CorpusView, limit: int) -> Decision:
    """Rank the candidates and choose: answered, related (closest passages) or not found."""
    language: Language = question.language
    p = params.languages[language]
    ranked = rank(p, question, result, view)
    probability = answer_probability(p, question, ranked)
    kind = reply_kind(p, probability)
    if kind == "answered":
        if chosen := answer_quotes(p, question, ranked, limit):
            return Decision(kind, probability, tuple(chosen))
        kind = "related"
    if kind == "related":
        return Decision(kind, probability, tuple(select(ranked, limit, math.inf)))
    return Decision(kind, probability, ())


def answer_quotes(params: LanguageParams, question: Question, ranked: Sequence[Ranked], limit: int) -> list[Ranked]:
    """The sentences an answer quotes (the best and those within the citation margin), or none when
    they cannot stand as the answer: the first must itself hold the kind of answer asked for (a
    number, a date, a name the question does not hold), where one is asked for. The neighbour it
    is quoted with does not count: "how many pilots were trained in Crimea" is not answered by the
    training's sentence beside one on 300 drones."""
    chosen = select(ranked, limit, params.citation_margin, question.multi_source)
    return chosen if chosen and not chosen[0].lacks_kind_asked else []


def reply_kind(params: LanguageParams, probability: float) -> Kind:
    """The reply a probability of answering calls for, at the fitted thresholds."""
    if probability >= params.answer_threshold:
        return "answered"
    return "related" if probability >= params.related_threshold else "not_found"
