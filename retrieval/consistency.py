"""The store holds exactly what the manifest lists: checked before every write, repaired if not.

A listed article must have its snapshot and, for its current version, as many stored chunks and
sentences as indexing it yields; no other version of any article may be stored. Articles that
fail the check are forgotten (their vectors deleted, their entry dropped) so that the sync that
follows embeds them again; stray versions are deleted.
"""

from __future__ import annotations

import logging

from isnad.retrieval.manifest import Manifest
from isnad.retrieval.search import index_article
from isnad.retrieval.store import CHUNKS, SENTENCES, VectorStore

log = logging.getLogger(__name__)


def expected_counts(manifest: Manifest, article_id: str, chunk_chars: int) -> dict[str, int] | None:
    """Spans of each kind the store should hold for an article; None if its snapshot is missing."""
    entry = manifest.entries[article_id]
    if not manifest.snapshot_path(article_id, entry.content_hash).is_file():
        return None
    if entry.counts is not None:
        return entry.counts
    indexed = index_article(manifest.load_article(article_id), chunk_chars)  # manifest older than counts
    return {CHUNKS: len(indexed.chunks), SENTENCES: sum(s.quotable for s in indexed.sentences)}


def damaged_articles(manifest: Manifest, stored: dict[tuple[str, str], dict[str, int]], chunk_chars: int) -> list[str]:
    """Listed articles whose snapshot or stored vectors are missing or incomplete."""
    empty = {CHUNKS: 0, SENTENCES: 0}
    return [
        article_id
        for article_id, entry in sorted(manifest.entries.items())
        if (expected := expected_counts(manifest, article_id, chunk_chars)) is None
        or stored.get((article_id, entry.content_hash), empty) != expected
    ]


def repair(manifest: Manifest, store: VectorStore, chunk_chars: int) -> list[str]:
    """Make store and manifest agree; returns the articles forgotten, to be embedded again."""
    stored = store.version_counts()
    damaged = damaged_articles(manifest, stored, chunk_chars)
    if damaged:  # unlisted first, so that a crash here never lists an article without vectors
        log.warning("store and manifest disagree on %d article(s): embedding them again", len(damaged))
        for article_id in damaged:
            del manifest.entries[article_id]
        manifest.save()
    current = {(i, e.content_hash) for i, e in manifest.entries.items()}
    for article_id, content_hash in sorted(set(stored) - current):
        store.delete_version(article_id, content_hash)
    return damaged
