"""Word lists that carry a question's words into the corpus's Arabic.

The term map (isnad.retrieval.lexicon) translates a word the corpus lacks by the embedding model's
nearest corpus words, which is good for names and topical nouns and poor for common verbs and
abstract nouns ("sign" -> منشور, "confirm" -> مطلع) and for everyday dialect words ("تلفون" ->
استلام). Lists beside this module give their usual renderings instead, one word a line,
`word<TAB>rendering|rendering|...`, written for Isnad from general knowledge of the languages, not
from any evaluation data:
- `en_ar.tsv`: about twelve thousand English words of news and encyclopedic writing, in Arabic (with
  `en_irregular.tsv`, the past forms of irregular verbs: "sent" is rendered as "send" is);
- `en_phrasal.tsv`: English phrasal verbs ("set up" -> أنشأ، أقام; "carry out" -> نفذ), whose verb
  alone means something else or is a stop word ("take part", "call for");
- `ar_dialect.tsv`: ~450 everyday Egyptian, Levantine, Gulf, Iraqi and Maghrebi words in Modern
  Standard Arabic ("بيشتغل" -> يعمل، "طيارة" -> طائرة). Dialect question words and particles are
  stop words (isnad.retrieval.arabic), not entries here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from isnad.retrieval.arabic import normalise, stem, stopwords, tokens
from isnad.retrieval.places import english_to_arabic_places

DICTIONARY_FILE = Path(__file__).with_name("en_ar.tsv")
DIALECT_FILE = Path(__file__).with_name("ar_dialect.tsv")
PHRASAL_FILE = Path(__file__).with_name("en_phrasal.tsv")
# English verbs whose past forms no stemmer brings back ("sent", "built", "led"): `base<TAB>past|participle`.
IRREGULAR_FILE = Path(__file__).with_name("en_irregular.tsv")
# A misspelt English word is read as the listed word one edit away (two from eight letters on):
# "factroy" is factory. Shorter words are too often another word or a name one edit away.
MIN_CORRECTED_LENGTH = 5
LONG_WORD = 8
# A verb is listed in the past tense (وقع); its present tense adds a prefix (يوقع). Only ي: with ت
# a past tense becomes another verb (وقع -> توقع, "expected"). A noun so prefixed is no word at all.
IMPERFECT = ("ي",)


@lru_cache(maxsize=4)
def _entries(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The lines of a list beside this module: (word, its renderings or inflected forms)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple((word.strip(), tuple(items.split("|"))) for word, _, items in (line.partition("\t") for line in lines))


def _renderings(entries: Iterable[tuple[str, Iterable[str]]], key: Callable[[str], str]) -> dict[str, frozenset[str]]:
    """key(word) -> the Arabic stems of its renderings (words of one key share them)."""
    found: dict[str, set[str]] = {}
    stop = stopwords()
    for word, arabic in entries:
        renderings = [[t for t in tokens(r) if t not in stop] for r in arabic]  # "show" ~ بيّن, written like "between"
        single = [r[0] for r in renderings if len(r) == 1]
        # a phrase counts by its longest word, and only where no single word renders it ("نوفمبر|تشرين
        # الثاني" is نوفمبر, never "second"; "شبه جزيرة" is جزيرة)
        words = single or [max(r, key=len) for r in renderings if r]
        words += [f"{prefix}{w}" for w in words if len(w) in (3, 4) for prefix in IMPERFECT]
        found.setdefault(key(word), set()).update(s for s in map(stem, words) if s)
    return {word: frozenset(arabic) for word, arabic in found.items() if arabic}  # "today": اليوم is a function word


@lru_cache(maxsize=1)
def english_to_arabic() -> dict[str, frozenset[str]]:
    """English stem -> the Arabic stems of its renderings (with CLDR's names of countries and
    languages); an irregular past form shares its verb's."""
    entries = (*_entries(DICTIONARY_FILE), *english_to_arabic_places().items())
    dictionary = _renderings(entries, lambda word: stem(word.lower()))
    for base, inflected in _entries(IRREGULAR_FILE):
        if renderings := dictionary.get(stem(base)):
            for form in map(stem, inflected):
                dictionary[form] = dictionary.get(form, frozenset()) | renderings  # "found": وجد and أسس
    return dictionary


@lru_cache(maxsize=1)
def common_arabic_stems() -> frozenset[str]:
    """The stems of the Arabic renderings in the English list: the language's common words (a word of
    an article outside them, its function words and its numbers is most likely a name)."""
    return frozenset().union(*_renderings(_entries(DICTIONARY_FILE), str.lower).values())


@lru_cache(maxsize=1)
def phrasal_to_arabic() -> dict[tuple[str, str], frozenset[str]]:
    """(verb stem, particle) -> the Arabic stems of the phrasal verb's renderings; the verb's
    irregular past forms share them ("took part" as "take part")."""
    past = {stem(base): tuple(map(stem, inflected)) for base, inflected in _entries(IRREGULAR_FILE)}
    found: dict[tuple[str, str], frozenset[str]] = {}
    for phrase, arabic in _renderings(_entries(PHRASAL_FILE), str.lower).items():
        verb, particle = phrase.split()
        for form in (stem(verb), *past.get(stem(verb), ())):
            found[(form, particle)] = found.get((form, particle), frozenset()) | arabic
    return found


@lru_cache(maxsize=1)
def dialect_to_standard() -> dict[str, frozenset[str]]:
    """Normalised dialect word -> the stems of its Modern Standard Arabic renderings."""
    return _renderings(_entries(DIALECT_FILE), normalise)


@lru_cache(maxsize=1)
def _words_by_initial() -> dict[str, list[str]]:
    """The listed English words and their plurals, by first letter."""
    entries = _entries(DICTIONARY_FILE) + _entries(IRREGULAR_FILE)
    words = {w for word, forms in entries for w in (word, *forms) if w.isascii() and w.isalpha()}
    words |= {f"{w[:-1]}ies" if w.endswith("y") else f"{w}s" for w in words}
    return by_initial(sorted(words))


def by_initial(words: Iterable[str]) -> dict[str, list[str]]:
    """Words grouped by their first letter, in the order given (what `near_spellings` searches)."""
    found: dict[str, list[str]] = {}
    for word in words:
        found.setdefault(word[:1], []).append(word)
    return found


def near_spellings(word: str, words_by_initial: dict[str, list[str]]) -> list[str]:
    """The words a misspelt or otherwise spelt word may be, closest first: the same first letter, one
    edit away (Damerau-Levenshtein), two from `LONG_WORD` letters; none below `MIN_CORRECTED_LENGTH`."""
    if len(word) < MIN_CORRECTED_LENGTH:
        return []
    limit = 2 if len(word) >= LONG_WORD else 1
    found = process.extract(word, words_by_initial.get(word[0], []), scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=None)
    return [w for w, _, _ in found]


def corrected_stem(word: str) -> str | None:
    """The stem of the listed English word a misspelt one most likely means ("factroy" -> factory),
    with the same first letter, or None."""
    if not word.isalpha():
        return None
    found = near_spellings(word, _words_by_initial())
    return stem(found[0]) if found else None


def load_word_lists() -> None:
    """Read every list now (a fraction of a second), so the first question that needs one does not wait."""
    english_to_arabic()
    phrasal_to_arabic()
    dialect_to_standard()
    _words_by_initial()
