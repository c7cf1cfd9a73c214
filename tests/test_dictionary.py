"""The English -> Arabic dictionary and the dialect -> standard Arabic list (isnad.retrieval.dictionary)."""

from __future__ import annotations

from isnad.retrieval.arabic import is_function_word, normalise, readings, stem, stems, tokens
from isnad.retrieval.dictionary import (
    DIALECT_FILE,
    DICTIONARY_FILE,
    IRREGULAR_FILE,
    PHRASAL_FILE,
    common_arabic_stems,
    dialect_to_standard,
    english_to_arabic,
    phrasal_to_arabic,
)


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


def test_every_dialect_line_is_one_arabic_word_and_its_standard_renderings() -> None:
    """One word a line (a token, not a stop word: question words and particles are stop words instead)."""
    for line in DIALECT_FILE.read_text(encoding="utf-8").splitlines():
        word, tab, standard = line.partition("\t")
        assert tab and len(tokens(word)) == 1 and not is_function_word(normalise(word)), line
        assert all(r.strip() and not r.isascii() for r in standard.split("|")), line


def test_a_dialect_word_is_looked_up_normalised() -> None:
    dialect = dialect_to_standard()
    assert stem("هاتف") in dialect[normalise("تليفون")]
    assert stem("طائرة") in dialect[normalise("طيّارة")]  # vocalised as typed, ة folded as in the corpus


def test_an_irregular_past_form_is_rendered_as_its_verb() -> None:
    """No stemmer brings "sent" back to "send"; the irregular-verb list does."""
    dictionary = english_to_arabic()
    assert stem("sent") != stem("send") and dictionary[stem("sent")] >= dictionary[stem("send")]
    assert stem("كتب") in dictionary[stem("written")]
    assert all(len(line.split("\t")) == 2 and line.isascii() for line in IRREGULAR_FILE.read_text(encoding="utf-8").splitlines())


def test_every_phrasal_line_is_a_verb_and_particle_with_arabic_renderings() -> None:
    for line in PHRASAL_FILE.read_text(encoding="utf-8").splitlines():
        phrase, tab, arabic = line.partition("\t")
        assert tab and phrase.isascii() and len(phrase.split()) == 2 and phrase == phrase.lower(), line
        assert all(r.strip() and not r.isascii() for r in arabic.split("|")), line


def test_a_phrasal_verb_in_the_past_is_rendered_as_in_the_present() -> None:
    """"took part" is "take part" (شارك); "set up" is أنشأ، not "set"."""
    phrasal = phrasal_to_arabic()
    assert stems("شارك")[0] in phrasal[(stem("took"), "part")] == phrasal[(stem("take"), "part")]
    assert stems("أقام")[0] in phrasal[(stem("set"), "up")] and stems("أقام")[0] not in english_to_arabic().get(stem("set"), ())


def test_common_words_are_what_the_english_words_render() -> None:
    """What a name is not: "أمن" and "مصنع" render English words; a town's name renders none."""
    common = common_arabic_stems()
    assert {stem("أمن"), stem("مصنع")} <= common
    assert not readings("تتارستان") & common
