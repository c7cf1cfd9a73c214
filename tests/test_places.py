"""Country and language names from CLDR carry English questions into the articles' Arabic."""

from __future__ import annotations

import pytest

from isnad.retrieval.arabic import normalise, stem
from isnad.retrieval.dictionary import english_to_arabic
from isnad.retrieval.places import arabic_adjective, english_adjectives, english_to_arabic_places, same_place_stems


@pytest.mark.parametrize(
    ("name", "adjective"), [("الهند", "هندي"), ("سوريا", "سوري"), ("مصر", "مصري"), ("السعودية", "سعودي"), ("إيران", "إيراني")]
)
def test_the_arabic_adjective_of_a_country(name: str, adjective: str) -> None:
    assert arabic_adjective(name) == adjective


@pytest.mark.parametrize(("country", "adjective"), [("iran", "iranian"), ("syria", "syrian"), ("israel", "israeli"), ("china", "chinese"), ("germany", "german")])
def test_english_adjectives_of_a_country(country: str, adjective: str) -> None:
    assert adjective in set(english_adjectives(country))


def test_a_short_name_without_its_vowel_is_no_adjective() -> None:
    """"chin" and "cub" are words, not China's and Cuba's adjectives."""
    assert "chin" not in set(english_adjectives("china")) and "cub" not in set(english_adjectives("cuba"))


def test_countries_languages_and_adjectives_have_their_arabic_names() -> None:
    places = english_to_arabic_places()
    assert "الصين" in places["china"] and "الهند" in places["india"] and "مصر" in places["egypt"]
    assert "الألمانية" in places["german"] and "ألمانيا" in places["german"]  # the language and the country
    assert {"إيران", "إيراني"} <= places["iranian"]
    assert "slave" not in places and "crow" not in places  # languages with three-letter codes only


def test_a_country_name_is_never_another_countrys_adjective() -> None:
    """"mali" is Mali, not Mal-i of some other name; "oman" is Oman."""
    places = english_to_arabic_places()
    assert {normalise(a) for a in places["oman"]} == {"عمان", "عماني", "العماني"}
    assert {normalise(a) for a in places["mali"]} == {"مالي", "المالي"}


def test_the_dictionary_holds_the_places() -> None:
    dictionary = english_to_arabic()
    assert stem(normalise("الصين")) in dictionary[stem("china")]
    assert stem(normalise("الهند")) in dictionary[stem("india")]


def test_an_arabic_place_is_read_as_its_own_names_only() -> None:
    """تركيا is تركي and التركي too, never إيران; stems too short to be only a name ("او") are left out."""
    same = same_place_stems()
    turkey = same[stem(normalise("تركيا"))]
    assert stem(normalise("التركي")) in turkey and stem(normalise("إيران")) not in turkey
    assert all(len(s) >= 3 for forms in same.values() for s in forms)
