"""Incremental, crash-safe sync of a corpus folder into the store, by content hash."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from isnad.retrieval.chunking import chunk_sentences
from isnad.retrieval.corpus import iter_articles, printable
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.html_pages import PageReader, without_duplicates
from isnad.retrieval.manifest import Entry, Manifest
from isnad.retrieval.metadata import METADATA_FILE, MetadataError, read_metadata
from isnad.retrieval.models import Article, ArticleMeta
from isnad.retrieval.progress import Progress
from isnad.retrieval.search import IndexedArticle, index_article
from isnad.retrieval.store import CHUNKS, SENTENCES, VectorStore

log = logging.getLogger(__name__)
# Progress is committed (manifest saved) after this many articles or seconds, so a killed run resumes.
COMMIT_EVERY_ARTICLES = 5
COMMIT_EVERY_SECONDS = 2.0


@dataclass
class IngestReport:
    """What one sync did, by article id (skipped: files that could not be used; repaired: articles
    whose stored vectors did not match the manifest, embedded again)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, object]:
        """The `--json` shape: counts, plus the skipped files with reasons."""
        summary: dict[str, object] = {k: len(v) for k, v in asdict(self).items() if k != "skipped"}
        summary["skipped"] = self.skipped
        return summary


class CachedEmbedder:
    """Embeds each distinct text once per run (synthetic and syndicated corpora repeat sentences).

    The cache is bounded: past `max_entries` texts (about 1.5 KB each) it starts afresh.
    """

    def __init__(self, embedder: Embedder, batch_size: int, max_entries: int = 100_000) -> None:
        self._embedder = embedder
        self._batch_size = batch_size
        self._max_entries = max_entries
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(self._cache) + len(texts) > self._max_entries:
            self._cache.clear()
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for begin in range(0, len(todo), self._batch_size):
            batch = todo[begin : begin + self._batch_size]
            for text, vector in zip(batch, self._embedder.embed_passages(batch), strict=True):
                self._cache[text] = vector
        return _rows([self._cache[t] for t in texts])


def _split(pending: list[Article], chunk_chars: int, batch_size: int, embed: CachedEmbedder) -> Iterator[IndexedArticle]:
    """The articles split into sentences, embedded a group at a time: the sentences of as many
    articles as fill one batch go to the model in one call (small batches waste most of its time)."""
    group: list[IndexedArticle] = []
    for article in pending:
        group.append(index_article(article, chunk_chars))
        if sum(len(a.sentences) for a in group) >= batch_size or article is pending[-1]:
            embed.embed([s.text for a in group for s in a.sentences])
            yield from group
            group = []


def _store_article(indexed: IndexedArticle, store: VectorStore, embed: CachedEmbedder) -> dict[str, int]:
    """Embed each sentence once; a chunk's vector is the normalised mean of its sentences'.

    Returns how many spans of each kind were stored."""
    article = indexed.article
    sentence_vectors = dict(zip(indexed.sentences, embed.embed([s.text for s in indexed.sentences]), strict=True))
    chunk_vectors = [
        _normalised(np.mean([sentence_vectors[s] for s in chunk_sentences(c, indexed.sentences)], axis=0))
        for c in indexed.chunks
    ]
    quotable = [s for s in indexed.sentences if s.quotable]
    store.add_version(
        article.article_id,
        article.content_hash,
        spans={CHUNKS: indexed.chunks, SENTENCES: quotable},
        vectors={CHUNKS: _rows(chunk_vectors), SENTENCES: _rows([sentence_vectors[s] for s in quotable])},
    )
    return {CHUNKS: len(indexed.chunks), SENTENCES: len(quotable)}


def _normalised(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _rows(vectors: list[np.ndarray]) -> np.ndarray:
    """Vectors as one matrix (an article may have no chunks or no quotable sentence)."""
    return np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)


def sync(
    corpus_dir: Path,
    manifest: Manifest,
    store: VectorStore,
    embedder: Embedder,
    *,
    chunk_chars: int,
    batch_size: int = 256,
    progress: Progress | None = None,
) -> IngestReport:
    """Make the store match the folder: add new, replace changed, delete removed articles.

    Unchanged articles cost no embedding. A file that cannot be read is reported and skipped;
    if it was indexed before, its indexed version stays. A new version is stored beside the old
    one and the old one is deleted only after the manifest names the new one, so an interrupted
    run leaves the previous index whole; the journal lets the next run remove what it wrote.
    """
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    report = IngestReport()
    metadata: dict[str, ArticleMeta] | None
    try:
        metadata, invalid_metadata = read_metadata(corpus_dir)
    except MetadataError as exc:  # keep the metadata already indexed; report the file
        metadata, invalid_metadata = None, {}
        report.skipped.append({"path": str(corpus_dir / METADATA_FILE), "reason": str(exc)})
    seen: set[str] = set()
    pending: list[Article] = []
    pages = PageReader(manifest.data_dir)
    for item in without_duplicates(iter_articles(corpus_dir, metadata or {}, invalid_metadata, pages), manifest.entries):
        if isinstance(item, tuple):
            path, error = item
            seen.add(path.stem)
            report.skipped.append({"path": printable(str(path)), "reason": str(error)})
            continue
        seen.add(item.article_id)
        entry = manifest.entries.get(item.article_id)
        if entry and entry.content_hash == item.content_hash:
            entry.path = item.path
            if metadata is not None:
                entry.meta = item.meta
            report.unchanged.append(item.article_id)
        else:
            pending.append(item)

    manifest.embedder = embedder.name
    _discard_unrecorded_versions(manifest, store)
    embed = CachedEmbedder(embedder, batch_size)
    advance = progress(len(pending), "article") if progress else None
    written: list[str] = []
    committed = time.monotonic()
    for indexed in _split(pending, chunk_chars, batch_size, embed):
        article = indexed.article
        previous = manifest.entries.get(article.article_id)
        if previous:
            manifest.journal(article.article_id, previous.content_hash)
        manifest.journal(article.article_id, article.content_hash)
        try:
            manifest.write_snapshot(article)
        except OSError as exc:  # this file only: the others are indexed
            report.skipped.append({"path": printable(article.path), "reason": f"cannot save a snapshot: {exc.strerror or exc}"})
            continue
        counts = _store_article(indexed, store, embed)
        (report.updated if previous else report.added).append(article.article_id)
        manifest.entries[article.article_id] = Entry(article.content_hash, article.path, article.meta, counts)
        written.append(article.article_id)
        if len(written) >= COMMIT_EVERY_ARTICLES or time.monotonic() - committed >= COMMIT_EVERY_SECONDS:
            _commit(manifest, store, written)
            committed = time.monotonic()
        if advance:
            advance(1)

    for article_id in sorted(set(manifest.entries) - seen):
        manifest.journal(article_id, manifest.entries.pop(article_id).content_hash)
        report.removed.append(article_id)
    _commit(manifest, store, written)
    _discard_unrecorded_versions(manifest, store)
    manifest.clear_journal()
    manifest.remove_stale_snapshots()
    pages.forget_unused()
    return report


def _commit(manifest: Manifest, store: VectorStore, written: list[str]) -> None:
    """Save the manifest, then retire the superseded versions of the articles just written."""
    manifest.save()
    for article_id in written:
        store.delete_other_versions(article_id, manifest.entries[article_id].content_hash)
    written.clear()


def _discard_unrecorded_versions(manifest: Manifest, store: VectorStore) -> None:
    """Delete journaled versions that the manifest does not name (left by a killed or finished run)."""
    for article_id, content_hash in dict.fromkeys(manifest.journaled()):
        entry = manifest.entries.get(article_id)
        if entry is None or entry.content_hash != content_hash:
            store.delete_version(article_id, content_hash)
