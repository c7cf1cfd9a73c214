"""Arabic normalisation, stemming and language detection (retrieval/arabic.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isnad.retrieval.arabic import (
    consonant_keys,
    detect_language,
    inflection_cores,
    normalise,
    other_inflections,
    readings,
    stems,
    stopwords,
    tokens,
    verb_readings,
    without_pronoun,
)


@pytest.mark.parametrize(
    ("variant", "folded"),
    [
        ("أحمد", "احمد"),
        ("إيران", "ايران"),
        ("آسيا", "اسيا"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("مدرسة", "مدرسه"),
        ("عَرَبِيٌّ", "عربي"),
        ("مسيّرة", "مسيره"),
        ("كـــبـير", "كبير"),
        ("٢٠٢٤", "2024"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("Putin", "putin"),
        ("Temüjin Börte Pezeshkián", "temujin borte pezeshkian"),
    ],
)
def test_normalise_folds_spelling_variants(variant: str, folded: str) -> None:
    assert normalise(variant) == folded


def test_normalise_makes_variant_spellings_equal() -> None:
    assert normalise("إِبْرَاهِيمُ رئيسي") == normalise("ابراهيم رئيسى")
    assert normalise("الطائرات المسيّرة") == normalise("الطاىرات المسيره")


def test_tokens_split_on_punctuation_and_keep_digits() -> None:
    assert tokens("قال بوتين، في ٢٠٢٤: «نعم»!") == ["قال", "بوتين", "في", "2024", "نعم"]


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # Written without hamzas and with ه for ة, as people type; the article spells it properly.
        ("اقرت ايران بتزويد روسيا بطائرات مسيره", "أقرّت إيران بتزويد روسيا بطائرات مسيّرة"),
        ("مجموعه بريكس في الاصل", "مجموعة بريكس في الأصل"),
        ("الرئيس الايراني ابراهيم رئيسى", "الرئيس الإيراني إبراهيم رئيسي"),
        ("الشراكه الاستراتيجيه", "الشراكة الاستراتيجية"),
    ],
    ids=["hamza-and-shadda", "ta-marbuta", "alef-maqsura", "ta-marbuta-2"],
)
def test_stems_of_unhamzated_question_match_article_spelling(question: str, article: str) -> None:
    assert stems(question) == stems(article)


def test_stems_drop_stopwords_keeps_content_words() -> None:
    kept = stems("ما هي الدول التي كانت تتكون منها مجموعة بريكس", drop_stopwords=True)
    assert stems("الدول")[0] in kept
    assert stems("التي")[0] not in kept
    assert len(kept) < len(stems("ما هي الدول التي كانت تتكون منها مجموعة بريكس"))


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("ما اسم المدينة التي يتم فيها تصنيع الطائرات؟", ["المدينة", "تصنيع", "الطائرات"]),
        ("ما نوع الصواريخ التي لديها؟", ["الصواريخ"]),
        ("What type of aircraft is the plant called?", ["aircraft", "plant"]),
    ],
)
def test_words_that_frame_the_question_are_not_its_topic(question: str, topic: list[str]) -> None:
    """"ما اسم", "ما نوع", "what type", "called" and light verbs (يتم، لديها) say what kind of answer is
    asked; the answer sentence names the thing without them."""
    assert stems(question, drop_stopwords=True) == [s for word in topic for s in stems(word)]


@pytest.mark.parametrize(
    ("word", "bare"),
    [
        ("لروسيا", "روسيا"), ("بطهران", "طهران"), ("وكموسكو", "موسكو"), ("الحليفتان", "حليفة"), ("قلقتين", "قلقة"),
        ("بعملتي", "العملة"),  # a dual before its noun drops its ن: "بعملتي البلدين", in the two countries' currencies
    ],
)
def test_a_word_is_also_read_without_a_preposition_or_dual_ending(word: str, bare: str) -> None:
    """Snowball leaves a one-letter preposition and a feminine dual ending on; the word also reads
    as the stem of the word without them, so "allies" (حليف) finds "الحليفتان" and "currency" (عملة)
    "بعملتي البلدين"."""
    assert stems(bare)[0] in readings(normalise(word))
    assert stems(word)[0] in readings(normalise(word))


@pytest.mark.parametrize(("noun", "verb"), [("بتزويد", "زودت"), ("التوقيع", "وقع"), ("للتدريب", "دربت")])
def test_a_verbal_noun_is_also_read_as_its_verb(noun: str, verb: str) -> None:
    """"عطت روسيا درونز" (gave, read as زودت) finds "بتزويد روسيا بطائرات" (by supplying)."""
    assert stems(verb)[0] in readings(normalise(noun))


@pytest.mark.parametrize(("noun", "verb"), [("للفوز", "فاز"), ("فوزه", "فاز"), ("البيع", "باع")])
def test_a_hollow_verbs_noun_is_also_read_as_the_verb(noun: str, verb: str) -> None:
    """"امتى فاز بالرئاسة" (when did he win) finds "منذ فوزه بالرئاسة" (since his win): the noun's
    middle و or ي reads as the verb's ا."""
    assert stems(verb)[0] in readings(normalise(noun))
    assert "فاز" not in readings(normalise("فوائد"))  # only a three-letter stem


@pytest.mark.parametrize(("possessed", "noun"), [("مدتها", "مدة"), ("قوتها", "قوة"), ("سنته", "سنة")])
def test_a_short_feminine_noun_before_a_pronoun_is_also_read_as_the_noun(possessed: str, noun: str) -> None:
    """"ما مدة الشراكة" (how long is the partnership) finds "شراكة مدتها 20 عاما": the ة written ت
    before a pronoun, which the stemmer leaves on a short word."""
    assert stems(noun)[0] in readings(normalise(possessed))


@pytest.mark.parametrize(("word", "host"), [("لديهما", "لدي"), ("ضدها", "ضد"), ("زيارته", "زيارت")])
def test_a_word_is_read_without_the_pronoun_it_ends_in(word: str, host: str) -> None:
    assert host in without_pronoun(normalise(word))
    assert not without_pronoun(normalise("له"))  # nothing is left of a word that is only a pronoun's host


@pytest.mark.parametrize(("imperfect", "perfect"), [("يتضمن", "تضمنت"), ("ويعمل", "عمل"), ("يعتزم", "اعتزم"), ("يستخدم", "استخدمت")])
def test_an_imperfect_verb_is_also_read_without_its_prefix(imperfect: str, perfect: str) -> None:
    """"هل تضمنت المعاهدة…" (did the treaty include) finds "لم يتضمن بندا" (it did not include)."""
    assert readings(normalise(imperfect)) & readings(normalise(perfect))
    assert not readings(normalise("تضمن")) & readings(normalise("ضمن"))  # only ي: not ت, which makes another verb


@pytest.mark.parametrize(("bare", "possessed"), [("وكلاء", "وكلاؤها"), ("الأعضاء", "أعضائها"), ("العلماء", "علماؤهم")])
def test_a_noun_ending_in_hamza_is_found_before_a_pronoun(bare: str, possessed: str) -> None:
    """"Iran's proxies" (وكلاء إيران) finds "وكلاؤها": before a pronoun the hamza sits on و or ي, which
    the stemmer takes off with the pronoun."""
    assert readings(normalise(bare)) & readings(normalise(possessed))
    assert not readings(normalise("وكلاء")) & readings(normalise("وكل"))  # the word itself keeps its last letters


def _found_by(question_word: str, sentence_word: str) -> bool:
    """Whether a question's word counts as an article's, as the question reads it."""
    asked = normalise(question_word)
    return bool((readings(asked) | other_inflections(asked)) & readings(normalise(sentence_word)))


@pytest.mark.parametrize(
    ("one", "other"),
    [("طائرات", "الطائرة"), ("اتفاقيات", "اتفاقية"), ("عقوبات", "العقوبة"), ("أدت", "أدّى"), ("أعلنت", "أعلن"), ("جرت", "جرى")],
)
def test_a_question_word_finds_its_other_number_and_gender(one: str, other: str) -> None:
    """"من أدى النشيد" (who performed the anthem) finds "أدّت … النشيد" (she performed it), and
    "drone" (طائرة) "بطائرات بدون طيار": Snowball stems them apart. Either may be the question's."""
    assert _found_by(one, other) and _found_by(other, one)
    assert not readings(normalise(one)) & readings(normalise(other))  # the sentence's own readings stay as they were


def test_a_word_with_the_article_takes_no_feminine_verb_ending() -> None:
    """"الاس" (the letter S in "الاس 300") is no verb: read as "الاست" it would pass for a corpus word."""
    assert other_inflections(normalise("الاس")) == frozenset()
    assert other_inflections(normalise("للاس")) == frozenset()  # ل + الاس


@pytest.mark.parametrize(("imperfect", "verb"), [("وتقول", "قال"), ("نتوقع", "توقع"), ("يناوران", "ناور"), ("تعتبر", "اعتبر")])
def test_an_imperfect_verb_reads_without_its_person_prefix_and_subject(imperfect: str, verb: str) -> None:
    """The name check asks whether a word is a common verb: "وتقول" is قال, not a name."""
    assert verb_readings(normalise(imperfect)) & readings(normalise(verb))
    assert verb_readings(normalise("روسيا")) == frozenset()  # no person prefix: no verb reading


def test_a_name_spelled_with_other_long_vowels_shares_its_consonant_key() -> None:
    """Articles write بيزشكيان and بيزيشكيان, a chat user بزشكيان; short words keep apart (قال، قيل)."""
    spellings = [consonant_keys(normalise(w)) for w in ("بزشكيان", "بيزشكيان", "بيزيشكيان", "وبيزيشكيان")]
    assert frozenset.intersection(*spellings)
    assert not consonant_keys(normalise("قال")) and not consonant_keys("Pezeshkian")
    assert not consonant_keys(normalise("مكتبة")) & consonant_keys(normalise("كتاب"))


def test_prepositions_with_a_pronoun_and_dialect_pronouns_are_function_words() -> None:
    """"عم يحكي عنها" (about it), "عليهم" (on them), "هوما" (they, Maghrebi), "سوت" (did, Gulf), "طب" (so,
    Egyptian), "بدالها" (instead of it) carry no topic."""
    kept = stems("شو المجالات اللي عم يحكي عنها بوتين، شنو هوما الجماعات اللي كيقولو عليهم وكلاء، ايش سوت ايران، طب هيروح فين بدالها", drop_stopwords=True)
    assert not {normalise(w) for w in ("عنها", "عليهم", "هوما", "سوت", "طب", "بدالها")} & {normalise(w) for w in tokens(" ".join(kept))}
    assert {stems("المجالات")[0], stems("الجماعات")[0]} <= set(kept)


def test_news_nouns_are_not_stop_words() -> None:
    """stopwordsiso's Arabic list holds nouns news is about; a question about a ceasefire or a visit keeps them."""
    kept = stems("هل دعت روسيا الى وقف اطلاق النار خلال الزيارة", drop_stopwords=True)
    assert {stems("وقف")[0], stems("الزيارة")[0]} <= set(kept)
    assert normalise("لقاء") not in stopwords()


@pytest.mark.parametrize(
    ("word", "core"),
    [
        ("وقعوها", "يوقع"), ("بتضرب", "ضرب"), ("بيتهم", "يتهم"), ("عملو", "عمل"), ("وصلوا", "وصل"), ("هيبيعوها", "بيع"),
        ("مضوا", "مضي"), ("هتسيبها", "سيب"),
    ],
)
def test_a_word_is_read_without_its_verb_affixes(word: str, core: str) -> None:
    """Conjunction, dialect aspect prefix, subject and object suffixes come off; a three-letter core
    also reads as its imperfect (the articles write يوقع where the question has وقّعوها)."""
    assert core in inflection_cores(normalise(word))


def test_a_bare_word_has_no_shorter_reading() -> None:
    """Nor is a noun read as a verb: the س of سكان is no future prefix (كان would be a function word)."""
    assert inflection_cores("من") == frozenset() and "روسيا" not in inflection_cores("روسيا")
    assert "كان" not in inflection_cores("سكان")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("من هو نظير نيكولاي باتروشيف الإيراني؟", "ar"),
        ("Who met Patrushev in Tehran?", "en"),
        ("ما هي مجموعة BRICS؟", "ar"),
        ("What does «روسيا» mean in the article about Russia and Iran?", "en"),
        ("12345 ?!", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_never_raises_and_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" ـ\u200f\u200d")))
def test_normalise_idempotent_on_arabic_block(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "ـ" not in once and "ة" not in once and "ى" not in once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_stems_and_detect_language_never_raise(text: str) -> None:
    assert all(stems(text))
    assert detect_language(text) in ("ar", "en")
