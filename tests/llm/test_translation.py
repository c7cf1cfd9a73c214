"""Optional English renderings of Arabic quotes: marked as translations, never as quotes."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.generators import ChatModelGenerator
from isnad.bot.fronts.formatting import render_reply
from isnad.bot.fronts.rendering import answer_json
from isnad.bot.fronts.replies import compose
from isnad.settings import LLMSettings
from tests.conftest import core_make_settings

QUESTION = "Which international summit did Putin decide not to attend?"
TRANSLATION = "Putin decided not to attend the G20 summit next week in Indonesia."


def _answerer(core_seed_dir, core_embedder, translate: bool) -> Answerer:  # noqa: ANN001
    settings = core_make_settings(core_seed_dir)
    settings = settings.model_copy(update={"llm": LLMSettings(provider="openai", translate_quotes=translate)})
    model = GenericFakeChatModel(messages=iter([AIMessage(content="The G20 summit in Indonesia [1]."), AIMessage(content=TRANSLATION)]))
    return Answerer(settings, embedder=core_embedder, generator=ChatModelGenerator("openai", model, 10))


def test_translation_is_added_and_marked(core_seed_dir, core_embedder) -> None:
    answerer = _answerer(core_seed_dir, core_embedder, translate=True)
    answer = answerer.answer(QUESTION)
    [citation] = answer.citations
    assert citation.translation == TRANSLATION
    assert answerer.article_text(citation.article_id)[citation.start : citation.end] == citation.quote
    assert answer_json(answer)["citations"][0]["translation"] == TRANSLATION
    html = "".join(render_reply(compose(answer, model_configured=True)))
    assert f"<i>\u200eMachine translation, not a quote: {TRANSLATION}</i>" in html


def test_translation_is_on_by_default_with_a_model() -> None:
    assert LLMSettings(provider="openai").translate_quotes


def test_no_translation_when_turned_off(core_seed_dir, core_embedder) -> None:
    answer = _answerer(core_seed_dir, core_embedder, translate=False).answer(QUESTION)
    assert answer.citations and all(c.translation == "" for c in answer.citations)
