"""Hybrid search: dense vectors (Chroma) + BM25, fused by reciprocal rank; sentence candidates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from config.settings import SearchSettings
from retrieval.arabic import stems, tokens
from retrieval.chunking import chunk_sentences, embedding_text, make_chunks, split_sentences
from retrieval.corpus import content_lines
from retrieval.embedders import Embedder
from retrieval.lexical import LexicalIndex
from retrieval.manifest import Manifest
from retrieval.models import Article, Chunk, Passage, Sentence
from retrieval.store import CHUNKS, SENTENCES, Hit, VectorStore, versioned_id
from retrieval.transliteration import skeleton_matches, text_skeletons

RRF_K = 60


@dataclass(frozen=True)
class IndexedArticle:
    """An indexed article with its sentences and chunks."""

    article: Article
    sentences: tuple[Sentence, ...]
    chunks: tuple[Chunk, ...]


def index_article(article: Article, chunk_chars: int) -> IndexedArticle:
    """Sentences and chunks of one article (pure; used by ingest and by search alike)."""
    sentences = split_sentences(article.article_id, article.raw_text, content_lines(article.raw_text))
    chunks = make_chunks(sentences, article.raw_text, chunk_chars)
    return IndexedArticle(article, tuple(sentences), tuple(chunks))


class CorpusView:
    """In-memory view of what the manifest says is indexed: texts, spans and the BM25 index."""

    def __init__(self, manifest: Manifest, chunk_chars: int) -> None:
        self.manifest = manifest
        self.articles = {
            article_id: index_article(manifest.load_article(article_id), chunk_chars)
            for article_id in sorted(manifest.entries)
        }
        self.chunks = [c for a in self.articles.values() for c in a.chunks]
        self._chunk_by_id = {c.span_id: c for c in self.chunks}
        self._sentence_by_id = {s.span_id: s for a in self.articles.values() for s in a.sentences}
        pairs = [(before, s) for a in self.articles.values() for before, s in zip(a.sentences, a.sentences[1:])]
        self._previous = {s.span_id: before for before, s in pairs}
        self._next = {before.span_id: s for before, s in pairs}
        self._skeleton_cache: dict[str, int] = {}
        self.sentence_count = len(self._sentence_by_id)
        self.sentence_frequency = Counter(
            term for a in self.articles.values() for s in a.sentences for term in set(stems(s.text))
        )
        self.skeleton_frequency = Counter(
            sk for a in self.articles.values() for s in a.sentences for sk in text_skeletons(tokens(s.text))
        )
        self.lexical = LexicalIndex(
            [embedding_text(chunk_sentences(c, self.articles[c.article_id].sentences)) for c in self.chunks]
        )

    def is_current(self, hit: Hit) -> bool:
        """A stored span belongs to the indexed version of its article."""
        entry = self.manifest.entries.get(hit.article_id)
        return entry is not None and entry.content_hash == hit.content_hash

    def versioned(self, span_id: str) -> str:
        """The store id of a span of the indexed version of its article."""
        article_id = span_id.rsplit(":", 1)[0]
        return versioned_id(span_id, self.manifest.entries[article_id].content_hash)

    def chunk(self, span_id: str) -> Chunk | None:
        return self._chunk_by_id.get(span_id)

    def sentence(self, span_id: str) -> Sentence | None:
        return self._sentence_by_id.get(span_id)

    def neighbourhood(self, sentence: Sentence) -> list[Sentence]:
        """The sentence with the one before and the one after it in its article."""
        before = self._previous.get(sentence.span_id)
        after = self._next.get(sentence.span_id)
        return [s for s in (before, sentence, after) if s is not None]

    def skeleton_count(self, skeleton: str) -> int:
        """How many sentences hold a word with this consonant skeleton (or a near match)."""
        if skeleton not in self._skeleton_cache:
            self._skeleton_cache[skeleton] = sum(
                count for sk, count in self.skeleton_frequency.items() if skeleton_matches(skeleton, sk)
            )
        return self._skeleton_cache[skeleton]

    def sentences_in(self, chunk: Chunk) -> list[Sentence]:
        return chunk_sentences(chunk, self.articles[chunk.article_id].sentences)


@dataclass(frozen=True)
class Candidate:
    """A quotable sentence near the question, with its cosine similarity to it."""

    sentence: Sentence
    similarity: float


@dataclass(frozen=True)
class SearchResult:
    """Passages (fused ranking) and the sentence candidates drawn from them."""

    passages: tuple[Passage, ...]
    candidates: tuple[Candidate, ...]


def reciprocal_rank_fusion(rankings: Iterable[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Sum of 1/(k + rank) over the rankings each id appears in."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


class HybridSearcher:
    """Answers `search(question)` from the store and the in-memory view."""

    def __init__(
        self, store: VectorStore, embedder: Embedder, view: CorpusView, settings: SearchSettings
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.view = view
        self.settings = settings

    def search(self, question: str) -> SearchResult:
        vector = self.embedder.embed_query(question)
        wide = self.settings.top_chunks * 2
        dense = [h.span_id for h in self.store.query(CHUNKS, vector, wide) if self.view.is_current(h)]
        lexical = [self.view.chunks[i].span_id for i, _ in self.view.lexical.top(question, wide)]
        fused = reciprocal_rank_fusion([dense, lexical])
        best = sorted(fused, key=fused.__getitem__, reverse=True)[: self.settings.top_chunks]
        passages = tuple(Passage(chunk, fused[i]) for i in best if (chunk := self.view.chunk(i)))
        return SearchResult(passages, self._candidates(vector, passages))

    def _candidates(self, vector: np.ndarray, passages: Sequence[Passage]) -> tuple[Candidate, ...]:
        """Quotable sentences of the passages plus the nearest sentences overall, with similarities."""
        wanted = dict.fromkeys(
            s.span_id for p in passages for s in self.view.sentences_in(p.chunk) if s.quotable
        )
        hits = self.store.query(SENTENCES, vector, self.settings.top_chunks * 2)
        similarity = {h.span_id: h.similarity for h in hits if self.view.is_current(h)}
        wanted.update(dict.fromkeys(similarity))
        missing = [self.view.versioned(i) for i in wanted if i not in similarity]
        for span_id, stored in self.store.vectors(SENTENCES, missing).items():
            similarity[span_id] = float(stored @ vector)
        candidates = [
            Candidate(sentence, similarity[span_id])
            for span_id in wanted
            if span_id in similarity and (sentence := self.view.sentence(span_id)) is not None
        ]
        candidates.sort(key=lambda c: c.similarity, reverse=True)
        return tuple(candidates)
