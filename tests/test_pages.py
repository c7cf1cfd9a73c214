"""Saved web pages as articles: main text and metadata extracted (trafilatura on pages made here),
articles.toml winning, citations verbatim into the stored text, duplicates skipped. Real embedder
and Chroma."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.indexer import update_index
from isnad.retrieval.manifest import Manifest
from tests.pages_site import (
    ARABIC_META,
    ARABIC_SENTENCES,
    BARE_SENTENCES,
    BOILERPLATE,
    NEWS_META,
    NEWS_SENTENCES,
    arabic_page,
    bare_page,
    news_page,
    page_settings,
)


def _meta(entry) -> dict[str, str]:  # noqa: ANN001
    return {k: getattr(entry.meta, k) for k in NEWS_META}


@pytest.fixture
def page_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.html").write_text(news_page(), encoding="utf-8")
    (corpus / "partnership.htm").write_text(arabic_page(), encoding="utf-8")
    (corpus / "bare.html").write_text(bare_page(), encoding="utf-8")
    return corpus


def test_saved_pages_are_indexed_with_main_text_and_metadata(tmp_path: Path, page_corpus: Path, core_embedder) -> None:
    (page_corpus / "articles.toml").write_text('[bare]\ntitle = "Springfield libraries"\n', encoding="utf-8")
    settings = page_settings(tmp_path, page_corpus)
    report = update_index(settings, core_embedder, page_corpus)
    assert sorted(report.added) == ["bare", "news", "partnership"] and not report.skipped
    manifest = Manifest.load(settings.data_dir)
    assert _meta(manifest.entries["news"]) == NEWS_META
    assert _meta(manifest.entries["partnership"]) == ARABIC_META
    bare = manifest.entries["bare"].meta
    assert (bare.title, bare.publisher, bare.date, bare.url, bare.language) == ("Springfield libraries", "", "", "", "en")
    for article_id, sentences in (("news", NEWS_SENTENCES), ("partnership", ARABIC_SENTENCES), ("bare", BARE_SENTENCES)):
        text = manifest.load_article(article_id).raw_text
        assert all(s in text for s in sentences), article_id
        assert not any(b.lower() in text.lower() for b in (*BOILERPLATE, "Related articles", "شارك المقال", "جميع الحقوق"))
    # a person can open the text the citations point into
    snapshot = manifest.snapshot_path("news", manifest.entries["news"].content_hash)
    assert snapshot.read_text(encoding="utf-8") == manifest.load_article("news").raw_text

    answerer = Answerer(settings, embedder=core_embedder)
    answer = answerer.answer("How many drones is the Alabuga plant expected to produce?")
    assert answer.answered and answer.citations
    for c in answer.citations:
        assert c.quote == answerer.article_text(c.article_id)[c.start : c.end]
    assert answer.citations[0].article_id == "news" and "six thousand" in answer.citations[0].quote
    assert (answer.citations[0].title, answer.citations[0].url) == (NEWS_META["title"], NEWS_META["url"])

    again = update_index(settings, core_embedder, page_corpus)  # unchanged pages: nothing re-extracted or embedded
    assert sorted(again.unchanged) == ["bare", "news", "partnership"] and not again.added


def test_duplicate_pages_and_clashing_names_are_not_indexed_twice(tmp_path: Path, page_corpus: Path, core_embedder) -> None:
    settings = page_settings(tmp_path, page_corpus)
    update_index(settings, core_embedder, page_corpus)
    shutil.copy(page_corpus / "news.html", page_corpus / "news-again.html")  # same text and URL
    (page_corpus / "bare.txt").write_text("A text file with the name of a page.\n", encoding="utf-8")
    report = update_index(settings, core_embedder, page_corpus)
    reasons = {Path(s["path"]).name: s["reason"] for s in report.skipped}
    assert set(reasons) == {"news-again.html", "bare.txt"}
    assert "same page as the article 'news'" in reasons["news-again.html"]
    assert "same name" in reasons["bare.txt"]
    assert sorted(Manifest.load(settings.data_dir).entries) == ["bare", "news", "partnership"]
