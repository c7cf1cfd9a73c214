"""Connecting to the Bot API at start-up: an unreachable server is retried with backoff, a
rejected token is a configuration error. Both end in one line for the operator, never the token."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from isnad.errors import ConfigError, Unavailable
from isnad.settings import Settings

log = logging.getLogger(__name__)


class TokenRejected(ConfigError):
    """The Bot API refused TELEGRAM_BOT_TOKEN."""


class BotApiUnavailable(Unavailable):
    """The Bot API could not be reached after every attempt."""


def connect(app: Application, settings: Settings) -> None:
    """Initialise `app` (its getMe call) on a fresh current event loop, which run_polling and
    run_webhook then reuse; network failures are retried, waiting twice as long each time."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    attempts, delay = settings.bot.connect_attempts, settings.bot.connect_backoff
    for attempt in range(1, attempts + 1):
        try:
            loop.run_until_complete(app.initialize())
            return
        except InvalidToken as exc:
            raise TokenRejected("the Bot API rejected TELEGRAM_BOT_TOKEN: check the token from @BotFather") from exc
        except NetworkError as exc:  # TimedOut included
            if attempt == attempts:
                raise BotApiUnavailable(
                    f"cannot reach the Bot API at {settings.telegram.api_url} after {attempts} attempts: "
                    "check the network or TELEGRAM_API_URL"
                ) from exc
            log.info("Bot API unreachable (%s); retrying in %.1f s", type(exc).__name__, delay)
            time.sleep(delay)
            delay *= 2
