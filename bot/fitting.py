"""Fit the answer decision (bot/decision.json) on named development data, and report held-out figures.

    python -m bot.fitting            # writes bot/decision.json; about 10 minutes on 2 cores

Data, all in the repository (tests/data/README.md, tests/data/xquad/README.md):
- XQuAD-ar (tests/data/xquad/): Arabic Wikipedia paragraphs with Arabic and parallel English
  questions; the "fit" articles of splits.json are fitted on, the "heldout" ones only reported.
- near-miss versions of both: a copy of the corpus with the answer's paragraph removed, the
  question unchanged (on topic, answer gone) — every second paragraph of every article for XQuAD,
  the paragraphs holding the reference quotes for the seed questions.
- the seed articles' golden questions: tests/data/questions.jsonl (public) and the "dev" items of
  chat_questions.jsonl and exam_questions.jsonl; their "heldout" items are only reported.
Per question language, a logistic ranker learns which candidate sentence holds the answer; a
logistic answer model learns, from the best-ranked sentences, whether the reply would carry the
answer. The answer threshold declines TARGET_NEAR_MISS_DECLINED of the fit near-miss and
unanswerable questions; the related threshold shows closest passages for most near misses.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.answering import Answerer, sync_lexicon
from bot.decision import (
    DecisionParams,
    LanguageParams,
    Linear,
    QUESTION_FEATURES,
    answer_probability,
    question_row,
    rank,
)
from bot.evidence import FEATURES, Ranked, select
from config.settings import Settings, load_settings
from retrieval.embedders import Embedder, load_embedder
from retrieval.ingest import sync
from retrieval.manifest import Manifest
from retrieval.models import Sentence
from retrieval.store import VectorStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
XQUAD = DATA / "xquad"
GOLDEN_FILES = ("questions.jsonl", "chat_questions.jsonl", "exam_questions.jsonl")
TARGET_NEAR_MISS_DECLINED = 0.9
RELATED_SHARE_OF_NEAR_MISSES = 0.8
CITATION_MARGINS = (0.5, 1.0, 1.5, 2.0, 3.0, math.inf)
LANGUAGES = ("ar", "en")
EMBEDDING_CACHE = "embedding-cache.npz"


class CachingEmbedder(Embedder):
    """Embeds each distinct text once across the many corpora a fit indexes."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[tuple[str, bool], np.ndarray] = {}

    def load(self, path: Path) -> None:
        """Vectors kept by an earlier run in the same work folder (refits cost no embedding)."""
        if path.is_file():
            with np.load(path, allow_pickle=False) as saved:
                keys = zip(saved["texts"].tolist(), saved["queries"].tolist())
                self._cache.update({(str(t), bool(q)): v for (t, q), v in zip(keys, saved["vectors"])})

    def save(self, path: Path) -> None:
        texts, queries = zip(*self._cache) if self._cache else ((), ())
        vectors = np.vstack(list(self._cache.values())) if self._cache else np.zeros((0, 0))
        np.savez(path, texts=np.asarray(texts, dtype=str), queries=np.asarray(queries), vectors=vectors)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if (t, is_query) not in self._cache))
        if missing:
            vectors = self.inner.embed_query(missing[0])[None, :] if is_query and len(missing) == 1 else (
                np.vstack([self.inner.embed_query(t) for t in missing]) if is_query else self.inner.embed_passages(missing)
            )
            self._cache.update({(t, is_query): v for t, v in zip(missing, vectors)})
        return np.vstack([self._cache[(t, is_query)] for t in texts])


@dataclass
class Item:
    """One question with where its answer is (spans in the corpus it is asked against)."""

    id: str
    lang: str
    question: str
    kind: str  # answerable | near_miss | unanswerable
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


# -- data ----------------------------------------------------------------------------------------
def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _texts(corpus: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(corpus.glob("*.txt")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts[path.stem] = handle.read()
    return texts


def xquad_items(xquad: Path) -> tuple[list[Item], dict[str, list[Item]]]:
    """Answerable and off-corpus items, and per-article answerable items (for near misses)."""
    splits = json.loads((xquad / "splits.json").read_text(encoding="utf-8"))
    heldout_articles = set(splits["heldout"])
    unanswerable_heldout = set(splits["unanswerable_heldout"])
    items, by_article = [], {}
    for raw in _jsonl(xquad / "questions.jsonl"):
        if raw["answerable"]:
            spans = [(raw["article"], raw["start"], raw["end"])]
            spans += [(raw["article"], s, e) for s, e in raw.get("alt_spans", [])]
            split = "heldout" if raw["article"] in heldout_articles else "fit"
            item = Item(f"{raw['id']}:{raw['lang']}", raw["lang"], raw["question"], "answerable", split, spans)
            by_article.setdefault(raw["article"], []).append(item)
        else:
            split = "heldout" if raw["id"] in unanswerable_heldout else "fit"
            item = Item(f"{raw['id']}:{raw['lang']}", raw["lang"], raw["question"], "unanswerable", split)
        items.append(item)
    return items, by_article


def golden_items(files: Iterable[Path], texts: dict[str, str]) -> list[Item]:
    """Items of the golden format (reference quotes on the seed articles)."""
    items = []
    for path in files:
        for raw in _jsonl(path):
            quotes = raw.get("quotes_by_article") or ({raw["article"]: raw.get("quotes", [])} if raw.get("article") else {})
            spans = [
                (article, i, i + len(q)) for article, qs in quotes.items() for q in qs if (i := texts[article].find(q)) >= 0
            ]
            kind = "answerable" if raw["answerable"] else "unanswerable"
            split = "heldout" if raw.get("split") == "heldout" else "fit"
            items.append(Item(raw["id"], raw["lang"], raw["question"], kind, split, spans))
    return items


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph (blank-line separated, or line separated if there are none)."""
    separator = "\n\n" if "\n\n" in text else "\n"
    spans, start = [], 0
    for part in text.split(separator):
        spans.append((start, start + len(part)))
        start += len(part) + len(separator)
    return spans


def near_miss_corpus(
    corpus: Path, out: Path, removed: Callable[[str, list[tuple[int, int]]], set[int]]
) -> dict[str, list[tuple[int, int]]]:
    """Copy a corpus without the paragraphs `removed(article, paragraphs)` names; returns them."""
    out.mkdir(parents=True, exist_ok=True)
    for extra in corpus.glob("*.toml"):
        shutil.copy(extra, out / extra.name)
    gone = {}
    for article, text in _texts(corpus).items():
        spans = _paragraphs(text)
        drop = removed(article, spans)
        if len(drop) == len(spans):  # keep the topic indexed
            drop = set(sorted(drop)[1:])
        separator = "\n\n" if "\n\n" in text else "\n"
        kept = [text[s:e] for i, (s, e) in enumerate(spans) if i not in drop]
        with (out / f"{article}.txt").open("w", encoding="utf-8", newline="") as handle:
            handle.write(separator.join(kept))
        gone[article] = [spans[i] for i in sorted(drop)]
    return gone


def _near_misses(items: Sequence[Item], gone: dict[str, list[tuple[int, int]]]) -> list[Item]:
    """Answerable items all of whose answer spans fell in removed paragraphs, as near misses."""
    out = []
    for item in items:
        if item.kind == "answerable" and item.spans and all(
            any(s <= start and end <= e for s, e in gone.get(article, [])) for article, start, end in item.spans
        ):
            out.append(replace(item, kind="near_miss", spans=[]))
    return out


# -- indexing and observing ----------------------------------------------------------------------
def index(corpus: Path, data_dir: Path, settings: Settings, embedder: Embedder) -> Settings:
    """Index a corpus into its own data dir; the settings that answer from it."""
    local = settings.model_copy(update={"data_dir": data_dir, "corpus_dir": corpus})
    data_dir.mkdir(parents=True, exist_ok=True)
    store = VectorStore(local.chroma, data_dir, embedder)
    sync(corpus, Manifest.load(data_dir), store, embedder, chunk_chars=local.search.chunk_chars)
    sync_lexicon(data_dir, embedder)
    return local


def _neutral() -> DecisionParams:
    neutral = LanguageParams(
        Linear(tuple(1.0 if f == "similarity" else 0.0 for f in FEATURES), 0.0),
        Linear(tuple(0.0 for _ in QUESTION_FEATURES), 0.0), 0.5, 0.5, 0.0,
    )
    return DecisionParams({language: neutral for language in LANGUAGES})


def observe(answerer: Answerer, items: Sequence[Item]) -> list[Observed]:
    """Search each question and record its candidates' features and labels."""
    from bot.evidence import features

    observed = []
    for item in items:
        question, result, view = answerer.retrieve(item.question, item.lang)  # type: ignore[arg-type]
        rows = features(question, result, view)
        labels = np.asarray([_holds(c.sentence, item.spans) for c in result.candidates], dtype=np.int8)
        observed.append(Observed(item, question, list(result.candidates), rows, labels))
    return observed


def _holds(sentence: Sentence, spans: Sequence[tuple[str, int, int]]) -> bool:
    return any(a == sentence.article_id and s < sentence.end and sentence.start < e for a, s, e in spans)


# -- fitting -------------------------------------------------------------------------------------
def _logistic(x: np.ndarray, y: np.ndarray, balanced: bool) -> Linear:
    """A standardised L2 logistic regression, folded back to raw-feature weights."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced" if balanced else None)
    model.fit((x - mean) / scale, y)
    weights = model.coef_[0] / scale
    bias = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    return Linear(tuple(round(float(w), 6) for w in weights), round(bias, 6))


def _ranked(params: LanguageParams, o: Observed) -> list[Ranked]:
    scores = params.ranker(o.rows) if len(o.rows) else np.zeros(0)
    ranked = [Ranked(c, float(s), row) for c, s, row in zip(o.candidates, scores, o.rows)]
    ranked.sort(key=lambda r: r.score, reverse=True)
    return ranked


def _hit(chosen: Sequence[Ranked], o: Observed) -> bool:
    return any(_holds(r.sentence, o.item.spans) for r in chosen)


def fit_language(observed: Sequence[Observed], limit: int) -> tuple[LanguageParams, dict[str, float]]:
    """Ranker, citation margin, answer model and thresholds for one language's fit items."""
    answerable = [o for o in observed if o.item.kind == "answerable" and len(o.rows)]
    x = np.vstack([o.rows for o in answerable])
    y = np.concatenate([o.labels for o in answerable])
    ranker = _logistic(x, y, balanced=False)
    params = LanguageParams(ranker, Linear(tuple(0.0 for _ in QUESTION_FEATURES), 0.0), 0.5, 0.5, 0.0)
    ranked = {id(o): _ranked(params, o) for o in observed}
    widest = np.mean([_hit(select(ranked[id(o)], limit, math.inf), o) for o in answerable])
    margin = next(
        m for m in CITATION_MARGINS
        if np.mean([_hit(select(ranked[id(o)], limit, m), o) for o in answerable]) >= widest - 0.01
    )
    params = replace(params, citation_margin=margin)
    rows = np.vstack([question_row(o.question, ranked[id(o)]) for o in observed])
    labels = np.asarray(
        [o.item.kind == "answerable" and _hit(select(ranked[id(o)], limit, margin), o) for o in observed], dtype=np.int8
    )
    params = replace(params, answer=_logistic(rows, labels, balanced=True))
    probability = {id(o): answer_probability(params, o.question, ranked[id(o)]) for o in observed}
    negatives = [probability[id(o)] for o in observed if o.item.kind != "answerable"]
    near = [probability[id(o)] for o in observed if o.item.kind == "near_miss"]
    threshold = float(np.quantile(negatives, TARGET_NEAR_MISS_DECLINED)) if negatives else 0.5
    related = float(np.quantile(near, 1 - RELATED_SHARE_OF_NEAR_MISSES)) if near else threshold
    params = replace(params, answer_threshold=round(threshold, 6), related_threshold=round(min(related, threshold), 6))
    return params, {"ranker_top1": float(np.mean([_hit(ranked[id(o)][:1], o) for o in answerable])), "top3": float(widest)}


def figures(params: DecisionParams, observed: Sequence[Observed], limit: int) -> dict[str, dict[str, float]]:
    """Per language: evidence in claimed answers, answered share, near-miss and unanswerable declined."""
    out: dict[str, dict[str, float]] = {}
    for language in LANGUAGES:
        p = params.languages[language]
        rows: dict[str, list[float]] = {"evidence": [], "answered": [], "near_miss_declined": [], "unanswerable_declined": []}
        for o in (o for o in observed if o.item.lang == language):
            ranked = _ranked(p, o)
            answered = answer_probability(p, o.question, ranked) >= p.answer_threshold
            if o.item.kind == "answerable":
                rows["answered"].append(answered)
                rows["evidence"].append(answered and _hit(select(ranked, limit, p.citation_margin, o.question.multi_source), o))
            else:
                rows[f"{o.item.kind}_declined"].append(not answered)
        out[language] = {k: round(float(np.mean(v)), 3) for k, v in rows.items() if v} | {
            f"n_{k}": len(v) for k, v in rows.items()
        }
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

    items, by_article = xquad_items(xquad)
    articles = sorted(by_article)[:limit_articles] if limit_articles else sorted(by_article)
    corpus = xquad / "corpus"
    if limit_articles:
        corpus = _subset(corpus, work / "xquad-subset", articles)
        items = [i for i in items if i.kind == "unanswerable" or i.spans[0][0] in articles][: 40 * limit_articles]
    run(corpus, "xquad", items)
    for k in range(2):
        gone = near_miss_corpus(corpus, work / f"xquad-near-{k}-corpus", lambda a, spans: {i for i in range(len(spans)) if i % 2 == k})
        run(work / f"xquad-near-{k}-corpus", f"xquad-near-{k}", _near_misses(items, gone))
    seeds = settings.corpus_dir
    texts = _texts(seeds)
    gold = golden_items(golden, texts)
    run(seeds, "seeds", gold)
    evidence_spans: dict[str, set[tuple[int, int]]] = {}
    for item in gold:
        for article, s, e in item.spans:
            evidence_spans.setdefault(article, set()).add((s, e))
    for n, article in enumerate(sorted(evidence_spans)):
        def holding(a: str, spans: list[tuple[int, int]], article: str = article) -> set[int]:
            return {i for i, (s, e) in enumerate(spans) if a == article and any(s <= x < e for x, _ in evidence_spans[a])}
        gone = near_miss_corpus(seeds, work / f"seeds-near-{n}-corpus", holding)
        run(work / f"seeds-near-{n}-corpus", f"seeds-near-{n}", _near_misses([i for i in gold if i.spans and all(a == article for a, _, _ in i.spans)], gone))
    return observed


def _subset(corpus: Path, out: Path, articles: Sequence[str]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for article in articles:
        shutil.copy(corpus / f"{article}.txt", out / f"{article}.txt")
    return out


def fit(observed: Sequence[Observed], limit: int, command: str, data: Sequence[str]) -> DecisionParams:
    languages, notes = {}, {}
    for language in LANGUAGES:
        mine = [o for o in observed if o.item.lang == language and o.item.split == "fit"]
        languages[language], notes[language] = fit_language(mine, limit)
    params = DecisionParams(languages)
    provenance = {
        "command": command,
        "fitted": datetime.date.today().isoformat(),
        "data": list(data),
        "fit_questions": {lang: sum(o.item.lang == lang and o.item.split == "fit" for o in observed) for lang in LANGUAGES},
        "ranker": notes,
        "fit_figures": figures(params, [o for o in observed if o.item.split == "fit"], limit),
        "heldout_figures": figures(params, [o for o in observed if o.item.split == "heldout"], limit),
        "data_digest": hashlib.sha256(json.dumps(sorted(o.item.id for o in observed)).encode()).hexdigest()[:16],
    }
    return DecisionParams(languages, provenance)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.fitting", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="where to write the parameters (default: bot/decision.json)")
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
    command = "python -m bot.fitting" + "".join(f" {a}" for a in (argv or []))
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
