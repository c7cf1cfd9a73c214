"""Faults: the Chroma server goes away (answers say "search unavailable", then recover; ingest
fails with one clear line) and the language model's server is down (extractive fallback)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.types import Answer
from tests.conftest import ISNAD, SEEDS, core_cli_env, core_questions
from tests.scale.conftest import ChromaServer, free_port

ARTICLE = "000_9099e66b1ee44376"
QUESTIONS = {q["id"]: q for q in core_questions()}
EN, AR = QUESTIONS["pub-03"], QUESTIONS["pub-10"]  # both answered from ARTICLE


@pytest.fixture
def fault_answerer(scale_chroma_restartable: ChromaServer, core_embedder, tmp_path: Path) -> Answerer:  # noqa: ANN001
    """One article indexed into the test's private server."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(SEEDS / f"{ARTICLE}.txt", corpus / f"{ARTICLE}.txt")
    settings = scale_chroma_restartable.settings(tmp_path / "data", corpus)
    Answerer(settings, embedder=core_embedder).reindex()
    return Answerer(settings, embedder=core_embedder)


def _assert_cited(answerer: Answerer, answer: Answer) -> None:
    assert answer.status in ("answered", "related") and answer.citations, answer.text
    assert answer.citations[0].article_id == ARTICLE
    for c in answer.citations:
        assert c.quote == answerer.article_text(c.article_id)[c.start : c.end]


def _assert_unavailable(answer: Answer, language: str) -> None:
    assert answer.status == "unavailable" and not answer.answered and answer.citations == ()
    assert answer.text == messages.text("search_unavailable", language)


def test_questions_while_the_server_is_down_say_unavailable_then_recover(
    fault_answerer: Answerer, scale_chroma_restartable: ChromaServer
) -> None:
    scale_chroma_restartable.stop()
    for item in (EN, AR):
        _assert_unavailable(fault_answerer.answer(item["question"]), item["lang"])
    scale_chroma_restartable.start()  # same path and port
    for item in (EN, AR):
        _assert_cited(fault_answerer, fault_answerer.answer(item["question"]))


def test_server_stopping_after_the_store_was_opened_says_unavailable_then_recovers(
    fault_answerer: Answerer, scale_chroma_restartable: ChromaServer
) -> None:
    """Regression (fixed in db720bc): VectorStore.query called collection.count() outside its try,
    so Answerer.answer raised httpx.ConnectError instead of saying search is unavailable."""
    _assert_cited(fault_answerer, fault_answerer.answer(EN["question"]))  # the store is open
    scale_chroma_restartable.stop()
    try:
        answer = fault_answerer.answer(AR["question"])
    except Exception as exc:  # noqa: BLE001 - any exception here would reach the user
        pytest.fail(f"answer() raised {type(exc).__name__}: {exc} instead of saying search is unavailable")
    _assert_unavailable(answer, AR["lang"])
    scale_chroma_restartable.start()
    _assert_cited(fault_answerer, fault_answerer.answer(EN["question"]))


def test_ingest_against_a_stopped_server_fails_with_one_clear_line(
    scale_chroma_restartable: ChromaServer, tmp_path: Path
) -> None:
    scale_chroma_restartable.stop()
    server = f"{scale_chroma_restartable.host}:{scale_chroma_restartable.port}"
    env = core_cli_env(tmp_path / "data", ISNAD_CHROMA_HOST=scale_chroma_restartable.host,
                       ISNAD_CHROMA_PORT=str(scale_chroma_restartable.port))
    done = subprocess.run([str(ISNAD), "ingest"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 4
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"isnad: cannot reach the Chroma server at {server}, or it does not answer as Chroma")


def test_answers_still_come_when_the_language_model_server_is_down(
    scale_server_seed_dir: tuple[Path, str], scale_chroma: ChromaServer, core_embedder, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.setenv("ISNAD_LLM_PROVIDER", "openai")
    monkeypatch.setenv("ISNAD_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")  # nothing listens
    monkeypatch.setenv("ISNAD_LLM_TIMEOUT", "5")
    data_dir, prefix = scale_server_seed_dir
    answerer = Answerer(scale_chroma.settings(data_dir, prefix=prefix), embedder=core_embedder)
    assert answerer.generator.name == "openai"
    for item in (EN, AR):
        answer = answerer.answer(item["question"])
        assert answer.fallback == "error" and answer.generator == "extractive", answer
        assert answer.text.endswith(messages.text("llm_fallback", item["lang"]))
        _assert_cited(answerer, answer)
