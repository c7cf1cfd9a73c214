"""The only module that talks to Chroma: embedded PersistentClient or a Chroma server."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from config.settings import ChromaSettings
from retrieval.embedders import Embedder
from retrieval.models import Span

log = logging.getLogger(__name__)

CHUNKS = "chunks"
SENTENCES = "sentences"
ADD_BATCH = 1000


class StoreError(RuntimeError):
    """The vector store cannot be used; the message says what to do."""


class StoreUnavailable(StoreError):
    """The Chroma server cannot be reached."""


class EmbedderMismatch(StoreError):
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
        def build_from_config(config: dict[str, Any]) -> "IsnadEmbeddingFunction":
            return IsnadEmbeddingFunction(config["model"])

    return IsnadEmbeddingFunction(embedder.name)


class VectorStore:
    """Chunk and sentence vectors with their article, offsets and content hash."""

    def __init__(self, settings: ChromaSettings, data_dir: Path, embedder: Embedder) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaClientSettings

        client_settings = ChromaClientSettings(anonymized_telemetry=False)
        self._embedder = embedder
        try:
            if settings.host:
                self._client = chromadb.HttpClient(
                    host=settings.host, port=settings.port, settings=client_settings
                )
            else:
                path = data_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=client_settings)
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
        except Exception as exc:
            if settings.host and _is_connection_error(exc):
                raise StoreUnavailable(
                    f"cannot reach the Chroma server at {settings.host}:{settings.port}"
                ) from exc
            raise
        for collection in self._collections.values():
            built_with = (collection.metadata or {}).get("embedder")
            if built_with != embedder.name:
                raise EmbedderMismatch(
                    f"the store was built with embedder {built_with!r} but {embedder.name!r} is "
                    "configured: re-index with `isnad ingest --rebuild` or change the setting back"
                )

    def replace_article(
        self,
        article_id: str,
        content_hash: str,
        spans: dict[str, Sequence[Span]],
        vectors: dict[str, np.ndarray],
    ) -> None:
        """Delete an article's old spans and add its new ones, kind by kind."""
        self.delete_article(article_id)
        for kind, items in spans.items():
            collection = self._collections[kind]
            for begin in range(0, len(items), ADD_BATCH):
                batch = items[begin : begin + ADD_BATCH]
                collection.add(
                    ids=[s.span_id for s in batch],
                    embeddings=vectors[kind][begin : begin + ADD_BATCH],
                    documents=[s.text for s in batch],
                    metadatas=[
                        {"article_id": s.article_id, "start": s.start, "end": s.end, "hash": content_hash}
                        for s in batch
                    ],
                )

    def delete_article(self, article_id: str) -> None:
        for collection in self._collections.values():
            collection.delete(where={"article_id": article_id})

    def stored_hashes(self) -> dict[str, set[str]]:
        """Article id -> content hashes present among stored chunks (for consistency checks)."""
        result: dict[str, set[str]] = {}
        got = self._collections[CHUNKS].get(include=["metadatas"])
        for meta in got["metadatas"] or []:
            result.setdefault(str(meta["article_id"]), set()).add(str(meta["hash"]))
        return result

    def query(self, kind: str, vector: np.ndarray, n: int) -> list[Hit]:
        """The n nearest spans of one kind, most similar first."""
        collection = self._collections[kind]
        count = collection.count()
        if count == 0:
            return []
        try:
            got = collection.query(
                query_embeddings=[vector], n_results=min(n, count), include=["metadatas", "distances"]
            )
        except Exception as exc:
            raise _translate(exc) from exc
        return [
            Hit(span_id, str(m["article_id"]), int(m["start"]), int(m["end"]), str(m["hash"]), 1.0 - d)
            for span_id, m, d in zip(got["ids"][0], got["metadatas"][0], got["distances"][0])
        ]

    def vectors(self, kind: str, span_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by span id (ids that are not stored are left out)."""
        if not span_ids:
            return {}
        try:
            got = self._collections[kind].get(ids=list(span_ids), include=["embeddings"])
        except Exception as exc:
            raise _translate(exc) from exc
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def count(self, kind: str) -> int:
        return self._collections[kind].count()


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("connect", "timeout", "unreachable", "refused"))


def _translate(exc: Exception) -> Exception:
    """A server connection failure becomes StoreUnavailable; anything else stays as it is."""
    if _is_connection_error(exc):
        return StoreUnavailable("the search database is unreachable")
    return exc
