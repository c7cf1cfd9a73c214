"""Nothing lost: rebuild deletes only what Isnad created, one writer per data dir, and the store
is checked against the manifest (and repaired) before every write. Real Chroma, real files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from isnad.bot.answer.answering import Answerer
from isnad.retrieval import datadir
from isnad.retrieval.datadir import MARKER_FILE, DataDirError, WriterBusy, writer_lock
from isnad.retrieval.ingest import sync
from isnad.retrieval.manifest import SNAPSHOT_DIR, Manifest
from isnad.retrieval.store import VectorStore
from tests.conftest import ISNAD, core_cli_env, core_make_settings
from tests.index_checks import assert_store_matches_manifest, small_articles

QUESTION = "من زار طهران لإجراء محادثات حول التعاون الأمني؟"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Eight short articles made of seed sentences."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in small_articles(8).items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _answerer(data_dir: Path, corpus_dir: Path, embedder) -> Answerer:  # noqa: ANN001
    return Answerer(core_make_settings(data_dir, corpus_dir), embedder=embedder)


def _isnad(data_dir: Path | str, corpus_dir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ISNAD), *args], capture_output=True, text=True, encoding="utf-8", timeout=180, cwd=cwd,
        env=core_cli_env(data_dir, corpus_dir),  # type: ignore[arg-type]
    )


def _one_line_failure(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("isnad: ")
    return line


# -- rebuild deletes only what Isnad created ------------------------------------------------------

def test_rebuild_refuses_a_data_dir_holding_other_files(tmp_path: Path, corpus: Path, core_embedder) -> None:
    data = tmp_path / "data"
    _answerer(data, corpus, core_embedder).reindex()
    (data / "notes").mkdir()
    (data / "notes" / "keep.md").write_text("mine", encoding="utf-8")
    (data / "budget.xlsx").write_bytes(b"mine")
    line = _one_line_failure(_isnad(data, corpus, "ingest", "--rebuild"), 3)
    assert "budget.xlsx" in line and "notes" in line
    assert (data / "notes" / "keep.md").read_text(encoding="utf-8") == "mine" and (data / "budget.xlsx").exists()
    assert len(Manifest.load(data).entries) == 8


def test_rebuild_refuses_the_corpus_folder_as_data_dir(corpus: Path) -> None:
    before = sorted(p.name for p in corpus.iterdir())
    line = _one_line_failure(_isnad(corpus, corpus, "ingest", "--rebuild"), 3)
    assert "corpus" in line
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_ingest_refuses_the_corpus_folder_as_data_dir(corpus: Path) -> None:
    _one_line_failure(_isnad(corpus, corpus, "ingest"), 3)
    assert not (corpus / "manifest.json").exists()


def test_rebuild_refuses_the_working_directory(tmp_path: Path, corpus: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "report.txt").write_text("mine", encoding="utf-8")
    line = _one_line_failure(_isnad(".", corpus, "ingest", "--rebuild", cwd=work), 3)
    assert "working directory" in line
    assert (work / "report.txt").read_text(encoding="utf-8") == "mine"


def test_an_empty_data_dir_setting_is_refused(tmp_path: Path, corpus: Path) -> None:
    (tmp_path / "report.txt").write_text("mine", encoding="utf-8")
    line = _one_line_failure(_isnad("", corpus, "ingest", "--rebuild", cwd=tmp_path), 3)
    assert "ISNAD_DATA_DIR" in line
    assert (tmp_path / "report.txt").exists()


def test_rebuild_keeps_the_marker_and_rebuilds_everything(tmp_path: Path, corpus: Path) -> None:
    data = tmp_path / "data"
    assert _isnad(data, corpus, "ingest").returncode == 0
    assert (data / MARKER_FILE).is_file()
    done = _isnad(data, corpus, "ingest", "--rebuild", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 8
    assert all(datadir.is_owned(p.name) for p in data.iterdir())
    assert not (data / datadir.STAGING_DIR).exists()


def test_rebuild_through_a_symlinked_data_dir_leaves_a_store_that_answers(
    tmp_path: Path, corpus: Path, core_embedder
) -> None:
    real = tmp_path / "real-data"
    link = tmp_path / "data"
    link.symlink_to(real, target_is_directory=True)
    assert _isnad(link, corpus, "ingest").returncode == 0
    done = _isnad(link, corpus, "ingest", "--rebuild", "--json")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    answerer = _answerer(link, corpus, core_embedder)
    assert len(answerer.sources()) == 8
    assert_store_matches_manifest(answerer)
    again = _isnad(link, corpus, "ingest", "--json")
    assert json.loads(again.stdout)["unchanged"] == 8


def test_a_killed_rebuild_leaves_the_old_index_answering(tmp_path: Path, core_embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in small_articles(12).items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    _answerer(data, corpus, core_embedder).reindex()
    before = Manifest.load(data).entries
    process = subprocess.Popen([str(ISNAD), "ingest", "--rebuild"], env=core_cli_env(data, corpus),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staged = data / datadir.STAGING_DIR / SNAPSHOT_DIR
    try:
        while process.poll() is None and not (staged.is_dir() and len(os.listdir(staged)) >= 3):
            time.sleep(0.01)
        assert process.poll() is None, "the rebuild finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    answerer = _answerer(data, corpus, core_embedder)
    assert {i: e.content_hash for i, e in Manifest.load(data).entries.items()} == {
        i: e.content_hash for i, e in before.items()
    }
    assert_store_matches_manifest(answerer)
    assert len(answerer.sources()) == 12
    report = answerer.reindex(rebuild=True)
    assert len(report.added) == 12 and not (data / datadir.STAGING_DIR).exists()
    assert_store_matches_manifest(answerer)


def test_an_interrupted_swap_is_completed_by_the_next_writer(tmp_path: Path, corpus: Path, core_embedder) -> None:
    """A rebuild killed after some of its entries were moved in: the next run finishes the swap."""
    data = tmp_path / "data"
    answerer = _answerer(data, corpus, core_embedder)
    answerer.reindex()
    (corpus / "small_000.txt").unlink()  # the new index differs from the old one
    staging = datadir.staging_dir(data)
    settings = answerer.settings
    sync(corpus, Manifest(staging), VectorStore(settings.chroma, staging, core_embedder), core_embedder,
         chunk_chars=settings.search.chunk_chars)
    datadir.begin_swap(data)
    os.replace(data / SNAPSHOT_DIR, data / "retired-by-hand")  # the first move, then "killed"
    os.replace(staging / SNAPSHOT_DIR, data / SNAPSHOT_DIR)
    shutil.rmtree(data / "retired-by-hand")

    report = _answerer(data, corpus, core_embedder).reindex()
    assert len(report.unchanged) == 7 and report.added == report.repaired == []
    assert not datadir.swap_pending(data) and not staging.exists()
    assert_store_matches_manifest(_answerer(data, corpus, core_embedder))


def test_a_data_dir_that_is_a_file_is_refused_in_one_line(tmp_path: Path, corpus: Path) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder", encoding="utf-8")
    for command in (["ingest"], ["ask", "سؤال؟"], ["sources"]):
        line = _one_line_failure(_isnad(data, corpus, *command), 3)
        assert "not a folder" in line


# -- one writer at a time -----------------------------------------------------------------------

def test_a_second_ingest_waits_for_the_first(tmp_path: Path, corpus: Path) -> None:
    data = tmp_path / "data"
    with writer_lock(data):
        process = subprocess.Popen([str(ISNAD), "ingest", "--json"], env=core_cli_env(data, corpus),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert "waiting" in process.stderr.readline()
        assert process.poll() is None and not (data / "manifest.json").exists()
    out, _ = process.communicate(timeout=180)
    assert process.returncode == 0 and json.loads(out)["added"] == 8


def test_the_bots_reindex_does_not_wait_for_another_writer(tmp_path: Path, corpus: Path, core_embedder) -> None:
    data = tmp_path / "data"
    with writer_lock(data), pytest.raises(WriterBusy):
        _answerer(data, corpus, core_embedder).reindex(wait=False)


def test_two_ingests_of_different_corpora_leave_one_consistent_index(tmp_path: Path, core_embedder) -> None:
    articles = small_articles(16)
    corpora = []
    for half in (0, 1):
        folder = tmp_path / f"corpus{half}"
        folder.mkdir()
        for name in sorted(articles)[half * 6 : half * 6 + 10]:  # overlapping: 4 in common
            (folder / f"{name}.txt").write_text(articles[name] if half == 0 else articles[name] + "\n", encoding="utf-8")
        corpora.append(folder)
    data = tmp_path / "data"
    runs = [subprocess.Popen([str(ISNAD), "ingest"], env=core_cli_env(data, c), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for c in corpora]
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    listed = Manifest.load(data).entries
    assert sorted(listed) in ([f"small_{i:03d}" for i in range(0, 10)], [f"small_{i:03d}" for i in range(6, 16)])
    assert_store_matches_manifest(_answerer(data, corpora[0], core_embedder))
    assert {p.name for p in (data / SNAPSHOT_DIR).iterdir()} == {f"{i}-{e.content_hash}.txt" for i, e in listed.items()}


# -- the store and the manifest never disagree ----------------------------------------------------

def test_articles_listed_without_vectors_or_snapshot_are_embedded_again(
    tmp_path: Path, corpus: Path, core_embedder
) -> None:
    data = tmp_path / "data"
    answerer = _answerer(data, corpus, core_embedder)
    answerer.reindex()
    manifest = Manifest.load(data)
    store = VectorStore(answerer.settings.chroma, data, core_embedder)
    store.delete_version("small_001", manifest.entries["small_001"].content_hash)  # as a lost race left it
    manifest.snapshot_path("small_002", manifest.entries["small_002"].content_hash).unlink()
    report = answerer.reindex()
    assert report.repaired == ["small_001", "small_002"] and report.added == []
    assert len(report.unchanged) == 6
    assert_store_matches_manifest(answerer)
    assert answerer.reindex().repaired == []


def test_writer_lock_creates_and_marks_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    with writer_lock(data):
        assert (data / MARKER_FILE).is_file()
    with pytest.raises(DataDirError):
        datadir.check_rebuildable(tmp_path / "new", tmp_path / "elsewhere")  # holds `data`, not Isnad's
