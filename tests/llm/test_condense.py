"""With a language model, a follow-up is rewritten to stand alone before search; a bad rewrite
falls back to the offline reading, and a question that stands alone is never sent to the model."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from isnad.bot.answer.answering import FOLLOW_UP_REACH, Answerer
from isnad.bot.answer.followup import Turn
from isnad.bot.answer.generators import ChatModelGenerator
from isnad.settings import LLMSettings
from tests.conftest import core_make_settings

FIRST = "ما مدة الشراكة الاستراتيجية بين روسيا وإيران؟"
FOLLOW = "and when was it signed?"
STANDALONE = "When did Putin and Pezeshkian sign the 20-year strategic partnership between Russia and Iran?"
SIGNED_ON = "يوم الجمعة"


def _answerer(core_seed_dir, core_embedder, *replies: str) -> tuple[Answerer, GenericFakeChatModel]:  # noqa: ANN001
    settings = core_make_settings(core_seed_dir)
    settings = settings.model_copy(update={"llm": LLMSettings(provider="openai", translate_quotes=False)})
    model = GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))
    return Answerer(settings, embedder=core_embedder, generator=ChatModelGenerator("openai", model, 10)), model


def test_a_follow_up_is_searched_as_the_models_standalone_question(core_seed_dir, core_embedder) -> None:
    answerer, _ = _answerer(core_seed_dir, core_embedder, STANDALONE, "It was signed on Friday [1].")
    answer = answerer.answer(FOLLOW, context=[Turn(FIRST)])
    assert answer.resolved_question == STANDALONE and answer.language == "en"
    assert any(SIGNED_ON in c.quote for c in answer.citations)


def test_the_rewrite_s_terms_beyond_the_follow_up_are_the_topic_of_the_previous_quotes(core_seed_dir, core_embedder) -> None:
    """A standalone rewrite's terms that the follow-up itself lacks are the conversation's topic,
    held by the sentences around the previous reply's quotes, as offline."""
    answerer, _ = _answerer(core_seed_dir, core_embedder, STANDALONE)
    cited = (("003_c4a9f35214ecb214", 10, 80),)
    asked, _, view = answerer.retrieve(FOLLOW, "en", [Turn(FIRST, cited)])
    alone, _, _ = answerer.retrieve(FOLLOW, "en")
    assert asked.text == STANDALONE
    assert asked.topic_spans == {s.span_id for s in view.around(cited, FOLLOW_UP_REACH)} != set()
    assert asked.topic_terms == {t.text for t in asked.terms} - {t.text for t in alone.terms} != set()


def test_a_rewrite_in_the_wrong_language_is_ignored(core_seed_dir, core_embedder) -> None:
    answerer, _ = _answerer(core_seed_dir, core_embedder, "متى تم التوقيع؟", "It was signed on Friday [1].")
    answer = answerer.answer(FOLLOW, context=[Turn(FIRST)])
    assert answer.resolved_question == f"{FOLLOW} — {FIRST}"  # the offline reading


def test_a_question_that_stands_alone_is_not_sent_to_the_model(core_seed_dir, core_embedder) -> None:
    answerer, _ = _answerer(core_seed_dir, core_embedder, "Patrushev met Ali Shamkhani [1].", "Who met whom?")
    answer = answerer.answer("Who was the Iranian counterpart Patrushev met in Tehran?", context=[Turn(FIRST)])
    assert answer.resolved_question == "" and answer.generator == "openai"
    assert answer.text.startswith("Patrushev met Ali Shamkhani")  # the first reply went to the answer, not to a rewrite
