"""Scoring (bot/answer/evaluation.py) on hand-built answers, `evaluate` with the real Answerer, and `isnad eval`
on a small XQuAD slice with its near-miss corpora."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.eval_sets import load_set, read_texts
from isnad.bot.answer.evaluation import evaluate, score_item, summarise
from isnad.bot.answer.types import Answer, Citation
from tests.conftest import ISNAD, core_cli_env, core_questions, core_seed_texts
from tests.test_near_miss import PER_ARTICLE, make_xquad_slice, run_near_miss

TEXT = "Ahmad went to Cairo. He met Sara there on Monday. They talked about the river."
TEXTS = {"a1": TEXT}
MEETING = TEXT.index("He met")
GOLDEN = {"id": "g1", "lang": "en", "question": "Who did Ahmad meet?", "answerable": True, "article": "a1",
          "quotes": ["He met Sara there on Monday."]}
XQUAD = {"id": "x1", "lang": "en", "question": "Who did Ahmad meet?", "answerable": True, "article": "a1",
         "answer_text": "Sara", "start": TEXT.index("Sara"), "end": TEXT.index("Sara") + 4,
         "alt_spans": [[TEXT.index("river"), TEXT.index("river") + 5]]}
OFF_CORPUS = {"id": "u1", "lang": "en", "question": "Who won the match?", "answerable": False, "article": None}


def citation(start: int, end: int, quote: str | None = None) -> Citation:
    return Citation(1, "a1", "Title", "Publisher", "", "", TEXT[start:end] if quote is None else quote, start, end)


def reply(status: str, *citations: Citation) -> Answer:
    text = "Here is what the articles say [1]." if citations else "The articles do not say."
    return Answer("q", "en", text, citations, status == "answered", status=status, timings_ms={"total": 10.0})


def sentence(start: int) -> Citation:
    return citation(start, TEXT.index(".", start) + 1)


def test_answered_with_an_overlapping_quote_is_evidence() -> None:
    row = score_item(GOLDEN, reply("answered", sentence(MEETING)), TEXTS)
    assert row["answered"] and row["article_cited"] and row["evidence_quoted"] and row["evidence_claimed"]
    assert row["verbatim"] is True


def test_related_with_an_overlapping_quote_is_quoted_but_not_claimed() -> None:
    row = score_item(GOLDEN, reply("related", sentence(MEETING)), TEXTS)
    assert row["related"] and not row["answered"]
    assert row["evidence_quoted"] and not row["evidence_claimed"] and not row["article_cited"]


def test_a_quote_not_at_its_offsets_fails_verbatim_and_is_no_evidence() -> None:
    forged = citation(MEETING, MEETING + 28, quote="He met Sara there on Tuesday")
    row = score_item(GOLDEN, reply("answered", forged), TEXTS)
    assert row["verbatim"] is False and not row["evidence_quoted"] and not row["evidence_claimed"]


def test_xquad_alternative_occurrence_counts_but_not_as_the_exact_span() -> None:
    river = sentence(TEXT.index("They talked"))
    row = score_item(XQUAD, reply("answered", river), TEXTS)
    assert row["evidence_claimed"] and not row["evidence_exact"]
    assert score_item(XQUAD, reply("answered", sentence(MEETING)), TEXTS)["evidence_exact"]


def test_summary_precision_recall_and_declines() -> None:
    near_miss = {**GOLDEN, "id": "n1", "answerable": False, "near_miss": True}
    rows = [
        score_item(GOLDEN, reply("answered", sentence(MEETING)), TEXTS),  # answered with evidence
        score_item(XQUAD, reply("related", sentence(MEETING)), TEXTS),  # shown, not claimed
        score_item(OFF_CORPUS, reply("answered", sentence(0)), TEXTS),  # answered without evidence
        score_item(near_miss, reply("not_found"), TEXTS),
    ]
    figures = summarise(rows)["en"]
    assert (figures["answered"], figures["related"], figures["declined"], figures["near_miss_declined"]) == (0.5, 0.25, 0.0, 1.0)
    assert (figures["evidence_quoted"], figures["evidence_claimed"]) == (1.0, 0.5)
    assert (figures["precision"], figures["recall"]) == (0.5, 0.5)
    assert summarise(rows)["ar"]["answered"] is None


def test_evaluate_with_the_real_answerer(core_answerer: Answerer) -> None:
    items = core_questions()[:6]
    rows, summary = evaluate(core_answerer.answer, items, core_seed_texts())
    assert [r["id"] for r in rows] == [i["id"] for i in items]
    assert summary["all"]["verbatim"] == 1.0 and summary["questions"] == 6


def run_eval(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ISNAD), "eval", *args], capture_output=True, text=True, encoding="utf-8",
                          env=core_cli_env(data_dir), timeout=300)


def test_our_yes_no_questions_on_xquad_point_at_their_answers_in_both_languages() -> None:
    """tests/data/xquad/polar_questions.jsonl: each span is where it says, each question has its
    parallel in the other language with the same span, and the set loads as the XQuAD format."""
    path = Path(__file__).parent / "data" / "xquad" / "polar_questions.jsonl"
    loaded = load_set(path)
    assert loaded.format == "xquad" and loaded.corpus == path.parent / "corpus"
    texts = read_texts(path.parent / "corpus")
    spans: dict[str, set[tuple[str, int, int, str]]] = {}
    for item in loaded.items:
        assert texts[item["article"]][item["start"] : item["end"]] == item["answer_text"]
        spans.setdefault(item["id"].rsplit("-", 1)[0], set()).add((item["article"], item["start"], item["end"], item["lang"]))
    assert all({lang for *_, lang in pair} == {"ar", "en"} and len({s[:3] for s in pair}) == 1 for pair in spans.values())


@pytest.mark.slow
def test_isnad_eval_scores_an_xquad_slice_and_its_near_misses(tmp_path: Path) -> None:
    questions = make_xquad_slice(tmp_path / "slice", ("xq_03_nikola_tesla",))
    assert run_near_miss(str(questions), str(tmp_path / "near")).returncode == 0
    near = [len(path.read_text().splitlines()) for path in (tmp_path / "near").glob("near_miss_*/questions.jsonl")]
    assert len(near) == 5  # one paragraph of each article cut per copy
    done = run_eval(tmp_path / "data", str(questions), "--near-miss", str(tmp_path / "near"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"questions: {2 * PER_ARTICLE + 4 + sum(near)}"
    for scope in (" ar:", " en:", "all:"):
        line = next(line for line in lines if line.startswith(scope))
        for figure in ("answered", "near_miss_declined", "precision", "p95_ms", "verbatim"):
            assert f"{figure} " in line
    assert not (tmp_path / "data").exists(), "a scratch data dir serves a corpus other than the configured one"


def test_xquad_splits_follow_splits_json(tmp_path: Path) -> None:
    questions = make_xquad_slice(tmp_path / "slice")
    splits = json.loads((questions.parent / "splits.json").read_text(encoding="utf-8"))
    for split in ("fit", "heldout"):
        items = load_set(questions, split=split).items
        assert {i["article"] for i in items if i["answerable"]} == {a for a in ("xq_03_nikola_tesla", "xq_06_martin_luther") if a in splits[split]}
        assert all(i["id"] in splits[f"unanswerable_{split}"] for i in items if not i["answerable"])
    assert len(load_set(questions).items) == len(load_set(questions, split="fit").items) + len(load_set(questions, split="heldout").items)


@pytest.mark.slow
def test_isnad_eval_json_on_the_fit_split(tmp_path: Path) -> None:
    questions = make_xquad_slice(tmp_path / "slice")
    done = run_eval(tmp_path / "data", str(questions), "--split", "fit", "--limit", "4", "--json",
                    "--data-dir", str(tmp_path / "xq-data"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["questions"] == 4 and report["all"]["n_answerable"] == 4
    assert report["all"]["verbatim"] in (1.0, None)
    assert (tmp_path / "xq-data" / "manifest.json").is_file()


@pytest.mark.parametrize("args", [("nowhere.jsonl",), ("QUESTIONS", "--split", "fit")], ids=["missing", "no-split-field"])
def test_isnad_eval_mistakes_are_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    from tests.conftest import QUESTIONS_FILE

    done = run_eval(tmp_path / "data", *(str(QUESTIONS_FILE) if a == "QUESTIONS" else str(tmp_path / a) if a.endswith(".jsonl") else a for a in args))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
