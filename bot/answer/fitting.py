"""Fit the answer decision (bot/answer/decision.json) on named development data, and report held-out figures.

    pip install -e '.[fit]' && python -m isnad.bot.answer.fitting   # writes bot/answer/decision.json; ~10 min on 2 cores (cold)

Data, all in the repository (tests/data/README.md, tests/data/xquad/README.md):
- XQuAD-ar (tests/data/xquad/): Arabic Wikipedia paragraphs with Arabic and parallel English
  questions; the "fit" articles of splits.json are fitted on, the "heldout" ones only reported.
- near-miss versions of both: a copy of the corpus with the answer's paragraph removed, the
  question unchanged (on topic, answer gone) — one paragraph of every article per copy for XQuAD,
  the paragraphs holding the reference quotes for the seed questions;
- detail misses, only reported (not fitted on): for the XQuAD questions that ask for a number or a
  date, a copy with only the answer's own words cut (the sentence stays, on topic, without the
  detail asked for). Fitted on, they taught the model that a sentence matching every word of a
  question is suspect: evidence fell and full matches in small corpora were declined.
- the seed articles' golden questions: tests/data/questions.jsonl (public) and the "dev" items of
  chat_questions.jsonl and exam_questions.jsonl; their "heldout" items are only reported.
Per question language, a logistic ranker learns which candidate sentence holds the answer; a
logistic answer model learns, from the best-ranked sentences (their features and the products of
each pair of them), whether the reply would carry the answer. The answer threshold is set to
decline TARGET_DECLINED of unseen near-miss and unanswerable questions (the share of the fitted
ones that does so is found by fitting on all folds of articles but one); below the related
threshold (TARGET_OFF_CORPUS_NOT_FOUND of the off-corpus questions, but at most
MAX_EVIDENCE_NOT_FOUND of the answerable questions whose closest passages hold the answer) the
reply is "not found" rather than related passages.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import shutil
import sys
import tempfile
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.decision import (
    ANSWER_TERMS,
    DecisionParams,
    LanguageParams,
    Linear,
    answer_probability,
    answer_quotes,
    pairwise,
    question_row,
    rank_rows,
    reply_kind,
)
from isnad.bot.answer.eval_sets import SPLITS_FILE, load_items, read_texts
from isnad.bot.answer.evaluation import reference_spans
from isnad.bot.answer.evidence import FEATURES, Ranked, quotes, select
from isnad.bot.answer.near_miss import NearMissCorpus, detail_corpora, golden_corpora, xquad_corpora
from isnad.bot.answer.question import asks_for_number_or_date
from isnad.retrieval.embedders import Embedder, SparseVector, load_embedder
from isnad.retrieval.indexer import update_index
from isnad.retrieval.models import Sentence
from isnad.retrieval.sparse import SparseVectors
from isnad.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]  # the repository (bot/answer/fitting.py)
DATA = ROOT / "tests" / "data"
XQUAD = DATA / "xquad"
GOLDEN_FILES = ("questions.jsonl", "chat_questions.jsonl", "exam_questions.jsonl")
# Share of unseen near-miss and unanswerable questions the answer threshold should decline (the aim
# is 0.85; six XQuAD articles decline from 0.82 to 0.91 of theirs at one threshold, so the other
# half's 24 articles may fall about two points either side). The share of the fitted questions that
# achieves it is estimated over DECLINE_FOLDS folds of articles (decline_level). Measured on four
# left-out folds of XQuAD dev articles (`python bench/decision_cv.py`, session 17): 0.875 declines ar
# 0.870 / en 0.884 of their near misses, with evidence claimed for 0.814 / 0.706 of their answerable
# questions; 0.87 declined only 0.863 / 0.878 (with 0.817 / 0.713) once the ranker had local
# coverage, too close to the aim for a set of ~620 (session 14, at 0.87: 0.870 / 0.878).
TARGET_DECLINED = 0.875
DECLINE_FOLDS = 4

# Regularisation of the answer model (sklearn's C on standardised terms): its 17 features and their
# pairwise products are 170 terms for ~2,000 questions a language. `python bench/decision_cv.py`
# (session 19; evidence claimed where 0.86 / 0.88 of left-out near misses are declined): the features
# alone (C 1.0) ar 0.830 / 0.798, en 0.740 / 0.711; with their products at C 0.03 ar 0.830 / 0.820,
# en 0.743 / 0.724, and at the fitted thresholds ar 0.825 (0.804 before), en 0.724 (0.704). C 0.01
# did as well on XQuAD but answered five fewer seed questions (0.003: thirteen fewer), C 0.1 less.
ANSWER_STRENGTH = 0.03

DECLINE_REPEATS = 3  # ways of dealing the articles into folds, pooled: the level is steadier
LEVELS = np.arange(0.80, 1.0, 0.0005)  # the shares of fitted negatives decline_level tries
TARGET_OFF_CORPUS_NOT_FOUND = 0.9  # off-corpus questions get "not found", not related passages
# ... unless that hides the passages of answerable questions: English off-corpus questions score
# about as high as answerable ones, and the quantile of 14 of them hid the answer's passages from a
# fifth of the English questions whose passages held it (session 6). At 0.05 (until session 10) the
# Arabic related threshold rose to 0.18 and chat questions whose closest passages held the answer
# ("ايش نوع الطيارات اللي بتاخذها ايران") got "not found" instead of them.
MAX_EVIDENCE_NOT_FOUND = 0.02
CITATION_MARGINS = (0.5, 1.0, 1.5, 2.0, 3.0, math.inf)
LANGUAGES = ("ar", "en")
EMBEDDING_CACHE = "embedding-cache.npz"
SPARSE_CACHE = "sparse-cache.npz"
# XQuAD near-miss copies: paragraph i of every article is cut from copy i mod NEAR_MISS_FOLDS. With
# five paragraphs an article, five copies cut exactly the answer's paragraph, as the outside near-miss
# set does. Two copies (half the paragraphs cut, until session 7) left less of the topic: the
# decision fitted on them declined only 0.824 (ar) / 0.802 (en) of held-out one-paragraph near misses.
NEAR_MISS_FOLDS = 5


class CachingEmbedder(Embedder):
    """Embeds each distinct text once across the many corpora a fit indexes."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[tuple[str, bool], np.ndarray] = {}
        self._sparse = SparseVectors({}, inner.name)

    def load(self, path: Path) -> None:
        """Vectors kept by an earlier run in the same work folder (refits cost no embedding)."""
        self._sparse = SparseVectors.load(path.with_name(SPARSE_CACHE), self.name)
        if path.is_file():
            with np.load(path, allow_pickle=False) as saved:
                keys = zip(saved["texts"].tolist(), saved["queries"].tolist(), strict=True)
                self._cache.update({(str(t), bool(q)): v for (t, q), v in zip(keys, saved["vectors"], strict=True)})

    def save(self, path: Path) -> None:
        texts, queries = zip(*self._cache, strict=True) if self._cache else ((), ())
        vectors = np.vstack(list(self._cache.values())) if self._cache else np.zeros((0, 0))
        np.savez(path, texts=np.asarray(texts, dtype=str), queries=np.asarray(queries), vectors=vectors)
        self._sparse.save(path.with_name(SPARSE_CACHE))

    def sparse(self, texts: Sequence[str]) -> list[SparseVector] | None:
        return self._sparse.held(texts, self.inner)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if (t, is_query) not in self._cache))
        if missing:
            vectors = self.inner.embed_queries(missing) if is_query else self.inner.embed_passages(missing)
            self._cache.update({(t, is_query): v for t, v in zip(missing, vectors, strict=True)})
        return np.vstack([self._cache[(t, is_query)] for t in texts])


@dataclass
class Item:
    """One question with where its answer is (spans in the corpus it is asked against)."""

    id: str
    lang: str
    question: str
    kind: str  # answerable | near_miss | unanswerable (on topic) | off_corpus
    split: str  # fit | heldout
    spans: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Observed:
    """An item, its candidates' feature rows and which of them hold the answer."""

    item: Item
    question: Any
    candidates: list[Any]
    rows: np.ndarray
    labels: np.ndarray
    contexts: dict[str, Sentence]  # each candidate sentence (by span id) as it would be quoted

    def in_context(self, sentence: Sentence) -> Sentence:
        """A candidate sentence as it would be quoted."""
        return self.contexts.get(sentence.span_id, sentence)


# -- data ----------------------------------------------------------------------------------------
def split_of(item: dict[str, Any], splits: dict[str, list[str]] | None) -> str:
    """"heldout" or "fit": by splits.json (XQuAD) or the item's own "split" field (golden)."""
    if splits is None:
        return "heldout" if item.get("split") == "heldout" else "fit"
    if item.get("article"):
        return "heldout" if item["article"] in splits["heldout"] else "fit"
    return "heldout" if item["id"] in splits["unanswerable_heldout"] else "fit"


def as_items(
    raw: Sequence[dict[str, Any]], texts: dict[str, str], splits: dict[str, list[str]] | None, unanswerable: str = "unanswerable"
) -> list[Item]:
    """Question records (either format) as items with their answer spans (every accepted occurrence);
    unanswerable ones are of the kind given (XQuAD's are off-corpus, the seeds' on topic)."""
    items = []
    for record in raw:
        kind = (
            "detail_miss" if record.get("detail") else "near_miss" if record.get("near_miss")
            else "answerable" if record["answerable"] else unanswerable
        )
        spans = reference_spans(record, texts)[1] if kind == "answerable" else []
        key = f"{record.get('id')}:{record['lang']}"
        items.append(Item(key, record["lang"], record["question"], kind, split_of(record, splits), spans))
    return items


def _write(corpus: NearMissCorpus, source: Path, folder: Path) -> Path:
    """A near-miss corpus as files (with the source's metadata), ready to index."""
    folder.mkdir(parents=True, exist_ok=True)
    for article, text in corpus.texts.items():
        with (folder / f"{article}.txt").open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    for extra in source.glob("*.toml"):
        shutil.copyfile(extra, folder / extra.name)
    return folder


# -- indexing and observing ----------------------------------------------------------------------
def index(corpus: Path, data_dir: Path, settings: Settings, embedder: Embedder) -> Settings:
    """Index a corpus into its own data dir; the settings that answer from it."""
    local = settings.model_copy(update={"data_dir": data_dir, "corpus_dir": corpus})
    update_index(local, embedder, corpus)
    return local


_NO_ANSWER_MODEL = Linear((0.0,) * ANSWER_TERMS, 0.0)  # before the answer model is fitted: every question at 0.5


def _neutral() -> DecisionParams:
    neutral = LanguageParams(
        Linear(tuple(1.0 if f == "similarity" else 0.0 for f in FEATURES), 0.0),
        _NO_ANSWER_MODEL, 0.5, 0.5, 0.0,
    )
    return DecisionParams({language: neutral for language in LANGUAGES})


def observe(answerer: Answerer, items: Sequence[Item]) -> list[Observed]:
    """Search each question and record its candidates' features and labels."""
    from isnad.bot.answer.evidence import features

    observed = []
    search = answerer.settings.search
    for item in items:
        question, result, view = answerer.retrieve(item.question, item.lang)  # type: ignore[arg-type]
        rows = features(question, result, view)
        labels = np.asarray([c.sentence.overlaps(item.spans) for c in result.candidates], dtype=np.int8)
        contexts = {c.sentence.span_id: view.in_context(c.sentence, search) for c in result.candidates}
        observed.append(Observed(item, question, list(result.candidates), rows, labels, contexts))
    return observed


# -- fitting -------------------------------------------------------------------------------------
def _logistic(x: np.ndarray, y: np.ndarray, balanced: bool, strength: float = 1.0) -> Linear:
    """A standardised L2 logistic regression (`strength`: sklearn's C), folded back to raw-feature weights."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=strength, max_iter=5000, class_weight="balanced" if balanced else None)
    model.fit((x - mean) / scale, y)
    weights = model.coef_[0] / scale
    bias = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    return Linear(tuple(round(float(w), 6) for w in weights), round(bias, 6))


def _ranked(params: LanguageParams, o: Observed) -> list[Ranked]:
    return rank_rows(params, o.candidates, o.rows)


def _hit(chosen: Sequence[Ranked], o: Observed) -> bool:
    """Whether the quotes of the chosen sentences hold the answer."""
    quoted = quotes([r.sentence for r in chosen], o.in_context)
    return any(q.overlaps(o.item.spans) for q in quoted)


def _fit_models(observed: Sequence[Observed], limit: int) -> tuple[LanguageParams, dict[int, list[Ranked]], list[Observed]]:
    """Ranker, citation margin and answer model for one language's items (thresholds left at 0.5);
    each item's ranked candidates; the answerable items whose widest quotes hold the answer."""
    answerable = [o for o in observed if o.item.kind == "answerable" and len(o.rows)]
    x = np.vstack([o.rows for o in answerable])
    y = np.concatenate([o.labels for o in answerable])
    ranker = _logistic(x, y, balanced=False)
    params = LanguageParams(ranker, _NO_ANSWER_MODEL, 0.5, 0.5, 0.0)
    ranked = {id(o): _ranked(params, o) for o in observed}
    within_reach = [o for o in answerable if _hit(select(ranked[id(o)], limit, math.inf), o)]  # the widest quotes hold it
    widest = len(within_reach) / len(answerable)
    margin = next(
        m for m in CITATION_MARGINS
        if np.mean([_hit(select(ranked[id(o)], limit, m), o) for o in answerable]) >= widest - 0.01
    )
    params = replace(params, citation_margin=margin)
    rows = pairwise(np.vstack([question_row(o.question, ranked[id(o)]) for o in observed]))
    labels = np.asarray(
        [o.item.kind == "answerable" and _hit(select(ranked[id(o)], limit, margin), o) for o in observed], dtype=np.int8
    )
    answer = _logistic(rows, labels, balanced=True, strength=ANSWER_STRENGTH)
    return replace(params, answer=answer), ranked, within_reach


def _negatives(params: LanguageParams, observed: Sequence[Observed]) -> np.ndarray:
    """The answer probabilities of the items that are not answerable (near misses, unanswerable, off corpus)."""
    return np.asarray(
        [answer_probability(params, o.question, _ranked(params, o)) for o in observed if o.item.kind != "answerable"]
    )


def article_folds(
    observed: Sequence[Observed], folds: int, among: Collection[str] | None = None, shuffle: int = 0
) -> dict[str, int]:
    """The fold of each question id: its article's (a near miss, whose answer is cut, is known by the
    article of the answerable question it was made from; only articles `among`, if given); an
    off-corpus question by its id. Other questions (a seed question asked of no article) have none.
    Articles are dealt out in name order, or with `shuffle` in that seed's random order."""
    articles = sorted({o.item.spans[0][0] for o in observed if o.item.spans} if among is None else among)
    if shuffle:
        articles = [articles[i] for i in np.random.default_rng(shuffle).permutation(len(articles))]
    article_fold = {a: i % folds for i, a in enumerate(articles)}
    out = {o.item.id: article_fold[o.item.spans[0][0]] for o in observed if o.item.spans and o.item.spans[0][0] in article_fold}
    salt = f"{shuffle}:" if shuffle else ""
    out.update({o.item.id: zlib.crc32(f"{salt}{o.item.id}".encode()) % folds for o in observed if o.item.kind == "off_corpus"})
    return out


def decline_level(observed: Sequence[Observed], limit: int, target: float) -> float:
    """The share of the fitted negatives to decline so that unseen ones are declined `target`.

    A model declines more of the questions it was fitted on than of new ones, so the quantile of
    its own negatives is optimistic. Fitted on all folds of articles but one (a question of no
    article is always fitted on), each fold's model puts its threshold at the same quantile of its
    own negatives; the level is the lowest quantile at which those thresholds decline `target` of
    the left-out folds' negatives, pooled over DECLINE_REPEATS ways of dealing the articles into
    folds. (Averaging each fold's own level instead, until session 13, declined only 0.862 of
    left-out near misses for a target of 0.88; one way of dealing them, until session 14, let the
    English threshold of two fits of the same code differ by 0.02, three ways by 0.005.)"""
    fitted_negatives, left_out_negatives = [], []
    for shuffle in range(DECLINE_REPEATS):
        fold_of = article_folds(observed, DECLINE_FOLDS, shuffle=shuffle)
        for fold in range(DECLINE_FOLDS):
            inside = [o for o in observed if fold_of.get(o.item.id) != fold]
            left_out = [o for o in observed if fold_of.get(o.item.id) == fold]
            params, _, _ = _fit_models(inside, limit)
            if len(held := _negatives(params, left_out)):
                fitted_negatives.append(_negatives(params, inside))
                left_out_negatives.append(held)
    if not left_out_negatives:
        return target
    total = sum(len(held) for held in left_out_negatives)
    folds = list(zip(fitted_negatives, left_out_negatives, strict=True))
    for level in LEVELS:
        if sum(int(np.sum(held <= np.quantile(fitted, level))) for fitted, held in folds) >= target * total:
            return float(level)
    return 1.0


def fit_language(observed: Sequence[Observed], language: str, limit: int) -> tuple[LanguageParams, dict[str, float]]:
    """Ranker, citation margin, answer model and thresholds for one language's fit items."""
    params, ranked, within_reach = _fit_models(observed, limit)
    answerable = [o for o in observed if o.item.kind == "answerable" and len(o.rows)]
    probability = {id(o): answer_probability(params, o.question, ranked[id(o)]) for o in observed}
    negatives = [probability[id(o)] for o in observed if o.item.kind != "answerable"]
    off_corpus = [probability[id(o)] for o in observed if o.item.kind == "off_corpus"]
    level = decline_level(observed, limit, TARGET_DECLINED)
    threshold = float(np.quantile(negatives, min(level, 1.0))) if negatives else 0.5
    held = [probability[id(o)] for o in within_reach]
    related = min(
        float(np.quantile(off_corpus, TARGET_OFF_CORPUS_NOT_FOUND)) if off_corpus else threshold,
        float(np.quantile(held, MAX_EVIDENCE_NOT_FOUND)) if held else threshold,
    )
    params = replace(params, answer_threshold=round(threshold, 6), related_threshold=round(min(related, threshold), 6))
    notes = {"ranker_top1": float(np.mean([_hit(ranked[id(o)][:1], o) for o in answerable])), "top3": len(within_reach) / len(answerable)}
    return params, notes | {"decline_level": round(level, 4)}


def figures(params: DecisionParams, observed: Sequence[Observed], limit: int) -> dict[str, dict[str, float]]:
    """Per language: evidence in claimed answers, answered share, near-miss and unanswerable declined,
    and how often passages that hold the answer are hidden behind "not found"."""
    out: dict[str, dict[str, float]] = {}
    for language in LANGUAGES:
        p = params.languages[language]
        rows: dict[str, list[float]] = {
            "evidence": [], "answered": [], "near_miss_declined": [], "detail_miss_declined": [], "unanswerable_declined": [],
            "off_corpus_declined": [], "off_corpus_not_found": [], "evidence_not_found": [],
        }
        for o in (o for o in observed if o.item.lang == language):
            ranked = _ranked(p, o)
            kind = reply_kind(p, answer_probability(p, o.question, ranked))
            chosen = answer_quotes(p, o.question, ranked, limit)
            answered = kind == "answered" and bool(chosen)
            if o.item.kind == "answerable":
                rows["answered"].append(answered)
                if _hit(select(ranked, limit, math.inf), o):
                    rows["evidence_not_found"].append(kind == "not_found")
                rows["evidence"].append(answered and _hit(chosen, o))
            else:
                rows[f"{o.item.kind}_declined"].append(not answered)
            if o.item.kind == "off_corpus":
                rows["off_corpus_not_found"].append(kind == "not_found")
        out[language] = {k: round(float(np.mean(v)), 3) for k, v in rows.items() if v} | {
            f"n_{k}": len(v) for k, v in rows.items()
        }
    return out


def evidence_at_declines(
    params: DecisionParams, observed: Sequence[Observed], limit: int, declines: Sequence[float]
) -> dict[str, dict[float, list[bool]]]:
    """Per language and decline d: for each answerable question, whether its reply would be a
    claimed answer holding the answer at the threshold that declines d of `observed`'s near
    misses (a comparison at equal safety, whatever the fitted threshold)."""
    out: dict[str, dict[float, list[bool]]] = {}
    for language in LANGUAGES:
        p = params.languages[language]
        answerable: list[tuple[float, bool]] = []
        near_misses: list[float] = []
        for o in (o for o in observed if o.item.lang == language):
            ranked = _ranked(p, o)
            probability = answer_probability(p, o.question, ranked)
            if o.item.kind == "answerable":
                answerable.append((probability, _hit(answer_quotes(p, o.question, ranked, limit), o)))
            elif o.item.kind == "near_miss":
                near_misses.append(probability)
        if not near_misses:
            continue
        thresholds = {d: float(np.quantile(near_misses, d)) for d in declines}
        out[language] = {d: [probability > t and hit for probability, hit in answerable] for d, t in thresholds.items()}
    return out


# -- the whole run -------------------------------------------------------------------------------
def collect(settings: Settings, work: Path, xquad: Path, golden: Sequence[Path], limit_articles: int | None) -> list[Observed]:
    """Index every corpus the fit needs and observe every question against its corpus."""
    embedder = CachingEmbedder(load_embedder(settings.embedding))
    embedder.load(work / EMBEDDING_CACHE)
    observed: list[Observed] = []

    def run(corpus: Path, name: str, items: Sequence[Item]) -> None:
        local = index(corpus, work / name, settings, embedder)
        answerer = Answerer(local, embedder=embedder, decision=_neutral())
        observed.extend(observe(answerer, items))
        embedder.save(work / EMBEDDING_CACHE)
        print(f"  {name}: {len(items)} questions", flush=True)

    questions = xquad / "questions.jsonl"
    raw, corpus = load_items(questions), xquad / "corpus"
    splits = json.loads((xquad / SPLITS_FILE).read_text(encoding="utf-8"))
    texts = read_texts(corpus)
    if limit_articles:
        kept = sorted(texts)[:limit_articles]
        texts = {a: texts[a] for a in kept}
        raw = [r for r in raw if r.get("article") in kept or not r["answerable"]][: 40 * limit_articles]
        corpus = _write(NearMissCorpus(texts, []), corpus, work / "xquad-subset")
    run(corpus, "xquad", as_items(raw, texts, splits, "off_corpus"))
    for k, near in enumerate(xquad_corpora(texts, raw, NEAR_MISS_FOLDS)):
        run(_write(near, corpus, work / f"xquad-near-{k}-corpus"), f"xquad-near-{k}", as_items(near.items, texts, splits))
    for k, near in enumerate(detail_corpora(texts, raw, asks_for_number_or_date)):
        run(_write(near, corpus, work / f"xquad-detail-{k}-corpus"), f"xquad-detail-{k}", as_items(near.items, texts, splits))
    seeds = settings.corpus_dir
    texts = read_texts(seeds)
    raw = [r for path in golden for r in load_items(path)]
    run(seeds, "seeds", as_items(raw, texts, None))
    for k, near in enumerate(golden_corpora(texts, raw)[0]):
        run(_write(near, seeds, work / f"seeds-near-{k}-corpus"), f"seeds-near-{k}", as_items(near.items, texts, None))
    return observed


def fit(observed: Sequence[Observed], limit: int, command: str, data: Sequence[str]) -> DecisionParams:
    languages, notes = {}, {}
    fitted = [o for o in observed if o.item.split == "fit" and o.item.kind != "detail_miss"]
    for language in LANGUAGES:
        languages[language], notes[language] = fit_language([o for o in fitted if o.item.lang == language], language, limit)
    params = DecisionParams(languages)
    provenance = {
        "command": command,
        "fitted": datetime.date.today().isoformat(),
        "data": list(data),
        "fit_questions": {lang: sum(o.item.lang == lang for o in fitted) for lang in LANGUAGES},
        "ranker": notes,
        "fit_figures": figures(params, [o for o in observed if o.item.split == "fit"], limit),
        "heldout_figures": figures(params, [o for o in observed if o.item.split == "heldout"], limit),
        "data_digest": hashlib.sha256(json.dumps(sorted(o.item.id for o in observed)).encode()).hexdigest()[:16],
    }
    return DecisionParams(languages, provenance)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m isnad.bot.answer.fitting", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="where to write the parameters (default: bot/answer/decision.json)")
    parser.add_argument("--xquad", type=Path, default=XQUAD, help="XQuAD folder (questions.jsonl, corpus/, splits.json)")
    parser.add_argument("--limit-articles", type=int, default=None, help="use only the first N XQuAD articles (tests)")
    parser.add_argument(
        "--golden", type=Path, nargs="+", default=[DATA / name for name in GOLDEN_FILES],
        help="golden-format question files on the seed articles",
    )
    parser.add_argument("--work", type=Path, default=None, help="folder for the indexes (default: a temporary one)")
    args = parser.parse_args(argv)
    settings = load_settings()
    work = args.work or Path(tempfile.mkdtemp(prefix="isnad-fit-"))
    golden = [path.resolve() for path in args.golden]
    observed = collect(settings, work, args.xquad, golden, args.limit_articles)
    command = " ".join(["python -m isnad.bot.answer.fitting", *(sys.argv[1:] if argv is None else argv)])
    data = [str(args.xquad.relative_to(ROOT)) if args.xquad.is_relative_to(ROOT) else str(args.xquad)]
    data += [str(p.relative_to(ROOT)) for p in golden]
    params = fit(observed, settings.search.max_citations, command, data)
    params.save(args.out) if args.out else params.save()
    print(json.dumps(params.provenance, indent=1, ensure_ascii=False))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
