"""Running the real bot against the fake Bot API in tests: settings, lifecycle, and waiting for
updates to be handled. Shared constants (token, questions) live here too."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fake_bot_api import FakeBotAPI, Request
from telegram.ext import Application, BaseUpdateProcessor

from isnad.bot.answer.answering import Answerer
from isnad.settings import BotSettings, Settings, TelegramSettings

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
AR_QUESTION = "من هو نظير نيكولاي باتروشيف الإيراني الذي التقاه في طهران؟"
EN_QUESTION = "In which Russian region did Russia and Iran set up a factory in 2023 to manufacture Iranian drones?"
UNANSWERABLE = "What is the recipe for a chocolate cake?"  # off topic: "not found"


def bot_settings(answerer: Answerer, api_url: str, token: str = TOKEN, **bot: Any) -> Settings:
    """The answerer's settings with a Telegram section pointing at the fake server."""
    telegram = TelegramSettings(bot_token=token, api_url=api_url, webhook_secret=bot.pop("webhook_secret", None))
    return answerer.settings.model_copy(update={"telegram": telegram, "bot": BotSettings(**bot)})


class _Tracking(BaseUpdateProcessor):
    """The application's update processor, also reporting each update once all its handlers ran
    (including updates the access gate stopped in group -1)."""

    def __init__(self, inner: BaseUpdateProcessor, done: Any) -> None:
        super().__init__(inner.max_concurrent_updates)
        self._inner = inner
        self._report_done = done

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        await coroutine
        await self._report_done(update)

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()


class Harness:
    """A running bot plus the fake server it talks to."""

    def __init__(self, app: Application, api: FakeBotAPI) -> None:
        self.app = app
        self.api = api
        self.processed: set[int] = set()
        self._done = asyncio.Condition()
        # PTB offers no public hook after an update's handlers; its processor slot is swapped.
        app._update_processor = _Tracking(app.update_processor, self._mark_done)

    async def _mark_done(self, update: Any) -> None:
        async with self._done:
            self.processed.add(update.update_id)
            self._done.notify_all()

    async def send(self, update: dict[str, Any], timeout: float = 20) -> int:
        """Push an update and wait until the bot has finished handling it."""
        update_id = await self.api.push(update)
        await self.handled(update_id, timeout)
        return update_id

    async def handled(self, update_id: int, timeout: float = 20) -> None:
        """Wait until the bot has finished handling update `update_id`."""
        async with self._done:
            await asyncio.wait_for(self._done.wait_for(lambda: update_id in self.processed), timeout)

    def sent(self, chat_id: int) -> list[Request]:
        return self.api.calls("sendMessage", chat_id=chat_id)


@asynccontextmanager
async def running(app: Application, api: FakeBotAPI, **webhook: Any) -> AsyncIterator[Harness]:
    """Run `app` against `api` for the duration of the block: long polling, or a webhook
    server when Updater.start_webhook arguments are given."""
    harness = Harness(app, api)
    await app.initialize()
    if app.post_init:  # as run_polling / run_webhook do
        await app.post_init(app)
    await app.start()
    if webhook:
        await app.updater.start_webhook(**webhook)
    else:
        await app.updater.start_polling(poll_interval=0, timeout=5)
    try:
        yield harness
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
