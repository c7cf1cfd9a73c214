"""Ingest speed on real text: sentences/s, the embedding step's share of the time, peak RSS.

    .venv/bin/python bench/ingest_speed.py [--corpus ../shared/eval/xquad/corpus] [--threads N]

The corpus (default: the XQuAD-ar articles, real Arabic Wikipedia text, no sentence repeated) is
ingested once into a fresh data dir with the real embedder and the embedded Chroma store, so every
sentence and every distinct corpus word of the term map is embedded: nothing is served from a cache.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "xquad" / "corpus"


def measure(corpus: Path, threads: int | None) -> dict[str, float]:
    """Ingest `corpus` once into a temporary data dir and return the figures."""
    from bench.bench import CountingEmbedder
    from bench.memory import peak_rss_mb, pss_mb
    from isnad.retrieval.embedders import load_embedder
    from isnad.retrieval.indexer import update_index
    from isnad.retrieval.lexicon import TermLexicon
    from isnad.retrieval.manifest import Manifest
    from isnad.retrieval.store import SENTENCES
    from isnad.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="isnad-ingest-speed-") as tmp:
        data_dir = Path(tmp) / "data"
        settings = load_settings(data_dir=data_dir, corpus_dir=corpus)
        if threads:
            settings = settings.model_copy(update={"embedding": settings.embedding.model_copy(update={"threads": threads})})
        embedder = CountingEmbedder(load_embedder(settings.embedding))
        started, cpu = time.perf_counter(), time.process_time()
        report = update_index(settings, embedder, corpus)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        pss = pss_mb()
        manifest = Manifest.load(data_dir)
        sentences = sum(e.counts.get(SENTENCES, 0) for e in manifest.entries.values())
        words = len(TermLexicon.load(data_dir).words)
    return {
        "articles": len(report.added), "sentences": sentences, "words": words, "texts": embedder.passages, "sparse_texts": embedder.sparse_texts,
        "seconds": seconds, "cpu_seconds": cpu_seconds, "embed_seconds": embedder.seconds, "threads": settings.embedding.threads,
        "peak_rss_mb": peak_rss_mb(), "pss_mb": pss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt articles")
    parser.add_argument("--threads", type=int, help="embedding threads (default: the setting)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"ingest_speed: corpus folder not found: {args.corpus}")
    r = measure(args.corpus, args.threads)
    print(
        f"{r['articles']} articles, {r['sentences']} quotable sentences, {r['words']} term-map words, "
        f"{r['texts']} texts embedded, {r['sparse_texts']} sparse vectors; {r['threads']} embedding threads\n"
        f"ingest {r['seconds']:.1f} s ({r['cpu_seconds']:.0f} CPU s): {r['sentences'] / r['seconds']:.1f} sentences/s, "
        f"{r['texts'] / r['seconds']:.1f} texts/s; embedding {100 * r['embed_seconds'] / r['seconds']:.0f}% of the time; "
        f"peak RSS {r['peak_rss_mb']:.0f} MB, PSS after ingest {r['pss_mb']:.0f} MB (see bench/memory.py)"
    )


if __name__ == "__main__":
    main()
