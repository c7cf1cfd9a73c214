"""Numbers an English question writes otherwise than an Arabic text: Roman numerals ("Super Bowl
XXXIII" is سوبر بول 33) and decades ("the 1970s" are السبعينيات)."""

from __future__ import annotations

import re

from isnad.retrieval.arabic import normalise, stem

# Written in capitals, as names and titles write them ("Super Bowl XLIX", "World War II"); two letters
# only of I, V, X, L, so that "DC", "CM" or "MM" stay what they abbreviate.
_ROMAN = re.compile(r"\b(?=[IVXLCDM]{3,}\b|[IVXL]{2}\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_DECADE = re.compile(r"\b(?:1\d|20)([2-9])0\s?['’]?s\b")
# A decade's tens digit and the Arabic word its decade is named by (السبعينيات, normalised spelling).
DECADE_TENS = {"2": "عشرين", "3": "ثلاثين", "4": "اربعين", "5": "خمسين", "6": "ستين", "7": "سبعين", "8": "ثمانين", "9": "تسعين"}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def number_readings(text: str) -> dict[str, str]:
    """A question's Roman numerals and decades, as the lowercase word a tokenizer finds ("xxxiii",
    "1970"), with the stem an Arabic text writes them as ("33", the stem of سبعينيات)."""
    found = {m[0].lower(): str(_roman_value(m[0])) for m in _ROMAN.finditer(text) if m[0]}
    for match in _DECADE.finditer(text):
        found[match[0][:4]] = stem(normalise(DECADE_TENS[match[1]] + "يات"))
    return found
