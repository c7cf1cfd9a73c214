"""Every write to an index goes through here: one writer per data dir, the store checked against
the manifest first, then an incremental sync, or a rebuild built beside the index and swapped in."""

from __future__ import annotations

import shutil
from pathlib import Path

from isnad.errors import UsageError
from isnad.retrieval import datadir
from isnad.retrieval.consistency import repair
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.ingest import IngestReport, sync
from isnad.retrieval.lexicon import sync_lexicon
from isnad.retrieval.manifest import Manifest
from isnad.retrieval.progress import Progress
from isnad.retrieval.sparse import sync_sparse
from isnad.retrieval.store import (
    VectorStore,
    drop_collections,
    forget_embedded_clients,
    promote_staging,
    staging_settings,
)
from isnad.settings import Settings


class CorpusNotFound(UsageError):
    """The corpus folder to index does not exist."""


def update_index(
    settings: Settings,
    embedder: Embedder,
    corpus_dir: Path,
    *,
    rebuild: bool = False,
    wait: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the index of settings.data_dir up to date with corpus_dir, holding the write lock.

    `wait`: a second writer waits for the first (else raises datadir.WriterBusy). `rebuild`
    builds a new index from scratch beside the one in use and swaps it in only when complete, so
    a failed rebuild leaves the old index answering.
    """
    data_dir = settings.data_dir
    if not corpus_dir.is_dir():
        raise CorpusNotFound(f"corpus folder not found: {corpus_dir}")
    (datadir.check_rebuildable if rebuild else datadir.check_writable)(data_dir, corpus_dir)
    with datadir.writer_lock(data_dir, wait):
        _finish_swap(settings, embedder)
        if rebuild:
            report = _rebuild(settings, embedder, corpus_dir, progress)
            _sync_word_and_sparse_vectors(data_dir, embedder, progress)
            return report
        store = VectorStore(settings.chroma, data_dir, embedder)
        manifest = Manifest.load(data_dir)
        repaired = repair(manifest, store, settings.search.chunk_chars)
        report = _sync(settings, embedder, corpus_dir, manifest, store, progress)
        _sync_word_and_sparse_vectors(data_dir, embedder, progress)
        report.repaired = [i for i in repaired if i in report.added]
        report.added = [i for i in report.added if i not in repaired]
        return report


def _sync_word_and_sparse_vectors(data_dir: Path, embedder: Embedder, progress: Progress | None) -> None:
    """The term map and the sentences' sparse vectors follow the indexed articles (read once for both)."""
    manifest = Manifest.load(data_dir)
    texts = [manifest.load_article(a).raw_text for a in manifest.entries]
    sync_lexicon(data_dir, texts, embedder, progress)
    sync_sparse(data_dir, texts, embedder, progress)


def _sync(
    settings: Settings, embedder: Embedder, corpus_dir: Path, manifest: Manifest, store: VectorStore,
    progress: Progress | None,
) -> IngestReport:
    return sync(
        corpus_dir, manifest, store, embedder,
        chunk_chars=settings.search.chunk_chars, batch_size=settings.embedding.batch_size, progress=progress,
    )


def _rebuild(settings: Settings, embedder: Embedder, corpus_dir: Path, progress: Progress | None) -> IngestReport:
    """Build a complete index in the staging folder (and staging collections on a server), then swap."""
    data_dir = settings.data_dir
    staging, chroma = datadir.staging_dir(data_dir), staging_settings(settings.chroma)
    shutil.rmtree(staging, ignore_errors=True)  # a rebuild that died before its swap
    drop_collections(chroma, staging)
    store = VectorStore(chroma, staging, embedder)
    report = _sync(settings, embedder, corpus_dir, Manifest(staging), store, progress)
    datadir.begin_swap(data_dir)
    _finish_swap(settings, embedder)
    return report


def _finish_swap(settings: Settings, embedder: Embedder) -> None:
    """Complete a rebuild's swap if one was started (by this run, or by one that was killed)."""
    if datadir.swap_pending(settings.data_dir):
        promote_staging(settings.chroma, settings.data_dir, embedder)
        datadir.finish_swap(settings.data_dir)
        forget_embedded_clients()
