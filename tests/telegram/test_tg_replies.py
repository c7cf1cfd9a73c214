"""Replies for every answer status, in the reader's language, as Telegram HTML and as terminal
text (hand-built Answers: the renderers do not depend on how the pipeline decided)."""

from __future__ import annotations

import pytest
from tg_html import problems, unisolated, visible_text

from isnad.bot.answer import messages
from isnad.bot.answer.types import Answer, Citation
from isnad.bot.fronts.formatting import render_reply
from isnad.bot.fronts.rendering import answer_text
from isnad.bot.fronts.replies import compose
from isnad.bot.fronts.telegram_buttons import button_label

QUOTE = "وقّع الرئيسان بوتين وبيزيشكيان معاهدة الشراكة الاستراتيجية الشاملة لمدة 20 عاماً."
CITATION = Citation(1, "003_c4a9f35214ecb214", "بوتين وبيزيشكيان يوقعان شراكة", "المستقلة", "2025-01-17", "", QUOTE, 10, 10 + len(QUOTE))
ENGLISH = {"003_c4a9f35214ecb214": "Putin and Pezeshkian sign a partnership"}.get


def answer(status: str, language: str = "ar", text: str = "", citations: tuple[Citation, ...] = ()) -> Answer:
    return Answer("q", language, text, citations, status == "answered", status=status)


def html_and_terminal(answer_: Answer, language: str | None, **options) -> tuple[str, str]:  # noqa: ANN003
    parts = render_reply(compose(answer_, language, **options))
    for part in parts:
        assert problems(part) == [] and unisolated(part, (QUOTE,)) == [], part
    return "\n".join(visible_text(p) for p in parts), answer_text(answer_, language, **options)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_related_passages_are_labelled_as_not_an_answer(language: str) -> None:
    related = answer("related", "ar", "ignored", (CITATION,))
    html, terminal = html_and_terminal(related, language)
    for shown in (html, terminal):
        assert messages.text("related_intro", language) in shown and QUOTE in shown
        assert messages.text("extractive_intro", language) not in shown
    assert html.index(messages.text("related_intro", language)) < html.index(QUOTE)


def test_not_found_keeps_the_pipelines_text_in_its_language_and_says_it_in_another() -> None:
    text = "لا تذكر المصادر ذلك.\nتغطي المقالات: العلاقات الروسية الإيرانية."
    declined = answer("not_found", "ar", text)
    same, terminal = html_and_terminal(declined, "ar")
    assert same.replace("\u200f", "") == text and terminal == text
    other, terminal = html_and_terminal(declined, "en")
    expected = f"{messages.text('not_found', 'en')}\n{messages.text('sources_hint', 'en')}"
    assert other.replace("\u200e", "").replace("\u2066", "").replace("\u2069", "") == expected and terminal == expected


def test_chitchat_and_unavailable_are_short_plain_replies() -> None:
    hello = answer("chitchat", "en", "Hi! Ask me e.g. who signed the partnership.")
    assert html_and_terminal(hello, "en") == ("\u200e" + hello.text, hello.text)
    assert html_and_terminal(hello, "ar")[1] == messages.text("chitchat", "ar")
    down = answer("unavailable", "en", messages.text("search_unavailable", "en"))
    assert html_and_terminal(down, "ar")[1] == messages.text("search_unavailable", "ar")


def test_english_reply_to_arabic_quotes_uses_english_titles_and_says_how_to_get_translations() -> None:
    answered = answer("answered", "ar", f"«{QUOTE}» [1]", (CITATION,))
    html, terminal = html_and_terminal(answered, "en", english_title=ENGLISH)
    for shown in (html, terminal):
        assert "Putin and Pezeshkian sign a partnership" in shown and CITATION.title not in shown
        assert messages.text("translation_hint", "en") in shown
    with_model = html_and_terminal(answered, "en", english_title=ENGLISH, model_configured=True)
    assert all(messages.text("translation_hint", "en") not in shown for shown in with_model)
    arabic = html_and_terminal(answered, "ar", english_title=ENGLISH)
    assert all(CITATION.title in shown and messages.text("translation_hint", "en") not in shown for shown in arabic)


def test_arabic_lines_isolate_commands_mentions_and_latin_titles() -> None:
    latin = Citation(1, "a", "Reuters: Iran and Russia", "Reuters", "2024-09-19", "https://x.test/a", QUOTE, 0, len(QUOTE))
    html = render_reply(compose(answer("answered", "ar", "", (latin,))))[0]
    assert "\u2066Reuters: Iran and Russia\u2069" in html and "\u2066Reuters\u2069" in html
    assert unisolated(html, (QUOTE,)) == []


def test_button_labels_are_cut_at_word_boundaries() -> None:
    assert button_label("[1] short title") == "[1] short title"
    cut = button_label("[1] بوتين وبيزيشكيان يوقعان شراكة استراتيجية مدتها 20 عاماً")
    assert cut.endswith("…") and len(cut) <= 40
    assert "بوتين وبيزيشكيان يوقعان شراكة استراتيجية مدتها 20 عاماً".startswith(cut[4:-1])
    assert cut[-2] != " " and "[1] بوتين وبيزيشكيان يوقعان شراكة استراتيجية مدتها 20 عاماً"[len(cut) - 1] == " "
