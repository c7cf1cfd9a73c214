"""What each candidate sentence offers a question: the signals of the decision.

The question's terms (bot/answer/question.py) are looked for in each candidate sentence, its
neighbours and the articles the question names; each candidate gets a feature vector
(`FEATURES`, with the dense and the sparse cosine of isnad.retrieval.sparse), and
bot/answer/decision.py turns those into a ranking and a reply kind with parameters fitted by
bot/answer/fitting.py. The quotes an answer makes are chosen here too (`select`, `quotes`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from isnad.bot.answer.question import Question, Term
from isnad.retrieval.arabic import (
    is_function_word,
    normalise,
    other_inflections,
    readings,
    stem,
    tokens,
    verb_readings,
    without_clitics,
    without_pronoun,
)
from isnad.retrieval.dictionary import common_arabic_stems
from isnad.retrieval.models import Sentence
from isnad.retrieval.numerals import DECADE_TENS
from isnad.retrieval.places import same_place_stems
from isnad.retrieval.search import PUBLISHING_STEMS, Candidate, CorpusView, SearchResult
from isnad.retrieval.transliteration import arabic_skeletons, skeleton_found

_NUMBER_WORD = (  # normalised, whole words
    "واحد|واحده|اثنان|اثنتان|اثنتين|اثنين|ثلاث|ثلاثه|ثلاثون|ثلاثين|اربع|اربعه|اربعون|اربعين|خمس|خمسه|خمسون|خمسين|ست|سته|ستون|ستين|"
    "سبع|سبعه|سبعون|سبعين|ثماني|ثمانيه|ثمانون|ثمانين|تسع|تسعه|تسعون|تسعين|عشر|عشره|عشرون|عشرين|عشرات|"
    "ماءه|مايه|ميه|مييه|ماءتين|مءات|مييات|الف|الفا|الاف|مليون|ملايين|مليار|مليارات|ضعف|اضعاف|نصف|ربع|"
    "ثلث|ثلثا|ثلثي|ثلثين|مرتين|مرتان|"
    # English articles (saved pages): "six thousand drones"
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
    "(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundreds?|thousands?|millions?|billions?|dozens?|half|twice|double"
)
# A count or amount: a standalone number (not part of a model name such as Su-35 or S-300) or a
# number word; a number the question already holds does not answer it, and neither does a year.
_STANDALONE_NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)?(?![\w-])")
# A number that closes a name ("سوخوي 35”", "Datsun 810،", "World War 2."), directly after the name
# and before punctuation or the end, is its designation; before a word it counts ("قاد كونتروكور 500 رجل").
_DESIGNATION = re.compile(r"([^\W\d]+) (\d+)(?=[\"”»)\]،,.;:!?؛]|\s*$)")
_NUMBER_WORDS = re.compile(rf"(?:^|\s)[وفب]?(?:ال)?(?:{_NUMBER_WORD})(?=\s|$|[^\w])")
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
_TIME_WORDS = (
    "يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|اذار|نيسان|"
    "ايار|حزيران|تموز|اب|ايلول|تشرين|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت|القرن|عام|سنه|"
    "يوم|ايام|اسبوع|اسابيع|شهر|اشهر|شهور|امس|غدا|منذ|"  # "الشهر الجاري", "الأسبوع المقبل", "منذ بداية الحرب"
    "يومين|اسبوعين|شهرين|عامين|سنتين|اعوام|سنوات|ساعه|ساعات|ساعتين|"  # "قبل أسبوعين" (two weeks ago)
    "january|february|march|april|june|july|august|september|october|november|december|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    "days?|weeks?|months?|years?|decades?|century|centuries|hours?"
)
_DECADE = f"(?:{'|'.join(DECADE_TENS.values())})(?:يات|ات)"  # "the nineties"
# Month names and decades stand between spaces, slashes or brackets ("في يوليو/تموز الماضي").
_HAS_DATE = re.compile(rf"\b(?:1\d{{3}}|20\d\d)\b|(?:^|[\s/(])(?:[وفبل]?(?:ال)?)(?:{_TIME_WORDS}|{_DECADE})(?=[\s/)،,.]|$)")
# A name the answer to "which town", "ما اسم الوزير" must hold: a capitalised Latin word ("MI-8"), or
# an Arabic word of three letters or more that no common word accounts for. One held by more than a
# quarter of the corpus's sentences is what the corpus is about (روسيا and إيران in the seed
# articles, a third of their sentences), not a detail that answers; in a corpus on many subjects
# names stay below (in XQuAD's 24 articles none reaches a fifth; أوروبا, 7%).
_LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z]+(?:-\w+)?")
_CODE_OR_ACRONYM = re.compile(r"\d|^[A-Z]+(?:-|$)")  # MI-8, S-400, CNBC
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{3,}$")
MAX_NAME_SHARE = 0.25
FEATURES = (
    "similarity",
    "similarity_gap",
    "coverage",
    "window_coverage",
    "rarest_found",
    "soft_coverage",
    "soft_gain",
    "passage_rank",
    "type_match",
    "type_missing",
    "length",
    "sparse",
    "sparse_gap",
    "local_coverage",
    "local_gap",
)


def captions_naming(question: Question, view: CorpusView) -> list[Sentence]:
    """Photo captions that alone hold a word of the question as it is spelled (not a translation, not
    a bare number, which names nothing: "the 2024 election" is not the photo dated 2024): whoever or
    whatever is named only under a picture can be answered from its caption. A Latin name heard in a
    caption by its sound names it only when the caption holds every term the question is sure of:
    "who is Ali Akbar Ahmadian?", not "what did Ahmadian tell Putin about the drones?"."""
    sure = [t for t in question.terms if t.strength >= 1.0]
    spelled = view.captions_alone_holding(f for t in sure for f in t.spellings if not f.isdigit())
    heard = view.captions_alone_holding((), (t.skeleton for t in sure if t.skeleton))
    return [*spelled, *(c for c in heard if c not in spelled and _holds_every_sure_term(question, c, view))]


def _holds_every_sure_term(question: Question, sentence: Sentence, view: CorpusView) -> bool:
    """Whether the sentence holds every term of the question not known only by its stand-ins."""
    found = _found_terms(question, [sentence], view, {})
    return all(held for held, term in zip(found, question.terms, strict=True) if term.strength >= 1.0)


def captions_covering(question: Question, view: CorpusView, limit: int) -> list[Sentence]:
    """The `limit` photo captions holding the most of the question's term weight: a question about
    a picture ("what gathering were Putin and his spokesman at in the photo") reaches its caption
    when no passage the search retrieved holds it; the ranker weighs it as any candidate."""
    named = articles_named(question, view)
    held = {c.span_id: _coverage(question, _found_terms(question, [c], view, named))[0] for c in view.captions}
    return sorted((c for c in view.captions if held[c.span_id]), key=lambda c: -held[c.span_id])[:limit]


# Words for what every article is to a question that names it, as a report published, perhaps
# translated, by a newspaper: "the CNBC report", "تقرير المستقلة", "the article published by Nahj
# (translated from CNBC)", "بحسب التقرير المترجم". English questions reach them through the dictionary.
SOURCE_STEMS = frozenset(stem(normalise(w)) for w in ("تقرير", "تقارير", "ترجمة", "مترجم", "صحيفة")) | PUBLISHING_STEMS


def articles_named(question: Question, view: CorpusView) -> dict[str, frozenset[str]]:
    """The articles the question names, each with what every sentence of it holds beyond its words:
    - named by half of a headline's identifying words: the headline's words, unless the question
      asks nothing beyond them (then it asks what the headline says, not what its article says of it);
    - named by an Arabic question through a Latin-letter headline's sound ("سوبر بول" for "Super
      Bowl 50"): the question's words that name it;
    - named either way or by the publisher ("the CNBC report", "Nahj" for نهج): the words of a
      report published (`SOURCE_STEMS`), as the report a question cites is the article."""
    held: defaultdict[str, frozenset[str]] = defaultdict(frozenset)
    for article in view.headlines_named(question.forms):
        headline = view.headline_stems(article)
        if all(t.forms & headline for t in question.terms):
            continue  # it asks what the headline says ("is russia gonna abandon iran"): the sentences must say it
        held[article] |= headline | SOURCE_STEMS
    for article in view.articles_cited(question.forms, (t.skeleton for t in question.terms)):
        held[article] |= SOURCE_STEMS
    if question.language == "ar":
        for article, forms in view.latin_headlines_named([(t.forms, t.spellings) for t in question.terms]).items():
            held[article] |= forms | SOURCE_STEMS
    return dict(held)


def _found(term: Term, sentence_stems: frozenset[str], skeletons: frozenset[str]) -> bool:
    return bool(term.forms & sentence_stems) or (bool(term.skeleton) and skeleton_found(term.skeleton, skeletons))


def _found_terms(
    question: Question, sentences: Sequence[Sentence], view: CorpusView, named: Mapping[str, frozenset[str]]
) -> list[bool]:
    """For each of the question's terms, whether the sentences hold it (a publisher named in the
    question is held by every sentence it published; an article it names, `articles_named`, holds
    what that gives it in every sentence; a sentence that goes on with what the one before reported,
    "وأضاف أن…", holds that one's words too: who added it, and what about; a sentence around the
    previous reply's quotes holds the terms a follow-up's reading adds to its own words, `on_topic`)."""
    in_topic = any(s.span_id in question.topic_spans for s in sentences)
    sentences = [*sentences, *(r for s in sentences for r in view.reported_in(s))]
    sentence_stems = frozenset().union(*(
        view.stems_of(s)
        | view.publisher_stems(s.article_id)
        | named.get(s.article_id, frozenset())
        for s in sentences
    ))
    skeletons = (
        frozenset().union(*(view.skeletons_of(s) | view.publisher_skeletons(s.article_id) for s in sentences))
        if any(t.skeleton for t in question.terms) else frozenset()
    )
    return [(in_topic and t.text in question.topic_terms) or _found(t, sentence_stems, skeletons) for t in question.terms]


def _coverage(question: Question, found: Sequence[bool]) -> tuple[float, float]:
    """(weight share of the question's terms found, 1 − weight of the rarest term missing / of the
    rarest term): of two equally rare terms, "زيلينسكي" and "20", a sentence holding only 20 lacks
    one of the rarest (until session 31 the rarest found, 20, made it 1)."""
    total = question.total_weight
    if not total:
        return 0.0, 0.0
    weights = [t.weight for t, hit in zip(question.terms, found, strict=True) if hit]
    missing = [t.weight for t, hit in zip(question.terms, found, strict=True) if not hit]
    return sum(weights) / total, 1.0 - max(missing, default=0.0) / max(t.weight for t in question.terms)


def _soft_coverage(question: Question, sentence: Sentence, found: Sequence[bool], coverage: float, view: CorpusView) -> float:
    """English questions: weighted mean over terms of the best cosine of a mapped word with a word
    of the sentence (a graded coverage that needs no hard translation); Arabic: coverage itself."""
    if question.vectors is None or not question.terms:
        return coverage
    weights = np.asarray([t.weight for t in question.terms], dtype=np.float32)
    graded = view.soft_match(question.vectors, [sentence])
    exact = np.asarray(found, dtype=np.float32)
    by_topic = np.asarray([t.text in question.topic_terms for t in question.terms]) & (exact > 0)
    best = np.where(question.vectors.any(axis=1) & ~by_topic, graded, exact)  # names, digits and a follow-up's topic match exactly
    return float(best @ weights / weights.sum())


def _local_coverage(question: Question, sentence: Sentence, found: Sequence[bool], view: CorpusView) -> float:
    """Coverage with each term weighted by how rare it is in the sentence's own article: of "what
    stance did Raisi take on future tension in his call with Putin", the article of the call holds
    Raisi and the call in many sentences, "tension" and "future" in the one that answers."""
    weights = [t.weight * view.article_rarity(sentence.article_id, t.forms) for t in question.terms]
    total = sum(weights)
    return sum(w for w, hit in zip(weights, found, strict=True) if hit) / total if total else 0.0


def has_number(sentence: Sentence, known: frozenset[str] = frozenset()) -> bool:
    """A count or amount the question did not already hold (years, model numbers and designations do not count)."""
    text = normalise(sentence.text)
    latin_names = {name.lower() for name in _LATIN_NAME.findall(sentence.text)}
    designations = {n for name, n in _DESIGNATION.findall(text) if name in latin_names or _arabic_names(name)}
    found = [n for n in _STANDALONE_NUMBER.findall(text) if n not in known | designations and not _YEAR.match(n)]
    return bool(found) or bool(_NUMBER_WORDS.search(text))


def has_date(sentence: Sentence) -> bool:
    return bool(_HAS_DATE.search(normalise(sentence.text)))


def has_new_name(question: Question, sentence: Sentence, view: CorpusView) -> bool:
    """A name the question does not hold: a capitalised Latin word, or an Arabic word naming a place
    or none of the language's common words (`common_arabic_stems`), that at most `MAX_NAME_SHARE` of
    the corpus's sentences hold (more is the corpus's topic: روسيا in articles on Russia). A person or
    a town asked for is named by neither a country nor a model or an acronym ("أي مدينة" is not
    answered by إندونيسيا, "which minister" not by MI-8)."""
    asked = normalise(question.text)
    no_country = question.name_is_no_country
    latin = [w for w in _LATIN_NAME.findall(sentence.text) if not (no_country and _CODE_OR_ACRONYM.search(w))]
    if any(word.lower() not in asked for word in latin):
        return True
    most = MAX_NAME_SHARE * view.sentence_count
    skeletons = [t.skeleton for t in question.terms if t.skeleton]
    places: AbstractSet[str] = same_place_stems().keys() if no_country else frozenset()
    return any(
        not forms & question.forms
        and not forms & places
        and max(view.sentence_frequency[f] for f in forms) <= most
        and not any(skeleton_found(s, arabic_skeletons(word)) for s in skeletons)
        for word, forms in _arabic_names(sentence.text)
    )


@lru_cache(maxsize=20_000)
def _arabic_names(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The words of a text that may be names, with their readings (also without a final alef of the
    accusative: "أمنياً" is أمني): Arabic, three letters or more, no function word, and naming a
    place or reading as none of the common words (`_common_word`)."""
    places = same_place_stems().keys()
    found = []
    for word in tokens(text):
        if not _ARABIC_WORD.match(word) or is_function_word(word):
            continue
        forms = readings(word) | readings(word[:-1]) if word.endswith("ا") else readings(word)
        if forms & places or not _common_word(word, forms):
            found.append((word, forms))
    return tuple(found)


def _common_word(word: str, forms: frozenset[str]) -> bool:
    """Whether a word reads as one of the language's common words: as itself, as a verb ("تقول" is
    قال: `verb_readings`), without its article when short ("الرد", which its stem keeps), or as a
    function word in its other gender or before a pronoun ("تمت" is تم, "لديهما" لدى)."""
    other_gender = other_inflections(word)
    others = verb_readings(word) | readings(without_clitics(word)) | other_gender
    return bool((forms | others) & common_arabic_stems()) or any(map(is_function_word, other_gender | without_pronoun(word)))


def _type_match(question: Question, sentence: Sentence, view: CorpusView) -> tuple[float, float]:
    """(the sentence holds the kind of answer asked for, it lacks it); both 0 when no kind is asked."""
    wanted = [has_number(sentence, question.numbers)] if question.wants_number else []
    wanted += [has_date(sentence)] if question.wants_date else []
    wanted += [has_new_name(question, sentence, view)] if question.wants_name else []
    if not wanted:
        return 0.0, 0.0
    return (1.0, 0.0) if any(wanted) else (0.0, 1.0)


def lacks_kind_asked(question: Question, sentence: Sentence, view: CorpusView) -> bool:
    """The question asks for a number, a date or a name, and the sentence holds none."""
    return bool(_type_match(question, sentence, view)[1])


def features(question: Question, result: SearchResult, view: CorpusView) -> np.ndarray:
    """One row of `FEATURES` per candidate of `result`, in its order."""
    if not result.candidates:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    top = max(c.similarity for c in result.candidates)
    passage_rank: dict[str, int] = {}
    for rank, passage in enumerate(result.passages):
        for sentence in view.sentences_in(passage.chunk):
            passage_rank.setdefault(sentence.span_id, rank)
    named = articles_named(question, view)
    found = [_found_terms(question, [c.sentence], view, named) for c in result.candidates]
    coverages = [_coverage(question, hits) for hits in found]
    soft = [
        _soft_coverage(question, c.sentence, hits, coverage, view)
        for c, hits, (coverage, _) in zip(result.candidates, found, coverages, strict=True)
    ]
    mean_soft = float(np.mean(soft))
    local = [_local_coverage(question, c.sentence, hits, view) for c, hits in zip(result.candidates, found, strict=True)]
    top_local = max(local)
    top_sparse = max(c.sparse for c in result.candidates)
    rows = []
    for candidate, (coverage, rarest), soft_coverage, local_coverage in zip(result.candidates, coverages, soft, local, strict=True):
        sentence = candidate.sentence
        window, _ = _coverage(question, _found_terms(question, view.neighbourhood(sentence), view, named))
        match, missing = _type_match(question, sentence, view)
        ranked = passage_rank.get(sentence.span_id)
        rows.append((
            candidate.similarity,
            candidate.similarity - top,
            coverage,
            window,
            rarest,
            soft_coverage,
            soft_coverage - mean_soft,
            1.0 / (1 + ranked) if ranked is not None else 0.0,
            match,
            missing,
            math.log(1 + len(sentence.text)) / 6,
            candidate.sparse,
            candidate.sparse - top_sparse,
            local_coverage,
            local_coverage - top_local,
        ))
    return np.asarray(rows, dtype=np.float32)


_TYPE_MISSING = FEATURES.index("type_missing")


@dataclass(frozen=True)
class Ranked:
    """A candidate with the ranker's score (a log-odds that it holds the answer)."""

    candidate: Candidate
    score: float
    row: np.ndarray

    @property
    def sentence(self) -> Sentence:
        return self.candidate.sentence

    @property
    def lacks_kind_asked(self) -> bool:
        """The question asks for a number, a date or a name, and the sentence holds none."""
        return bool(self.row[_TYPE_MISSING])


def _same_text(a: Sentence, b: Sentence) -> bool:
    """Articles repeat themselves, sometimes with a leading conjunction: quote such a sentence once."""
    x, y = (re.sub(r"^[وف]", "", " ".join(tokens(s.text))) for s in (a, b))
    return x == y or (min(len(x), len(y)) > 40 and (x in y or y in x))


def select(ranked: Sequence[Ranked], limit: int, margin: float, multi_source: bool = False) -> list[Ranked]:
    """The best sentence, then others within `margin` of its score (no repeated text); a question
    about what several sources say also gets the best sentence of a second article."""
    chosen: list[Ranked] = []
    for item in ranked:
        if len(chosen) >= limit:
            break
        if any(_same_text(item.sentence, c.sentence) for c in chosen):
            continue
        first_of_second_source = (
            multi_source and chosen and len({c.sentence.article_id for c in chosen}) == 1
            and item.sentence.article_id != chosen[0].sentence.article_id
        )
        if not chosen or ranked[0].score - item.score <= margin or first_of_second_source:
            chosen.append(item)
    if not chosen:
        return []
    best = chosen[0]
    rest = sorted(chosen[1:], key=lambda s: (s.sentence.article_id != best.sentence.article_id, s.sentence.start))
    return [best, *rest]


def quotes(sentences: Sequence[Sentence], in_context: Callable[[Sentence], Sentence]) -> list[Sentence]:
    """The chosen sentences as quoted (`in_context`: a short one with its neighbour), in order;
    a quote never overlaps an earlier one: it falls back to its bare sentence, or is left out
    when even that overlaps (an earlier quote already holds it)."""
    quoted: list[Sentence] = []
    for sentence in sentences:
        for quote in (in_context(sentence), sentence):
            if not any(q.article_id == quote.article_id and q.start < quote.end and quote.start < q.end for q in quoted):
                quoted.append(quote)
                break
    return quoted
