"""The `openai` provider over real HTTP (llama.cpp's server) and the `llamacpp` provider in-process."""

from __future__ import annotations

import time
from pathlib import Path

from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.generators import ChatModelGenerator, chat_model, load_generator
from isnad.bot.answer.prompting import Passage
from isnad.settings import LLMSettings
from tests.conftest import core_make_settings

SLOW_MACHINE_TIMEOUT = 120  # generous: these tests prove wiring, not speed (bench/llm_latency.py measures that)
QUESTION = "Which international summit did Putin decide not to attend, and in which country?"


def _answerer(core_seed_dir: Path, core_embedder, **llm: object) -> Answerer:
    settings = core_make_settings(core_seed_dir)
    settings = settings.model_copy(update={"llm": LLMSettings(**llm)})
    return Answerer(settings, embedder=core_embedder)


def _assert_trustworthy(answerer: Answerer, answer) -> None:  # noqa: ANN001
    """Whatever the model wrote, what reaches the user is verified or an honest fallback."""
    assert answer.answered and answer.citations
    for citation in answer.citations:
        assert answerer.article_text(citation.article_id)[citation.start : citation.end] == citation.quote
    if answer.generator == "extractive":
        assert answer.fallback in {"no valid citation", "error"}
    else:
        assert answer.fallback is None and "[1]" in answer.text


def test_openai_provider_sends_a_token_limit_the_server_honours(llama_server: str) -> None:
    model = chat_model(LLMSettings(provider="openai", base_url=llama_server, model="gemma", max_tokens=8, timeout=SLOW_MACHINE_TIMEOUT))
    started = time.monotonic()
    reply = model.invoke([("human", "Write a long story about the sea.")])
    assert reply.response_metadata["token_usage"]["completion_tokens"] <= 8
    assert time.monotonic() - started < SLOW_MACHINE_TIMEOUT


def test_openai_provider_streams_tokens(llama_server: str) -> None:
    generator = load_generator(LLMSettings(provider="openai", base_url=llama_server, model="gemma", max_tokens=24, timeout=SLOW_MACHINE_TIMEOUT))
    seen: list[str] = []
    text = generator.generate("What is this?", "en", [Passage(1, "قرر بوتين عدم حضور القمة.", "t")], seen.append)
    assert len(seen) >= 2 and seen[-1] == text


def test_answer_through_the_real_server_is_verified_or_falls_back(llama_server: str, core_seed_dir, core_embedder) -> None:
    answerer = _answerer(core_seed_dir, core_embedder, provider="openai", base_url=llama_server, max_tokens=48, timeout=SLOW_MACHINE_TIMEOUT)
    _assert_trustworthy(answerer, answerer.answer(QUESTION))


def test_a_timeout_gives_the_extractive_answer(llama_server: str, core_seed_dir, core_embedder) -> None:
    answerer = _answerer(core_seed_dir, core_embedder, provider="openai", base_url=llama_server, max_tokens=200, timeout=0.05)
    answer = answerer.answer(QUESTION)
    assert answer.fallback == "timeout" and answer.generator == "extractive" and answer.citations
    assert answer.timings_ms["generate"] < 10_000  # the wait for the model, not the search (slow on a busy machine)


def test_a_dead_server_gives_the_extractive_answer_quickly(core_seed_dir, core_embedder) -> None:
    answerer = _answerer(core_seed_dir, core_embedder, provider="openai", base_url="http://127.0.0.1:9/v1", timeout=2)
    answer = answerer.answer(QUESTION)
    assert answer.fallback == "error" and answer.citations
    assert answer.timings_ms["generate"] < 10_000  # the wait for the dead server, not the search (slow on a busy machine)


def test_llamacpp_provider_in_process(gguf_model: Path, core_seed_dir, core_embedder) -> None:
    answerer = _answerer(core_seed_dir, core_embedder, provider="llamacpp", model=str(gguf_model), max_tokens=32, timeout=SLOW_MACHINE_TIMEOUT)
    assert isinstance(answerer.generator, ChatModelGenerator) and answerer.generator.name == "llamacpp"
    seen: list[str] = []
    answer = answerer.answer(QUESTION, on_text=seen.append)
    _assert_trustworthy(answerer, answer)
    assert seen, "tokens were streamed"
