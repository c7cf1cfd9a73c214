"""Latin-script names found in Arabic text by consonant skeleton."""

from __future__ import annotations

import pytest

from isnad.retrieval.arabic import tokens
from isnad.retrieval.transliteration import (
    latin_readings,
    latin_skeleton,
    model_letter,
    skeleton_found,
    spelled_acronyms,
    text_skeletons,
)

TEXT = "زار باتروشيف طهران والتقى بيزيشكيان في الكرملين بموسكو، وأقامت روسيا مصنعاً في تتارستان قرب أذربيجان"


@pytest.mark.parametrize("name", ["Patrushev", "Tehran", "Pezeshkian", "Kremlin", "Moscow", "Tatarstan", "Azerbaijan"])
def test_names_are_found_across_scripts(name: str) -> None:
    assert skeleton_found(latin_skeleton(name), text_skeletons(tokens(TEXT)))


@pytest.mark.parametrize("name", ["China", "Washington", "Beijing", "Weather", "Ignore"])
def test_absent_names_are_not_found(name: str) -> None:
    assert not skeleton_found(latin_skeleton(name), text_skeletons(tokens(TEXT)))


def test_digraphs_and_vowels() -> None:
    assert latin_skeleton("Shamkhani") == "SMXN"
    assert latin_skeleton("Aviv") == "B"


@pytest.mark.parametrize(("name", "arabic"), [("Luther", "لوثر"), ("Osman", "عثمان"), ("France", "فرنسا"), ("Vincent", "فنسنت")])
def test_th_and_soft_c_match_their_arabic_letters(name: str, arabic: str) -> None:
    """ث is English "th" or Turkish/Persian "s"; c before e, i, y is an s."""
    assert skeleton_found(latin_skeleton(name), text_skeletons(tokens(arabic)))


@pytest.mark.parametrize(("name", "arabic"), [("Ozcelik", "أوزجيليك"), ("Ocalan", "أوجلان")])
def test_a_c_is_also_read_as_turkish_spells_it(name: str, arabic: str) -> None:
    """Turkish c is English j (ج): the English reading comes first, the Turkish one is offered."""
    english, turkish = latin_readings(name)
    assert english == latin_skeleton(name)
    assert skeleton_found(turkish, text_skeletons(tokens(arabic)))
    assert not skeleton_found(english, text_skeletons(tokens(arabic)))


def test_a_function_word_is_no_name() -> None:
    """ذلك (that) has the skeleton Z-L-K, one consonant short of Ozcelik's: no name is a function word."""
    assert not skeleton_found(latin_readings("Ozcelik")[1], text_skeletons(tokens("وقال ذلك في بيان")))
    assert skeleton_found(latin_skeleton("Putin"), text_skeletons(tokens("وقال ذلك بوتين في بيان")))


@pytest.mark.parametrize(
    ("text", "acronym"),
    [("أطلقت شبكة أيه بي سي حملة", "abc"), ("قالت قناة سي إن بي سي", "cnbc"), ("بحسب سي إن إن", "cnn"), ("قال لسي ان بي سي", "cnbc")],
)
def test_acronyms_spelled_out_in_arabic_letters_are_found(text: str, acronym: str) -> None:
    assert acronym in spelled_acronyms(tokens(text))


def test_prose_made_of_words_that_are_also_letter_names_spells_nothing() -> None:
    """في (in), أن (that), أو (or) are also the names of v, n, o: a run of only them is prose."""
    assert spelled_acronyms(tokens("في أن أو في أي وقت")) == frozenset()
    assert spelled_acronyms(tokens("لكي أن يكون")) == frozenset()  # لكي (so that) is no ل + كي (k)


@pytest.mark.parametrize(
    ("word", "following", "letter"),
    [("الاس", "300", "s"), ("اس", "400", "s"), ("اف", "16", "f"), ("اس", "صواريخ", None), ("بي", "52", None), ("الدفاع", "300", None)],
)
def test_a_letter_name_before_a_number_spells_a_model(word: str, following: str, letter: str | None) -> None:
    """"الاس 300" is the S-300; a name that spells two letters (بي: b or p) or stands before a word spells none."""
    assert model_letter(word, following) == letter
