"""Question -> Answer: detect the language, search, choose evidence, generate, verify every quote."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from isnad.bot.answer import chitchat, evidence, followup, messages, prompting, published
from isnad.bot.answer.decision import Decision, DecisionParams, decide
from isnad.bot.answer.followup import Turn
from isnad.bot.answer.generators import (
    ExtractiveGenerator,
    GenerationTimeout,
    Generator,
    TextCallback,
    load_generator,
    quoted,
)
from isnad.bot.answer.prompting import Passage
from isnad.bot.answer.question import Question, analyse, asks_about_a_picture, on_topic, with_previous
from isnad.bot.answer.types import Answer, Citation
from isnad.retrieval.arabic import detect_language
from isnad.retrieval.dictionary import load_word_lists
from isnad.retrieval.embedders import Embedder, load_embedder
from isnad.retrieval.indexer import update_index
from isnad.retrieval.ingest import IngestReport
from isnad.retrieval.lexicon import WordEmbeddings
from isnad.retrieval.manifest import Source
from isnad.retrieval.models import Language, Sentence
from isnad.retrieval.progress import Progress
from isnad.retrieval.search import CorpusView, HybridSearcher, SearchResult
from isnad.retrieval.store import StoreUnavailable, VectorStore
from isnad.settings import Settings

log = logging.getLogger(__name__)
FOLLOW_UP_REACH = 2  # sentences either side of the previous reply's quotes that a follow-up may quote


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

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        decision: DecisionParams | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or load_embedder(settings.embedding)
        self.generator = generator or load_generator(settings.llm)
        self._extractive_generator = ExtractiveGenerator()
        self.decision = decision or DecisionParams.load()
        self._word_vectors = WordEmbeddings(self.embedder)
        self._lock = threading.Lock()
        self._searcher: HybridSearcher | None = None
        self._index_version: tuple[tuple[int, int] | None, ...] = ()

    # -- store ---------------------------------------------------------------------------
    def _open_store(self) -> VectorStore:
        return VectorStore(self.settings.chroma, self.settings.data_dir, self.embedder)

    def _current_searcher(self) -> HybridSearcher:
        """The searcher, opening the store on first use or after it was unreachable, and
        reloading the corpus view when another process (an operator's ingest) changed the index."""
        with self._lock:
            version = CorpusView.version(self.settings.data_dir)
            if self._searcher is None or version != self._index_version:
                store = self._searcher.store if self._searcher else self._open_store()
                view = CorpusView.of_data_dir(
                    self.settings.data_dir, self.settings.search.chunk_chars, self.embedder, self._word_vectors
                )
                if view.sentence_count and not len(view.sparse) and self.embedder.sparse([]) is not None:
                    log.warning(
                        "this index has no sparse vectors (it was made by an older version): run `isnad ingest` "
                        "once; until then each sentence's vector is made while answering, which is slow"
                    )
                load_word_lists()  # with the index, so the first English or dialect question does not wait for them
                self._searcher = HybridSearcher(store, self.embedder, view, self.settings.search)
                self._index_version = version
            return self._searcher

    def reindex(
        self, corpus_dir: Path | None = None, progress: Progress | None = None,
        *, rebuild: bool = False, wait: bool = True,
    ) -> IngestReport:
        """Sync the corpus folder into the store (see isnad.retrieval.indexer); questions keep being answered meanwhile."""
        report = update_index(
            self.settings, self.embedder, corpus_dir or self.settings.corpus_dir,
            rebuild=rebuild, wait=wait, progress=progress,
        )
        with self._lock:  # the next question loads the new index (a CLI ingest never needs it)
            self._searcher = None
        return report

    def sources(self) -> list[Source]:
        """The indexed articles of the index in use (opening the store, as answering does)."""
        return self._current_searcher().view.manifest.sources()

    def article_text(self, article_id: str) -> str:
        """The indexed text of an article (what citation offsets point into)."""
        return self._current_searcher().view.articles[article_id].article.raw_text

    # -- answering -----------------------------------------------------------------------
    def answer(self, question: str, on_text: TextCallback | None = None, context: Sequence[Turn] = ()) -> Answer:
        """Answer from the sources, or say they don't; never raises for an unreachable store or model.

        `on_text` receives the growing answer text while a language model streams it; `context`
        holds the conversation's previous turns, oldest first, for follow-ups.
        """
        clock = _Clock()
        question = question.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
        language = detect_language(question)
        if chitchat.is_small_talk(question):
            return self._small_talk(question, language, clock)
        try:
            asked, result, view = self.retrieve(question, language, context)
        except StoreUnavailable:
            log.warning("search store unavailable")
            with self._lock:
                self._searcher = None
            return _declined(question, language, "search_unavailable", clock, status="unavailable", generator="none")
        clock.retrieved()
        if not view.articles:
            return _declined(question, language, "no_index", clock)
        decision = decide(self.decision, asked, result, view, self.settings.search.max_citations)
        if decision.kind == "answered" and followup.continues_nothing(question, asked.key_terms, context):
            decision = replace(decision, kind="related")  # the closest passages, not an answer to a "that" nobody named
        dated = self._dateline_reply(question, language, asked, decision, view, clock) if published.asks_when_published(question) else None
        if dated is not None:
            answer = dated
        elif isinstance(self.generator, ExtractiveGenerator) or decision.kind == "not_found":
            answer = self._extractive(question, language, decision, view, clock)
        else:
            answer = self._generated(question, language, decision, view, clock, on_text)
        return replace(answer, resolved_question=asked.text) if asked.text != question else answer

    def retrieve(
        self, question: str, language: Language, context: Sequence[Turn] = ()
    ) -> tuple[Question, SearchResult, CorpusView]:
        """The question's terms (read with the previous turn if it is a follow-up), the search
        result and the corpus view it came from."""
        searcher = self._current_searcher()
        alone = analyse(question, language, searcher.view)
        resolved = followup.resolve(question, alone.key_terms, context)
        # a picture asked about stays the subject of its follow-ups ("and on what date was that?")
        captions = asks_about_a_picture(question) or (resolved is not None and asks_about_a_picture(resolved.previous))
        view = searcher.view
        asked, searched, near = alone, question, []
        if resolved is not None:
            near = view.around(resolved.cited, FOLLOW_UP_REACH)
            standalone = self._condensed(question, language, resolved.previous)
            if standalone:
                asked, searched = analyse(standalone, language, view, asks=question), standalone
            else:
                previous = analyse(resolved.previous, detect_language(resolved.previous), view)
                asked, searched = with_previous(alone, previous), resolved.text
            asked = on_topic(asked, alone, [s.span_id for s in near])
        search = self.settings.search
        near = [*near, *view.covering([(t.forms, t.weight) for t in asked.terms], search.covering_sentences, search.min_covering)]
        named = evidence.captions_naming(asked, view)
        if captions:
            named += evidence.captions_covering(asked, view, search.covering_sentences)
        result = searcher.search(searched, near, captions, named=named, language=detect_language(searched))
        if resolved is not None:
            # "what else?": not what the last reply said first; "and when?": not a sentence it quoted that holds no date
            dropped = list(resolved.cited[:1]) if resolved.wants_more else []
            dropped += [(s.article_id, s.start, s.end) for s in view.around(resolved.cited, 0) if evidence.lacks_kind_asked(asked, s, view)]
            result = result.without(dropped)
        return asked, result, view

    def _condensed(self, question: str, language: Language, previous: str) -> str:
        """A language model's standalone reading of a follow-up, when one is configured and its
        output is a question in the follow-up's language; else "" (offline resolution)."""
        try:
            text = self.generator.condense(question, language, previous)
        except Exception as exc:
            log.warning("condensing a follow-up failed (%s); resolved offline", type(exc).__name__)
            return ""
        return text if followup.usable_condensation(text, language) else ""

    def _extractive(
        self, question: str, language: Language, decision: Decision, view: CorpusView,
        clock: _Clock, fallback: str | None = None,
    ) -> Answer:
        """The decision as it stands: verified quotes as the answer, as related passages, or nothing."""
        citations = self._citations([r.sentence for r in decision.evidence], view)
        if decision.kind == "not_found" or not citations:
            hint = messages.text("coverage_hint", language, titles="; ".join(_titles(view, language)[:3]))
            return _declined(question, language, "not_found", clock, fallback=fallback, hint=hint)
        if decision.kind == "related":
            text = quoted(messages.text("related_intro", language), _passages(citations))
        else:
            text = self._extractive_generator.generate(question, language, _passages(citations))
        if fallback:
            text = f"{text}\n{messages.text('llm_fallback', language)}"
        return _reply(question, language, text, citations, "extractive", clock, decision.kind, fallback)

    def _generated(
        self, question: str, language: Language, decision: Decision, view: CorpusView, clock: _Clock,
        on_text: TextCallback | None,
    ) -> Answer:
        """Ask the model; any failure or unverifiable output falls back to the extractive reply."""
        offered = self._citations([r.sentence for r in decision.evidence][: self.settings.llm.passages], view)
        try:
            raw = self.generator.generate(question, language, _passages(offered), clock.watch(on_text))
        except GenerationTimeout:
            log.warning("language model timed out; extractive fallback")
            return self._extractive(question, language, decision, view, clock, fallback="timeout")
        except Exception as exc:  # a dead or misconfigured model must never reach the user
            log.warning("language model failed (%s); extractive fallback", type(exc).__name__)
            return self._extractive(question, language, decision, view, clock, fallback="error")
        if prompting.leaks_prompt(raw):
            return self._extractive(question, language, decision, view, clock, fallback="error")
        if prompting.declined(raw):
            return self._extractive(question, language, replace(decision, kind="related"), view, clock)
        checked = prompting.check_citations(raw, len(offered))
        if not checked.cited:
            return self._extractive(question, language, decision, view, clock, fallback="no valid citation")
        cited = [replace(offered[n - 1], n=new) for new, n in enumerate(checked.cited, start=1)]
        if language == "en" and self.settings.llm.translate_quotes:
            cited = [replace(c, translation=self._translation(c.quote)) for c in cited]
        return _reply(question, language, checked.text, cited, self.generator.name, clock, "answered")

    def _dateline_reply(
        self, question: str, language: Language, asked: Question, decision: Decision, view: CorpusView, clock: _Clock
    ) -> Answer | None:
        """When an article was published, from its dateline: the article the question names (by
        publisher or headline), else the one the best passage comes from; None without a dateline."""
        articles = list(evidence.articles_named(asked, view)) or [r.sentence.article_id for r in decision.evidence[:1]]
        citations = self._citations([s for a in articles for s in published.datelines(view.articles[a].article)], view)
        if not citations:
            return None
        text = self._extractive_generator.generate(question, language, _passages(citations))
        return _reply(question, language, text, citations, "extractive", clock, "answered")

    def _small_talk(self, question: str, language: Language, clock: _Clock) -> Answer:
        """A friendly reply; a greeting suggests a question about the shortest indexed title."""
        key = chitchat.reply_key(question)
        try:
            titles = sorted(_titles(self._current_searcher().view, language), key=len)
        except StoreUnavailable:
            titles = []
        if key == "greeting" and not titles:
            key = "chitchat"
        example = messages.text("example_question", language, title=titles[0]) if titles else ""
        text = messages.text(key, language, example=example)
        return Answer(question, language, text, (), False, "extractive", "chitchat", None, clock.timings())

    def _translation(self, quote: str) -> str:
        """The model's English rendering of a quote, or nothing if it fails (the quote stands alone)."""
        try:
            return self.generator.translate(quote)
        except Exception as exc:
            log.warning("quote translation failed (%s)", type(exc).__name__)
            return ""

    def _citations(self, sentences: Sequence[Sentence], view: CorpusView) -> list[Citation]:
        """Numbered citations whose quotes are checked against the indexed article text."""
        citations: list[Citation] = []
        for sentence in evidence.quotes(sentences, partial(view.in_context, search=self.settings.search)):
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


class _Clock:
    """Retrieval, first-token and total times of one answer."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.retrieval_done: float | None = None
        self.first_text: float | None = None

    def retrieved(self) -> None:
        self.retrieval_done = time.perf_counter()

    def watch(self, on_text: TextCallback | None) -> TextCallback:
        def seen(text: str) -> None:
            if self.first_text is None:
                self.first_text = time.perf_counter()
            if on_text:
                on_text(text)

        return seen

    def timings(self) -> dict[str, float]:
        now = time.perf_counter()
        retrieved = self.retrieval_done or now
        timings = {"retrieve": _ms(retrieved - self.started), "generate": _ms(now - retrieved), "total": _ms(now - self.started)}
        if self.first_text is not None:
            timings["first_token"] = _ms(self.first_text - self.started)
        return timings


def _passages(citations: Sequence[Citation]) -> list[Passage]:
    return [Passage(c.n, c.quote, c.title) for c in citations]


def _reply(
    question: str, language: Language, text: str, citations: Sequence[Citation], generator: str,
    clock: _Clock, status: str, fallback: str | None = None,
) -> Answer:
    """A reply that quotes: an answer, or related passages that are not one."""
    answered = status == "answered"
    return Answer(question, language, text, tuple(citations), answered, generator, status, fallback, clock.timings())


def _declined(
    question: str, language: Language, key: str, clock: _Clock, *, status: str = "not_found",
    generator: str = "extractive", fallback: str | None = None, hint: str = "",
) -> Answer:
    """A reply that quotes nothing: not in the sources, small talk, no index, or search unavailable."""
    text = f"{messages.text(key, language)}\n{hint}" if hint else messages.text(key, language)
    return Answer(question, language, text, (), False, generator, status, fallback, clock.timings())


def _titles(view: CorpusView, language: Language) -> list[str]:
    """The indexed articles' titles, in English for English readers where the metadata has them."""
    metas = [a.article.meta for a in view.articles.values()]
    return [(language == "en" and m.title_en) or m.title for m in metas if m.title]
