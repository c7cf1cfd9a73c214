"""Who may use the bot, and how often: one gate in handler group -1 that answers refused or
too-frequent updates itself and stops them there (ApplicationHandlerStop)."""

from __future__ import annotations

import re
import time
from collections import defaultdict, deque

from telegram import Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from isnad.bot.answer import messages
from isnad.bot.fronts import formatting
from isnad.retrieval.arabic import detect_language
from isnad.retrieval.models import Language
from isnad.settings import BotSettings


class RateLimit:
    """At most `per_minute` questions per user in any sliding 60-second window."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._asked: defaultdict[int, deque[float]] = defaultdict(deque)

    def allow(self, user_id: int) -> bool:
        """Count a question if the user is within the limit; False (not counted) if not."""
        now = time.monotonic()
        asked = self._asked[user_id]
        while asked and now - asked[0] >= 60:
            asked.popleft()
        if len(asked) >= self.per_minute:
            return False
        asked.append(now)
        return True

    def refund(self, user_id: int) -> None:
        """Uncount the user's latest question (it turned out to be chitchat)."""
        if self._asked[user_id]:
            self._asked[user_id].pop()


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """The question in `message` if it is meant for the bot, else None.

    Private chats: everything. Groups: only when the bot is @mentioned (the mention is removed
    from the question) or the message replies to one of the bot's messages.
    """
    text = message.text if message.text is not None else message.caption or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
    replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None \
        and message.reply_to_message.from_user.id == bot_id
    if not (replied or mention.search(text)):
        return None
    return mention.sub(" ", text).strip()


def _command(message: Message) -> tuple[str, str] | None:
    """(command, argument text) if the message starts with a bot command."""
    entity = next((e for e in message.entities if e.type == MessageEntityType.BOT_COMMAND and e.offset == 0), None)
    if entity is None or message.text is None:
        return None
    command = message.text[1 : entity.length].split("@")[0].lower()
    return command, message.text[entity.length :].strip()


def question_of(update: Update, username: str, bot_id: int) -> str | None:
    """The question an update asks the bot (a message, /ask, an inline query), else None."""
    if update.inline_query:
        return update.inline_query.query
    message = update.effective_message
    if message is None or update.callback_query:
        return None
    command = _command(message)
    if command:
        return command[1] if command[0] == "ask" else None
    return addressed_text(message, username, bot_id)


class AccessGate:
    """The allow-list (users or chats; admins always pass) and the per-user question rate."""

    def __init__(self, settings: BotSettings) -> None:
        self.allowed = set(settings.allowed_ids)
        self.admins = set(settings.admin_ids)
        self.rate = RateLimit(settings.questions_per_minute)

    def is_admin(self, update: Update) -> bool:
        return update.effective_user is not None and update.effective_user.id in self.admins

    def allows(self, update: Update) -> bool:
        if not self.allowed:
            return True
        ids = {x.id for x in (update.effective_user, update.effective_chat) if x is not None}
        return bool(ids & (self.allowed | self.admins))

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE, language: Language) -> None:
        """Raise ApplicationHandlerStop for a refused or too-frequent update, after telling the user.

        Group chatter not meant for the bot passes untouched (the handlers ignore it).
        """
        question = question_of(update, context.bot.username, context.bot.id)
        message = update.effective_message
        addressed = question is not None or update.callback_query is not None or \
            (message is not None and _command(message) is not None)
        if not addressed:
            return
        user_id = update.effective_user.id if update.effective_user else 0
        if not self.allows(update):
            await _tell(update, messages.text("not_allowed", language, user_id=user_id))
            raise ApplicationHandlerStop
        if question and question.strip() and not self.rate.allow(user_id):
            await _tell(update, messages.text("slow_down", detect_language(question), limit=self.rate.per_minute))
            raise ApplicationHandlerStop


async def _tell(update: Update, text: str) -> None:
    """A refusal as a button toast, an empty inline answer, or a reply."""
    if update.callback_query:
        await update.callback_query.answer(text)
    elif update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.effective_message:
        message = update.effective_message
        await message.reply_text(formatting.text_html(text, detect_language(text)),
                                 do_quote=message.chat.type != ChatType.PRIVATE)
