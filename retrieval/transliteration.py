"""Match Latin-script names to their Arabic spellings by consonant skeleton.

English questions share no words with Arabic articles, but names and places survive
transliteration: "Patrushev" and "باتروشيف" both reduce to B-T-R-SH-F. Vowels are dropped and
letters that transliterate into each other share a class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import product

from rapidfuzz import fuzz, process

from isnad.retrieval.arabic import is_function_word, normalise, without_proclitic

_LATIN_DIGRAPHS = {"sh": "S", "ch": "S", "kh": "X", "gh": "G", "th": "T", "ph": "B", "zh": "G", "ts": "T"}
_LATIN_LETTERS = {
    "b": "B", "p": "B", "f": "B", "v": "B", "t": "T", "d": "D", "k": "K", "c": "K", "q": "K",
    "g": "G", "j": "G", "s": "s", "z": "Z", "x": "Ks", "r": "R", "l": "L", "m": "M", "n": "N", "h": "H",
}
_ARABIC_LETTERS = {
    "ب": "B", "ف": "B", "ت": "T", "ط": "T", "ث": "T", "د": "D", "ض": "D", "ذ": "Z", "ز": "Z",
    "ظ": "Z", "ك": "K", "ق": "K", "غ": "G", "ج": "G", "س": "s", "ص": "s", "ش": "S", "خ": "X",
    "ح": "H", "ه": "H", "ر": "R", "ل": "L", "م": "M", "ن": "N",
}
# ث is English "th" (لوثر, Luther) or, in names from Turkish and Persian, "s" (عثمان, Osman): both.
_ARABIC_VARIANTS = {"ث": "s"}
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")
_SOFT_C = re.compile(r"c(?=[eiy])")  # "France", "Cyprus": s
_TURKISH_C = re.compile(r"c(?!h)")  # Turkish c is English j: "Ozcelik" is أوزجيليك, "Ocalan" أوجلان
_MIN_RATIO = 80  # rapidfuzz's ratio (the Indel similarity difflib's SequenceMatcher.ratio also gives), in %


def latin_skeleton(word: str) -> str:
    """Consonant classes of a Latin-script word, read as English spells."""
    return _skeleton(_SOFT_C.sub("s", word.lower()))


def latin_readings(word: str) -> tuple[str, ...]:
    """The word's skeletons: as English spells (first) and, for a c, as Turkish does."""
    english = latin_skeleton(word)
    turkish = _skeleton(_TURKISH_C.sub("j", word.lower()))
    return (english,) if turkish == english else (english, turkish)


def _skeleton(word: str) -> str:
    """Consonant classes of a lowercase Latin word whose c has been read."""
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
    tables = (_ARABIC_LETTERS, _ARABIC_LETTERS | _ARABIC_VARIANTS) if "ث" in word else (_ARABIC_LETTERS,)
    return frozenset(re.sub(r"(.)\1+", r"\1", "".join(t.get(c, "") for c in f)) for f in forms for t in tables)


def text_skeletons(words: list[str]) -> frozenset[str]:
    """All skeletons of normalised (Arabic) words, as `arabic.tokens` gives them, but function words,
    which no name is (ذلك is not a Latin name's Z-L-K)."""
    return frozenset().union(*(arabic_skeletons(w) for w in words if not is_function_word(w)))


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


# Latin letters as Arabic spells them out ("أيه بي سي" is ABC, "سي إن إن" CNN), normalised.
_LETTER_NAMES = {
    "اي": "aei", "ايه": "a", "بي": "bp", "سي": "c", "دي": "d", "اف": "f", "جي": "g", "اتش": "h", "اش": "h",
    "ايتش": "h", "جاي": "j", "جيه": "j", "كي": "k", "كاي": "k", "ال": "l", "ام": "m", "ان": "n", "او": "o",
    "كيو": "q", "ار": "r", "اس": "s", "تي": "t", "يو": "u", "في": "v", "دبليو": "w", "اكس": "x", "واي": "y",
    "زد": "z", "زي": "z",
}


def model_letter(word: str, following: str) -> str | None:
    """The Latin letter an Arabic letter name (normalised, with or without ال) spells before a model
    number: "الاس 300" is the S-300; None otherwise, or when the name spells more than one letter."""
    letters = _LETTER_NAMES.get(word.removeprefix("ال"), "")
    return letters if len(letters) == 1 and following.isdigit() else None


# Letter names that are also common words (which, in, that, or, the, or): a run of them alone is prose.
_WORDLIKE_LETTERS = frozenset({"اي", "في", "ان", "او", "ال", "ام", "دي"})
_MAX_ACRONYM = 5


def _letter_name(word: str, opens_run: bool) -> str | None:
    """The letter name a word is, or, opening a run, behind one proclitic ("لسي إن بي سي": to CNBC)."""
    if word in _LETTER_NAMES:
        return word
    bare = without_proclitic(word)
    if opens_run and bare != word and bare in _LETTER_NAMES and bare not in _WORDLIKE_LETTERS and not is_function_word(word):
        return bare
    return None


def acronym_runs(words: list[str]) -> list[tuple[int, int, frozenset[str]]]:
    """Runs of normalised Arabic words that spell out a Latin acronym letter by letter: (the first
    word's index, the index past the last, the acronym's possible spellings); "أيه بي سي" -> abc."""
    runs = []
    start = 0
    run: list[str] = []
    for i, word in enumerate([*words, ""]):
        name = _letter_name(word, opens_run=not run)
        if name and len(run) < _MAX_ACRONYM:
            if not run:
                start = i
            run.append(name)
            continue
        if len(run) >= 2 and any(w not in _WORDLIKE_LETTERS for w in run):
            runs.append((start, start + len(run), frozenset("".join(letters) for letters in product(*(_LETTER_NAMES[w] for w in run)))))
        name = _letter_name(word, opens_run=True)
        start, run = i, [name] if name else []
    return runs


def spelled_acronyms(words: list[str]) -> frozenset[str]:
    """Latin acronyms spelled out letter by letter in normalised Arabic words: "أيه بي سي" -> abc."""
    return frozenset().union(*(spellings for _, _, spellings in acronym_runs(words)))
