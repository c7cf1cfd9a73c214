"""Every file is judged alone: a file that cannot be read, named or snapshotted, or whose
metadata is invalid, is skipped with a reason and the others are indexed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.corpus import MAX_ID_BYTES
from isnad.retrieval.manifest import Manifest
from tests.conftest import ISNAD, core_cli_env, core_make_settings
from tests.index_checks import assert_store_matches_manifest, small_articles

ARTICLES = small_articles(2)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _reindex(tmp_path: Path, corpus: Path, embedder) -> tuple[Answerer, dict[str, str]]:  # noqa: ANN001
    answerer = Answerer(core_make_settings(tmp_path / "data", corpus), embedder=embedder)
    report = answerer.reindex()
    assert sorted(report.added) == sorted(ARTICLES)
    return answerer, {item["path"]: item["reason"] for item in report.skipped}


def test_hostile_files_are_skipped_and_the_others_indexed(tmp_path: Path, corpus: Path, core_embedder) -> None:
    loop = corpus / "loop.txt"
    loop.symlink_to(corpus / "loop.txt")
    long_name = corpus / f"{'a' * 250}.txt"
    long_name.write_text(ARTICLES["small_000"] + "x\n", encoding="utf-8")
    fifo = corpus / "fifo.txt"
    os.mkfifo(fifo)
    newline = corpus / "two\nlines.txt"
    newline.write_text(ARTICLES["small_000"] + "y\n", encoding="utf-8")
    undecodable = Path(os.fsdecode(bytes(corpus) + b"/bad\xff.txt"))
    undecodable.write_text(ARTICLES["small_000"] + "z\n", encoding="utf-8")

    answerer, skipped = _reindex(tmp_path, corpus, core_embedder)
    assert "symlink loop" in skipped[str(loop)].lower() or "too many levels" in skipped[str(loop)].lower()
    assert "too long" in skipped[str(long_name)] and str(MAX_ID_BYTES) in skipped[str(long_name)]
    assert "FIFO" in skipped[str(fifo)]
    assert "control character" in skipped[str(corpus / "two\\nlines.txt")]
    assert "UTF-8" in skipped[str(corpus) + "/bad\\udcff.txt"]
    assert len(skipped) == 5
    assert sorted(Manifest.load(tmp_path / "data").entries) == sorted(ARTICLES)
    assert_store_matches_manifest(answerer)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_skipped(tmp_path: Path, corpus: Path, core_embedder) -> None:
    secret = corpus / "secret.txt"
    secret.write_text("نص", encoding="utf-8")
    secret.chmod(0)
    _, skipped = _reindex(tmp_path, corpus, core_embedder)
    assert "ermission" in skipped[str(secret)]


def test_metadata_is_validated_per_article(tmp_path: Path, corpus: Path, core_embedder) -> None:
    (corpus / "articles.toml").write_text(
        '[small_000]\ntitle = "Treaty"\ndate = 2025-01-17\n\n[small_001]\ntitle = 42\n', encoding="utf-8"
    )
    answerer = Answerer(core_make_settings(tmp_path / "data", corpus), embedder=core_embedder)
    report = answerer.reindex()
    assert report.added == ["small_000"]
    [item] = report.skipped
    assert item["path"] == str(corpus / "small_001.txt")
    assert "articles.toml" in item["reason"] and "small_001" in item["reason"] and "'title'" in item["reason"]
    meta = Manifest.load(tmp_path / "data").entries["small_000"].meta
    assert (meta.title, meta.date) == ("Treaty", "2025-01-17")

    (corpus / "articles.toml").write_text('[small_001]\ntitle = "Fixed"\n', encoding="utf-8")
    assert answerer.reindex().added == ["small_001"]
    assert {s.article_id: s.title for s in answerer.sources()} == {"small_000": "small_000", "small_001": "Fixed"}


def test_sources_lists_articles_whose_metadata_was_a_toml_date_or_a_number(tmp_path: Path, corpus: Path) -> None:
    (corpus / "articles.toml").write_text('[small_000]\ndate = 2025-01-17\n[small_001]\ntitle = 7\n', encoding="utf-8")
    env = core_cli_env(tmp_path / "data", corpus)
    ingest = subprocess.run([str(ISNAD), "ingest"], capture_output=True, text=True, env=env, timeout=180)
    assert ingest.returncode == 0, ingest.stderr
    assert "skipped" in ingest.stdout and "'title'" in ingest.stdout
    done = subprocess.run([str(ISNAD), "sources", "--json"], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"article_id": "small_000", "title": "small_000", "publisher": "", "date": "2025-01-17", "url": ""}
    ]
