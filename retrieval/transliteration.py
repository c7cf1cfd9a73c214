"""Match Latin-script names to their Arabic spellings by consonant skeleton.

English questions share no words with Arabic articles, but names and places survive
transliteration: "Patrushev" and "باتروشيف" both reduce to B-T-R-SH-F. Vowels are dropped and
letters that transliterate into each other share a class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from isnad.retrieval.arabic import normalise

_LATIN_DIGRAPHS = {"sh": "S", "ch": "S", "kh": "X", "gh": "G", "th": "T", "ph": "B", "zh": "G", "ts": "T"}
_LATIN_LETTERS = {
    "b": "B", "p": "B", "f": "B", "v": "B", "t": "T", "d": "D", "k": "K", "c": "K", "q": "K",
    "g": "G", "j": "G", "s": "s", "z": "Z", "x": "Ks", "r": "R", "l": "L", "m": "M", "n": "N", "h": "H",
}
_ARABIC_LETTERS = {
    "ب": "B", "ف": "B", "ت": "T", "ط": "T", "ث": "s", "د": "D", "ض": "D", "ذ": "Z", "ز": "Z",
    "ظ": "Z", "ك": "K", "ق": "K", "غ": "G", "ج": "G", "س": "s", "ص": "s", "ش": "S", "خ": "X",
    "ح": "H", "ه": "H", "ر": "R", "ل": "L", "م": "M", "ن": "N",
}
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")
_MIN_RATIO = 80  # rapidfuzz's ratio (the Indel similarity difflib's SequenceMatcher.ratio also gives), in %


def latin_skeleton(word: str) -> str:
    """Consonant classes of a Latin-script word."""
    word = word.lower()
    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _LATIN_DIGRAPHS:
            out.append(_LATIN_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LATIN_LETTERS.get(word[i], ""))
        i += 1
    return re.sub(r"(.)\1+", r"\1", "".join(out))


@lru_cache(maxsize=200_000)
def arabic_skeletons(word: str) -> frozenset[str]:
    """Consonant classes of an Arabic word, with and without common clitic prefixes."""
    word = normalise(word)
    forms = {word} | {word[len(p) :] for p in _ARABIC_PREFIXES if word.startswith(p) and len(word) > len(p) + 2}
    forms |= {f[:-1] for f in forms if f.endswith("ه")}  # feminine ending (ة, normalised)
    return frozenset(re.sub(r"(.)\1+", r"\1", "".join(_ARABIC_LETTERS.get(c, "") for c in f)) for f in forms)


def text_skeletons(words: list[str]) -> frozenset[str]:
    """All skeletons of a list of (Arabic) words."""
    return frozenset().union(*(arabic_skeletons(w) for w in words))


def matching_skeletons(target: str, skeletons: Iterable[str]) -> list[str]:
    """The skeletons that `target` matches: equal ones, or for longer names nearly equal ones
    (vowel-letter and spelling noise); one C-speed pass over many."""
    if len(target) < 2:
        return []
    if len(target) < 4:
        return [s for s in skeletons if s == target]
    candidates = [s for s in skeletons if abs(len(s) - len(target)) <= 1]
    return [s for s, _, _ in process.extract_iter(target, candidates, scorer=fuzz.ratio, score_cutoff=_MIN_RATIO)]


def skeleton_found(target: str, skeletons: frozenset[str]) -> bool:
    """Whether a Latin word's skeleton plausibly appears among the given Arabic word skeletons."""
    return target in skeletons or bool(matching_skeletons(target, skeletons))
