"""Sparse "latent term" vectors: made once per sentence at ingest, kept on disk, matched across languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.sparse import SPARSE_FILE, SparseVectors, candidate_texts, cosine, similarities
from tests.conftest import SEEDS, CountingEmbedder, core_make_settings

SENTENCES = {"وقعت روسيا وإيران معاهدة يوم الجمعة.", "ارتفعت أسعار النفط في الأسواق العالمية.", "هطلت أمطار غزيرة على المدينة."}


class NoSparseHead(Embedder):
    """An embedder without a sparse head (the base class's answer)."""

    name = "no-sparse-head"

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise AssertionError("not called")


def test_a_sentence_and_its_translation_match_better_than_unrelated_ones(core_embedder) -> None:  # noqa: ANN001
    vectors = SparseVectors({}).synced(SENTENCES, core_embedder)
    (question,) = core_embedder.sparse(["When did Russia and Iran sign the treaty?"])
    texts = sorted(SENTENCES)
    found = similarities(question, texts, vectors, core_embedder)
    assert texts[int(np.argmax(found))] == "وقعت روسيا وإيران معاهدة يوم الجمعة."
    assert abs(cosine(question, question) - 1.0) < 1e-5


def test_sync_makes_only_new_vectors_and_survives_a_reload(tmp_path: Path, core_embedder) -> None:  # noqa: ANN001
    counting = CountingEmbedder(core_embedder)
    vectors = SparseVectors({}).synced(SENTENCES, counting)
    assert counting.sparse_texts == len(SENTENCES)
    vectors.save(tmp_path / SPARSE_FILE)
    reloaded = SparseVectors.load(tmp_path / SPARSE_FILE, core_embedder.name)
    assert len(reloaded) == len(SENTENCES)
    for text in SENTENCES:
        assert np.array_equal(reloaded.get(text)[0], vectors.get(text)[0])
        assert np.allclose(reloaded.get(text)[1], vectors.get(text)[1], atol=1e-3)  # kept as float16
    assert reloaded.synced(SENTENCES, counting) is reloaded
    rain = "هطلت أمطار غزيرة على المدينة."
    shrunk = reloaded.synced({rain}, counting)
    assert len(shrunk) == 1 and shrunk.get(rain) is not None and counting.sparse_texts == len(SENTENCES)
    assert len(SparseVectors.load(tmp_path / SPARSE_FILE, "another-embedder")) == 0


def test_without_a_sparse_head_the_similarities_are_zero() -> None:
    embedder = NoSparseHead()
    assert embedder.sparse(["a question"]) is None
    assert len(SparseVectors({}).synced(SENTENCES, embedder)) == 0
    assert similarities(None, sorted(SENTENCES), SparseVectors({}), embedder).tolist() == [0.0, 0.0, 0.0]


def test_ingest_keeps_one_vector_per_quotable_sentence_and_caption_and_follows_removals(tmp_path: Path, core_embedder) -> None:  # noqa: ANN001
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    counting = CountingEmbedder(core_embedder)
    answerer = Answerer(core_make_settings(tmp_path / "data", corpus), embedder=counting)
    answerer.reindex(corpus)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    stored = SparseVectors.load(tmp_path / "data" / SPARSE_FILE, core_embedder.name)
    candidates = candidate_texts(texts.values())
    assert len(stored) == len(candidates) and all(stored.get(t) is not None for t in candidates)
    assert any(stored.get(c) is not None for c in candidates if c.startswith("منظر جوي"))  # a photo caption's too
    made = counting.sparse_texts
    answerer.reindex(corpus)
    assert counting.sparse_texts == made  # nothing new to make

    removed = sorted(texts)[0]
    (corpus / f"{removed}.txt").unlink()
    answerer.reindex(corpus)
    kept = SparseVectors.load(tmp_path / "data" / SPARSE_FILE, core_embedder.name)
    left = candidate_texts(t for a, t in texts.items() if a != removed)
    assert len(kept) == len(left) and all(kept.get(t) is not None for t in left)
    assert counting.sparse_texts == made


def test_an_index_made_before_sparse_vectors_still_answers_with_them(core_seed_copy: Path, core_embedder, caplog) -> None:  # noqa: ANN001
    (core_seed_copy / SPARSE_FILE).unlink()
    answerer = Answerer(core_make_settings(core_seed_copy), embedder=core_embedder)
    _, result, _ = answerer.retrieve("When was the strategic partnership treaty signed?", "en")
    assert result.candidates and max(c.sparse for c in result.candidates) > 0.1
    assert "run `isnad ingest`" in caplog.text  # the operator is told how to make them once


def test_a_running_answerer_reloads_when_the_sparse_vectors_are_replaced(core_seed_copy: Path, core_embedder) -> None:  # noqa: ANN001
    """An ingest writes the manifest, the term map and the sparse vectors one after the other: an
    answerer that reloaded after the manifest alone must reload again when the rest lands."""
    answerer = Answerer(core_make_settings(core_seed_copy), embedder=core_embedder)
    path = core_seed_copy / SPARSE_FILE
    saved = SparseVectors.load(path, core_embedder.name)
    path.unlink()  # as if the ingest had not written it yet
    answerer.answer("When was the strategic partnership treaty signed?")
    made_on_the_fly = len(answerer.retrieve("what did putin warn about", "en")[2].sparse)
    assert 0 < made_on_the_fly < len(saved)
    saved.save(path)  # the ingest's last write lands
    _, _, view = answerer.retrieve("what did putin warn about", "en")
    assert len(view.sparse) == len(saved)


def test_ingest_reports_progress_for_articles_words_and_sentences(tmp_path: Path, core_embedder) -> None:  # noqa: ANN001
    """The term map and the sparse vectors are about half of an ingest: they report progress too."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copyfile(path, corpus / path.name)
    steps: dict[str, list[int]] = {}

    def start(total: int, unit: str):  # noqa: ANN202
        steps[unit] = [total, 0]

        def advance(done: int) -> None:
            steps[unit][1] += done

        return advance

    answerer = Answerer(core_make_settings(tmp_path / "data", corpus), embedder=core_embedder)
    answerer.reindex(corpus, progress=start)
    texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")]
    assert steps["article"] == [2, 2]
    assert steps["sentence"] == [len(candidate_texts(texts))] * 2
    assert steps["word"][0] == steps["word"][1] > 0
    steps.clear()
    answerer.reindex(corpus, progress=start)
    assert "word" not in steps and "sentence" not in steps  # nothing new to make
