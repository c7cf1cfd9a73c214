"""Adding articles from Telegram and new-article notices: the real bot against the fake Bot API,
pages served by a real HTTP server on 127.0.0.1, a private copy of the seed index."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from bot_harness import EN_QUESTION, SEEDS
from fake_bot_api import document_update, message_update
from tg_html import visible_text

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer
from isnad.retrieval.manifest import Manifest
from isnad.settings import load_settings
from tests.pages_site import ARABIC_META, NEWS_META, arabic_page, serving

ADMIN, USER, SUBSCRIBER, ASKER = 41, 42, 43, 44
POLL = 0.2  # seconds between looks for new articles


@pytest.fixture
def own_answerer(answerer: Answerer, tmp_path: Path) -> Answerer:
    """The seed index copied into this test's folders, fetching allowed from 127.0.0.1."""
    data, corpus = tmp_path / "data", tmp_path / "corpus"
    shutil.copytree(answerer.settings.data_dir, data, ignore=shutil.ignore_patterns("telegram-*.pickle"))
    shutil.copytree(SEEDS, corpus)
    settings = load_settings(data_dir=data, corpus_dir=corpus, fetch={"allow_private": True, "max_bytes": 100_000})
    return Answerer(settings, embedder=answerer.embedder)


def texts(bot, chat: int) -> list[str]:  # noqa: ANN001
    return [visible_text(r.params["text"]) for r in bot.sent(chat)]


async def test_admin_adds_links_and_files_subscribers_hear_once(run_bot, own_answerer: Answerer) -> None:
    before = set(Manifest.load(own_answerer.settings.data_dir).entries)
    with serving() as site:
        async with run_bot(own_answerer, admin_ids=[ADMIN], notify_seconds=POLL) as bot:
            await bot.send(message_update(SUBSCRIBER, "/subscribe"))
            await bot.send(message_update(USER, "/subscribe"))
            await bot.send(message_update(USER, "/unsubscribe"))
            await bot.send(message_update(USER, f"/add {site}/news"))  # not an admin
            assert texts(bot, USER)[-1].strip("\u200e\u200f") == messages.text("add_admins_only", "en")
            assert set(Manifest.load(own_answerer.settings.data_dir).entries) == before

            adding = await bot.api.push(message_update(ADMIN, f"{site}/news {site}/bare"))  # a message of links
            await bot.api.wait_for("sendMessage", chat_id=ADMIN)  # "adding…": the ingest has started
            await bot.send(message_update(ASKER, EN_QUESTION))  # answered meanwhile
            await bot.handled(adding, timeout=120)
            asked, added = bot.sent(ASKER)[-1], bot.sent(ADMIN)[-1]
            assert "<blockquote>" in asked.params["text"] and asked.at < added.at
            report = texts(bot, ADMIN)[-1]
            assert NEWS_META["title"] in report and "2 added" in report

            await bot.api.wait_for("sendMessage", count=2, chat_id=SUBSCRIBER)  # "subscribed", then the notice
            await bot.send(message_update(ADMIN, f"/add {site}/news"))  # already indexed: no notice
            assert "already indexed" in texts(bot, ADMIN)[-1]
            await asyncio.sleep(5 * POLL)

        notices = texts(bot, SUBSCRIBER)[1:]
        assert len(notices) == 2 and not any("📰" in t for t in texts(bot, USER)), "unsubscribed chats hear nothing"
        news = next(n for n in notices if NEWS_META["title"] in n)
        assert all(NEWS_META[k] in news for k in ("publisher", "date", "url"))

        page = arabic_page().encode()
        bot.api.put_file("page-1", page)
        async with run_bot(own_answerer, admin_ids=[ADMIN], notify_seconds=POLL) as again:  # restarted
            await asyncio.sleep(5 * POLL)
            assert len(texts(again, SUBSCRIBER)) == 3, "a restart announced old articles again"
            await again.send(document_update(ADMIN, "page-1", "partnership.html", len(page)), timeout=120)
            assert ARABIC_META["title"] in texts(again, ADMIN)[-1]
            await again.api.wait_for("sendMessage", count=4, chat_id=SUBSCRIBER)
            await asyncio.sleep(5 * POLL)
        assert len(texts(again, SUBSCRIBER)) == 4 and ARABIC_META["title"] in texts(again, SUBSCRIBER)[-1]
    assert len(Manifest.load(own_answerer.settings.data_dir).entries) == len(before) + 3


async def test_files_from_non_admins_and_oversized_files_are_refused(run_bot, own_answerer: Answerer) -> None:
    page = arabic_page().encode()
    async with run_bot(own_answerer, admin_ids=[ADMIN]) as bot:
        bot.api.put_file("f", page)
        await bot.send(document_update(USER, "f", "page.html", len(page), language_code="ar"))
        await bot.send(document_update(ADMIN, "f", "page.html", 10_000_000))
        await bot.send(message_update(ADMIN, "/add"))
    assert texts(bot, USER)[-1].strip("\u200e\u200f") == messages.text("add_admins_only", "ar")
    assert texts(bot, ADMIN)[0].strip("\u200e\u200f") == messages.text("add_too_large", "en", limit=100_000)
    assert texts(bot, ADMIN)[1].strip("\u200e\u200f") == messages.text("add_usage", "en")
    assert not bot.api.calls("getFile")
