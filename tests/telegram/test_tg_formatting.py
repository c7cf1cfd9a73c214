"""isnad.bot.fronts.formatting: valid Telegram HTML, within 4096, quotes kept verbatim, mixed-direction text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tg_html import problems, visible_text

from isnad.bot.answer.types import Answer, Citation
from isnad.bot.fronts import bidi, formatting
from isnad.bot.fronts.replies import Quote, compose

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى،؟٠١٢٣"
MIXED = st.text(
    alphabet=st.sampled_from(list(ARABIC + "abcXYZ019 \n<>&\"'*_[]`«»\u200f\u200e\u202b\u2067\u2069") + ["😀"]),
    max_size=300,
)
QUOTE = MIXED.map(str.strip).filter(bool)


def citation(n: int, quote: str, title: str = "عنوان", publisher: str = "", date: str = "", url: str = "") -> Citation:
    return Citation(n, f"a{n}", title, publisher, date, url, quote, 0, len(quote))


def answer_with(text: str, citations: list[Citation], generator: str = "openai") -> Answer:
    return Answer("q", "ar", text, tuple(citations), answered=bool(citations), generator=generator)


def render_answer(answer: Answer, limit: int = formatting.MAX_MESSAGE) -> list[str]:
    return formatting.render_reply(compose(answer), limit)


def assert_valid(parts: list[str], limit: int = formatting.MAX_MESSAGE) -> None:
    assert parts
    for part in parts:
        assert formatting.size(part) <= limit
        assert problems(part) == [], (problems(part), part)


@given(text=MIXED, quotes=st.lists(QUOTE, min_size=1, max_size=4), title=MIXED, publisher=MIXED, url=st.sampled_from(["", "https://x.test/a?b=1&c=<2>", "javascript:alert(1)"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_rendered_answers_are_valid_html_and_keep_every_quote(text, quotes, title, publisher, url) -> None:
    cites = [citation(i + 1, q, title or "t", publisher, "2024-09-19", url) for i, q in enumerate(quotes)]
    parts = render_answer(answer_with(text or "x", cites))
    assert_valid(parts)
    shown = "".join(visible_text(p) for p in parts)
    for quote in quotes:
        assert quote in shown


@given(quote=QUOTE, repeat=st.integers(1, 60), limit=st.sampled_from([200, 1000, 4096]))
@settings(max_examples=60, deadline=None)
def test_oversized_quotes_are_split_into_valid_pieces_that_concatenate_to_the_quote(quote, repeat, limit) -> None:
    long_quote = (quote + " ") * repeat * 20
    parts = render_answer(answer_with("نص [1]", [citation(1, long_quote.strip())]), limit)
    assert_valid(parts, limit)
    assert long_quote.strip() in "".join(visible_text(p) for p in parts)


def test_blocks_are_packed_whole_and_only_oversized_ones_are_cut() -> None:
    blocks = [f"<b>{i}</b> " + "x" * 1500 for i in range(5)]
    parts = formatting.split_html(blocks)
    assert parts == [f"{blocks[0]}\n{blocks[1]}", f"{blocks[2]}\n{blocks[3]}", blocks[4]]
    big = "<blockquote><i>" + "كلمة " * 2000 + "</i></blockquote>"
    pieces = formatting.split_html(["intro", big, "tail"])
    assert pieces[0] == "intro"
    assert all(p.startswith("<blockquote><i>") for p in pieces[1:])
    assert pieces[-1].endswith("</i></blockquote>\ntail")
    assert_valid(pieces)
    assert "".join(visible_text(p) for p in pieces[1:]).removesuffix("\ntail") == visible_text(big)


def test_cuts_prefer_line_then_word_boundaries() -> None:
    text = ("a" * 30 + "\n") * 10
    pieces = formatting.split_html([text], limit=100)
    assert all(p.endswith("\n") for p in pieces[:-1])
    words = formatting.split_html(["word " * 100], limit=64)
    assert all(p.endswith(" ") for p in words[:-1])


def test_markup_alone_over_the_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        formatting.split_html([f'<a href="https://x.test/{"y" * 200}">z</a>'], limit=50)


def test_direction_marks_follow_each_lines_majority_script() -> None:
    html = formatting.text_html("/ask سؤالك عن المقالات\nUse /ask in groups\n123")
    lines = html.split("\n")
    assert lines[0].startswith(formatting.RLM)
    assert lines[1].startswith(formatting.LRM)
    assert lines[2] == "123"


def test_answer_html_escapes_text_bolds_markers_and_links_only_web_urls() -> None:
    cites = [citation(1, "<b>اقتباس</b> & *_[", "T & <i>", "P", "2024-09-19", "https://x.test/?a=1&b=2"),
             citation(2, "ثان", url="javascript:alert(1)")]
    parts = render_answer(answer_with("«<b>اقتباس</b> & *_[» [1]\nثان [2]", cites))
    assert len(parts) == 1
    assert_valid(parts)
    html = parts[0]
    assert "<b>[1]</b>" in html and "<b>[2]</b>" in html
    assert "&lt;b&gt;اقتباس&lt;/b&gt; &amp; *_[" in html
    assert '<a href="https://x.test/?a=1&amp;b=2">' in html
    assert "javascript" not in html
    assert html.count("<blockquote>") == 2


def test_extractive_answer_shows_each_quote_once_in_its_blockquote() -> None:
    quote = "هذا هو الاقتباس المطلوب من المقال."
    extractive = answer_with(f"مقدمة\n«{quote}» [1]", [citation(1, quote)], generator="extractive")
    html = "".join(render_answer(extractive))
    assert_valid([html])
    assert visible_text(html).count(quote) == 1 and html.count("<blockquote>") == 1


def test_passage_marks_the_quote_inside_a_wider_window() -> None:
    article = "بداية المقال. " * 200 + "هذا هو الاقتباس المطلوب." + " ونهاية المقال." * 200
    start = article.index("هذا هو")
    cite = Citation(1, "a", "عنوان", "ناشر", "", "", "هذا هو الاقتباس المطلوب.", start, start + 24)
    html = formatting.passage_html(article, [Quote(cite, cite.title)], "ar")
    assert_valid([html])
    assert "<b>هذا هو الاقتباس المطلوب.</b>" in html
    shown = visible_text(html)
    assert shown.count("بداية") > 5 and shown.count("نهاية") > 5
    assert "… " in shown and " …" in shown


def test_passage_of_a_huge_quote_still_fits() -> None:
    quote = "كلمة " * 3000
    cite = Citation(1, "a", "عنوان", "", "", "", quote, 0, len(quote))
    html = formatting.passage_html(quote + "بعد", [Quote(cite, "Title")], "en")
    assert_valid([html])


@pytest.mark.parametrize(
    ("line", "rtl", "expected"),
    [
        ("اكتب /ask ثم سؤالك", True, "\u200fاكتب \u2066/ask\u2069 ثم سؤالك"),
        ("اذكرني (@isnad_bot) هنا", True, "\u200fاذكرني (\u2066@isnad_bot\u2069) هنا"),
        ("/lang ar|en|auto — لغة ردودي", True, "\u200f\u2066/lang ar|en|auto\u2069 — لغة ردودي"),
        ("نهج (مترجم عن CNBC)", True, "\u200fنهج (مترجم عن \u2066CNBC\u2069)"),
        ("قال Putin [1] ذلك", True, "\u200fقال \u2066Putin\u2069 [1] ذلك"),
        ("Source: المستقلة (20 عاماً) [2]", False, "\u200eSource: \u2067المستقلة (20 عاماً)\u2069 [2]"),
        ("في 2023، أقامت", True, "\u200fفي 2023، أقامت"),
    ],
)
def test_runs_of_the_other_direction_are_isolated(line: str, rtl: bool, expected: str) -> None:
    assert bidi.bidi_line(line, rtl) == expected


def test_the_reply_language_sets_every_lines_direction() -> None:
    html = formatting.text_html("/lang ar|en|auto — لغة\nisnad ingest", "ar")
    assert all(line.startswith("\u200f") for line in html.split("\n"))
