"""Numbers an English question writes otherwise than the Arabic text (retrieval/numerals.py)."""

from __future__ import annotations

import pytest

from isnad.retrieval.arabic import normalise, stem
from isnad.retrieval.numerals import number_readings


@pytest.mark.parametrize(
    ("question", "word", "number"),
    [("Who won Super Bowl XLIX?", "xlix", "49"), ("the XXXIII edition", "xxxiii", "33"), ("Louis XIV", "xiv", "14"), ("in MCMLXXXIV", "mcmlxxxiv", "1984")],
)
def test_a_roman_numeral_is_the_number_it_writes(question: str, word: str, number: str) -> None:
    assert number_readings(question) == {word: number}


@pytest.mark.parametrize("question", ["Washington DC", "a CD of MM and CM", "I did mix it", "civil war", "Did they mix?"])
def test_abbreviations_and_words_are_no_numerals(question: str) -> None:
    """Two capitals of C, D, M abbreviate something; lowercase words are words."""
    assert number_readings(question) == {}


@pytest.mark.parametrize(("question", "year", "decade"), [("a play of the 1970's", "1970", "السبعينيات"), ("in the 1980s", "1980", "الثمانينيات")])
def test_a_decade_is_also_its_arabic_word(question: str, year: str, decade: str) -> None:
    assert number_readings(question) == {year: stem(normalise(decade))}
