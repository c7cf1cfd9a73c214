"""Articles with nothing to quote are indexed without error and cost nothing to search."""

from __future__ import annotations

from pathlib import Path

from isnad.bot.answer.answering import Answerer
from tests.conftest import core_make_settings


def test_articles_with_only_furniture_or_headings_are_indexed(tmp_path: Path, core_embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "furniture.txt").write_text("زر الذهاب إلى الأعلى\nمقالات ذات صلة\n", encoding="utf-8")
    (corpus / "heading.txt").write_text("التعاون الروسي الإيراني\n", encoding="utf-8")
    answerer = Answerer(core_make_settings(tmp_path / "data", corpus_dir=corpus), embedder=core_embedder)
    report = answerer.reindex()
    assert sorted(report.added) == ["furniture", "heading"] and report.skipped == []
    answer = answerer.answer("ما هو التعاون الروسي الإيراني؟")
    assert not answer.answered and answer.citations == ()
