"""Incremental ingest (retrieval/ingest.py) against a real Chroma and the real embedder.

Each test builds a tiny corpus in tmp_path so that embedding stays fast.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.manifest import MANIFEST_FILE, SNAPSHOT_DIR, Manifest
from isnad.retrieval.search import CorpusView, HybridSearcher
from isnad.retrieval.store import CHUNKS, SENTENCES, VectorStore
from tests.conftest import ISNAD, CountingEmbedder, core_cli_env, core_make_settings
from tests.index_checks import assert_store_matches_manifest, small_articles

PATRUSHEV = (
    "تعاون أمني\n\n"
    "زار هذا الأسبوع سكرتير مجلس الأمن الروسي نيكولاي باتروشيف طهران حيث أجرى محادثات تناولت "
    "التعاون الأمني بين البلدين.\n\n"
    "وأفاد مجلس الأمن الروسي لاحقًا بأن البحث تطرق بالتفصيل إلى مسائل التعاون الثنائي في مجال حفظ "
    "الأمن، بما يشمل مواجهة الإرهاب والتطرف.\n\n"
    "زر الذهاب إلى الأعلى\n"
)
TREATY = (
    "شراكة استراتيجية\n\n"
    "عزز الرئيس الروسي فلاديمير بوتين ونظيره الإيراني مسعود بيزيشكيان العلاقات العسكرية بين بلديهما "
    "يوم الجمعة بتوقيع شراكة استراتيجية مدتها 20 عاماً من المرجح أن تثير قلق الغرب.\n"
    "وقال بوتين إن العمل على خط أنابيب الغاز المحتمل لنقل الغاز الروسي إلى إيران عبر أذربيجان "
    "يتقدم على الرغم من الصعوبات.\n"
)
NEW_SENTENCE = (
    "وأعلنت وزارة الدفاع الروسية أن السفن الحربية للبلدين ستجري تدريبات بحرية مشتركة في بحر قزوين "
    "خلال فصل الربيع المقبل."
)
OLD_SENTENCE = "يتقدم على الرغم من الصعوبات."


def _write(corpus: Path, name: str, text: str | bytes) -> Path:
    path = corpus / f"{name}.txt"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def core_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "patrushev", PATRUSHEV)
    _write(corpus, "treaty", TREATY)
    return corpus


@pytest.fixture
def core_spy(core_embedder) -> CountingEmbedder:
    return CountingEmbedder(core_embedder)


def _answerer(data_dir: Path, corpus: Path, embedder) -> Answerer:  # noqa: ANN001
    return Answerer(core_make_settings(data_dir, corpus), embedder=embedder)


def _search_texts(answerer: Answerer, question: str) -> list[str]:
    settings = answerer.settings
    view = CorpusView(Manifest.load(settings.data_dir), settings.search.chunk_chars)
    store = VectorStore(settings.chroma, settings.data_dir, answerer.embedder)
    result = HybridSearcher(store, answerer.embedder, view, settings.search).search(question)
    return [p.chunk.text for p in result.passages] + [c.sentence.text for c in result.candidates]


def test_first_sync_adds_and_second_sync_embeds_nothing(tmp_path: Path, core_corpus: Path, core_spy) -> None:
    answerer = _answerer(tmp_path / "data", core_corpus, core_spy)
    first = answerer.reindex()
    assert sorted(first.added) == ["patrushev", "treaty"]
    assert first.updated == first.removed == first.unchanged == first.skipped == []
    assert core_spy.passages > 0
    assert_store_matches_manifest(answerer)

    core_spy.passages = 0
    second = answerer.reindex()
    assert sorted(second.unchanged) == ["patrushev", "treaty"]
    assert second.added == second.updated == second.removed == []
    assert core_spy.passages == 0, "an unchanged corpus must cost no embedding"
    assert_store_matches_manifest(answerer)


def test_changed_article_is_replaced(tmp_path: Path, core_corpus: Path, core_embedder) -> None:
    answerer = _answerer(tmp_path / "data", core_corpus, core_embedder)
    answerer.reindex()
    old_hash = Manifest.load(tmp_path / "data").entries["treaty"].content_hash
    _write(core_corpus, "treaty", TREATY.replace(TREATY.splitlines()[-1], NEW_SENTENCE))

    report = answerer.reindex()
    assert report.updated == ["treaty"] and report.unchanged == ["patrushev"]
    new_hash = Manifest.load(tmp_path / "data").entries["treaty"].content_hash
    assert new_hash != old_hash
    texts = _search_texts(answerer, "أين ستجري السفن الحربية الروسية والإيرانية تدريبات بحرية مشتركة؟")
    assert any(NEW_SENTENCE in t for t in texts)
    assert not any(OLD_SENTENCE in t for t in _search_texts(answerer, "خط أنابيب الغاز عبر أذربيجان"))
    store = VectorStore(answerer.settings.chroma, answerer.settings.data_dir, core_embedder)
    assert store.stored_hashes()["treaty"] == {new_hash}
    assert_store_matches_manifest(answerer)
    snapshots = {p.name for p in (tmp_path / "data" / SNAPSHOT_DIR).iterdir()}
    assert snapshots == {f"treaty-{new_hash}.txt", f"patrushev-{Manifest.load(tmp_path / 'data').entries['patrushev'].content_hash}.txt"}


def test_removed_article_leaves_store_and_answers(tmp_path: Path, core_corpus: Path, core_embedder) -> None:
    answerer = _answerer(tmp_path / "data", core_corpus, core_embedder)
    answerer.reindex()
    question = "من زار طهران لإجراء محادثات حول التعاون الأمني؟"
    assert any(c.article_id == "patrushev" for c in answerer.answer(question).citations)

    (core_corpus / "patrushev.txt").unlink()
    report = answerer.reindex()
    assert report.removed == ["patrushev"] and report.unchanged == ["treaty"]
    store = VectorStore(answerer.settings.chroma, answerer.settings.data_dir, core_embedder)
    vector = core_embedder.embed_query(question)
    for kind in (CHUNKS, SENTENCES):
        assert {hit.article_id for hit in store.query(kind, vector, 50)} == {"treaty"}
    assert "patrushev" not in store.stored_hashes()
    assert all(c.article_id != "patrushev" for c in answerer.answer(question).citations)
    assert [s.article_id for s in answerer.sources()] == ["treaty"]
    assert_store_matches_manifest(answerer)


def test_a_store_before_any_ingest_finds_nothing(tmp_path: Path, core_corpus: Path, core_embedder) -> None:
    answerer = _answerer(tmp_path / "data", core_corpus, core_embedder)
    store = VectorStore(answerer.settings.chroma, answerer.settings.data_dir, core_embedder)
    vector = core_embedder.embed_query("من زار طهران؟")
    assert [store.query(kind, vector, 5) for kind in (CHUNKS, SENTENCES)] == [[], []]


def test_unusable_files_are_skipped_with_reasons(tmp_path: Path, core_corpus: Path, core_embedder) -> None:
    bad = {
        _write(core_corpus, "latin1", "روسيا".encode() + b"\xff\xfe broken"): "UTF-8",
        _write(core_corpus, "empty", ""): "empty",
        _write(core_corpus, "blank", "  \n\t\n"): "empty",
        _write(core_corpus, "binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"): "",
        _write(core_corpus, "huge", b"a" * 5_000_001): "too large",
    }
    outside = tmp_path / "outside.txt"
    outside.write_text(PATRUSHEV, encoding="utf-8")
    (core_corpus / "link.txt").symlink_to(outside)
    bad[core_corpus / "link.txt"] = "symlink"
    answerer = _answerer(tmp_path / "data", core_corpus, core_embedder)
    report = answerer.reindex()
    assert sorted(report.added) == ["patrushev", "treaty"]
    skipped = {item["path"]: item["reason"] for item in report.skipped}
    assert set(skipped) == {str(path) for path in bad}
    for path, word in bad.items():
        assert word in skipped[str(path)] and skipped[str(path)]
    assert "NUL" in skipped[str(core_corpus / "binary.txt")] or "UTF-8" in skipped[str(core_corpus / "binary.txt")]
    assert sorted(Manifest.load(tmp_path / "data").entries) == ["patrushev", "treaty"]
    assert_store_matches_manifest(answerer)


def test_nul_bytes_in_valid_utf8_are_reported_as_binary(tmp_path: Path, core_corpus: Path, core_embedder) -> None:
    path = _write(core_corpus, "nul", "نص عربي\x00مع صفر".encode())
    report = _answerer(tmp_path / "data", core_corpus, core_embedder).reindex()
    assert report.skipped == [{"path": str(path), "reason": "binary file (contains NUL bytes)"}]


def test_corrupted_indexed_article_keeps_its_indexed_version(tmp_path: Path, core_corpus: Path, core_embedder) -> None:
    answerer = _answerer(tmp_path / "data", core_corpus, core_embedder)
    answerer.reindex()
    before = Manifest.load(tmp_path / "data").entries["patrushev"].content_hash
    _write(core_corpus, "patrushev", b"\xd8\xb1\xd9\x88\xff garbage")

    report = answerer.reindex()
    assert [item["path"] for item in report.skipped] == [str(core_corpus / "patrushev.txt")]
    assert report.removed == [] and report.updated == []
    assert Manifest.load(tmp_path / "data").entries["patrushev"].content_hash == before
    assert answerer.article_text("patrushev") == PATRUSHEV
    answer = answerer.answer("من زار طهران لإجراء محادثات حول التعاون الأمني؟")
    cited = [c for c in answer.citations if c.article_id == "patrushev"]
    assert cited and all(PATRUSHEV[c.start : c.end] == c.quote for c in cited)
    assert_store_matches_manifest(answerer)


# -- interrupted ingest ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def core_killed_ingest(tmp_path_factory: pytest.TempPathFactory, core_embedder) -> tuple[Path, Path]:
    """A data dir holding a 2-article index, then an `isnad ingest` killed mid-run that was updating
    'patrushev' (text prepended, so its offsets move) and adding 28 small articles (sorted after it)."""
    root = tmp_path_factory.mktemp("killed")
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    _write(corpus, "patrushev", PATRUSHEV)
    _write(corpus, "treaty", TREATY)
    _answerer(data, corpus, core_embedder).reindex()
    _write(corpus, "patrushev", f"{NEW_SENTENCE}\n\n{PATRUSHEV}")
    for name, text in small_articles(28).items():
        _write(corpus, name, text)

    process = subprocess.Popen(
        [str(ISNAD), "ingest"], env=core_cli_env(data, corpus),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    snapshots = data / SNAPSHOT_DIR
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if sum(p.name.startswith("small_") for p in snapshots.iterdir()) >= 6:
                break
            time.sleep(0.01)
        assert process.poll() is None, "ingest finished before it could be interrupted"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return corpus, data


def _copy_state(state: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    import shutil

    corpus, data = (shutil.copytree(p, tmp_path / p.name) for p in state)
    return Path(corpus), Path(data)


def test_interrupted_ingest_leaves_previous_index_usable(core_killed_ingest, tmp_path: Path, core_embedder) -> None:
    corpus, data = _copy_state(core_killed_ingest, tmp_path)
    manifest = json.loads((data / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert {"patrushev", "treaty"} <= set(manifest["articles"])
    answerer = _answerer(data, corpus, core_embedder)
    answer = answerer.answer("كم مدة الشراكة الاستراتيجية التي وقعها بوتين وبيزيشكيان؟")
    assert answer.status in ("answered", "related") and answer.citations  # the old index still finds and quotes
    for citation in answer.citations:
        assert answerer.article_text(citation.article_id)[citation.start : citation.end] == citation.quote


def test_interrupted_ingest_kept_the_articles_it_committed(core_killed_ingest, tmp_path: Path, core_embedder) -> None:
    """Progress is committed every few articles: a killed run keeps them, complete, and the
    rerun embeds only the rest."""
    corpus, data = _copy_state(core_killed_ingest, tmp_path)
    listed = Manifest.load(data).entries
    committed = sorted(i for i in listed if i.startswith("small_"))
    assert committed, "the run was killed after six snapshots: at least one commit happened"
    store = VectorStore(core_make_settings(data, corpus).chroma, data, core_embedder)
    stored = store.stored_hashes()
    assert all(listed[i].content_hash in stored.get(i, set()) for i in listed)
    report = _answerer(data, corpus, core_embedder).reindex()
    assert set(committed) <= set(report.unchanged) and not set(committed) & set(report.added)


def test_rerun_after_interruption_stores_everything_once(core_killed_ingest, tmp_path: Path, core_embedder) -> None:
    corpus, data = _copy_state(core_killed_ingest, tmp_path)
    answerer = _answerer(data, corpus, core_embedder)
    report = answerer.reindex()
    small = [i for i in report.added + report.unchanged + report.updated if i.startswith("small_")]
    assert len(small) == 28 and "treaty" in report.unchanged and report.repaired == []
    assert len(Manifest.load(data).entries) == 30
    assert_store_matches_manifest(answerer)
    assert answerer.reindex().unchanged == sorted(Manifest.load(data).entries)


def test_rerun_after_interruption_drops_vectors_of_files_deleted_meanwhile(
    core_killed_ingest, tmp_path: Path, core_embedder
) -> None:
    """Regression, fixed in 91e98f6 (retrieval/ingest.py `sync`): vectors an interrupted run stored for an article that is
    deleted before the rerun are never removed (sync only deletes ids listed in the manifest), so
    the store keeps orphaned spans for ever."""
    corpus, data = _copy_state(core_killed_ingest, tmp_path)
    answerer = _answerer(data, corpus, core_embedder)
    store = VectorStore(answerer.settings.chroma, data, core_embedder)
    manifest = Manifest.load(data)
    written = set(store.stored_hashes()) | {article_id for article_id, _ in manifest.journaled()}
    orphans = sorted(written - set(manifest.entries))
    assert orphans, "the killed run was writing articles it had not committed"
    for article_id in orphans:
        (corpus / f"{article_id}.txt").unlink()
    answerer.reindex()
    assert_store_matches_manifest(answerer)


def test_article_being_updated_when_interrupted_stays_searchable(
    core_killed_ingest, tmp_path: Path, core_embedder
) -> None:
    """Regression, fixed in 91e98f6 (retrieval/ingest.py + store.replace_article): an article whose
    update was under way when the run was killed must stay quotable, from the version the
    manifest names (its previous one, or the new one once committed)."""
    corpus, data = _copy_state(core_killed_ingest, tmp_path)
    answerer = _answerer(data, corpus, core_embedder)
    text = answerer.article_text("patrushev")
    assert text in (PATRUSHEV, f"{NEW_SENTENCE}\n\n{PATRUSHEV}")
    answer = answerer.answer("من زار طهران لإجراء محادثات حول التعاون الأمني؟")
    cited = [c for c in answer.citations if c.article_id == "patrushev"]
    assert cited, "the indexed version of the article should still be quotable"
    assert all(text[c.start : c.end] == c.quote for c in cited)
