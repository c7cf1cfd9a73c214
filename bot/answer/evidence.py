"""What a question asks for, and what each candidate sentence offers it: the signals of the decision.

A question becomes weighted terms (rarer in the corpus = heavier). Arabic questions match
sentences by normalised stems; English ones through four bridges into the Arabic text: a
dictionary of common words (isnad.retrieval.dictionary: "warned" -> حذر), the term map induced
from the embedding model for the rest ("drones" -> المسيرات), consonant skeletons for names and
loanwords in any case or spelling ("patrushef" ~ باتروشيف), and digits. Each candidate
sentence gets a feature vector (`FEATURES`, with the dense and the sparse cosine of
isnad.retrieval.sparse); bot/answer/decision.py turns those into a ranking and a
reply kind with parameters fitted by bot/answer/fitting.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from isnad.retrieval.arabic import (
    inflection_cores,
    is_function_word,
    normalise,
    readings,
    stem,
    stopwords,
    tokens,
    without_accents,
    without_clitics,
)
from isnad.retrieval.dictionary import corrected_stem, dialect_to_standard, english_to_arabic, phrasal_to_arabic
from isnad.retrieval.models import Language, Sentence
from isnad.retrieval.numerals import DECADE_TENS, number_readings
from isnad.retrieval.places import same_place_stems
from isnad.retrieval.search import Candidate, CorpusView, SearchResult
from isnad.retrieval.transliteration import arabic_skeletons, latin_skeleton, model_letter, skeleton_found

TRANSLATIONS_PER_WORD = 4
MIN_TRANSLATION_SIMILARITY = 0.83
# Shorter consonant skeletons match too many words by chance: a capitalised name may be short
# ("Iran" ~ RN), a lowercase word is trusted alone only when long ("petersburg" ~ BTRsBRG); shorter
# ones match common words ("security" ~ سكرتير, "putin" ~ BTN ~ many) and need the term map to agree.
MIN_NAME_SKELETON = 2
MIN_WORD_SKELETON = 6
MIN_UNLISTED_NAME_SKELETON = 3  # a lowercase word neither the dictionary nor the term map knows is a name from three
MAX_QUESTION_WORDS = 10  # English words of a question considered (the first ten)
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
    r"\b(?:photos?|pictures?|images?|captions?|pictured|photographed)\b|(?:^|\s)[وفب]?(?:ال)?(?:صوره|صور|الصوره|تعليق الصوره)(?:\s|$|[؟?])",
)
# Patterns below match normalised text (isnad.retrieval.arabic.normalise), so they are normalised too.
# A count or amount is asked by its question word, or by "what is the number/price of"; "عدد" elsewhere
# is a verb ("عدّد", list) or part of the topic ("ازداد عدد طلابه").
_AMOUNT_EN = r"(?:percentage|number|amount|share|price|cost|value|worth|volume|capacity|size|population)"
_AMOUNT_AR = r"(?:عدد|نسبة|سعر|قيمة|تكلفة|كلفة|حجم|سعة|مقدار|مبلغ|مساحة|طول|مدة)"
_WANTS_NUMBER = re.compile(normalise(
    rf"\bhow (?:many|much|long|old|far|big|large)\b|\bwhat(?:s|'s| is| was| were| are)?(?: the)?(?: [a-z]+){{0,2}} {_AMOUNT_EN}\b"
    rf"|(?:^|\s)(?:كم|كام|قديش|اديش|بكم)(?:\s|$)|(?:^|\s)(?:ما|وما|فما)(?: هو| هي| هما)? (?:ال)?{_AMOUNT_AR}(?:\s|$)"
))
_WANTS_DATE = re.compile(normalise(
    r"^\W*(?:and |so |but |since |until |by )?when\b|\bwhen (?:is|was|were|are|did|does|do|will|would|has|have|had|can|could)\b"
    r"|\bwhat (?:year|day|date|month|century|time)\b|\bwhich (?:year|day|date|month|century)\b"
    r"|متى|امتى|إمتى|إيمتى|ايمتى|أي عام|أي سنة|اي سنة|أي يوم|اي يوم|أي تاريخ|في أي قرن"
))
# The kind of date asked ("in which month", "what year", "في أي عام") names the answer's kind, not its
# topic: the answer sentence holds the month, not the word "month".
_DATE_KIND = re.compile(
    r"\b(?:what|which)\s+(?:year|day|date|month|century|decade)s?\b"
    r"|(?:^|(?<=\s))[أاإ]ي[ةه]?\s+(?:عام|سن[ةه]|يوم|تاريخ|شهر|قرن|عقد)(?=\s|$|[؟?])",
    re.IGNORECASE,
)
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
_ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NUMBER_WORDS = re.compile(rf"(?:^|\s)[وفب]?(?:ال)?(?:{_NUMBER_WORD})(?=\s|$|[^\w])")
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
_TIME_WORDS = (
    "يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|اذار|نيسان|"
    "ايار|حزيران|تموز|اب|ايلول|تشرين|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت|القرن|عام|سنه|"
    "يوم|ايام|اسبوع|اسابيع|شهر|اشهر|شهور|امس|غدا|"  # "الشهر الجاري", "الأسبوع المقبل"
    "يومين|اسبوعين|شهرين|عامين|سنتين|اعوام|سنوات|ساعه|ساعات|ساعتين|"  # "قبل أسبوعين" (two weeks ago)
    "january|february|march|april|june|july|august|september|october|november|december|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    "days?|weeks?|months?|years?|decades?|century|centuries|hours?"
)
_DECADE = f"(?:{'|'.join(DECADE_TENS.values())})(?:يات|ات)"  # "the nineties"
# Month names and decades stand between spaces, slashes or brackets ("في يوليو/تموز الماضي").
_HAS_DATE = re.compile(rf"\b(?:1\d{{3}}|20\d\d)\b|(?:^|[\s/(])(?:[وفبل]?(?:ال)?)(?:{_TIME_WORDS}|{_DECADE})(?=[\s/)،,.]|$)")
_LATIN_WORD = re.compile(r"[a-z]+|\d+")
_LEADING_ARTICLE_DIGITS = re.compile(r"^ال(?=\d)")  # "الـ20" -> 20
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z]+")
# Country and body abbreviations, written in capitals or after "the" ("the us" in a chat): "US" would
# otherwise be the pronoun "us", a stop word, and "UN" too short to be a word.
_ABBREVIATION = re.compile(r"\b(U\.?S\.?A?|U\.?K\.?|U\.?N\.?|E\.?U\.?)(?![\w.])|(?i:\bthe (us|usa|uk|un|eu)\b)")
_EXPANSION = {"us": "united states", "usa": "united states", "uk": "united kingdom", "un": "united nations", "eu": "european union"}

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
)


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
    multi_source: bool

    @property
    def total_weight(self) -> float:
        return sum(t.weight for t in self.terms)

    @cached_property
    def forms(self) -> frozenset[str]:
        """What counts as any of its terms."""
        return frozenset().union(*(t.forms for t in self.terms))

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
    topic = _DATE_KIND.sub(" ", text)
    terms, vectors = (_arabic_terms(topic, view), None) if language == "ar" else _english_terms(topic, view)
    asked = normalise(asks or text)
    return Question(
        text=text,
        language=language,
        terms=tuple(terms),
        vectors=vectors,
        numbers=frozenset(_ANY_NUMBER.findall(normalise(text))),
        wants_number=bool(_WANTS_NUMBER.search(asked)),
        wants_date=bool(_WANTS_DATE.search(asked)),
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


def _rows(question: Question, width: int) -> np.ndarray:
    """The question's word vectors, or zero rows (exact matching only) when it has none."""
    if question.vectors is not None:
        return question.vectors
    return np.zeros((len(question.terms), width), dtype=np.float32)


def asks_about_a_picture(text: str) -> bool:
    """Whether a question is about a photo, so a caption may answer it."""
    return bool(_ABOUT_A_PICTURE.search(normalise(text)))


def captions_naming(question: Question, view: CorpusView) -> list[Sentence]:
    """Photo captions that alone hold a word of the question as it is spelled (not a translation, not
    a bare number, which names nothing: "the 2024 election" is not the photo dated 2024): whoever or
    whatever is named only under a picture can be answered from its caption."""
    return view.captions_alone_holding(f for t in question.terms if t.strength >= 1.0 for f in t.spellings if not f.isdigit())


def _stem_term(term: str, view: CorpusView, other_readings: Iterable[str] = ()) -> Term:
    """A stem that counts as itself (and as the word's other readings the corpus uses: "لروسيا" is
    روسيا too), weighted by how rare it is in the corpus."""
    forms = frozenset({term, *(r for r in other_readings if view.sentence_frequency.get(r))})
    frequency = max(view.sentence_frequency.get(f, 0) for f in forms)
    return Term(term, forms, "", _idf(frequency, view.sentence_count), float(frequency > 0), frozenset({term}))


def _arabic_terms(text: str, view: CorpusView) -> list[Term]:
    """Stems of the question. A word the corpus never uses counts as its standard renderings when it
    is a listed dialect word ("تلفون" ~ هاتف), else (a typo, another spelling) as its nearest corpus
    words that are no commoner than the question's median known word: a name no article holds
    ("أردوغان") must not be found in every sentence through a word every sentence holds (ايران).
    A place counts only as its own names (تركيا as التركي, never as its neighbours تركمانستان، الدول);
    a letter name before a number as the Latin letter ("الاس 300" is S-300)."""
    total = view.sentence_count
    terms: dict[str, Term] = {}
    unknown: dict[str, str] = {}
    words = tokens(text)
    for word, following in zip(words, [*words[1:], ""], strict=True):
        term = _LEADING_ARTICLE_DIGITS.sub("", stem(word))
        if is_function_word(word) or term in terms or not term:
            continue
        terms[term] = _stem_term(term, view, readings(word))
        if terms[term].strength or word.isdigit():
            continue
        if (letter := model_letter(word, following)) and view.sentence_frequency.get(letter):
            terms[term] = _standing_for(term, {letter}, 1.0, view)  # "الاس 300": the articles write S-300
        elif term in same_place_stems():  # a place is its own names or none: not another country
            if same := [f for f in same_place_stems()[term] if view.sentence_frequency.get(f)]:
                terms[term] = _standing_for(term, same, 1.0, view)
        elif standard := _standard_forms(word, view) or _inflected_forms(word, view) or _respelled_forms(word, view):
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


def _standing_for(term: str, stand_ins: Iterable[str], strength: float, view: CorpusView) -> Term:
    """A word the corpus never uses, counted as the corpus words that stand in for it and weighted
    by the commonest of them."""
    forms = frozenset({term, *stand_ins})
    frequency = max(view.sentence_frequency.get(f, 0) for f in forms)
    return Term(term, forms, "", _idf(frequency, view.sentence_count), strength, frozenset({term}))


def _standard_forms(word: str, view: CorpusView) -> frozenset[str]:
    """Stems of a dialect word's standard renderings that the corpus uses ("بالتلفون" -> هاتف), also
    of the word without its verb affixes."""
    dialect = dialect_to_standard()
    renderings = dialect.get(word) or dialect.get(without_clitics(word))
    if not renderings:  # "هتسيبها": سيب
        renderings = frozenset().union(*(dialect.get(core, ()) for core in inflection_cores(word)))
    return frozenset(r for r in renderings if view.sentence_frequency.get(r))


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
            skeleton = latin_skeleton(word)
            if len(skeleton) >= MIN_NAME_SKELETON:
                agreeing = [(a, s) for a, s in near[:AGREEMENT_POOL] if skeleton_found(skeleton, arabic_skeletons(a))]
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


# Words for what every article is to a question that names it: "the CNBC report", "تقرير المستقلة".
REPORT_STEMS = frozenset(stem(w) for w in ("تقرير", "تقارير"))


def articles_named(question: Question, view: CorpusView) -> dict[str, frozenset[str]]:
    """The articles the question names, each with what every sentence of it holds beyond its words:
    - named by half of a headline's identifying words: the headline's words;
    - named by an Arabic question through a Latin-letter headline's sound ("سوبر بول" for "Super
      Bowl 50"): the question's words that name it;
    - named either way or by the publisher ("the CNBC report"): "report", as the report a question
      cites is the article."""
    held: dict[str, frozenset[str]] = {a: view.headline_stems(a) | REPORT_STEMS for a in view.headlines_named(question.forms)}
    for article in view.articles_cited(question.forms):
        held[article] = held.get(article, frozenset()) | REPORT_STEMS
    if question.language == "ar":
        for article, forms in view.latin_headlines_named([(t.forms, t.spellings) for t in question.terms]).items():
            held[article] = held.get(article, frozenset()) | forms | REPORT_STEMS
    return held


def _found(term: Term, sentence_stems: frozenset[str], skeletons: frozenset[str]) -> bool:
    return bool(term.forms & sentence_stems) or (bool(term.skeleton) and skeleton_found(term.skeleton, skeletons))


def _found_terms(
    question: Question, sentences: Sequence[Sentence], view: CorpusView, named: Mapping[str, frozenset[str]]
) -> list[bool]:
    """For each of the question's terms, whether the sentences hold it (a publisher named in the
    question is held by every sentence it published; an article it names, `articles_named`, holds
    what that gives it in every sentence)."""
    sentence_stems = frozenset().union(*(
        view.stems_of(s)
        | view.publisher_stems(s.article_id)
        | named.get(s.article_id, frozenset())
        for s in sentences
    ))
    skeletons = frozenset().union(*(view.skeletons_of(s) for s in sentences)) if any(t.skeleton for t in question.terms) else frozenset()
    return [_found(t, sentence_stems, skeletons) for t in question.terms]


def _coverage(question: Question, found: Sequence[bool]) -> tuple[float, float]:
    """(weight share of the question's terms found, weight of the rarest found / of the rarest term)."""
    total = question.total_weight
    if not total:
        return 0.0, 0.0
    weights = [t.weight for t, hit in zip(question.terms, found, strict=True) if hit]
    return sum(weights) / total, max(weights, default=0.0) / max(t.weight for t in question.terms)


def _soft_coverage(question: Question, sentence: Sentence, found: Sequence[bool], coverage: float, view: CorpusView) -> float:
    """English questions: weighted mean over terms of the best cosine of a mapped word with a word
    of the sentence (a graded coverage that needs no hard translation); Arabic: coverage itself."""
    if question.vectors is None or not question.terms:
        return coverage
    weights = np.asarray([t.weight for t in question.terms], dtype=np.float32)
    graded = view.soft_match(question.vectors, [sentence])
    exact = np.asarray(found, dtype=np.float32)
    best = np.where(question.vectors.any(axis=1), graded, exact)  # names and digits match exactly
    return float(best @ weights / weights.sum())


def has_number(sentence: Sentence, known: frozenset[str] = frozenset()) -> bool:
    """A count or amount the question did not already hold (years and model numbers do not count)."""
    text = normalise(sentence.text)
    found = [n for n in _STANDALONE_NUMBER.findall(text) if n not in known and not _YEAR.match(n)]
    return bool(found) or bool(_NUMBER_WORDS.search(text))


def has_date(sentence: Sentence) -> bool:
    return bool(_HAS_DATE.search(normalise(sentence.text)))


def holds_kind_asked(question: Question, sentence: Sentence) -> bool:
    """Whether the sentence holds the kind of answer the question asks for (true when none is asked)."""
    return not _type_match(question, sentence)[1]


def _type_match(question: Question, sentence: Sentence) -> tuple[float, float]:
    """(the sentence holds the kind of answer asked for, it lacks it); both 0 when no kind is asked."""
    wanted = [has_number(sentence, question.numbers)] if question.wants_number else []
    wanted += [has_date(sentence)] if question.wants_date else []
    if not wanted:
        return 0.0, 0.0
    return (1.0, 0.0) if any(wanted) else (0.0, 1.0)


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
    top_sparse = max(c.sparse for c in result.candidates)
    rows = []
    for candidate, (coverage, rarest), soft_coverage in zip(result.candidates, coverages, soft, strict=True):
        sentence = candidate.sentence
        window, _ = _coverage(question, _found_terms(question, view.neighbourhood(sentence), view, named))
        match, missing = _type_match(question, sentence)
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
        ))
    return np.asarray(rows, dtype=np.float32)


@dataclass(frozen=True)
class Ranked:
    """A candidate with the ranker's score (a log-odds that it holds the answer)."""

    candidate: Candidate
    score: float
    row: np.ndarray

    @property
    def sentence(self) -> Sentence:
        return self.candidate.sentence


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
