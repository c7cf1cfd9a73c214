"""The language shift (retrieval/language_shift.py): an English question's vector moved toward
Arabic, fitted by bot/answer/shift_fitting.py, applied to its search when the articles are Arabic.
Real embedder and Chroma."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from isnad.bot.answer import shift_fitting
from isnad.retrieval.indexer import update_index
from isnad.retrieval.language_shift import LanguageShift, cosine_gain, moved
from isnad.retrieval.search import CorpusView
from isnad.retrieval.store import SENTENCES
from tests.conftest import core_make_settings

# Written for this test, not taken from any evaluation set.
PARALLEL_QUESTIONS = (
    ("مما حذر الرئيس الروسي؟", "What did the Russian president warn about?"),
    ("ما الدول التي وقعت الاتفاقية؟", "Which countries signed the agreement?"),
    ("كم عدد الطائرات المسيرة التي أرسلتها إيران؟", "How many drones did Iran send?"),
    ("متى زار الوزير موسكو؟", "When did the minister visit Moscow?"),
)


def _unit_rows(count: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, 8)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_moved_vectors_stay_unit_length_and_no_shift_leaves_them() -> None:
    vectors = _unit_rows(3, 0)
    shifted = moved(vectors, _unit_rows(1, 1)[0])
    assert np.allclose(np.linalg.norm(shifted, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(shifted, vectors)
    assert moved(vectors, None) is vectors
    assert np.allclose(np.linalg.norm(moved(vectors[0], vectors[1]), axis=-1), 1.0, atol=1e-5)  # one row too


def test_a_saved_shift_loads_only_for_the_model_that_made_it(tmp_path: Path) -> None:
    path = tmp_path / "shift.json"
    question = _unit_rows(1, 2)[0]
    LanguageShift("model-a", {"en": question}, {"command": "test"}).save(path)
    loaded = LanguageShift.load("model-a", path)
    assert np.allclose(loaded.question["en"], question, atol=1e-6)
    assert loaded.provenance == {"command": "test"}
    assert LanguageShift.load("model-b", path) == LanguageShift()
    assert LanguageShift.load("model-a", tmp_path / "missing.json") == LanguageShift()
    path.write_text("{not json", encoding="utf-8")
    assert LanguageShift.load("model-a", path) == LanguageShift()


def test_the_shipped_shift_brings_english_questions_nearer_to_the_arabic_they_mean(core_embedder) -> None:  # noqa: ANN001
    shift = LanguageShift.load(core_embedder.name)
    assert set(shift.question) == {"en"}, "retrieval/language_shift.json was made by another model"
    arabic = core_embedder.embed_queries([a for a, _ in PARALLEL_QUESTIONS])
    english = core_embedder.embed_queries([e for _, e in PARALLEL_QUESTIONS])
    assert cosine_gain(arabic, english, shift.question["en"]) > 0.02
    assert cosine_gain(arabic, english, -shift.question["en"]) < 0  # the direction matters, not any change


def test_fitting_on_a_slice_writes_a_shift_that_holds_on_held_out_pairs(tmp_path: Path, core_embedder, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "shift.json"
    assert shift_fitting.main(["--out", str(out), "--limit-questions", "40"]) == 0
    shift = LanguageShift.load(core_embedder.name, out)
    assert shift.question["en"].shape == (core_embedder.embed_query("x").shape[0],)
    report = json.loads(capsys.readouterr().out)
    assert report["fit_pairs"] == report["heldout_pairs"] == 40
    assert report["heldout_cosine_gain"] > 0
    assert report == shift.provenance


def test_an_english_question_moves_only_when_no_article_is_english(tmp_path: Path, core_seed_dir: Path, core_embedder) -> None:  # noqa: ANN001
    settings = core_make_settings(core_seed_dir)
    arabic_only = CorpusView.of_data_dir(core_seed_dir, settings.search.chunk_chars, core_embedder)
    vector = core_embedder.embed_query("what did putin warn about")
    assert not arabic_only.moves_questions_in("ar") and arabic_only.question_vector(vector, "ar") is vector
    assert arabic_only.moves_questions_in("en") and arabic_only.question_vector(vector, "en") @ vector < 0.99

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "talks.txt").write_text("أجرى الرئيسان محادثات في موسكو حول التعاون في مجال الطاقة.\n", encoding="utf-8")
    (corpus / "report.txt").write_text("The two presidents held talks in Moscow on energy cooperation.\n", encoding="utf-8")
    mixed_settings = core_make_settings(tmp_path / "data", corpus)
    update_index(mixed_settings, core_embedder, corpus)
    mixed = CorpusView.of_data_dir(mixed_settings.data_dir, mixed_settings.search.chunk_chars, core_embedder)
    assert not mixed.moves_questions_in("en")  # the English article may answer it as asked
    assert mixed.question_vector(vector, "en") is vector


def test_an_english_question_is_searched_moved_and_scored_as_asked(core_answerer) -> None:  # noqa: ANN001
    """The moved vector chooses the candidates; their similarity feature is to the question as asked."""
    question = "what did putin warn about"
    _, result, view = core_answerer.retrieve(question, "en")
    searcher = core_answerer._current_searcher()
    asked = searcher.embedder.embed_query(question)
    moved_vector = view.question_vector(asked, "en")
    stored = searcher.store.vectors(SENTENCES, [view.versioned(c.sentence.span_id) for c in result.candidates])
    assert len(stored) >= len(result.candidates) - 3  # all but photo captions, embedded apart
    for candidate in result.candidates:
        if candidate.sentence.span_id in stored:
            assert abs(candidate.similarity - float(stored[candidate.sentence.span_id] @ asked)) < 1e-4
    nearest = [h.span_id for h in searcher.store.query(SENTENCES, moved_vector, 5) if view.is_current(h)]
    assert set(nearest) <= {c.sentence.span_id for c in result.candidates}
