"""Checks shared by the ingest tests and bench/crash_race.py: the store holds exactly what the
manifest lists, and small distinct articles to index quickly."""

from __future__ import annotations

from pathlib import Path

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.chunking import split_sentences
from isnad.retrieval.corpus import content_lines
from isnad.retrieval.manifest import Manifest
from isnad.retrieval.search import index_article
from isnad.retrieval.store import CHUNKS, SENTENCES, VectorStore, plain_id, versioned_id
from tests.conftest import core_seed_texts


def expected_spans(data_dir: Path, chunk_chars: int) -> dict[str, set[str]]:
    """Span ids the store should hold for what the manifest says is indexed."""
    manifest = Manifest.load(data_dir)
    expected: dict[str, set[str]] = {CHUNKS: set(), SENTENCES: set()}
    for article_id, entry in manifest.entries.items():
        indexed = index_article(manifest.load_article(article_id), chunk_chars)
        expected[CHUNKS] |= {versioned_id(c.span_id, entry.content_hash) for c in indexed.chunks}
        expected[SENTENCES] |= {
            versioned_id(s.span_id, entry.content_hash) for s in indexed.sentences if s.quotable
        }
    return expected


def assert_store_matches_manifest(answerer: Answerer) -> None:
    """Every expected span is stored exactly once and nothing else is."""
    settings = answerer.settings
    store = VectorStore(settings.chroma, settings.data_dir, answerer.embedder)
    for kind, ids in expected_spans(settings.data_dir, settings.search.chunk_chars).items():
        assert ids, kind
        assert store.count(kind) == len(ids), f"{kind}: stored {store.count(kind)}, expected {len(ids)}"
        assert set(store.vectors(kind, sorted(ids))) == {plain_id(i) for i in ids}


def small_articles(count: int) -> dict[str, str]:
    """`count` distinct short articles made of three seed sentences each (no sentence repeated)."""
    sentences = [
        s.text
        for article_id, raw in core_seed_texts().items()
        for s in split_sentences(article_id, raw, content_lines(raw))
        if s.quotable and len(s.text) < 200
    ]
    assert len(sentences) >= 3 * count
    return {
        f"small_{i:03d}": "\n\n".join(sentences[i::count][:3]) + "\n"
        for i in range(count)
    }
