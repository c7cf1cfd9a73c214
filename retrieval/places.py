"""Country, region and language names in English and Arabic, from the Unicode CLDR (via Babel).

The term map reads a country the corpus spells otherwise by the embedding model's nearest corpus
words, which for short names are often another country ("india" -> ايران, "china" -> ايران in the
seed articles), and a consonant skeleton cannot bridge "germany" and ألمانيا or "egypt" and مصر.
CLDR names every country and language in both languages; a language's Arabic name is also the
adjective of its people ("german" -> الألمانية), and the usual English adjectives of a country
("iranian", "syrian", "israeli", "chinese", "german") are read as the country; a country is read
as its name and its Arabic adjective, bare and with the article (إيران، إيراني، الإيراني: the
stemmer reads الأفريقي and أفريقي differently). Names of one word only; languages with a two-letter code only (the
three-letter ones include "Crow", "Slave" and "Creek", which questions use as English words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from babel import Locale

from isnad.retrieval.arabic import is_function_word, normalise, stem, without_accents

# English adjectives of a country from its name: Iran -> Iranian, Syria -> Syrian, Israel -> Israeli,
# China -> Chinese, Italy -> Italian, Germany -> German (the name without its final vowel or y, the
# last only from five letters: "chin", "cub" and "malt" are words).
_ADJECTIVE_ENDINGS = ("ian", "an", "n", "i", "ese")
_MIN_BARE_ADJECTIVE = 5
_FINAL_VOWEL = re.compile(r"[aeiouy]$")
_LEADING_ARTICLE = re.compile(r"^ال")
_FINAL_ALEF_OR_TA = re.compile(r"[اةى]$")
_MIN_PLACE_STEM = 3  # shorter stems of names ("اس", "او") are other words' too


def _one_word(name: str) -> str | None:
    """A CLDR name as one lowercase word without accents ("Türkiye" -> turkiye), or None."""
    word = without_accents(name).lower()
    return word if word.isalpha() else None


def arabic_adjective(name: str) -> str:
    """The adjective (nisba) of an Arabic country name: الهند -> هندي, سوريا -> سوري, مصر -> مصري."""
    bare = _FINAL_ALEF_OR_TA.sub("", _LEADING_ARTICLE.sub("", name))
    return bare if bare.endswith("ي") else bare + "ي"


def english_adjectives(name: str) -> Iterator[str]:
    """Spellings an English adjective of the country may take (most are no word and are never asked)."""
    bare = _FINAL_VOWEL.sub("", name)
    if bare != name and len(bare) >= _MIN_BARE_ADJECTIVE:
        yield bare
    for base in dict.fromkeys((name, bare)):
        for ending in _ADJECTIVE_ENDINGS:
            yield base + ending


@lru_cache(maxsize=1)
def english_to_arabic_places() -> dict[str, frozenset[str]]:
    """English one-word country, region and language names, and country adjectives, -> Arabic words."""
    english, arabic = Locale("en"), Locale("ar")
    countries: dict[str, set[str]] = {}
    found: dict[str, set[str]] = {}  # languages and adjectives
    for code, name in english.territories.items():
        if (word := _one_word(name)) and (rendering := arabic.territories.get(code)):
            forms = (rendering, arabic_adjective(rendering), "ال" + arabic_adjective(rendering))
            countries.setdefault(word, set()).update(forms)
            for adjective in english_adjectives(word):
                found.setdefault(adjective, set()).update(forms)
    for code, name in english.languages.items():
        if len(code) == 2 and (word := _one_word(name)) and (rendering := arabic.languages.get(code)):
            found.setdefault(word, set()).add(rendering)
    found = {word: renderings for word, renderings in found.items() if word not in countries}  # a name is no adjective
    return {word: frozenset(renderings) for word, renderings in (countries | found).items()}


@lru_cache(maxsize=1)
def same_place_stems() -> dict[str, frozenset[str]]:
    """Stems of the one-word Arabic renderings above, each with the stems of the same place's other
    renderings ("تركيا" -> تركي، التركي): a place is read as its own names, never as another word."""
    same: dict[str, set[str]] = {}
    for renderings in english_to_arabic_places().values():
        stems = {s for r in renderings if " " not in r and len(s := stem(normalise(r))) >= _MIN_PLACE_STEM and not is_function_word(s)}
        for found in stems:
            same.setdefault(found, set()).update(stems)
    return {s: frozenset(forms) for s, forms in same.items()}
