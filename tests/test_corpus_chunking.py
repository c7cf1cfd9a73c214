"""Cleaning (retrieval/corpus.py) and sentence/chunk splitting (retrieval/chunking.py).

The invariant everything else relies on: every line, sentence and chunk is `raw_text[start:end]`.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isnad.retrieval.chunking import MAX_SENTENCE_CHARS, make_chunks, split_sentences
from isnad.retrieval.corpus import content_lines, is_boilerplate
from tests.conftest import core_seed_texts

SEED_TEXTS = core_seed_texts()
CHUNK_CHARS = 450


def _content(raw: str) -> list[str]:
    return [raw[line.start : line.end] for line in content_lines(raw)]


@pytest.mark.parametrize(
    "furniture",
    [
        "زر الذهاب إلى الأعلى",
        "اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.",
        "اشترك الآن للاستمرار في القراءة والحصول على حق الوصول إلى الأرشيف الكامل.",
        "سيرجي عليموف | لحظة | صور جيتي",
        "فياتشيسلاف بروكوفييف | أ ف ب | صور جيتي",
        "Continue reading",
        "شارك القصة",
        "تابع القراءة",
    ],
)
def test_boilerplate_lines_are_not_content(furniture: str) -> None:
    raw = f"قال الكرملين إنه لا ينوي التخلي عن إيران.\n{furniture}\r\n  \u200f{furniture}  \nوزار باتروشيف طهران.\n"
    content = _content(raw)
    assert content == ["قال الكرملين إنه لا ينوي التخلي عن إيران.", "وزار باتروشيف طهران."]
    assert is_boilerplate(furniture)


def test_article_sentences_with_pipes_or_prompts_inside_are_kept() -> None:
    lines = [
        "وقال بيسكوف إن روسيا تحافظ على حوار مع جميع الأطراف، وإن التعاون سيستمر في المستقبل.",
        "قال المحلل إن روسيا | وإيران، تعمقان الشراكة العسكرية بينهما.",
        "Continue reading the statement, the minister told reporters on Tuesday.",
    ]
    assert _content("\n".join(lines)) == lines
    assert not any(is_boilerplate(line) for line in lines)


@pytest.mark.parametrize(
    "line",
    [
        # "اشترك" also means "took part": a news sentence, not a subscribe prompt.
        "اشترك الجيشان الروسي والإيراني في مناورات بحرية مشتركة في خليج عمان العام الماضي.",
        "Subscribers to the pipeline deal include Gazprom, the Russian state energy company.",
    ],
    ids=["ar-took-part", "en-subscribers"],
)
def test_news_sentences_starting_like_a_prompt_are_kept(line: str) -> None:
    """Regression, fixed in 91e98f6 (retrieval/corpus.py `_BOILERPLATE_LINE`: `اشترك\\ .*`, `subscribe.*`): any line that
    merely starts with these words is dropped as furniture, losing real article sentences."""
    assert _content(f"{line}\n") == [line]


@pytest.mark.parametrize("article_id", sorted(SEED_TEXTS))
def test_seed_furniture_is_excluded(article_id: str) -> None:
    raw = SEED_TEXTS[article_id]
    content = _content(raw)
    for furniture in ("زر الذهاب إلى الأعلى", "Continue reading", "شارك القصة", "تابع القراءة"):
        assert furniture not in content
    assert not any(line.startswith("اشترك ") for line in content)
    assert not any(" | " in line and len(line) < 60 for line in content)
    assert sum(len(line) for line in content) > 0.6 * len(raw.strip())


@pytest.mark.parametrize("article_id", sorted(SEED_TEXTS))
def test_seed_offsets_are_exact(article_id: str) -> None:
    raw = SEED_TEXTS[article_id]
    sentences = split_sentences(article_id, raw, content_lines(raw))
    chunks = make_chunks(sentences, raw, CHUNK_CHARS)
    assert len(sentences) >= 10 and chunks
    for span in (*sentences, *chunks):
        assert span.article_id == article_id
        assert 0 <= span.start < span.end <= len(raw)
        assert raw[span.start : span.end] == span.text
        assert span.text == span.text.strip()


@pytest.mark.parametrize("article_id", sorted(SEED_TEXTS))
def test_seed_sentences_are_ordered_and_disjoint(article_id: str) -> None:
    raw = SEED_TEXTS[article_id]
    sentences = split_sentences(article_id, raw, content_lines(raw))
    for before, after in pairwise(sentences):
        assert before.end <= after.start
    assert any(s.quotable for s in sentences)


def _check_chunks(sentences, chunks, max_chars: int) -> None:
    """Chunks cover every sentence in order, respect max_chars, overlap by exactly one sentence."""
    assert (not sentences) == (not chunks)
    covered = set()
    for chunk in chunks:
        inside = [s for s in sentences if s.start >= chunk.start and s.end <= chunk.end]
        assert inside, "a chunk holds at least one sentence"
        assert inside[0].start == chunk.start and inside[-1].end == chunk.end
        assert len(chunk.text) <= max_chars or len(inside) == 1
        covered.update(s.span_id for s in inside)
    assert covered == {s.span_id for s in sentences}
    for before, after in pairwise(chunks):
        shared = [s for s in sentences if before.start <= s.start and s.end <= before.end
                  and after.start <= s.start and s.end <= after.end]
        single = sum(before.start <= s.start and s.end <= before.end for s in sentences) == 1
        assert len(shared) == (0 if single else 1)
        assert after.start > before.start


@pytest.mark.parametrize("article_id", sorted(SEED_TEXTS))
@pytest.mark.parametrize("max_chars", [200, CHUNK_CHARS, 1000])
def test_seed_chunks_are_bounded_and_overlap_by_one_sentence(article_id: str, max_chars: int) -> None:
    raw = SEED_TEXTS[article_id]
    sentences = split_sentences(article_id, raw, content_lines(raw))
    chunks = make_chunks(sentences, raw, max_chars)
    _check_chunks(sentences, chunks, max_chars)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)


def test_long_sentence_is_split_at_clause_marks() -> None:
    clause = "وقال المسؤول إن التعاون بين البلدين يشمل مجالات عديدة"
    raw = "، ".join([clause] * 20) + "."
    sentences = split_sentences("a", raw, content_lines(raw))
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(raw[s.start : s.end] == s.text for s in sentences)


def test_one_huge_unbreakable_line_is_one_chunk() -> None:
    raw = "x" * 50_000
    sentences = split_sentences("a", raw, content_lines(raw))
    chunks = make_chunks(sentences, raw, CHUNK_CHARS)
    assert [(c.start, c.end) for c in chunks] == [(0, 50_000)]


def test_short_quotation_does_not_end_a_sentence() -> None:
    raw = "وقال بيسكوف: «نحن نعمل على تطوير التعاون. ونعتزم القيام بذلك» في مقابلة مع الشبكة."
    sentences = split_sentences("a", raw, content_lines(raw))
    assert [s.text for s in sentences] == [raw]


# -- property tests: arbitrary input never breaks offsets ------------------------------------

_AWKWARD = st.sampled_from(
    ["\u200f", "\u200e", "\u200d", "\u200c", "\u202b", "\u202c", "\u0651", "\u064e", "\u0301", "👨‍👩‍👧",
     "🇸🇦", "\r\n", "\r", "\n", "\n\n", "\u2028", "\u00a0", "\t", ". ", "؟ ", "، ", "«", "»", "“", "”",
     " | ", "زر الذهاب إلى الأعلى", "اشترك الآن", "Continue reading", "…", "!!", "\x00", "\ufeff"]
)
_WORDS = st.sampled_from(["روسيا", "إيران", "بوتين", "Putin", "Iran", "2024", "٢٠٢٤", "وقال", "x" * 400])
_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_AWKWARD, _WORDS, st.text(max_size=5)), max_size=120).map(" ".join),
    st.lists(st.one_of(_AWKWARD, _WORDS), max_size=200).map("".join),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, st.integers(min_value=1, max_value=900))
def test_arbitrary_text_keeps_offsets_valid(raw: str, max_chars: int) -> None:
    lines = content_lines(raw)
    for line in lines:
        text = raw[line.start : line.end]
        assert text and text == text.strip() and "\n" not in text
    sentences = split_sentences("doc", raw, lines)
    for s in sentences:
        assert 0 <= s.start < s.end <= len(raw)
        assert raw[s.start : s.end] == s.text
    for before, after in pairwise(sentences):
        assert before.end <= after.start
    chunks = make_chunks(sentences, raw, max_chars)
    for c in chunks:
        assert raw[c.start : c.end] == c.text
    _check_chunks(sentences, chunks, max_chars)


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet="ابتث ،.؟«»\u200f", min_size=1, max_size=300), st.integers(1000, 20_000))
def test_huge_lines_keep_offsets_valid(piece: str, repeat: int) -> None:
    raw = (piece * repeat)[:60_000]
    sentences = split_sentences("doc", raw, content_lines(raw))
    assert all(raw[s.start : s.end] == s.text for s in sentences)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS or " " not in s.text for s in sentences)


def test_a_photo_caption_is_marked_and_not_quotable() -> None:
    text = (
        "الرئيس الروسي فلاديمير بوتين (على اليمين) يصافح الرئيس الإيراني خلال اجتماعهما في عشق أباد.\n"
        "وقال الكرملين إن المحادثات تناولت التعاون الاقتصادي بين البلدين في مجالات عدة.\n"
    )
    caption, sentence = split_sentences("a", text, content_lines(text))
    assert (caption.caption, caption.quotable) == (True, False)
    assert (sentence.caption, sentence.quotable) == (False, True)


def test_the_line_above_a_photo_credit_is_its_caption() -> None:
    """A caption that names no picture ("منظر جوي لمعالم الكرملين…") is known by the credit under it;
    the paragraph above a byline is not a caption."""
    text = (
        "منظر جوي لمعالم الكرملين بموسكو: كاتدرائية القديس باسيل والكرملين وبرج سباسكايا والساحة الحمراء\n\n"
        "سيرجي عليموف | لحظة | صور جيتي\n\n"
        "وقال الكرملين إنه لا ينوي التخلي عن إيران في الوقت الذي تواجه فيه ضغوطا متزايدة من الغرب.\n\n"
        "موسكو - رويترز\n"
    )
    caption, sentence = split_sentences("a", text, content_lines(text))
    assert (caption.caption, caption.quotable) == (True, False)
    assert (sentence.caption, sentence.quotable) == (False, True)
