"""A cross-lingual term map induced from the embedding model over the corpus vocabulary.

English questions share no words with Arabic articles. Each stem of the indexed corpus's Arabic
words is embedded once at ingest, as its most frequent form (kept in `<data_dir>/terms.npz`, so
only new stems cost anything later); an English word of a question is embedded at query time
and mapped to the corpus words nearest to it ("drones" -> "المسيرات", "warned" -> "حذر"). The map is a signal for
ranking and for the answer decision, never shown to users.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from isnad.retrieval.arabic import stem, stopwords, tokens
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.progress import Progress

LEXICON_FILE = "terms.npz"
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{3,}$")


def vocabulary(texts: Iterable[str]) -> set[str]:
    """One normalised Arabic content word (three letters or more) per stem of some texts: its most
    frequent form ("المسيرات" for مسيرات، والمسيرات، بالمسيرات). Forms of one stem count as one
    term everywhere the map is used, so embedding one of them is enough (a third fewer words)."""
    stop = stopwords()
    counts = Counter(t for text in texts for t in tokens(text) if _ARABIC_WORD.match(t) and t not in stop)
    best: dict[str, str] = {}
    for word, _ in sorted(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0])):
        best.setdefault(stem(word), word)
    return set(best.values())


class TermLexicon:
    """Arabic corpus words and their unit vectors; English words map to their nearest words."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray, embedder: str = "") -> None:
        self.embedder = embedder
        self.words = list(words)
        self.vectors = vectors.astype(np.float32).reshape(len(self.words), -1) if self.words else vectors

    @classmethod
    def empty(cls) -> TermLexicon:
        return cls([], np.zeros((0, 0), dtype=np.float32))

    @classmethod
    def load(cls, data_dir: Path, embedder: str | None = None) -> TermLexicon:
        """The saved lexicon of a data dir, or an empty one (also if another embedder made it)."""
        path = data_dir / LEXICON_FILE
        if not path.is_file():
            return cls.empty()
        with np.load(path, allow_pickle=False) as saved:
            made_by = str(saved["embedder"]) if "embedder" in saved else ""
            if embedder is not None and made_by != embedder:
                return cls.empty()
            return cls([str(w) for w in saved["words"]], saved["vectors"].astype(np.float32), made_by)

    def save(self, data_dir: Path) -> None:
        """Write atomically: a reader sees the old file or the new one."""
        temp = data_dir / f".{LEXICON_FILE}.tmp.npz"
        np.savez(
            temp, words=np.asarray(self.words, dtype=str), vectors=self.vectors.astype(np.float16),
            embedder=np.asarray(self.embedder),
        )
        os.replace(temp, data_dir / LEXICON_FILE)

    def synced(
        self, wanted: set[str], embedder: Embedder, batch_size: int = 1024, progress: Progress | None = None
    ) -> TermLexicon:
        """A lexicon with one word per stem of `wanted`, embedding only stems this one lacks (a
        stem it holds keeps its word, so removing an article embeds nothing); large batches,
        since a word is a few tokens and the model's cost per call dominates small batches."""
        held = {stem(w): i for i, w in enumerate(self.words)}
        wanted_stems = {stem(w): w for w in sorted(wanted)}
        known = {s: held[s] for s in wanted_stems if s in held}
        new = sorted(w for s, w in wanted_stems.items() if s not in held)
        if not new and len(known) == len(self.words):
            return self
        parts = [self.vectors[list(known.values())]] if known else []
        advance = progress(len(new), "word") if progress and new else None
        for start in range(0, len(new), batch_size):
            parts.append(embedder.embed_passages(new[start : start + batch_size]))
            if advance:
                advance(len(parts[-1]))
        words = [self.words[i] for i in known.values()] + new
        vectors = np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)
        return TermLexicon(words, vectors, embedder.name)

    def nearest(self, vectors: np.ndarray, k: int, min_similarity: float) -> list[list[tuple[str, float]]]:
        """For each query vector, up to k corpus words at least `min_similarity` close."""
        if not self.words or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        similarity = vectors @ self.vectors.T
        top = np.argsort(-similarity, axis=1)[:, :k]
        return [
            [(self.words[j], float(row[j])) for j in best if row[j] >= min_similarity]
            for row, best in zip(similarity, top, strict=True)
        ]


def sync_lexicon(data_dir: Path, texts: Sequence[str], embedder: Embedder, progress: Progress | None = None) -> int:
    """Bring the term map of a data dir in line with the texts of its indexed articles (called by
    the writer holding the data dir's lock); returns how many words it holds."""
    words = vocabulary(texts)
    current = TermLexicon.load(data_dir, embedder.name)
    lexicon = current.synced(words, embedder, progress=progress)
    if lexicon is not current or not (data_dir / LEXICON_FILE).is_file():
        lexicon.save(data_dir)
    return len(lexicon.words)


class WordEmbeddings:
    """Query-side vectors of single words, cached (questions repeat their words); the words a
    question brings that are not cached yet are embedded in one batch."""

    def __init__(self, embedder: Embedder, size: int = 20_000) -> None:
        self._embedder = embedder
        self._size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, words: Sequence[str]) -> np.ndarray:
        if not words:
            return np.zeros((0, 0), dtype=np.float32)
        with self._lock:
            missing = [w for w in dict.fromkeys(words) if w not in self._cache]
        if missing:
            vectors = self._embedder.embed_queries(missing)
            with self._lock:
                self._cache.update(zip(missing, vectors, strict=True))
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        with self._lock:
            found = [v for v in (self._cache.get(w) for w in words) if v is not None]
        if len(found) < len(words):  # evicted meanwhile by another thread's words
            return self._embedder.embed_queries(list(words))
        return np.vstack(found)
