"""A running Answerer (a bot process) picks up an ingest made by another process, without a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

from isnad.bot.answer.answering import Answerer
from tests.conftest import SEEDS, core_make_settings

NEW_ARTICLE = (
    "أعلنت وزارة الخارجية الروسية أن وفداً من تتارستان سيزور مدينة أصفهان الإيرانية الشهر المقبل "
    "لبحث إنشاء خط ملاحي جديد لنقل الحبوب عبر بحر قزوين.\n"
)


def test_a_bot_process_sees_articles_another_process_indexed(core_seed_copy: Path, core_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = core_make_settings(core_seed_copy, corpus_dir=corpus)
    bot = Answerer(settings, embedder=core_embedder)
    assert len(bot.sources()) == 5

    (corpus / "005_caspian.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    operator = Answerer(settings, embedder=core_embedder)  # e.g. `isnad ingest` run by an operator
    assert operator.reindex().added == ["005_caspian"]

    assert len(bot.sources()) == 6
    answer = bot.answer("ما الذي سيبحثه وفد تتارستان في أصفهان؟")
    assert answer.answered and answer.citations[0].article_id == "005_caspian"
    assert bot.article_text("005_caspian")[answer.citations[0].start : answer.citations[0].end] == answer.citations[0].quote
