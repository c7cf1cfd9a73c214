"""BM25 (bm25s) over Arabic-normalised, stemmed tokens."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import bm25s
import numpy as np

from isnad.retrieval.arabic import stems

# bm25s sets its logger to DEBUG on import; let the application's logging level decide.
logging.getLogger("bm25s").setLevel(logging.NOTSET)


class LexicalIndex:
    """Keyword search over a fixed list of texts; scores follow the texts' order."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if texts:
            self._bm25.index([stems(t, drop_stopwords=True) or [""] for t in texts], show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for the query (zeros when nothing matches)."""
        terms = stems(query, drop_stopwords=True)
        if not self._size or not terms:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def top(self, query: str, n: int) -> list[tuple[int, float]]:
        """Up to n (position, score) pairs with a positive score, best first."""
        scores = self.scores(query)
        if not scores.size:
            return []
        order = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
