"""The only module that talks to Chroma: embedded PersistentClient or a Chroma server."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from isnad.errors import ConfigError, Unavailable
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.models import Span
from isnad.settings import ChromaSettings

log = logging.getLogger(__name__)

CHUNKS = "chunks"
SENTENCES = "sentences"
ADD_BATCH = 1000
SCAN_BATCH = 5000
STAGING_SUFFIX = "staging"


class StoreUnavailable(Unavailable):
    """The Chroma server cannot be reached."""


class EmbedderMismatch(ConfigError):
    """The store was built with a different embedding model."""


@dataclass(frozen=True)
class Hit:
    """One stored span found by a vector query."""

    span_id: str
    article_id: str
    start: int
    end: int
    content_hash: str
    similarity: float


def _embedding_function(embedder: Embedder) -> Any:
    """A Chroma embedding function that wraps our embedder, registered so collections reopen."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class IsnadEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, model: str) -> None:
            self.model = model

        def __call__(self, input: Documents) -> Embeddings:
            return list(embedder.embed_passages(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return [embedder.embed_query(text) for text in input]

        @staticmethod
        def name() -> str:
            return "isnad"

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"model": self.model}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> IsnadEmbeddingFunction:
            return IsnadEmbeddingFunction(config["model"])

    return IsnadEmbeddingFunction(embedder.name)


def _client(settings: ChromaSettings, data_dir: Path) -> Any:
    """An embedded PersistentClient under data_dir, or an HttpClient when a host is set."""
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    client_settings = ChromaClientSettings(anonymized_telemetry=False)
    if settings.host:
        return chromadb.HttpClient(host=settings.host, port=settings.port, settings=client_settings)
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=client_settings)


def drop_collections(settings: ChromaSettings, data_dir: Path) -> None:
    """Delete Isnad's collections, whatever embedder built them.

    The embedded store is a folder, removed without opening it: Chroma keeps one client per path
    per process, and a client opened on a folder deleted under it can no longer write.
    """
    if not settings.host:
        shutil.rmtree(data_dir / "chroma", ignore_errors=True)
        return
    client, existing = _server_collections(settings, data_dir)
    for kind in (CHUNKS, SENTENCES):
        name = f"{settings.collection_prefix}_{kind}"
        if name in existing:
            client.delete_collection(name)


def staging_settings(settings: ChromaSettings) -> ChromaSettings:
    """Where a rebuild writes its new store: a folder beside the index (embedded, see
    isnad.retrieval.datadir) or, on a server, collections under a staging prefix."""
    if not settings.host:
        return settings
    return settings.model_copy(update={"collection_prefix": f"{settings.collection_prefix}_{STAGING_SUFFIX}"})


def promote_staging(settings: ChromaSettings, data_dir: Path, embedder: Embedder) -> None:
    """On a server, make the staging collections the ones in use (idempotent; embedded stores
    are folders, swapped by isnad.retrieval.datadir)."""
    if not settings.host:
        return
    client, existing = _server_collections(settings, data_dir)
    staged = staging_settings(settings).collection_prefix
    for kind in (CHUNKS, SENTENCES):
        current, new = f"{settings.collection_prefix}_{kind}", f"{staged}_{kind}"
        if new not in existing:
            continue
        if current in existing:
            client.delete_collection(current)
        client.get_collection(new, embedding_function=_embedding_function(embedder)).modify(name=current)


def forget_embedded_clients() -> None:
    """Drop Chroma's per-process cache of embedded clients, whose folders a rebuild has swapped."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _server_collections(settings: ChromaSettings, data_dir: Path) -> tuple[Any, set[str]]:
    try:
        client = _client(settings, data_dir)
        return client, {c.name for c in client.list_collections()}
    except _server_failures() as exc:
        raise _unavailable(settings, exc) from exc


def _server_failures() -> tuple[type[Exception], ...]:
    """What opening a Chroma server raises when it is down or is some other service: chromadb
    reports a refused connection, and a reply that is not Chroma's JSON, as ValueError; httpx
    errors (transport, HTTP status) and Chroma's own errors come through as they are."""
    import httpx
    from chromadb.errors import ChromaError

    return (ValueError, ConnectionError, httpx.HTTPError, ChromaError)


def _unavailable(settings: ChromaSettings, exc: Exception) -> StoreUnavailable:
    """Any failure to open a server store: it is down, or some other HTTP service answers there."""
    return StoreUnavailable(
        f"cannot reach the Chroma server at {settings.host}:{settings.port}, or it does not answer as "
        f"Chroma ({type(exc).__name__}): check ISNAD_CHROMA_HOST and ISNAD_CHROMA_PORT"
    )


class VectorStore:
    """Chunk and sentence vectors with their article, offsets and content hash."""

    def __init__(self, settings: ChromaSettings, data_dir: Path, embedder: Embedder) -> None:
        try:
            self._client = _client(settings, data_dir)
            function = _embedding_function(embedder)
            self._collections = {
                kind: self._client.get_or_create_collection(
                    name=f"{settings.collection_prefix}_{kind}",
                    embedding_function=function,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embedder": embedder.name},
                )
                for kind in (CHUNKS, SENTENCES)
            }
        except _server_failures() as exc:
            if settings.host:
                raise _unavailable(settings, exc) from exc
            raise
        for collection in self._collections.values():
            built_with = (collection.metadata or {}).get("embedder")
            if built_with != embedder.name:
                raise EmbedderMismatch(
                    f"the store was built with embedder {built_with!r} but {embedder.name!r} is "
                    "configured: re-index with `isnad ingest --rebuild` or change the setting back"
                )

    def add_version(
        self, article_id: str, content_hash: str, spans: dict[str, Sequence[Span]], vectors: dict[str, np.ndarray]
    ) -> None:
        """Store one version of an article beside any other; re-adding it is harmless."""
        for kind, items in spans.items():
            collection = self._collections[kind]
            for begin in range(0, len(items), ADD_BATCH):
                batch = items[begin : begin + ADD_BATCH]
                collection.upsert(
                    ids=[versioned_id(s.span_id, content_hash) for s in batch],
                    embeddings=vectors[kind][begin : begin + ADD_BATCH],
                    documents=[s.text for s in batch],
                    metadatas=[
                        {"article_id": s.article_id, "start": s.start, "end": s.end, "hash": content_hash}
                        for s in batch
                    ],
                )

    def delete_version(self, article_id: str, content_hash: str) -> None:
        """Remove one version of an article."""
        self._delete({"$and": [{"article_id": article_id}, {"hash": content_hash}]})

    def delete_other_versions(self, article_id: str, keep_hash: str) -> None:
        """Remove every version of an article but the one named."""
        self._delete({"$and": [{"article_id": article_id}, {"hash": {"$ne": keep_hash}}]})

    def _delete(self, where: dict[str, Any]) -> None:
        for collection in self._collections.values():
            collection.delete(where=where)

    def version_counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(article id, content hash) -> number of stored spans of each kind."""
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for kind, collection in self._collections.items():
            for begin in range(0, collection.count(), SCAN_BATCH):
                got = collection.get(include=["metadatas"], limit=SCAN_BATCH, offset=begin)
                for meta in got["metadatas"] or []:
                    per_kind = counts.setdefault((str(meta["article_id"]), str(meta["hash"])), {CHUNKS: 0, SENTENCES: 0})
                    per_kind[kind] += 1
        return counts

    def stored_hashes(self) -> dict[str, set[str]]:
        """Article id -> content hashes present among stored chunks (for consistency checks)."""
        result: dict[str, set[str]] = {}
        for article_id, content_hash in self.version_counts():
            result.setdefault(article_id, set()).add(content_hash)
        return result

    def query(self, kind: str, vector: np.ndarray, n: int) -> list[Hit]:
        """The n nearest spans of one kind (fewer when fewer are stored), most similar first."""
        try:  # Chroma returns what it holds when asked for more, nothing from an empty collection
            got = self._collections[kind].query(query_embeddings=[vector], n_results=n, include=["metadatas", "distances"])
        except Exception as exc:
            raise _translate(exc) from exc
        return [
            Hit(plain_id(i), str(m["article_id"]), int(m["start"]), int(m["end"]), str(m["hash"]), 1.0 - d)
            for i, m, d in zip(got["ids"][0], got["metadatas"][0], got["distances"][0], strict=True)
        ]

    def vectors(self, kind: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by versioned id (see `versioned_id`), keyed by plain span id."""
        if not ids:
            return {}
        try:
            got = self._collections[kind].get(ids=list(ids), include=["embeddings"])
        except Exception as exc:
            raise _translate(exc) from exc
        return {plain_id(i): np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def count(self, kind: str) -> int:
        return self._collections[kind].count()


def versioned_id(span_id: str, content_hash: str) -> str:
    """Store id of a span of one article version: versions of an article can coexist."""
    return f"{span_id}#{content_hash}"


def plain_id(stored_id: str) -> str:
    return stored_id.rsplit("#", 1)[0]


def _translate(exc: Exception) -> Exception:
    """A server connection failure becomes StoreUnavailable; anything else stays as it is."""
    import httpx

    if isinstance(exc, httpx.TransportError | ConnectionError):
        return StoreUnavailable("the search database is unreachable")
    return exc
