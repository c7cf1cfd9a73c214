"""The English -> Arabic dictionary of common words (isnad.retrieval.dictionary)."""

from __future__ import annotations

from isnad.retrieval.arabic import stem, stems
from isnad.retrieval.dictionary import DICTIONARY_FILE, english_to_arabic


def test_every_line_is_a_word_and_its_arabic_renderings() -> None:
    lines = DICTIONARY_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1500
    for line in lines:
        english, tab, arabic = line.partition("\t")
        assert tab and english.isascii() and english == english.lower(), line
        assert all(r.strip() and not r.isascii() for r in arabic.split("|")), line


def test_renderings_are_stems_of_content_words() -> None:
    dictionary = english_to_arabic()
    assert set(stems("وقع التوقيع")) <= dictionary[stem("signed")]
    assert stem("يوقع") in dictionary[stem("sign")]  # the present tense of a listed verb
    assert all(arabic for arabic in dictionary.values())
    assert stem("بين") not in dictionary[stem("show")]  # بيّن, written like the function word "between"


def test_a_phrase_counts_only_where_no_single_word_renders_it() -> None:
    """November is نوفمبر or تشرين الثاني: never "the second" (الثاني)."""
    november = english_to_arabic()[stem("november")]
    assert stem("نوفمبر") in november and stem("الثاني") not in november
    assert stem("جزيرة") in english_to_arabic()[stem("peninsula")]  # شبه جزيرة, the phrase alone: its longest word
