"""bench/near_miss.py, run as operators run it, on a 2-article XQuAD slice and on the public golden set."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from isnad.bot.answer import near_miss
from isnad.bot.answer.eval_sets import read_texts
from isnad.bot.answer.question import asks_for_number_or_date
from isnad.retrieval.chunking import split_sentences
from isnad.retrieval.corpus import content_lines
from tests.conftest import QUESTIONS_FILE, REPO, SEEDS

XQUAD = REPO / "tests" / "data" / "xquad"
SLICE_ARTICLES = ("xq_03_nikola_tesla", "xq_06_martin_luther")  # a fit and a heldout article
PER_ARTICLE = 5  # question ids kept per article (one a paragraph), each asked in Arabic and in English


def run_near_miss(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "near_miss.py"), *args],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )


def make_xquad_slice(folder: Path, articles: tuple[str, ...] = SLICE_ARTICLES) -> Path:
    """A copy of the XQuAD set reduced to a few articles, one question for each of their paragraphs
    (in both languages), and four off-corpus questions."""
    (folder / "corpus").mkdir(parents=True)
    for article in articles:
        shutil.copyfile(XQUAD / "corpus" / f"{article}.txt", folder / "corpus" / f"{article}.txt")
    shutil.copyfile(XQUAD / "corpus" / "articles.toml", folder / "corpus" / "articles.toml")
    shutil.copyfile(XQUAD / "splits.json", folder / "splits.json")
    lines = (XQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    texts = read_texts(folder / "corpus")
    first_by_paragraph = {}
    for item in (i for i in items if i["article"] in articles):
        first_by_paragraph.setdefault((item["article"], texts[item["article"]].count("\n\n", 0, item["start"])), item["id"])
    off_corpus = list(dict.fromkeys(i["id"] for i in items if not i["answerable"]))[:4]
    kept = [i for i in items if i["id"] in {*first_by_paragraph.values(), *off_corpus}]
    (folder / "questions.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in kept), encoding="utf-8")
    return folder / "questions.jsonl"


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def xquad_near_miss(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(slice questions file, near-miss output folder)."""
    questions = make_xquad_slice(tmp_path_factory.mktemp("xquad-slice"))
    out = tmp_path_factory.mktemp("near-miss")
    done = run_near_miss(str(questions), str(out))
    assert done.returncode == 0, done.stderr
    return questions, out


def test_xquad_corpora_drop_one_fold_of_paragraphs_and_keep_every_article(xquad_near_miss) -> None:
    questions, out = xquad_near_miss
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    folds = len(manifest["corpora"])  # the default: one paragraph of each (five-paragraph) article cut per copy
    assert manifest["format"] == "xquad" and folds == 5
    assert [c["name"] for c in manifest["corpora"]] == [f"near_miss_{k}" for k in range(folds)]
    originals = read_texts(questions.parent / "corpus")
    for k, entry in enumerate(manifest["corpora"]):
        assert (out / entry["corpus"] / "articles.toml").is_file()
        texts = read_texts(out / entry["corpus"])
        assert sorted(texts) == sorted(originals)
        for article, text in originals.items():
            paragraphs = text.split("\n\n")
            kept = [p for p in paragraphs if p in texts[article]]
            assert kept, f"{article} lost every paragraph"
            assert kept == [p for i, p in enumerate(paragraphs) if i % folds != k]


def test_xquad_near_miss_questions_are_exactly_those_whose_answer_paragraph_is_gone(xquad_near_miss) -> None:
    questions, out = xquad_near_miss
    originals = read_texts(questions.parent / "corpus")
    answerable = [i for i in load_jsonl(questions) if i["answerable"]]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["corpora"]:
        texts = read_texts(out / entry["corpus"])
        near = load_jsonl(out / entry["questions"])
        assert entry["count"] == len(near)
        assert all(i["answerable"] is False and i["near_miss"] is True and i["start"] is None for i in near)
        gone = []
        for item in answerable:
            text = originals[item["article"]]
            paragraph = text.split("\n\n")[text.count("\n\n", 0, item["start"])]
            assert item["answer_text"] in paragraph
            if paragraph not in texts[item["article"]]:
                gone.append((item["id"], item["lang"], item["answer_text"]))
        assert [(i["id"], i["lang"], i["answer_text"]) for i in near] == gone


def test_golden_corpora_cut_the_sentence_holding_each_quote(tmp_path: Path) -> None:
    done = run_near_miss(str(QUESTIONS_FILE), str(tmp_path / "out"), "--corpus", str(SEEDS))
    assert done.returncode == 0, done.stderr
    seeds = read_texts(SEEDS)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "golden" and manifest["corpora"]
    for entry in manifest["corpora"]:
        texts = read_texts(tmp_path / "out" / entry["corpus"])
        for item in load_jsonl(tmp_path / "out" / entry["questions"]):
            assert item["answerable"] is False and item["near_miss"] is True
            by_article = item.get("quotes_by_article") or {item["article"]: item["quotes"]}
            for article, quotes in by_article.items():
                raw = seeds[article]
                for quote in quotes:
                    start = raw.index(quote)
                    sentence = next(
                        s for s in split_sentences(article, raw, content_lines(raw)) if s.start <= start < s.end
                    )
                    assert quote not in texts[article] and sentence.text not in texts[article]


def test_operator_mistakes_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = run_near_miss(str(tmp_path / "nowhere.jsonl"), str(tmp_path / "out"))
    (tmp_path / "other.jsonl").write_text('{"question": "q", "id": 1, "lang": "en", "answerable": true}\n', encoding="utf-8")
    wrong = run_near_miss(str(tmp_path / "other.jsonl"), str(tmp_path / "out"))
    golden_detail = run_near_miss(str(QUESTIONS_FILE), str(tmp_path / "out"), "--detail")
    for done in (missing, wrong, golden_detail):
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_detail_corpora_cut_only_the_answer_words_of_number_and_date_questions() -> None:
    """A detail miss keeps the sentence (on topic, the question's words still there) without the
    number or date asked for; parallel questions share one copy; other questions are left out."""
    texts = read_texts(XQUAD / "corpus")
    items = [i for i in load_jsonl(XQUAD / "questions.jsonl") if i.get("article") in SLICE_ARTICLES]
    corpora = near_miss.detail_corpora(texts, items, asks_for_number_or_date)
    made = [i for c in corpora for i in c.items]
    typed = [i for i in items if i["answerable"] and asks_for_number_or_date(i["question"])]
    assert made and len(made) == len(typed) < len(items)
    assert all(i["detail"] and i["near_miss"] and not i["answerable"] for i in made)
    assert len(corpora) < len({i["id"] for i in made})  # the Arabic and English twins share their copy
    for corpus in corpora:
        for item in (i for i in items if i["id"] in {m["id"] for m in corpus.items}):
            original, kept = texts[item["article"]], corpus.texts[item["article"]]
            before = original[max(0, item["start"] - 12) : item["start"]]
            assert before + item["answer_text"] not in kept  # the detail is gone...
            assert before in kept  # ...the words before it stay


def test_detail_near_misses_are_written_for_isnad_eval(tmp_path: Path) -> None:
    questions = make_xquad_slice(tmp_path / "slice")
    done = run_near_miss(str(questions), str(tmp_path / "out"), "--detail")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    written = [i for entry in manifest["corpora"] for i in load_jsonl(tmp_path / "out" / entry["questions"])]
    assert written and all(i["detail"] and i["near_miss"] and asks_for_number_or_date(i["question"]) for i in written)
