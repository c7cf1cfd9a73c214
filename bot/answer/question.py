"""What a question asks for: its weighted terms and the kind of answer it wants.

A question becomes weighted terms (rarer in the corpus = heavier). Arabic questions match
sentences by normalised stems; English ones through four bridges into the Arabic text: a
dictionary of common words (isnad.retrieval.dictionary: "warned" -> حذر), the term map induced
from the embedding model for the rest ("drones" -> المسيرات), consonant skeletons for names and
loanwords in any case or spelling ("patrushef" ~ باتروشيف), and digits. A follow-up is read with
the previous question (`with_previous`); bot/answer/evidence.py looks for the terms in the
candidate sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from isnad.retrieval.arabic import (
    inflection_cores,
    is_function_word,
    normalise,
    other_inflections,
    readings,
    stem,
    stopwords,
    tokens,
    without_accents,
    without_clitics,
)
from isnad.retrieval.dictionary import corrected_stem, dialect_to_standard, english_to_arabic, phrasal_to_arabic
from isnad.retrieval.models import Language
from isnad.retrieval.numerals import number_readings
from isnad.retrieval.places import same_place_stems
from isnad.retrieval.search import CorpusView
from isnad.retrieval.transliteration import (
    acronym_runs,
    arabic_skeletons,
    latin_readings,
    latin_skeleton,
    model_letter,
    skeleton_found,
)

TRANSLATIONS_PER_WORD = 4
MIN_TRANSLATION_SIMILARITY = 0.83
# Shorter consonant skeletons match too many words by chance: a capitalised name may be short
# ("Iran" ~ RN), a lowercase word is trusted alone only when long ("petersburg" ~ BTRsBRG); shorter
# ones match common words ("security" ~ سكرتير, "putin" ~ BTN ~ many) and need the term map to agree.
MIN_NAME_SKELETON = 2
MIN_WORD_SKELETON = 6
MIN_UNLISTED_NAME_SKELETON = 3  # a lowercase word neither the dictionary nor the term map knows is a name from three
MAX_QUESTION_WORDS = 16  # English words of a question considered (the first sixteen)
# A word not trusted by its skeleton alone has neighbours for nearest corpus words by embedding
# ("putin" ~ روسيا); one among its AGREEMENT_POOL nearest that also has its skeleton ("بوتين") is
# taken as its spelling. A word with no such agreement is translated by the term map instead.
AGREEMENT_POOL = 5
# "covered in two articles", "in each report", "يذكر مقالان", "في كل منهما": one quote per source.
_MULTI_SOURCE = re.compile(
    r"\b(?:two|both|each|several|multiple|different)\s+(?:of\s+the\s+)?(?:articles?|reports?|sources?|outlets?)\b"
    r"|\bin each\b|مقالان|مقالين|تقريران|تقريرين|المصدرين|كل منهما|كلا المقال",
    re.IGNORECASE,
)
# A question about a picture may quote its caption ("who is in the photo", "ماذا تظهر الصورة").
_ABOUT_A_PICTURE = re.compile(
    r"\b(?:photos?|photographs?|pictures?|images?|captions?|pictured|photographed)\b|(?:^|\s)[وفبل]?(?:ال|ل)?(?:صوره|صور|الصوره|تعليق الصوره)(?:\s|$|[؟?])",
)
# Patterns below match normalised text (isnad.retrieval.arabic.normalise), so they are normalised too.
# A count or amount is asked by its question word, or by "what is the number/price of"; "عدد" elsewhere
# is a verb ("عدّد", list) or part of the topic ("ازداد عدد طلابه").
_AMOUNT_EN = r"(?:percentage|number|amount|share|price|cost|value|worth|volume|capacity|size|population)"
_AMOUNT_AR = r"(?:عدد|نسبة|سعر|قيمة|تكلفة|كلفة|حجم|سعة|مقدار|مبلغ|مساحة|طول|مدة)"
_WANTS_NUMBER = re.compile(normalise(
    rf"\bhow (?:many|much|long|old|far|big|large)\b|\bwhat(?:s|'s| is| was| were| are)?(?: the)?(?: [a-z]+){{0,2}} {_AMOUNT_EN}\b"
    rf"|(?:^|\s)(?:كم|كام|قديش|اديش|بكم|قداش|بقداش|شحال|بشحال|شكد|اشكد|شقد|شكثر)(?:\s|$)|(?:^|\s)(?:ما|وما|فما)(?: هو| هي| هما)? (?:ال)?{_AMOUNT_AR}(?:\s|$)"
))
_WANTS_DATE = re.compile(normalise(
    r"^\W*(?:and |so |but |since |until |by )?when\b|\bwhen (?:is|was|were|are|did|does|do|will|would|has|have|had|can|could)\b"
    r"|\bwhat (?:year|day|date|month|century|time)\b|\bwhich (?:year|day|date|month|century)\b"
    r"|متى|امتى|إمتى|إيمتى|ايمتى|امتا|إمتا|وقتاش|فوقاش|شوكت|امته|إمته|أي عام|أي سنة|اي سنة|أي يوم|اي يوم|أي تاريخ|في أي قرن"
))
# The kind of date asked ("in which month", "what year", "في أي عام") names the answer's kind, not its
# topic: the answer sentence holds the month, not the word "month".
_DATE_KIND = re.compile(
    r"\b(?:what|which)\s+(?:year|day|date|month|century|decade)s?\b"
    r"|(?:^|(?<=\s))[أاإ]ي[ةه]?\s+(?:عام|سن[ةه]|يوم|تاريخ|شهر|قرن|عقد)(?=\s|$|[؟?])",
    re.IGNORECASE,
)
# Likewise the kind of country asked ("which country", "أي بلد"): the answer sentence names it
# ("عبر أذربيجان") without the word "country".
_COUNTRY_KIND = re.compile(
    r"(\b(?:which|what)\s+)(?:countr(?:y|ies)|nations?)\b|((?:^|\s)[أاإ]ي[ةه]?\s+)(?:ال)?(?:بلد|بلدان|دول[ةه]?)(?=\s|$|[؟?])",
    re.IGNORECASE,
)
# A name is asked for by "what is the name", "which town", "who is the minister", "ما اسم", "أي
# مدينة", "من هو وزير": its answer is a name the question does not hold. A bare who-question is
# not counted: its answer is as often a group or a role ("the students", "المالك").
# Kinds of named things, and among them those that are no country: a person ("which minister") or
# a town ("which city"), which a sentence naming only a country, or a model or an acronym (MI-8,
# CNBC), does not answer.
_PERSON_OR_TOWN_EN = (
    r"(?:city|cities|town|towns|village|capital|person|official|officials|minister|ministers|leader|president|"
    r"commander|general|analyst|spokesman|spokesperson|king|queen|ruler|emperor)"
)
_PERSON_OR_TOWN_AR = r"(?:مدينة|مدن|بلدة|قرية|عاصمة|مسؤول|وزير|وزراء|قائد|رئيس|محلل|ناطق|متحدث|ملك|شخص|شخصية)"
_NAMED_KINDS_EN = (
    rf"(?:{_PERSON_OR_TOWN_EN}|country|countries|state|province|region|company|companies|firm|organi[sz]ation|"
    r"group|newspaper|channel|network|university|team|party|agency|island|river|mountain|dynasty|empire|tribe|family|"
    r"journal|magazine|station|airport|port|book|film|album|song|award|prize|club|stadium|facility|facilities|base)"
)
_NAMED_KINDS_AR = (
    rf"(?:{_PERSON_OR_TOWN_AR}|دولة|دول|بلد|شركة|شركات|منظمة|صحيفة|قناة|جامعة|"
    r"فريق|حزب|وكالة|جزيرة|نهر|جبل|منطقة|مقاطعة|ولاية|إقليم|ميناء|مطار|سلالة|إمبراطورية|قبيلة|عائلة|"
    r"مجلة|كتاب|فيلم|جائزة|نادي|ملعب|منشأة|قاعدة)"
)


def _asks_for_a_name(kinds_en: str, kinds_ar: str, bare_name: bool) -> re.Pattern[str]:
    """Which/what/who is + a kind of named thing ("which town", "أي مدينة", "من هو الوزير"), the name
    of one ("the name of the town", "اسم البلدة", the dual "اسما المنشأتين"), and with `bare_name` any question saying "name"."""
    name_en, name_ar = (r"\bnames?\b", r"(?:^|\s)(?:اسم|اسما|اسمي|أسماء|اسماء)(?:\s|$)") if bare_name else (
        rf"\bnames? of (?:the |a )?(?:[a-z-]+ ){{0,2}}{kinds_en}\b", rf"(?:^|\s)(?:اسم|اسما|اسمي|أسماء|اسماء)\s+(?:ال)?{kinds_ar}(?:\s|$|[؟?])"
    )
    return re.compile(normalise(
        rf"{name_en}|\b(?:which|what) (?:[a-z-]+ ){{0,2}}{kinds_en}\b"
        rf"|\bwho(?:'s| is| was| are| were) (?:the |a )?(?:[a-z-]+ ){{0,2}}{kinds_en}\b"
        rf"|{name_ar}|(?:^|\s)[وفب]?(?:أي|اي|ايه|أية|اية)\s+(?:ال)?{kinds_ar}(?:\s|$|[؟?])"
        rf"|(?:^|\s)(?:من|مين|منو) (?:هو|هي|هم) (?:ال)?{kinds_ar}(?:\s|$|[؟?])"
    ))


_WANTS_NAME = _asks_for_a_name(_NAMED_KINDS_EN, _NAMED_KINDS_AR, bare_name=True)
_WANTS_PERSON_OR_TOWN = _asks_for_a_name(_PERSON_OR_TOWN_EN, _PERSON_OR_TOWN_AR, bare_name=False)
_ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_LATIN_WORD = re.compile(r"[a-z]+|\d+")
_LEADING_ARTICLE_DIGITS = re.compile(r"^ال(?=\d)")  # "الـ20" -> 20
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z]+")
# Country and body abbreviations, written in capitals or after "the" ("the us" in a chat): "US" would
# otherwise be the pronoun "us", a stop word, and "UN" too short to be a word.
_ABBREVIATION = re.compile(r"\b(U\.?S\.?A?|U\.?K\.?|U\.?N\.?|E\.?U\.?)(?![\w.])|(?i:\bthe (us|usa|uk|un|eu)\b)")
_EXPANSION = {"us": "united states", "usa": "united states", "uk": "united kingdom", "un": "united nations", "eu": "european union"}


@dataclass(frozen=True)
class Term:
    """A question term and what counts as it in an Arabic sentence."""

    text: str
    forms: frozenset[str]  # stems (of the word itself or of its nearest corpus words)
    skeleton: str  # Latin consonant skeleton, '' when too short to trust
    weight: float
    strength: float  # how surely the corpus holds it: 1 found as written (or by skeleton), else the best translation's cosine
    spellings: frozenset[str]  # the forms that spell the word itself (not its translations)


@dataclass(frozen=True)
class Question:
    """What the evidence should contain."""

    text: str
    language: Language
    terms: tuple[Term, ...]
    vectors: np.ndarray | None  # English questions: one word vector per term (zeros for digits), else None
    numbers: frozenset[str]  # numbers the question itself holds, also inside a name ("s-300")
    wants_number: bool
    wants_date: bool
    wants_name: bool
    name_is_no_country: bool  # the name asked for is a person's or a town's ("which minister", "أي مدينة")
    multi_source: bool
    # A follow-up as resolved (`on_topic`): the terms beyond its own words, and the sentences around
    # the previous reply's quotes, which hold them as the conversation's topic.
    topic_terms: frozenset[str] = frozenset()
    topic_spans: frozenset[str] = frozenset()

    @property
    def total_weight(self) -> float:
        return sum(t.weight for t in self.terms)

    @cached_property
    def forms(self) -> frozenset[str]:
        """What counts as any of its terms."""
        return frozenset().union(*(t.forms for t in self.terms))

    @property
    def key_terms(self) -> int:
        """How many of its terms the corpus holds in some form (a follow-up's fragment has few)."""
        return sum(t.strength > 0 for t in self.terms)

    @property
    def known_share(self) -> float:
        """Weighted mean strength of the terms: low for off-topic words the corpus does not hold."""
        total = self.total_weight
        return sum(t.weight * t.strength for t in self.terms) / total if total else 0.0


def _idf(frequency: int, total: int) -> float:
    return math.log((total + 1) / (max(frequency, 1) + 0.5))


def analyse(text: str, language: Language, view: CorpusView, asks: str | None = None) -> Question:
    """Weighted terms of a question and the kind of answer it wants (read from `asks` when given:
    a follow-up resolved with the previous turn asks what its own words ask)."""
    topic = _COUNTRY_KIND.sub(r"\1\2 ", _DATE_KIND.sub(" ", text))  # "which" stays: it asks for a name
    terms, vectors = (_arabic_terms(topic, view), None) if language == "ar" else _english_terms(topic, view)
    topical = [not asks_about_a_picture(t.text) for t in terms]
    if any(topical) and not all(topical):  # "the photo of Putin with his spokesman": a caption seldom says "photo"
        terms = [t for t, keep in zip(terms, topical, strict=True) if keep]
        vectors = vectors[np.asarray(topical)] if vectors is not None else None
    asked = normalise(asks or text)
    return Question(
        text=text,
        language=language,
        terms=tuple(terms),
        vectors=vectors,
        numbers=frozenset(_ANY_NUMBER.findall(normalise(text))),
        wants_number=bool(_WANTS_NUMBER.search(asked)),
        wants_date=bool(_WANTS_DATE.search(asked)),
        wants_name=bool(_WANTS_NAME.search(asked)),
        name_is_no_country=bool(_WANTS_PERSON_OR_TOWN.search(asked)),
        multi_source=bool(_MULTI_SOURCE.search(asks or text)),
    )


def asks_for_number_or_date(text: str) -> bool:
    """Whether a question asks for a count, an amount or a time."""
    asked = normalise(text)
    return bool(_WANTS_NUMBER.search(asked) or _WANTS_DATE.search(asked))


def with_previous(question: Question, previous: Question) -> Question:
    """A follow-up read with the previous question, analysed in its own language (an English
    question's names still match by skeleton after an Arabic follow-up): its terms join the
    follow-up's; what is asked stays the follow-up's."""
    own = {t.text for t in question.terms}
    added = [t for t in previous.terms if t.text not in own]
    vectors = None
    if question.vectors is not None or previous.vectors is not None:
        width = (question.vectors if question.vectors is not None else previous.vectors).shape[1]  # type: ignore[union-attr]
        rows = [_rows(question, width), _rows(previous, width)[[t.text not in own for t in previous.terms]]]
        vectors = np.vstack(rows)
    # The decision's parameters are fitted per language of the terms (Arabic stems, or English
    # words bridged into Arabic): a bare "ومتى؟" after an English question is mostly English terms.
    language = previous.language if len(added) > len(question.terms) else question.language
    return replace(
        question, text=f"{question.text} — {previous.text}", language=language, terms=question.terms + tuple(added), vectors=vectors
    )


def on_topic(resolved: Question, own: Question, around: Collection[str]) -> Question:
    """A follow-up as resolved (read with the previous question, or a model's standalone rewrite),
    whose terms beyond its `own` words count as held by the sentences `around` the previous
    reply's quotes (span ids), the conversation's topic, whether or not they repeat them:
    "وامتى صار هالاتصال؟" after "شو طلب بوتين من كل الأطراف" is answered by the sentence of the call,
    which need not say what Putin asked for."""
    words = {t.text for t in own.terms}
    return replace(
        resolved, topic_terms=frozenset(t.text for t in resolved.terms if t.text not in words), topic_spans=frozenset(around)
    )


def _rows(question: Question, width: int) -> np.ndarray:
    """The question's word vectors, or zero rows (exact matching only) when it has none."""
    if question.vectors is not None:
        return question.vectors
    return np.zeros((len(question.terms), width), dtype=np.float32)


def asks_about_a_picture(text: str) -> bool:
    """Whether a question is about a photo, so a caption may answer it."""
    return bool(_ABOUT_A_PICTURE.search(normalise(text)))


def _stem_term(term: str, view: CorpusView, other_readings: Iterable[str] = ()) -> Term:
    """A stem that counts as itself (and as the word's other readings the corpus uses: "لروسيا" is
    روسيا too), weighted by how rare it is in the corpus."""
    forms = frozenset({term, *(r for r in other_readings if view.sentence_frequency.get(r))})
    frequency = max(view.sentence_frequency.get(f, 0) for f in forms)
    return Term(term, forms, "", _idf(frequency, view.sentence_count), float(frequency > 0), frozenset({term}))


def _arabic_terms(text: str, view: CorpusView) -> list[Term]:
    """Stems of the question. A listed dialect word also counts as its standard renderings ("تلفون" ~
    هاتف; "طيارات", planes, also where the corpus uses it for pilots). A word the corpus never uses
    and no list knows (a typo, another spelling) counts as its nearest corpus
    words that are no commoner than the question's median known word: a name no article holds
    ("أردوغان") must not be found in every sentence through a word every sentence holds (ايران).
    A place counts only as its own names (تركيا as التركي, never as its neighbours تركمانستان، الدول);
    a letter name before a number as the Latin letter ("الاس 300" is S-300)."""
    total = view.sentence_count
    unknown: dict[str, str] = {}
    words = tokens(text)
    terms, spelling = _acronym_terms(words, view)
    for index, (word, following) in enumerate(zip(words, [*words[1:], ""], strict=True)):
        if index in spelling:
            continue
        term = _LEADING_ARTICLE_DIGITS.sub("", stem(word))
        if is_function_word(word) or term in terms or not term:
            continue
        standard = _standard_forms(word, view)  # a listed dialect word the corpus also uses ("طيارات": pilots, planes)
        terms[term] = _stem_term(term, view, readings(word) | other_inflections(word) | view.other_spellings(word) | standard)
        if terms[term].strength or word.isdigit():
            continue
        if (letter := model_letter(word, following)) and view.sentence_frequency.get(letter):
            terms[term] = _standing_for(term, {letter}, 1.0, view)  # "الاس 300": the articles write S-300
        elif term in same_place_stems():  # a place is its own names or none: not another country
            if same := [f for f in same_place_stems()[term] if view.sentence_frequency.get(f)]:
                terms[term] = _standing_for(term, same, 1.0, view)
        elif standard := standard or _inflected_forms(word, view) or _respelled_forms(word, view):
            terms[term] = _standing_for(term, standard, 1.0, view)
        else:
            unknown[term] = word
    found = view.word_vectors(list(unknown.values())) if unknown else None
    if found is not None:
        nearest = view.lexicon.nearest(found, TRANSLATIONS_PER_WORD, MIN_TRANSLATION_SIMILARITY)
        known = sorted(f for t in terms if (f := view.sentence_frequency.get(t, 0)))
        common = known[len(known) // 2] if known else total
        for term, near in zip(unknown, nearest, strict=True):
            stand_ins = [(s, sim) for s, sim in ((stem(w), sim) for w, sim in near) if view.sentence_frequency.get(s, 0) <= common]
            if stand_ins:
                terms[term] = _standing_for(term, {s for s, _ in stand_ins}, max(sim for _, sim in stand_ins), view)
    return list(terms.values())


def _acronym_terms(words: list[str], view: CorpusView) -> tuple[dict[str, Term], set[int]]:
    """The Latin acronyms the question spells out in Arabic letter names and the corpus holds ("لسي
    ان بي سي" is CNBC, as the articles write it or spell it), a term each, and the indices of the
    words that spell them."""
    terms: dict[str, Term] = {}
    spelling: set[int] = set()
    for start, end, spellings in acronym_runs(words):
        if held := sorted(s for s in spellings if view.sentence_frequency.get(s)):
            terms[held[0]] = _standing_for(held[0], held, 1.0, view)
            spelling.update(range(start, end))
    return terms, spelling


def _standing_for(term: str, stand_ins: Iterable[str], strength: float, view: CorpusView) -> Term:
    """A word the corpus never uses, counted as the corpus words that stand in for it and weighted
    by the commonest of them."""
    forms = frozenset({term, *stand_ins})
    frequency = max(view.sentence_frequency.get(f, 0) for f in forms)
    return Term(term, forms, "", _idf(frequency, view.sentence_count), strength, frozenset({term}))


def _standard_forms(word: str, view: CorpusView) -> frozenset[str]:
    """Stems of a dialect word's standard renderings that the corpus uses ("بالتلفون" -> هاتف), also
    of the word without its verb affixes, or in the corpus's spelling ("الامريكان" -> أمريكي, which
    an article writes أميركي)."""
    dialect = dialect_to_standard()
    renderings = dialect.get(word) or dialect.get(without_clitics(word))
    if not renderings:  # "هتسيبها": سيب
        renderings = frozenset().union(*(dialect.get(core, ()) for core in inflection_cores(word)))
    used = frozenset(r for r in renderings if view.sentence_frequency.get(r))
    return used.union(*(view.other_spellings(r) for r in renderings - used))


def _inflected_forms(word: str, view: CorpusView) -> frozenset[str]:
    """Stems the corpus uses of the word without its verb affixes ("وقعوها" -> يوقع)."""
    return frozenset(s for s in map(stem, inflection_cores(word)) if view.sentence_frequency.get(s))


def _respelled_forms(word: str, view: CorpusView) -> frozenset[str]:
    """Stems of the corpus words the word may be another spelling of ("بزشكيان" -> بيزشكيان)."""
    return frozenset(s for s in map(stem, view.respellings(word)) if view.sentence_frequency.get(s))


def _english_terms(text: str, view: CorpusView) -> tuple[list[Term], np.ndarray | None]:
    """English words bridged into Arabic by skeleton (names, loanwords; a short skeleton only where
    the term map agrees), digits (a Roman numeral as its number, "the 1970s" also as السبعينيات),
    the dictionary's renderings the corpus uses ("sign" -> وقع، توقيع; a word found nowhere also as
    the listed word it misspells, "factroy"), or else the term map, and a word neither knows as a
    name by its skeleton where some article has it ("grajewski" ~ غراغوسكي); with each term-map-translated
    word's vector (zeros where it matches exactly) for soft matching."""
    stop = stopwords()
    total = view.sentence_count
    text = without_accents(text)  # one word, not "tem" and "jin"
    text = _ABBREVIATION.sub(lambda m: f" {_EXPANSION[(m[1] or m[2]).replace('.', '').lower()]} ", text)
    capitalised = {w.lower() for w in _CAPITALISED.findall(text)}
    phrasal = _phrasal_verbs(_LATIN_WORD.findall(text.lower()), view)
    words = [
        w for w in dict.fromkeys(_LATIN_WORD.findall(text.lower()))
        if w not in stop and (len(w) > 2 or w.isdigit()) and w not in {verb for verb, _ in phrasal}
    ]
    numbers = number_readings(text)
    literal: dict[str, tuple[str, str, int]] = {}  # word -> (written form, trusted skeleton, sentences holding either)
    for word in words[:MAX_QUESTION_WORDS]:
        if word in numbers and not word.isdigit():  # a Roman numeral is the number it writes
            written, skeleton = numbers[word], ""
        else:
            written = word if word.isdigit() else stem(word)
            skeleton = "" if word.isdigit() else latin_skeleton(word)
            skeleton = skeleton if len(skeleton) >= (MIN_NAME_SKELETON if word in capitalised else MIN_WORD_SKELETON) else ""
        count = view.sentence_frequency.get(written, 0) + (view.skeleton_count(skeleton) if skeleton else 0)
        literal[word] = (written, skeleton, count)
    dictionary = english_to_arabic()
    listed: dict[str, list[str]] = {}  # a word's renderings in the dictionary that the corpus uses (also for a name-like
    for word, (written, _, _) in literal.items():  # "Parliament", whose skeleton alone matches by chance)
        if renderings := [a for a in dictionary.get(written, ()) if view.sentence_frequency.get(a)]:
            listed[word] = renderings
    for word, decade in numbers.items():  # "the 1970s" are also السبعينيات
        if word.isdigit() and word in literal and view.sentence_frequency.get(decade):
            listed[word] = [decade]
    embedded = [w for w, (_, _, count) in literal.items() if not count and not w.isdigit() and w not in listed and w not in numbers]
    found = view.word_vectors(embedded)
    translations: dict[str, list[tuple[str, float]]] = {}
    spelled: dict[str, list[tuple[str, float]]] = {}  # words whose spelling skeleton and term map agree on
    if found is not None:
        nearest = view.lexicon.nearest(found, max(TRANSLATIONS_PER_WORD, AGREEMENT_POOL), MIN_TRANSLATION_SIMILARITY)
        for word, near in zip(embedded, nearest, strict=True):
            translations[word] = near[:TRANSLATIONS_PER_WORD]
            readings = [r for r in latin_readings(word) if len(r) >= MIN_NAME_SKELETON]  # "ozcelik": اوزجليك
            if readings:
                agreeing = [
                    (a, s) for a, s in near[:AGREEMENT_POOL] if any(skeleton_found(r, arabic_skeletons(a)) for r in readings)
                ]
                if agreeing:
                    spelled[word] = agreeing
                    continue
            corrected = dictionary.get(corrected_stem(word) or "", ())  # a misspelt listed word ("factroy"), not a name
            if renderings := [a for a in corrected if view.sentence_frequency.get(a)]:
                listed[word] = renderings
    for word, (written, skeleton, count) in literal.items():  # a name typed lowercase ("grajewski", "crimea")
        known = written in dictionary or word in listed or word in spelled or translations.get(word)
        if skeleton or known or word in numbers or word.isdigit():
            continue
        if len(name := latin_skeleton(word)) >= MIN_UNLISTED_NAME_SKELETON and (held := view.skeleton_count(name)):
            literal[word] = (written, name, count + held)
            listed[word] = []  # matched exactly, by its skeleton: no term-map vector for soft matching
    terms = []
    for word, (written, skeleton, count) in literal.items():
        translated = spelled.get(word) or ([] if word in listed else translations.get(word, []))
        forms = {written} | {stem(a) for a, _ in translated} | set(listed.get(word, ()))
        frequency = max([count] + [view.sentence_frequency.get(f, 0) for f in forms])
        exact = count or word in spelled or word in listed
        strength = 1.0 if exact else max((similarity for _, similarity in translated), default=0.0)
        spellings = {written} | {stem(a) for a, _ in spelled.get(word, ())}
        if word in spelled and written not in dictionary:  # a name: its other spellings too
            skeleton = skeleton or latin_skeleton(word)
        terms.append(Term(word, frozenset(forms), skeleton, _idf(frequency, total), strength, frozenset(spellings)))
    for (verb, particle), rendered in phrasal.items():  # an English article holds the verb as written
        phrase_forms = rendered | {stem(verb)}
        frequency = max(view.sentence_frequency.get(f, 0) for f in phrase_forms)
        terms.append(Term(f"{verb} {particle}", phrase_forms, "", _idf(frequency, total), 1.0, frozenset({stem(verb)})))
    for word in (w for w in dict.fromkeys(tokens(text)) if not w.isascii() and w not in stop):
        stemmed = stem(word)  # an Arabic name typed into an English question
        if stemmed not in {t.text for t in terms}:  # one term per stem, so each has one vector row
            terms.append(_stem_term(stemmed, view))
    if found is None:
        return terms, None
    row = {w: i for i, w in enumerate(embedded) if w not in spelled and w not in listed}  # these match exactly
    vectors = np.zeros((len(terms), found.shape[1]), dtype=np.float32)
    for i, term in enumerate(terms):
        if term.text in row:
            vectors[i] = found[row[term.text]]
    return terms, vectors


def _phrasal_verbs(words: Sequence[str], view: CorpusView) -> dict[tuple[str, str], frozenset[str]]:
    """The question's phrasal verbs ("set up", "took part") with the renderings the corpus uses:
    one term each, in place of the verb alone (which may be a stop word, "take", "call")."""
    listed = phrasal_to_arabic()
    found = {}
    for verb, particle in zip(words, words[1:], strict=False):
        used = frozenset(a for a in listed.get((stem(verb), particle), ()) if view.sentence_frequency.get(a))
        if used:
            found[(verb, particle)] = used
    return found
