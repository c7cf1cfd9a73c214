"""Question -> Answer: detect the language, search, choose evidence, generate, verify every quote."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot import evidence, messages
from bot.generators import Evidence, ExtractiveGenerator
from config.settings import Settings
from retrieval.arabic import detect_language
from retrieval.embedders import Embedder, load_embedder
from retrieval.ingest import IngestReport, sync
from retrieval.manifest import Manifest
from retrieval.models import Answer, Citation, Language
from retrieval.search import CorpusView, HybridSearcher
from retrieval.store import StoreUnavailable, VectorStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """An indexed article as listed to users."""

    article_id: str
    title: str
    publisher: str
    date: str
    url: str


def validate_question(question: str, max_chars: int) -> str | None:
    """A message for the user if the question cannot be answered as typed, else None."""
    language = detect_language(question)
    if not question.strip():
        return messages.text("empty_question", language)
    if len(question) > max_chars:
        return messages.text("too_long", language, limit=max_chars)
    return None


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class Answerer:
    """The one pipeline behind the CLI, the terminal chat and the Telegram bot. Thread-safe."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or load_embedder(settings.embedding)
        self.generator = ExtractiveGenerator()
        self._lock = threading.Lock()
        self._searcher: HybridSearcher | None = None

    # -- store ---------------------------------------------------------------------------
    def _open_store(self) -> VectorStore:
        return VectorStore(self.settings.chroma, self.settings.data_dir, self.embedder)

    def _current_searcher(self) -> HybridSearcher:
        """The searcher, opening the store on first use or after it was unreachable."""
        with self._lock:
            if self._searcher is None:
                view = CorpusView(Manifest.load(self.settings.data_dir), self.settings.search.chunk_chars)
                self._searcher = HybridSearcher(self._open_store(), self.embedder, view, self.settings.search)
            return self._searcher

    def reindex(
        self, corpus_dir: Path | None = None, progress: Callable[[int], Callable[[], None]] | None = None
    ) -> IngestReport:
        """Sync the corpus folder into the store; questions keep being answered meanwhile."""
        store = self._open_store()
        manifest = Manifest.load(self.settings.data_dir)
        report = sync(
            corpus_dir or self.settings.corpus_dir,
            manifest,
            store,
            self.embedder,
            chunk_chars=self.settings.search.chunk_chars,
            batch_size=self.settings.embedding.batch_size,
            progress=progress,
        )
        view = CorpusView(manifest, self.settings.search.chunk_chars)
        with self._lock:
            self._searcher = HybridSearcher(store, self.embedder, view, self.settings.search)
        return report

    def sources(self) -> list[Source]:
        view = self._current_searcher().view
        return [
            Source(a.article.article_id, a.article.title, a.article.meta.publisher, a.article.meta.date, a.article.meta.url)
            for a in view.articles.values()
        ]

    def article_text(self, article_id: str) -> str:
        """The indexed text of an article (what citation offsets point into)."""
        return self._current_searcher().view.articles[article_id].article.raw_text

    # -- answering -----------------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """Answer from the sources, or say they don't; never raises for an unreachable store."""
        started = time.perf_counter()
        language = detect_language(question)
        try:
            searcher = self._current_searcher()
            result = searcher.search(question)
        except StoreUnavailable:
            log.warning("search store unavailable")
            with self._lock:
                self._searcher = None
            return self._message_answer(question, language, "search_unavailable", started, status="unavailable")
        retrieved = time.perf_counter()
        view = searcher.view
        if not view.articles:
            return self._message_answer(question, language, "no_index", started, retrieved)
        terms = evidence.question_terms(question, language, view)
        chosen = evidence.select(evidence.score(result, terms, view), self.settings.search.max_citations)
        if not evidence.answerable(chosen, terms):
            return self._message_answer(question, language, "not_found", started, retrieved)
        citations = self._citations([c.sentence for c in chosen], view)
        if not citations:
            return self._message_answer(question, language, "not_found", started, retrieved)
        quotes = [Evidence(c.n, c.quote, c.title) for c in citations]
        text = self.generator.generate(question, language, quotes)
        finished = time.perf_counter()
        return Answer(
            question=question,
            language=language,
            text=text,
            citations=tuple(citations),
            answered=True,
            generator=self.generator.name,
            timings_ms={"retrieve": _ms(retrieved - started), "generate": _ms(finished - retrieved), "total": _ms(finished - started)},
        )

    def _citations(self, sentences: list, view: CorpusView) -> list[Citation]:
        """Numbered citations whose quotes are checked against the indexed article text."""
        citations: list[Citation] = []
        for sentence in sentences:
            article = view.articles[sentence.article_id].article
            if article.raw_text[sentence.start : sentence.end] != sentence.text:
                log.error("quote does not match %s[%d:%d]; dropped", sentence.article_id, sentence.start, sentence.end)
                continue
            meta = article.meta
            citations.append(
                Citation(len(citations) + 1, article.article_id, article.title, meta.publisher, meta.date,
                         meta.url, sentence.text, sentence.start, sentence.end)
            )
        return citations

    @staticmethod
    def _message_answer(
        question: str, language: Language, key: str, started: float, retrieved: float | None = None, status: str = "not_found"
    ) -> Answer:
        now = time.perf_counter()
        retrieved = retrieved or now
        return Answer(
            question=question,
            language=language,
            text=messages.text(key, language),
            citations=(),
            answered=False,
            generator="none" if status == "unavailable" else "extractive",
            status=status,
            timings_ms={"retrieve": _ms(retrieved - started), "generate": _ms(now - retrieved), "total": _ms(now - started)},
        )

