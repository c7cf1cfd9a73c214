"""The fitted decision: its parameters file, the three reply kinds, and the fitting script itself."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from isnad.bot.answer import fitting
from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.decision import (
    ANSWER_TERMS,
    DECISION_FILE,
    QUESTION_FEATURES,
    DecisionParams,
    decide,
    pairwise,
    question_row,
)
from isnad.bot.answer.evidence import FEATURES, Ranked, has_new_name, has_number
from isnad.bot.answer.question import Question
from isnad.retrieval.models import Sentence
from isnad.retrieval.search import Candidate

REPO = Path(__file__).resolve().parents[1]


def test_the_shipped_parameters_load_and_say_how_they_were_made() -> None:
    params = DecisionParams.load()
    assert set(params.languages) == {"ar", "en"}
    assert params.provenance["command"].startswith("python -m isnad.bot.answer.fitting")
    for p in params.languages.values():
        assert 0.0 < p.related_threshold <= p.answer_threshold < 1.0


def _linear_answer_model(raw: dict) -> None:
    """An answer model over the question features alone, as decision.json held before session 19."""
    for p in raw["languages"].values():
        p["answer"]["weights"] = p["answer"]["weights"][: len(QUESTION_FEATURES)]


@pytest.mark.parametrize("change", [lambda raw: raw.update(features=raw["features"][:-1]), _linear_answer_model])
def test_parameters_fitted_on_other_features_are_refused(tmp_path: Path, change) -> None:  # noqa: ANN001
    raw = json.loads(DECISION_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="refit"):
        DecisionParams.load(path)


def test_the_answer_model_weighs_each_feature_and_each_product_of_two() -> None:
    rows = np.arange(1.0, 1.0 + 2 * len(QUESTION_FEATURES)).reshape(2, -1)
    terms = pairwise(rows)
    assert terms.shape == (2, ANSWER_TERMS)
    assert np.array_equal(terms[:, : len(QUESTION_FEATURES)], rows)
    products = {round(float(v), 6) for v in terms[0, len(QUESTION_FEATURES) :]}
    assert products == {round(float(a * b), 6) for i, a in enumerate(rows[0]) for b in rows[0][i:]}


def _with_thresholds(answer: float, related: float) -> DecisionParams:
    params = DecisionParams.load()
    return replace(
        params,
        languages={k: replace(p, answer_threshold=answer, related_threshold=related) for k, p in params.languages.items()},
    )


@pytest.mark.parametrize(
    ("answer", "related", "kind"), [(0.0, 0.0, "answered"), (1.01, 0.0, "related"), (1.01, 1.01, "not_found")]
)
def test_thresholds_choose_the_reply_kind(core_answerer: Answerer, answer: float, related: float, kind: str) -> None:
    question, result, view = core_answerer.retrieve("ما مدة الشراكة الاستراتيجية بين روسيا وإيران؟", "ar")
    decision = decide(_with_thresholds(answer, related), question, result, view, 3)
    assert decision.kind == kind
    assert (len(decision.evidence) > 0) == (kind != "not_found")
    assert len(decision.evidence) <= 3


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many Sukhoi-35 jets will Russia supply to Iran?", "related"),  # the deal's sentence gives no count
        ("how many iranian drones did russia launch at ukraine in recent weeks", "answered"),  # "أكثر من 300"
        ("how many pilots were trained in crimea", "related"),  # beside "300 drones", which is not its count
    ],
)
def test_an_answer_to_a_question_asking_for_a_number_quotes_one_first(core_answerer: Answerer, question: str, kind: str) -> None:
    """Even where the answer model would answer (threshold 0), the first quote must hold the kind of
    answer asked for; otherwise the passages are shown as related, not as the answer."""
    asked, result, view = core_answerer.retrieve(question, "en")
    decision = decide(_with_thresholds(0.0, 0.0), asked, result, view, 3)
    assert decision.kind == kind and decision.evidence
    assert has_number(decision.evidence[0].sentence, asked.numbers) == (kind == "answered")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("In which town in Tatarstan is the drone plant located?", "related"),  # the plant's sentence names no town
        ("ما اسم البلدة في إقليم تتارستان التي يقع فيها مصنع المسيرات؟", "related"),
        ("which iranian president did putin warn in a phone call", "answered"),  # إبراهيم رئيسي
    ],
)
def test_an_answer_to_a_question_asking_for_a_name_quotes_one_first(core_answerer: Answerer, question: str, kind: str) -> None:
    asked, result, view = core_answerer.retrieve(question, "ar" if not question.isascii() else "en")
    assert asked.wants_name
    decision = decide(_with_thresholds(0.0, 0.0), asked, result, view, 3)
    assert decision.kind == kind and decision.evidence
    assert has_new_name(asked, decision.evidence[0].sentence, view) == (kind == "answered")


def test_fitting_on_a_small_slice_writes_parameters_that_decline_its_near_misses(tmp_path: Path) -> None:
    out = tmp_path / "decision.json"
    code = fitting.main(
        ["--limit-articles", "1", "--golden", str(REPO / "tests" / "data" / "questions.jsonl"),
         "--out", str(out), "--work", str(tmp_path / "work")]
    )
    assert code == 0
    params = DecisionParams.load(out)
    assert params.provenance["command"].endswith(f"--out {out} --work {tmp_path / 'work'}")
    figures = params.provenance["fit_figures"]
    for language in ("ar", "en"):
        p = params.languages[language]
        assert p.citation_margin in fitting.CITATION_MARGINS
        assert 0.5 < params.provenance["ranker"][language]["decline_level"] <= 1.0  # found over folds of articles
        # The threshold declines decline_level of the negatives it was fitted on (a slice this small
        # has a dozen English ones: one question is 0.08), and answers some answerable questions.
        kinds = [k for k in ("near_miss", "unanswerable", "off_corpus") if figures[language].get(f"n_{k}_declined")]
        count = sum(figures[language][f"n_{k}_declined"] for k in kinds)
        declined = sum(figures[language][f"{k}_declined"] * figures[language][f"n_{k}_declined"] for k in kinds) / count
        assert declined >= params.provenance["ranker"][language]["decline_level"] - 1.5 / count
        assert figures[language]["answered"] > 0
    assert figures["ar"]["n_detail_miss_declined"] > 0  # detail misses are made and reported (the slice is Arabic)


def test_a_related_reply_reaches_json_and_the_terminal_as_not_an_answer(core_seed_dir: Path, core_embedder) -> None:  # noqa: ANN001
    """The real pipeline, with thresholds that make every reply "related": not claimed, passages shown."""
    from isnad.bot.answer import messages
    from isnad.bot.fronts.rendering import answer_json, answer_text
    from tests.conftest import core_make_settings, core_seed_texts

    answerer = Answerer(core_make_settings(core_seed_dir), embedder=core_embedder, decision=_with_thresholds(1.01, 0.0))
    answer = answerer.answer("How long is the strategic partnership that Putin and Pezeshkian signed?")
    shown = answer_json(answer)
    assert shown["status"] == "related" and shown["answered"] is False and shown["citations"]
    texts = core_seed_texts()
    assert all(c["quote"] == texts[c["article"]][c["start"] : c["end"]] for c in shown["citations"])
    terminal = answer_text(answer)
    assert terminal.startswith(messages.text("related_intro", "en"))
    assert all(c.quote in terminal for c in answer.citations)


def _candidate(coverage: float, typed: bool | None) -> Ranked:
    """A candidate covering `coverage` of the question, holding the kind of answer asked (True),
    lacking it (False), or with no kind asked (None)."""
    row = np.zeros(len(FEATURES))
    row[FEATURES.index("coverage")] = coverage
    if typed is not None:
        row[FEATURES.index("type_match" if typed else "type_missing")] = 1.0
    return Ranked(Candidate(Sentence("a", 0, 10, "x" * 10), 0.8), 0.0, row)


@pytest.mark.parametrize(
    ("candidates", "deficit"),
    [
        ([(0.9, False), (0.4, True)], 0.5),  # "how many reactors": the reactors only where no number is
        ([(0.9, True), (0.4, False)], 0.0),  # the best-covering sentence holds a number
        ([(0.9, False), (0.6, False)], 0.9),  # no candidate holds one
        ([(0.9, None), (0.4, None)], 0.0),  # no kind of answer asked for
    ],
)
def test_type_deficit_is_the_coverage_lost_by_requiring_the_kind_of_answer_asked(candidates: list, deficit: float) -> None:
    question = Question("q", "en", (), None, frozenset(), False, False, False, False, False)
    row = question_row(question, [_candidate(c, t) for c, t in candidates])
    assert row[QUESTION_FEATURES.index("type_deficit")] == pytest.approx(deficit)
