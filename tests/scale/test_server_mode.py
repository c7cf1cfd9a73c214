"""The core behaviours with Chroma in server mode (HttpClient to a real `chroma run`), compared
with the embedded store: same answers, same citations, same incremental ingest."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import chromadb
import pytest

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.manifest import Manifest
from isnad.retrieval.store import CHUNKS, SENTENCES, EmbedderMismatch, VectorStore, drop_collections
from isnad.settings import Settings
from tests.conftest import SEEDS, CountingEmbedder, core_make_settings, core_questions, core_seed_texts
from tests.index_checks import assert_store_matches_manifest

ANSWERABLE = [q for q in core_questions() if q["answerable"]]
SEED_TEXTS = core_seed_texts()
KEPT, CHANGED = "000_9099e66b1ee44376", "004_543f2c3d62828e27"  # the two smallest seeds
ADDED_SENTENCE = "وأعلنت وزارة الدفاع الروسية أن السفن الحربية للبلدين ستجري تدريبات بحرية مشتركة في بحر قزوين."
NAVAL_QUESTION = "أين ستجري السفن الحربية للبلدين تدريبات بحرية مشتركة؟"


@pytest.fixture(scope="module")
def server_answerer(scale_server_seed_dir: tuple[Path, str], scale_chroma, core_embedder) -> Answerer:  # noqa: ANN001
    data_dir, prefix = scale_server_seed_dir
    return Answerer(scale_chroma.settings(data_dir, prefix=prefix), embedder=core_embedder)


def _citations(answer) -> list[tuple[str, int, int]]:  # noqa: ANN001 - isnad.retrieval.models.Answer
    return [(c.article_id, c.start, c.end) for c in answer.citations]


@pytest.mark.parametrize("item", ANSWERABLE[:8], ids=[q["id"] for q in ANSWERABLE[:8]])
def test_server_answers_quote_the_articles_verbatim(server_answerer: Answerer, item: dict) -> None:
    answer = server_answerer.answer(item["question"])
    assert answer.status in ("answered", "related") and answer.citations, answer.text
    assert answer.language == item["lang"]
    for citation in answer.citations:
        assert citation.quote == SEED_TEXTS[citation.article_id][citation.start : citation.end]
        assert citation.quote == server_answerer.article_text(citation.article_id)[citation.start : citation.end]


def test_server_and_embedded_stores_give_the_same_citations(server_answerer: Answerer, core_answerer: Answerer) -> None:
    assert core_answerer.settings.chroma.host is None and server_answerer.settings.chroma.host
    for item in ANSWERABLE[:6]:
        server, embedded = server_answerer.answer(item["question"]), core_answerer.answer(item["question"])
        assert _citations(server) == _citations(embedded), item["id"]
        assert server.text == embedded.text


@dataclass
class Step:
    """What one ingest did and what the store and the answers looked like afterwards."""

    counts: dict[str, object]
    embedded_texts: int
    stored: dict[str, set[str]]
    spans: tuple[int, int]
    naval_citations: list[tuple[str, int, int]]
    manifest: dict[str, str]


def _ingest_scenario(settings: Settings, corpus: Path, embedder) -> dict[str, Step]:  # noqa: ANN001
    """Index two articles, re-index unchanged, change one, delete the other; a Step after each."""
    for article_id in (KEPT, CHANGED):
        shutil.copyfile(SEEDS / f"{article_id}.txt", corpus / f"{article_id}.txt")
    spy = CountingEmbedder(embedder)
    answerer = Answerer(settings, embedder=spy)
    changes = {
        "first": lambda: None,
        "unchanged": lambda: None,
        "changed": lambda: (corpus / f"{CHANGED}.txt").write_text(SEED_TEXTS[CHANGED] + ADDED_SENTENCE + "\n", encoding="utf-8"),
        "deleted": lambda: (corpus / f"{KEPT}.txt").unlink(),
    }
    steps = {}
    for name, change in changes.items():
        change()
        spy.passages = 0
        report = answerer.reindex(corpus)
        store = VectorStore(settings.chroma, settings.data_dir, embedder)
        steps[name] = Step(report.counts(), spy.passages, store.stored_hashes(),
                           (store.count(CHUNKS), store.count(SENTENCES)), _citations(answerer.answer(NAVAL_QUESTION)),
                           {k: e.content_hash for k, e in Manifest.load(settings.data_dir).entries.items()})
    return steps


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory, scale_chroma, core_embedder) -> dict[str, dict[str, Step]]:  # noqa: ANN001
    """The same ingest scenario run with the embedded store and with the server."""
    results = {}
    for mode in ("embedded", "server"):
        root = tmp_path_factory.mktemp(f"scenario-{mode}")
        (root / "corpus").mkdir()
        settings = (core_make_settings(root / "data", root / "corpus") if mode == "embedded"
                    else scale_chroma.settings(root / "data", root / "corpus"))
        results[mode] = _ingest_scenario(settings, root / "corpus", core_embedder)
    return results


def test_server_incremental_ingest_embeds_only_what_changed(scenarios: dict[str, dict[str, Step]]) -> None:
    steps = scenarios["server"]
    assert steps["first"].counts["added"] == 2 and steps["first"].embedded_texts > 0
    assert steps["unchanged"].counts["unchanged"] == 2 and steps["unchanged"].embedded_texts == 0
    assert steps["unchanged"].stored == steps["first"].stored and steps["unchanged"].spans == steps["first"].spans
    assert steps["changed"].counts["updated"] == 1 and steps["changed"].embedded_texts > 0
    assert steps["changed"].stored[CHANGED] != steps["first"].stored[CHANGED]
    assert all(len(hashes) == 1 for hashes in steps["changed"].stored.values()), "old versions are removed"
    assert any(c[0] == CHANGED for c in steps["changed"].naval_citations), "the added sentence is found"
    assert steps["deleted"].counts["removed"] == 1 and steps["deleted"].embedded_texts == 0
    assert set(steps["deleted"].stored) == {CHANGED}
    for step in steps.values():
        assert step.stored == {k: {h} for k, h in step.manifest.items()}, "the server holds what the manifest names"


def test_server_incremental_ingest_matches_embedded_mode(scenarios: dict[str, dict[str, Step]]) -> None:
    assert scenarios["server"] == scenarios["embedded"]


def test_rebuild_drops_the_server_collections_built_by_another_embedder(scale_chroma, core_embedder, tmp_path: Path) -> None:  # noqa: ANN001
    settings = scale_chroma.settings(tmp_path / "data", prefix="rebuild")
    Answerer(settings, embedder=core_embedder).reindex(SEEDS)

    class OtherEmbedder:
        name = "another-model"

    with pytest.raises(EmbedderMismatch):
        VectorStore(settings.chroma, settings.data_dir, OtherEmbedder())  # type: ignore[arg-type]
    drop_collections(settings.chroma, settings.data_dir)
    VectorStore(settings.chroma, settings.data_dir, OtherEmbedder())  # type: ignore[arg-type]  # accepted now


def test_rebuild_on_a_server_builds_staging_collections_and_swaps_them_in(scale_chroma, core_embedder, tmp_path: Path) -> None:  # noqa: ANN001
    settings = scale_chroma.settings(tmp_path / "data")
    answerer = Answerer(settings, embedder=core_embedder)
    answerer.reindex(SEEDS)
    report = answerer.reindex(SEEDS, rebuild=True)
    assert len(report.added) == len(core_seed_texts())
    assert_store_matches_manifest(answerer)
    prefix = settings.chroma.collection_prefix
    names = {c.name for c in chromadb.HttpClient(host=scale_chroma.host, port=scale_chroma.port).list_collections()}
    assert {f"{prefix}_chunks", f"{prefix}_sentences"} <= names
    assert not any(name.startswith(f"{prefix}_staging") for name in names)
    assert answerer.answer(core_questions()[0]["question"]).status == "answered"
