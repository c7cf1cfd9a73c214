"""A general English -> Arabic dictionary of common words of news and encyclopedic writing.

The term map (isnad.retrieval.lexicon) translates an English word by the embedding model's
nearest corpus words, which is good for names and topical nouns and poor for common verbs and
abstract nouns ("sign" -> منشور, "confirm" -> مطلع). `en_ar.tsv` beside this module lists
about six thousand such words with their usual Arabic renderings (written for Isnad from general
knowledge of both languages, not from any evaluation data): `english<TAB>arabic|arabic|...`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from isnad.retrieval.arabic import stem, stopwords, tokens

DICTIONARY_FILE = Path(__file__).with_name("en_ar.tsv")
# A verb is listed in the past tense (وقع); its present tense adds a prefix (يوقع). Only ي: with ت
# a past tense becomes another verb (وقع -> توقع, "expected"). A noun so prefixed is no word at all.
IMPERFECT = ("ي",)


@lru_cache(maxsize=1)
def english_to_arabic() -> dict[str, frozenset[str]]:
    """English stem -> the Arabic stems of its renderings (words of one stem share them)."""
    found: dict[str, set[str]] = {}
    stop = stopwords()
    for line in DICTIONARY_FILE.read_text(encoding="utf-8").splitlines():
        english, _, arabic = line.partition("\t")
        renderings = [[t for t in tokens(r) if t not in stop] for r in arabic.split("|")]  # "show" ~ بيّن, written like "between"
        single = [r[0] for r in renderings if len(r) == 1]
        # a phrase counts by its longest word, and only where no single word renders it ("نوفمبر|تشرين
        # الثاني" is نوفمبر, never "second"; "شبه جزيرة" is جزيرة)
        words = single or [max(r, key=len) for r in renderings if r]
        words += [f"{prefix}{w}" for w in words if len(w) in (3, 4) for prefix in IMPERFECT]
        found.setdefault(stem(english.strip().lower()), set()).update(s for s in map(stem, words) if s)
    return {english: frozenset(arabic) for english, arabic in found.items() if arabic}  # "today": اليوم is a function word
