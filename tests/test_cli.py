"""`isnad` end to end, in subprocesses, against a temporary data dir (README documents the contracts)."""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import pytest

from isnad import __version__
from isnad.bot.answer import messages
from isnad.bot.fronts.cli import build_parser
from isnad.retrieval.arabic import detect_language
from tests.conftest import ISNAD, SEEDS, core_cli_env, core_questions, core_seed_texts

pytestmark = pytest.mark.slow

SEED_TEXTS = core_seed_texts()
ANSWER_KEYS = {"question", "language", "answered", "status", "answer", "citations", "generator", "fallback", "timings_ms"}
STATUSES = {"answered", "related", "not_found", "chitchat", "unavailable"}
CITATION_KEYS = {"n", "article", "title", "publisher", "quote", "start", "end"}
AR_QUESTION = "من هو نظير نيكولاي باتروشيف الإيراني الذي التقاه في طهران؟"
EN_QUESTION = "In which Russian region did Russia and Iran set up a factory in 2023 to manufacture Iranian drones?"
OFF_TOPIC = "What is the recipe for a chocolate cake?"


def run(data_dir: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ISNAD), *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
        env=core_cli_env(data_dir, **env), timeout=180,
    )


@pytest.fixture(scope="module")
def core_cli_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """`isnad ingest --json` of the seeds into a fresh data dir: (data dir, printed object)."""
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    done = run(data_dir, "ingest", "--json")
    assert done.returncode == 0, done.stderr
    return data_dir, json.loads(done.stdout)


def _check_answer(obj: dict) -> None:
    """The documented shape, and every quote is the article's text at its offsets."""
    assert set(obj) == ANSWER_KEYS
    assert obj["language"] in ("ar", "en") and isinstance(obj["answered"], bool)
    assert set(obj["timings_ms"]) == {"retrieve", "generate", "total"}
    assert [c["n"] for c in obj["citations"]] == list(range(1, len(obj["citations"]) + 1))
    for citation in obj["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["quote"] == SEED_TEXTS[citation["article"]][citation["start"] : citation["end"]]
        assert f"[{citation['n']}]" in obj["answer"]
    assert obj["status"] in STATUSES and obj["answered"] == (obj["status"] == "answered")
    if obj["status"] not in ("answered", "related"):
        assert obj["citations"] == []


def test_ingest_json_reports_the_seeds(core_cli_index) -> None:
    _, report = core_cli_index
    assert report == {"added": len(SEED_TEXTS), "updated": 0, "removed": 0, "unchanged": 0, "repaired": 0, "skipped": []}


def test_reingest_json_is_unchanged(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    done = run(data_dir, "ingest", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "added": 0, "updated": 0, "removed": 0, "unchanged": len(SEED_TEXTS), "repaired": 0, "skipped": []
    }


def test_ingest_of_missing_folder_fails_clearly(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "ingest", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "nowhere" in done.stderr


def test_ask_json_arabic_question(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    done = run(data_dir, "ask", "--json", AR_QUESTION)
    assert done.returncode == 0, done.stderr
    obj = json.loads(done.stdout)
    _check_answer(obj)
    assert obj["question"] == AR_QUESTION and obj["language"] == "ar"
    assert obj["answered"] and obj["citations"]


def test_ask_json_english_question_quotes_arabic(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    obj = json.loads(run(data_dir, "ask", "--json", EN_QUESTION).stdout)
    _check_answer(obj)
    assert obj["language"] == "en" and obj["answered"] and obj["citations"]
    assert all(detect_language(c["quote"]) == "ar" for c in obj["citations"])


def test_ask_json_unanswerable_question_cites_nothing(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    obj = json.loads(run(data_dir, "ask", "--json", OFF_TOPIC).stdout)
    _check_answer(obj)
    assert obj["language"] == "en"
    assert obj["answered"] is False and obj["citations"] == [] and obj["status"] == "not_found"
    assert messages.text("coverage_hint", "en", titles="").strip() in obj["answer"]  # says what the corpus covers
    assert "Putin" in obj["answer"]  # with English titles for an English reader


def test_ask_json_small_talk_is_chitchat_not_a_refusal(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    for greeting, language in (("hi!", "en"), ("شكراً", "ar")):
        obj = json.loads(run(data_dir, "ask", "--json", greeting).stdout)
        _check_answer(obj)
        assert obj["status"] == "chitchat" and obj["language"] == language and obj["citations"] == []
        assert obj["answer"] and obj["answer"] != messages.text("not_found", language)
        if greeting == "hi!":
            assert "for example" in obj["answer"] and "“" in obj["answer"]  # an example question from a title


def test_ask_batch_prints_one_json_line_per_question(core_cli_index, tmp_path: Path) -> None:
    data_dir, _ = core_cli_index
    questions = [AR_QUESTION, EN_QUESTION, OFF_TOPIC]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions[:2]) + "\n\n" + questions[2] + "\n", encoding="utf-8")
    done = run(data_dir, "ask", "--json", "--batch", str(batch))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(questions)
    objects = [json.loads(line) for line in lines]
    assert [o["question"] for o in objects] == questions
    for obj in objects:
        _check_answer(obj)


def test_chat_answers_each_line_and_exits_at_eof(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    done = run(data_dir, "chat", stdin=f"{AR_QUESTION}\n{EN_QUESTION}\n")
    assert done.returncode == 0, done.stderr
    openings = [messages.text(k, lang) for k in ("extractive_intro", "not_found") for lang in ("ar", "en")]
    assert sum(done.stdout.count(opening) for opening in openings) == 2
    assert "[1]" in done.stdout


def test_sources_lists_the_seed_articles(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    done = run(data_dir, "sources")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(SEED_TEXTS) == 5
    assert [line.split(" — ")[0] for line in lines] == sorted(SEED_TEXTS)
    listed = json.loads(run(data_dir, "sources", "--json").stdout)
    assert [s["article_id"] for s in listed] == sorted(SEED_TEXTS)
    assert all(s["title"] for s in listed)


def test_ingest_and_sources_load_no_language_model(tmp_path: Path) -> None:
    """llamacpp with no model file: indexing needs only the embedder, listing only the manifest
    (here even with the store's server unreachable)."""
    data_dir, llm = tmp_path / "data", {"ISNAD_LLM_PROVIDER": "llamacpp", "ISNAD_LLM_MODEL": ""}
    done = run(data_dir, "ingest", "--json", **llm)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == len(SEED_TEXTS)
    done = run(data_dir, "sources", "--json", ISNAD_CHROMA_HOST="127.0.0.1", ISNAD_CHROMA_PORT="9", **llm)
    assert done.returncode == 0, done.stderr
    assert [s["article_id"] for s in json.loads(done.stdout)] == sorted(SEED_TEXTS)


def test_every_subcommand_and_argument_has_help() -> None:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert {listed.dest for listed in commands._choices_actions} == set(commands.choices)
    for name, command in commands.choices.items():
        assert command.description, name
        assert all(action.help for action in command._actions), name


def test_version() -> None:
    done = subprocess.run([str(ISNAD), "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, f"isnad {__version__}")


def test_eval_outside_a_checkout_asks_for_a_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ISNAD), "eval"], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=core_cli_env(tmp_path / "data")
    )
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("isnad: eval: no FILE given") and "give a question file" in line


def test_eval_prints_metric_lines(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    done = run(data_dir, "eval")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"questions: {len(core_questions())}"
    for scope in ("all:", " ar:", " en:"):
        line = next(line for line in lines if line.startswith(scope))
        assert "verbatim 1.0" in line and "language_right" in line
    assert any(line.startswith("latency ms: p50 ") for line in lines)


def test_eval_json_quotes_are_all_verbatim(core_cli_index) -> None:
    data_dir, _ = core_cli_index
    report = json.loads(run(data_dir, "eval", "--json").stdout)
    assert report["questions"] == len(report["items"]) == len(core_questions())
    assert all(item["verbatim"] is not False for item in report["items"])  # None: nothing cited


def test_invalid_provider_is_a_configuration_error(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "ask", "question?", ISNAD_LLM_PROVIDER="bogus")
    assert done.returncode == 3
    assert len(done.stderr.splitlines()) == 1
    assert "bogus" in done.stderr
    for provider in ("extractive", "openai", "ollama", "llamacpp"):
        assert provider in done.stderr
    assert "pip install 'isnad[openai]'" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    "metadata",
    ['["tiny"]\ntitle = "x"\nauthor = "a typo\'d field"\n', '["tiny"\ntitle = "unclosed table"\n'],
    ids=["unknown-field", "toml-syntax-error"],
)
def test_malformed_metadata_is_reported_not_a_traceback(tmp_path: Path, metadata: str) -> None:
    """Regression, fixed in 91e98f6 (retrieval/corpus.py `load_metadata`): a hand-edited seeds/articles.toml with an unknown
    field (TypeError from ArticleMeta) or a TOML syntax error crashes `isnad ingest` with a raw
    traceback; it should say what is wrong with articles.toml (or ingest without that metadata)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.txt").write_text("وزار باتروشيف طهران حيث أجرى محادثات تناولت التعاون الأمني.\n", encoding="utf-8")
    (corpus / "articles.toml").write_text(metadata, encoding="utf-8")
    done = run(tmp_path / "data", "ingest", str(corpus))
    assert "Traceback" not in done.stderr
    assert "articles.toml" in done.stdout + done.stderr


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_empty_question_says_so(core_cli_index, question: str) -> None:
    data_dir, _ = core_cli_index
    done = run(data_dir, "ask", question)
    assert done.returncode == 2
    assert messages.text("empty_question", "en") in done.stdout + done.stderr
    done = run(data_dir, "ask", "--json", question)
    assert done.returncode == 2
    assert json.loads(done.stdout) == {"question": question, "error": {"code": 2, "message": messages.text("empty_question", "en")}}


def test_ask_without_question_is_a_usage_error(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "ask")
    assert done.returncode == 2 and "question" in done.stderr


def test_ask_before_ingest_indexes_the_corpus_first(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "ask", "--json", EN_QUESTION)
    assert done.returncode == 0, done.stderr
    assert "indexing" in done.stderr
    obj = json.loads(done.stdout)
    _check_answer(obj)
    assert obj["answered"]


def test_ask_writes_no_debug_logs_at_warning_level(core_cli_index) -> None:
    """Regression: bm25s sets its logger to DEBUG when imported, after main() configured logging."""
    data_dir, _ = core_cli_index
    done = run(data_dir, "ask", "--json", AR_QUESTION)
    assert "DEBUG" not in done.stderr


def test_seeds_folder_is_the_default_corpus() -> None:
    assert sorted(p.stem for p in SEEDS.glob("*.txt")) == sorted(SEED_TEXTS)


def test_ingest_rebuild_starts_from_an_empty_index(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "ingest", "--json").returncode == 0
    done = run(data, "ingest", "--rebuild", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == len(list(SEEDS.glob("*.txt")))


def test_example_env_is_a_valid_configuration(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "config" / "example.env"
    values = dict(
        line.split("=", 1) for line in example.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    )
    values.pop("ISNAD_DATA_DIR"), values.pop("ISNAD_CORPUS_DIR")
    assert run(tmp_path / "data", "ingest", "--json", **values).returncode == 0
    done = run(tmp_path / "data", "sources", "--json", **values)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == len(list(SEEDS.glob("*.txt")))


def test_eval_on_an_empty_data_dir_indexes_the_corpus_first(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "eval", "--json")
    assert done.returncode == 0, done.stderr
    assert "indexing" in done.stderr
    report = json.loads(done.stdout)
    assert report["all"]["evidence_quoted"] > 0.5 and report["all"]["verbatim"] == 1.0
