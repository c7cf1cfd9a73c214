"""Talking back in a Telegram chat: the chat's language, replies that survive network faults, and
the bilingual notices (isnad.bot.answer.messages) every handler sends."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ContextTypes

from isnad.bot.answer import messages
from isnad.bot.fronts import conversation, formatting
from isnad.retrieval.models import Language

log = logging.getLogger(__name__)

NETWORK_RETRIES = 3  # attempts after a network fault, waiting NETWORK_BACKOFF, then twice as long
NETWORK_BACKOFF = 0.5


def chat_language(update: object, context: ContextTypes.DEFAULT_TYPE) -> Language:
    """/lang choice, else the language of the chat's last question, else the Telegram language."""
    user = update.effective_user if isinstance(update, Update) else None
    code = (user.language_code or "") if user else ""
    default: Language = "ar" if code.lower().startswith("ar") else "en"
    return conversation.reply_language(context.chat_data, default) if context.chat_data is not None else default


async def send(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Send HTML to the message's chat, as a reply in groups so the asker sees it.

    A network fault (Telegram unreachable, 5xx) is retried with backoff. A timeout is not:
    the message may have arrived, and a retry could send it twice.
    """
    for attempt in range(NETWORK_RETRIES + 1):
        try:
            return await message.reply_text(html, reply_markup=markup, do_quote=message.chat.type != ChatType.PRIVATE)
        except (BadRequest, TimedOut):
            raise
        except NetworkError as exc:
            if attempt == NETWORK_RETRIES:
                raise
            log.warning("sending failed (%s); retrying", type(exc).__name__)
            await asyncio.sleep(NETWORK_BACKOFF * 2**attempt)
    raise AssertionError("unreachable")


async def say(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, **values: object) -> None:
    """Reply with the bilingual message `key` in the chat's language."""
    if update.effective_message:
        language = chat_language(update, context)
        await send(update.effective_message, formatting.text_html(messages.text(key, language, **values), language))
