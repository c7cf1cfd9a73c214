"""Latin-script names found in Arabic text by consonant skeleton."""

from __future__ import annotations

import pytest

from isnad.retrieval.arabic import tokens
from isnad.retrieval.transliteration import latin_skeleton, skeleton_found, text_skeletons

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
