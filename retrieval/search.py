"""Hybrid search: dense vectors (Chroma) + BM25, fused by reciprocal rank; sentence candidates."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from isnad.retrieval.arabic import consonant_keys, detect_language, is_function_word, normalise, readings, stem, tokens
from isnad.retrieval.chunking import chunk_sentences, embedding_text, make_chunks, split_sentences
from isnad.retrieval.corpus import content_lines
from isnad.retrieval.dictionary import by_initial, near_spellings
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.language_shift import LanguageShift, moved
from isnad.retrieval.lexical import LexicalIndex
from isnad.retrieval.lexicon import LEXICON_FILE, TermLexicon
from isnad.retrieval.manifest import MANIFEST_FILE, Manifest, file_stamp
from isnad.retrieval.models import Article, Chunk, Language, RetrievedChunk, Sentence
from isnad.retrieval.sparse import SPARSE_FILE, SparseVectors, similarities
from isnad.retrieval.store import CHUNKS, SENTENCES, Hit, VectorStore, versioned_id
from isnad.retrieval.transliteration import (
    latin_skeleton,
    matching_skeletons,
    skeleton_found,
    spelled_acronyms,
    text_skeletons,
)
from isnad.settings import SearchSettings

RRF_K = 60
# "Published" names no publisher, even one called النشرة (the bulletin).
PUBLISHING_STEMS = frozenset(stem(w) for w in ("نشر", "منشور"))
# Where a headline of two halves divides ("Putin warns of catastrophic consequences… and Israel
# fears…", "“A series of issues”: Putin phones Raisi…"): a question may name it by either half.
_HEADLINE_HALVES = re.compile(r"\s*(?:\.\.+|…|:|\s[-–—|]\s)\s*")
# A half names its article by at least this many of its words (and half of them).
MIN_HALF_WORDS = 2
# A paragraph that opens with a quotation mark goes on with the quotation of the paragraph before.
_OPENS_A_QUOTE = re.compile(r"^\s*[“«\"]")
# A sentence that goes on with what the one before reported, its speaker left implicit: "وأضاف أن
# طهران سترد…" (and he added that…), "وأشارت إلى أن…", "وتابع: «…»" (normalised text).
_GOES_ON = re.compile(
    r"^\W*[وف]?(?:اضاف|تابع|اشار|اكد|قال|اوضح|لفت|شدد|اعتبر|ختم)ت?(?:\s+(?:الي\s+)?(?:ان|انه|انها|بان)\b|\s*[:“\"«])"
)


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

    def __init__(
        self,
        manifest: Manifest,
        chunk_chars: int,
        lexicon: TermLexicon | None = None,
        word_vectors: Callable[[Sequence[str]], np.ndarray] | None = None,
        sparse: SparseVectors | None = None,
        shift: LanguageShift | None = None,
    ) -> None:
        self.manifest = manifest
        self.shift = shift or LanguageShift()
        self.lexicon = lexicon or TermLexicon.empty()
        self._word_vectors = word_vectors
        self.sparse = sparse or SparseVectors({})
        self._lexicon_row = {stem(w): i for i, w in enumerate(self.lexicon.words)}  # one word per stem
        self.articles = {
            article_id: index_article(manifest.load_article(article_id), chunk_chars)
            for article_id in sorted(manifest.entries)
        }
        self.chunks = [c for a in self.articles.values() for c in a.chunks]
        self._chunk_by_id = {c.span_id: c for c in self.chunks}
        self._sentence_by_id = {s.span_id: s for a in self.articles.values() for s in a.sentences}
        pairs = [(before, s) for a in self.articles.values() for before, s in zip(a.sentences, a.sentences[1:], strict=False)]
        self._previous = {s.span_id: before for before, s in pairs}
        self._reported_in = {k: v for a in self.articles.values() for k, v in _reported_in(a).items()}
        self._next = {before.span_id: s for before, s in pairs}
        self._skeleton_cache: dict[str, int] = {}
        self.sentence_count = len(self._sentence_by_id)
        self._stems = {span_id: _sentence_stems(s.text) for span_id, s in self._sentence_by_id.items()}
        self._skeletons = {span_id: text_skeletons(tokens(s.text)) for span_id, s in self._sentence_by_id.items()}
        self.sentence_frequency = Counter(term for found in self._stems.values() for term in found)
        quotable = [s for s in self._sentence_by_id.values() if s.quotable]
        self._quotable_stems = frozenset().union(*(self._stems[s.span_id] for s in quotable))
        self._quotable_skeletons = frozenset().union(*(self._skeletons[s.span_id] for s in quotable))
        self._holding: defaultdict[str, list[str]] = defaultdict(list)  # stem -> the quotable sentences holding it
        self._article_sentences = Counter(s.article_id for s in quotable)
        self._article_frequency: dict[str, Counter[str]] = {a: Counter() for a in self.articles}  # article -> stem -> sentences
        for s in quotable:
            for form in self._stems[s.span_id]:
                self._holding[form].append(s.span_id)
            self._article_frequency[s.article_id].update(self._stems[s.span_id])
        self._captions = [s for s in self._sentence_by_id.values() if s.caption]
        self._words = frozenset(w for s in self._sentence_by_id.values() for w in tokens(s.text))
        self._by_consonants = _by_consonants(self._words)  # made with the view: ~20 ms for 600 sentences (readings cached)
        self._publisher_stems = identifying(
            {a: _sentence_stems(i.article.meta.publisher) - PUBLISHING_STEMS for a, i in self.articles.items()}
        )
        self._publisher_skeletons = identifying({a: text_skeletons(tokens(i.article.meta.publisher)) for a, i in self.articles.items()})
        self._any_publisher_skeleton = frozenset().union(*self._publisher_skeletons.values())
        titles: dict[str, tuple[str, ...]] = {a: (i.article.meta.title, i.article.meta.title_en) for a, i in self.articles.items()}
        self._headlines = _headlines(titles)
        self._headline_stems = {a: frozenset().union(*(r for title in found for r in title)) for a, found in self._headlines.items()}
        self._headline_halves = _headlines({a: tuple(h for t in found for h in _halves(t)) for a, found in titles.items()})
        self._latin_headlines = {
            a: tuple(skeletons for t in found if (skeletons := _latin_skeletons(t))) for a, found in titles.items()
        }
        self.skeleton_frequency = Counter(sk for found in self._skeletons.values() for sk in found)
        self.lexical = LexicalIndex(
            [embedding_text(chunk_sentences(c, self.articles[c.article_id].sentences)) for c in self.chunks]
        )

    @staticmethod
    def version(data_dir: Path) -> tuple[tuple[int, int] | None, ...]:
        """Changes whenever the manifest, the term map or the sparse vectors are replaced (an
        ingest writes them one after the other: a reader that saw only the manifest reloads again)."""
        return tuple(file_stamp(data_dir / name) for name in (MANIFEST_FILE, LEXICON_FILE, SPARSE_FILE))

    @classmethod
    def of_data_dir(
        cls, data_dir: Path, chunk_chars: int, embedder: Embedder, word_vectors: Callable[[Sequence[str]], np.ndarray] | None = None
    ) -> CorpusView:
        """The view of a data dir's index with its term map, sparse vectors and language shift (made by `embedder`)."""
        return cls(
            Manifest.load(data_dir), chunk_chars, TermLexicon.load(data_dir, embedder.name), word_vectors,
            SparseVectors.load(data_dir / SPARSE_FILE, embedder.name), LanguageShift.load(embedder.name),
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

    def reported_in(self, sentence: Sentence) -> tuple[Sentence, ...]:
        """The sentences naming who said this one, when it goes on with what they reported, its
        speaker implicit: the sentence before "وأضاف أن…"; the paragraph before a paragraph that
        opens with a quotation mark (a quotation that goes on over paragraphs)."""
        return self._reported_in.get(sentence.span_id, ())

    def neighbourhood(self, sentence: Sentence) -> list[Sentence]:
        """The sentence with the one before and the one after it in its article."""
        before = self._previous.get(sentence.span_id)
        after = self._next.get(sentence.span_id)
        return [s for s in (before, sentence, after) if s is not None]

    def in_context(self, sentence: Sentence, search: SearchSettings) -> Sentence:
        """The sentence as quoted: one shorter than `search.min_quote_chars` joined by the next
        quotable sentence of its paragraph, then if still short by the previous one, so that a quote
        reads on its own; a neighbour joins only if the quote stays within `search.max_quote_chars`."""
        raw = self.articles[sentence.article_id].article.raw_text
        quoted = sentence
        for neighbour in (self._next.get(sentence.span_id), self._previous.get(sentence.span_id)):
            if len(quoted.text) >= search.min_quote_chars:
                break
            if neighbour is None or not neighbour.quotable:
                continue
            start, end = min(quoted.start, neighbour.start), max(quoted.end, neighbour.end)
            gap = raw[quoted.end : neighbour.start] if neighbour.start > quoted.start else raw[neighbour.end : quoted.start]
            if "\n" not in gap and end - start <= search.max_quote_chars:  # the same paragraph, still sentence-sized
                quoted = replace(quoted, start=start, end=end, text=raw[start:end])
        return quoted

    def around(self, spans: Sequence[tuple[str, int, int]], reach: int) -> list[Sentence]:
        """Quotable sentences overlapping the (article id, start, end) spans, with `reach`
        sentences either side of each."""
        found: dict[str, Sentence] = {}
        for article_id, start, end in spans:
            indexed = self.articles.get(article_id)
            sentences = indexed.sentences if indexed else ()
            hits = [i for i, s in enumerate(sentences) if s.start < end and start < s.end]
            for i in range(min(hits, default=0) - reach, max(hits, default=-reach - 1) + reach + 1):
                if 0 <= i < len(sentences) and sentences[i].quotable:
                    found[sentences[i].span_id] = sentences[i]
        return list(found.values())

    def skeleton_count(self, skeleton: str) -> int:
        """How many sentences hold a word with this consonant skeleton (or a near match)."""
        if skeleton not in self._skeleton_cache:
            matches = matching_skeletons(skeleton, self.skeleton_frequency)
            self._skeleton_cache[skeleton] = sum(self.skeleton_frequency[sk] for sk in matches)
        return self._skeleton_cache[skeleton]

    def covering(self, terms: Sequence[tuple[frozenset[str], float]], limit: int, share: float) -> list[Sentence]:
        """Up to `limit` quotable sentences holding the most weight of the terms (forms, weight), at
        least `share` of it ("what currency do they trade in" finds "بعملتي البلدين" where the dense
        search does not). Only sentences holding one of the heaviest terms can reach the share: those
        are looked up, then weighed."""
        total = sum(weight for _, weight in terms)
        if not total or not limit:
            return []
        heaviest, rest = [], total
        for forms, weight in sorted(terms, key=lambda t: -t[1]):
            if rest < share * total:
                break
            heaviest.append(forms)
            rest -= weight
        found = {i for forms in heaviest for f in forms for i in self._holding.get(f, ())}
        held = {i: sum(w for forms, w in terms if forms & self._stems[i]) for i in found}
        best = sorted((i for i in held if held[i] >= share * total), key=lambda i: (-held[i], i))[:limit]
        return [self._sentence_by_id[i] for i in best]

    def stems_of(self, sentence: Sentence) -> frozenset[str]:
        """Normalised stems of an indexed sentence."""
        found = self._stems.get(sentence.span_id)
        return found if found is not None else _sentence_stems(sentence.text)

    def publisher_stems(self, article_id: str) -> frozenset[str]:
        """Stems of the article's publisher ("نهج (مترجم عن CNBC)"): what a question names when it asks
        "according to the CNBC report"."""
        return self._publisher_stems.get(article_id, frozenset())

    def headline_stems(self, article_id: str) -> frozenset[str]:
        """Stems of the words of the article's headlines (Arabic and English) that name it among the others."""
        return self._headline_stems.get(article_id, frozenset())

    def publisher_skeletons(self, article_id: str) -> frozenset[str]:
        """Consonant skeletons of the article's publisher's words that name it among the others:
        how a Latin-letter question spells an Arabic publisher ("Nahj" for نهج)."""
        return self._publisher_skeletons.get(article_id, frozenset())

    def articles_cited(self, forms: frozenset[str], skeletons: Iterable[str] = ()) -> frozenset[str]:
        """The articles whose publisher the forms, or the Latin words' `skeletons`, name
        ("according to the CNBC report", "the article published by Nahj")."""
        heard = {m for s in skeletons if s for m in matching_skeletons(s, self._any_publisher_skeleton)}
        return frozenset(
            a for a, stems in self._publisher_stems.items() if stems & forms or heard & self.publisher_skeletons(a)
        )

    def headlines_named(self, forms: frozenset[str]) -> frozenset[str]:
        """The articles one of whose headlines the forms name: at least half of its identifying words
        ("the report on deepening the military partnership"; "Super Bowl 50"), or of one of its halves
        and at least `MIN_HALF_WORDS` ("the report on Putin's warning of catastrophic consequences"),
        not one word of it ("when was it signed?" does not name "Putin and Pezeshkian sign a partnership")."""
        def named(words: tuple[frozenset[str], ...], least: int) -> bool:
            held = sum(bool(w & forms) for w in words)
            return bool(words) and held >= least and 2 * held >= len(words)

        return frozenset(
            a for a in self._headlines
            if any(named(w, 1) for w in self._headlines[a]) or any(named(w, MIN_HALF_WORDS) for w in self._headline_halves[a])
        )

    def latin_headlines_named(self, words: Sequence[tuple[frozenset[str], frozenset[str]]]) -> dict[str, frozenset[str]]:
        """The articles a Latin-letter headline of which Arabic words (their forms and spellings)
        name by sound, at least half of its words ("سوبر بول" names "Super Bowl 50"), each with the
        forms of the words that name it."""
        spoken = [(forms, text_skeletons(list(spellings))) for forms, spellings in words]
        named: dict[str, frozenset[str]] = {}
        for article, headlines in self._latin_headlines.items():
            for headline in headlines:
                naming = [[forms for forms, skeletons in spoken if skeleton_found(word, skeletons)] for word in headline]
                if 2 * sum(map(bool, naming)) >= len(headline):
                    named[article] = named.get(article, frozenset()).union(*(f for found in naming for f in found))
        return named

    def skeletons_of(self, sentence: Sentence) -> frozenset[str]:
        """Consonant skeletons of an indexed sentence's words."""
        found = self._skeletons.get(sentence.span_id)
        return found if found is not None else text_skeletons(tokens(sentence.text))

    @property
    def captions(self) -> list[Sentence]:
        """The photo captions of every article."""
        return self._captions

    def captions_alone_holding(self, forms: Iterable[str], skeletons: Iterable[str] = ()) -> list[Sentence]:
        """Photo captions holding a stem, or exactly a Latin name's consonant skeleton, that no quotable
        sentence holds (a person named only under a picture, asked in Arabic or in English)."""
        unquoted = frozenset(forms) - self._quotable_stems
        unheard = frozenset(skeletons) - self._quotable_skeletons
        if not unquoted and not unheard:
            return []
        return [s for s in self._captions if unquoted & self._stems[s.span_id] or unheard & self._skeletons[s.span_id]]

    def article_rarity(self, article_id: str, forms: Iterable[str]) -> float:
        """How rare a term (any of its forms) is among the quotable sentences of one article:
        log(1 + sentences / (1 + sentences holding its commonest form))."""
        held = self._article_frequency.get(article_id, Counter())
        return math.log(1 + self._article_sentences[article_id] / (1 + max((held[f] for f in forms), default=0)))

    def other_spellings(self, word: str) -> frozenset[str]:
        """For a word no article writes, the stems of the corpus words that spell it with other long
        vowels ("بزشكيان" finds بيزشكيان and بيزيشكيان: articles spell foreign names either way)."""
        if word in self._words:
            return frozenset()
        return frozenset().union(*(self._by_consonants.get(k, ()) for k in consonant_keys(word)))

    def respellings(self, word: str) -> list[str]:
        """Corpus words a word the corpus lacks may be another spelling of ("بزشكيان" ~ بيزشكيان, a
        typo), as `dictionary.near_spellings` reads English misspellings."""
        return near_spellings(word, self._words_by_initial)

    @cached_property
    def _words_by_initial(self) -> dict[str, list[str]]:
        return by_initial(self.lexicon.words)

    def word_vectors(self, words: Sequence[str]) -> np.ndarray | None:
        """Query vectors of single (English) words, or None without a term map."""
        if not words or not self.lexicon.words or self._word_vectors is None:
            return None
        return self._word_vectors(words)

    def moves_questions_in(self, language: Language) -> bool:
        """Whether a question in this language is searched with its vector moved toward Arabic: when
        no article is in its language (only an Arabic sentence can answer it; an English page may
        answer an English question as written) and the index has a shift for it."""
        return language not in self._languages and self.shift.question.get(language) is not None

    def question_vector(self, vector: np.ndarray, language: Language) -> np.ndarray:
        """A question's vector as it is searched with (`moves_questions_in`)."""
        return moved(vector, self.shift.question.get(language)) if self.moves_questions_in(language) else vector

    @cached_property
    def _languages(self) -> frozenset[str]:
        """The languages the indexed articles are written in (read from their text: a .txt file's
        metadata says Arabic unless told otherwise)."""
        return frozenset(detect_language(a.article.raw_text) for a in self.articles.values())

    def soft_match(self, vectors: np.ndarray, sentences: Sequence[Sentence]) -> np.ndarray:
        """For each word vector, its best cosine with any word of the sentences (0 if none is known)."""
        rows = sorted({r for s in sentences for r in self._lexicon_rows(s)})
        if not rows:
            return np.zeros(len(vectors), dtype=np.float32)
        return (vectors @ self.lexicon.vectors[rows].T).max(axis=1)

    def _lexicon_rows(self, sentence: Sentence) -> list[int]:
        return [r for s in self.stems_of(sentence) if (r := self._lexicon_row.get(s)) is not None]

    def sentences_in(self, chunk: Chunk) -> list[Sentence]:
        return chunk_sentences(chunk, self.articles[chunk.article_id].sentences)


def _reported_in(indexed: IndexedArticle) -> dict[str, tuple[Sentence, ...]]:
    """For each sentence of the article that goes on with what was reported before it (see
    `CorpusView.reported_in`), the sentences that report it."""
    text, sentences = indexed.article.raw_text, indexed.sentences
    found: dict[str, tuple[Sentence, ...]] = {}
    paragraph: list[Sentence] = []  # the quotable sentences of the paragraph being read
    for before, sentence in zip(sentences, sentences[1:], strict=False):
        if before.quotable:
            paragraph.append(before)
        opens_paragraph = "\n" in text[before.end : sentence.start]
        if _GOES_ON.match(normalise(sentence.text)):
            found[sentence.span_id] = (before,)
        elif opens_paragraph and paragraph and _OPENS_A_QUOTE.match(sentence.text):
            found[sentence.span_id] = tuple(paragraph)
        if opens_paragraph:
            paragraph = []
    return found


def _by_consonants(words: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each consonant key (`arabic.consonant_keys`), the stems of the words that hold it."""
    stems: defaultdict[str, set[str]] = defaultdict(set)
    for word in words:
        for key in consonant_keys(word):
            stems[key] |= readings(word)
    return {key: frozenset(found) for key, found in stems.items()}


def _sentence_stems(text: str) -> frozenset[str]:
    """A sentence's stems (every reading of each word: "لروسيا" holds روسي), with the Latin acronyms
    it spells out in Arabic ("أيه بي سي" holds abc)."""
    words = tokens(text)
    return frozenset().union(*map(readings, words)) | spelled_acronyms(words)


def _latin_skeletons(title: str) -> tuple[str, ...]:
    """The consonant skeletons of a headline's Latin-letter content words (none if it has none)."""
    return tuple(sk for w in tokens(title) if w.isascii() and w.isalpha() and not is_function_word(w) and len(sk := latin_skeleton(w)) >= 2)


def _halves(title: str) -> tuple[str, ...]:
    """The halves of a headline that divides (none if it does not)."""
    halves = tuple(h for h in _HEADLINE_HALVES.split(title) if h.strip())
    return halves if len(halves) > 1 else ()


def _headlines(titles: dict[str, tuple[str, ...]]) -> dict[str, tuple[tuple[frozenset[str], ...], ...]]:
    """Each article's headlines as their content words' readings, keeping the words whose readings
    at most half of the articles' headlines share."""
    words = {a: [[readings(w) for w in tokens(t) if not is_function_word(w)] for t in found] for a, found in titles.items()}
    kept = identifying({a: frozenset().union(*(r for title in found for r in title)) for a, found in words.items()})
    return {a: tuple(tuple(r for r in title if r & kept[a]) for title in found) for a, found in words.items()}


def identifying(stems_by_article: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Each article's stems that at most half of the articles share (a publisher that published
    every article names none of them)."""
    shared = Counter(s for found in stems_by_article.values() for s in found)
    return {a: frozenset(s for s in found if 2 * shared[s] <= len(stems_by_article)) for a, found in stems_by_article.items()}


@dataclass(frozen=True)
class Candidate:
    """A quotable sentence near the question, with its dense and sparse cosine similarity to it
    (isnad.retrieval.sparse; 0 without a sparse head)."""

    sentence: Sentence
    similarity: float
    sparse: float = 0.0


@dataclass(frozen=True)
class SearchResult:
    """Passages (fused ranking) and the sentence candidates drawn from them."""

    passages: tuple[RetrievedChunk, ...]
    candidates: tuple[Candidate, ...]

    def without(self, spans: Iterable[tuple[str, int, int]]) -> SearchResult:
        """The result without the candidates overlapping any of `spans` (article id, start, end)."""
        return replace(self, candidates=tuple(c for c in self.candidates if not c.sentence.overlaps(spans)))


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
        self._caption_vectors: dict[str, np.ndarray] = {}  # by span id: the view's captions, each embedded once

    def search(
        self, question: str, near: Sequence[Sentence] = (), captions: bool = False, named: Sequence[Sentence] = (),
        language: Language = "ar",
    ) -> SearchResult:
        """Passages and candidate sentences for a question; `near` sentences are candidates too
        (a follow-up's previous quotes and their neighbours, the sentences holding most of the
        question's terms: `CorpusView.covering`), and so are the photo captions
        `named` (those alone naming something asked about) and with `captions` those of the
        passages (embedded now: the index holds only quotable sentences).

        A question in another language than the articles' finds passages and sentences with its
        vector moved toward theirs (`CorpusView.question_vector`), but each candidate's similarity
        is to the question as asked: fitted on moved similarities, the answer decision claimed
        evidence for fewer English XQuAD questions at equal near-miss declines (session 28)."""
        asked = self.embedder.embed_query(question)
        vector = self.view.question_vector(asked, language)
        wide = self.settings.top_chunks * 2
        dense = [h.span_id for h in self.store.query(CHUNKS, vector, wide) if self.view.is_current(h)]
        lexical = [self.view.chunks[i].span_id for i, _ in self.view.lexical.top(question, wide)]
        fused = reciprocal_rank_fusion([dense, lexical])
        best = sorted(fused, key=fused.__getitem__, reverse=True)[: self.settings.top_chunks]
        passages = tuple(RetrievedChunk(chunk, fused[i]) for i in best if (chunk := self.view.chunk(i)))
        candidates = self._candidates(vector, asked, passages, near, self.view.moves_questions_in(language))
        if captions or named:
            found = [s for p in passages for s in self.view.sentences_in(p.chunk) if s.caption] if captions else []
            extra = self._embedded(asked, list({s.span_id: s for s in [*found, *named]}.values()))
            candidates = tuple(sorted(candidates + extra, key=lambda c: -c.similarity))
        return SearchResult(passages, self._with_sparse(question, candidates))

    def _with_sparse(self, question: str, candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """The candidates with their sparse cosine to the question."""
        made = self.embedder.sparse([question]) if candidates else None
        found = similarities(made[0] if made else None, [c.sentence.text for c in candidates], self.view.sparse, self.embedder)
        return tuple(replace(c, sparse=float(s)) for c, s in zip(candidates, found, strict=True))

    def _embedded(self, vector: np.ndarray, found: Sequence[Sentence]) -> tuple[Candidate, ...]:
        """Sentences the index does not hold (photo captions), with their similarity to the question;
        each is embedded the first time it is asked about."""
        new = [s for s in found if s.span_id not in self._caption_vectors]
        if new:
            vectors = self.embedder.embed_passages([s.text for s in new])
            self._caption_vectors.update(zip((s.span_id for s in new), vectors, strict=True))
        return tuple(Candidate(s, float(self._caption_vectors[s.span_id] @ vector)) for s in found)

    def _candidates(
        self, vector: np.ndarray, asked: np.ndarray, passages: Sequence[RetrievedChunk], near: Sequence[Sentence],
        shifted: bool,
    ) -> tuple[Candidate, ...]:
        """Quotable sentences of the passages, the `near` ones and the sentences nearest to
        `vector` overall, with their similarities to `asked` (the question's own vector; the
        store's similarities serve unless `vector` was moved away from it)."""
        wanted = dict.fromkeys(
            s.span_id for p in passages for s in self.view.sentences_in(p.chunk) if s.quotable
        )
        wanted.update(dict.fromkeys(s.span_id for s in near))
        hits = self.store.query(SENTENCES, vector, self.settings.top_chunks * 2)
        nearest = {
            h.span_id: h.similarity
            for h in hits
            if self.view.is_current(h) and (s := self.view.sentence(h.span_id)) is not None and s.quotable
        }
        wanted.update(dict.fromkeys(nearest))
        similarity = {} if shifted else nearest
        missing = [self.view.versioned(i) for i in wanted if i not in similarity]
        for span_id, stored in self.store.vectors(SENTENCES, missing).items():
            similarity[span_id] = float(stored @ asked)
        candidates = [
            Candidate(sentence, similarity[span_id])
            for span_id in wanted
            if span_id in similarity and (sentence := self.view.sentence(span_id)) is not None
        ]
        candidates.sort(key=lambda c: c.similarity, reverse=True)
        return tuple(candidates)
