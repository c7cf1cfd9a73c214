"""The Telegram bot (python-telegram-bot v22): thin handlers over the Answerer and bot.formatting.

Every message sent is Telegram HTML. The Answerer is synchronous and CPU-bound, so it always
runs in a worker thread; updates are processed concurrently, so one slow question or a reindex
never holds up the others.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import formatting, messages, redaction
from bot.answering import Answerer, validate_question
from bot.startup import connect
from config.settings import Settings
from retrieval.arabic import detect_language
from retrieval.datadir import WriterBusy
from retrieval.models import Answer, Citation, Language

log = logging.getLogger(__name__)

VIEW_CACHE_SIZE = 1000  # answers whose buttons still work
DRAFT_EDIT_INTERVAL = 1.5  # seconds between edits of a streaming answer (Telegram flood limits)
SEND_RETRIES = 3  # attempts after a 429 (AIORateLimiter waits retry_after between them)
NETWORK_RETRIES = 3  # attempts after a network fault, waiting NETWORK_BACKOFF, then twice as long
NETWORK_BACKOFF = 0.5
BUTTON_LABEL_CHARS = 40
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_NEW_MESSAGES = filters.UpdateType.MESSAGE


@dataclass(frozen=True)
class _View:
    """An answer message as sent, so its buttons can switch to a passage and back."""

    html: str
    keyboard: InlineKeyboardMarkup
    articles: tuple[tuple[Citation, ...], ...]  # citations grouped by article, in button order


class _Draft:
    """A streaming answer shown in one message, edited at most every DRAFT_EDIT_INTERVAL seconds.

    `update` is called from the answering thread; `pump` runs on the event loop and sends.
    """

    def __init__(self, message: Message, reply: Any) -> None:
        self._message = message
        self._reply = reply
        self._latest = ""
        self._shown = ""
        self.sent: Message | None = None

    def update(self, text: str) -> None:
        self._latest = text  # one reference assignment: safe across threads

    async def pump(self) -> None:
        while True:
            await asyncio.sleep(DRAFT_EDIT_INTERVAL)
            text = self._latest
            if not text.strip() or text == self._shown:
                continue
            html = formatting.text_html(text[: formatting.MAX_MESSAGE // 2] + " …")
            try:
                if self.sent is None:
                    self.sent = await self._reply(self._message, html)
                else:
                    await self.sent.edit_text(html, parse_mode=ParseMode.HTML)
                self._shown = text
            except TelegramError as exc:  # a draft is cosmetic; the final answer still follows
                log.debug("draft update failed: %s", type(exc).__name__)


class _Views:
    """A bounded LRU of answer views, keyed by a short random id used in callback data."""

    def __init__(self, capacity: int = VIEW_CACHE_SIZE) -> None:
        self._items: OrderedDict[str, _View] = OrderedDict()
        self._capacity = capacity

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(6)

    def put(self, key: str, view: _View) -> None:
        self._items[key] = view
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def get(self, key: str) -> _View | None:
        view = self._items.get(key)
        if view is not None:
            self._items.move_to_end(key)
        return view


class _RateLimit:
    """At most `per_minute` questions per user in any sliding 60-second window."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._asked: defaultdict[int, deque[float]] = defaultdict(deque)

    def allow(self, user_id: int) -> bool:
        now = time.monotonic()
        asked = self._asked[user_id]
        while asked and now - asked[0] >= 60:
            asked.popleft()
        if len(asked) >= self.per_minute:
            return False
        asked.append(now)
        return True


def _group_by_article(citations: Sequence[Citation]) -> tuple[tuple[Citation, ...], ...]:
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.article_id, []).append(citation)
    return tuple(tuple(group) for group in groups.values())


def _button_label(citations: Sequence[Citation]) -> str:
    label = f"[{','.join(str(c.n) for c in citations)}] {citations[0].title}"
    return label if len(label) <= BUTTON_LABEL_CHARS else label[: BUTTON_LABEL_CHARS - 1] + "…"


class IsnadBot:
    """Handlers and the per-process state behind them (answer views, rate limits)."""

    def __init__(self, settings: Settings, answerer: Answerer) -> None:
        self.settings = settings
        self.answerer = answerer
        self.views = _Views()
        self.rate = _RateLimit(settings.bot.questions_per_minute)
        self.reindexing = asyncio.Lock()

    def register(self, app: Application) -> None:
        commands = {"start": self.on_start, "help": self.on_help, "sources": self.on_sources,
                    "lang": self.on_lang, "ask": self.on_ask}
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback, filters=_NEW_MESSAGES))
        app.add_handler(CommandHandler("reindex", self.on_reindex, filters=_NEW_MESSAGES, block=False))
        app.add_handler(MessageHandler(_NEW_MESSAGES & ~filters.COMMAND & ~filters.StatusUpdate.ALL, self.on_message))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)

    # -- who and which language ------------------------------------------------------------
    def _allowed(self, update: Update) -> bool:
        allowed = set(self.settings.bot.allowed_ids)
        if not allowed:
            return True
        ids = {x.id for x in (update.effective_user, update.effective_chat) if x is not None}
        return bool(ids & (allowed | set(self.settings.bot.admin_ids)))

    def _is_admin(self, update: Update) -> bool:
        return update.effective_user is not None and update.effective_user.id in self.settings.bot.admin_ids

    @staticmethod
    def _language(update: object, context: ContextTypes.DEFAULT_TYPE) -> Language:
        """/lang choice, else the language of the last question, else the Telegram language."""
        prefs = context.user_data if context.user_data is not None else {}
        if prefs.get("lang") in ("ar", "en"):
            return prefs["lang"]
        if "last" in prefs:
            return prefs["last"]
        user = update.effective_user if isinstance(update, Update) else None
        code = (user.language_code or "") if user else ""
        return "ar" if code.lower().startswith("ar") else "en"

    async def _admit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """True if the sender may use the bot; otherwise tell them and return False."""
        if self._allowed(update):
            return True
        user_id = update.effective_user.id if update.effective_user else "?"
        log.info("refused user %s in chat %s", user_id, update.effective_chat.id if update.effective_chat else "?")
        await self._say(update, context, "not_allowed", user_id=user_id)
        return False

    # -- sending ---------------------------------------------------------------------------
    @staticmethod
    async def _reply(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> Message:
        """Send HTML to the message's chat, as a reply in groups so the asker sees it.

        A network fault (Telegram unreachable, 5xx) is retried with backoff. A timeout is not:
        the message may have arrived, and a retry could send it twice.
        """
        for attempt in range(NETWORK_RETRIES + 1):
            try:
                return await message.reply_text(
                    html, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_PREVIEW,
                    do_quote=message.chat.type != ChatType.PRIVATE,
                )
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if attempt == NETWORK_RETRIES:
                    raise
                log.warning("sending failed (%s); retrying", type(exc).__name__)
                await asyncio.sleep(NETWORK_BACKOFF * 2**attempt)
        raise AssertionError("unreachable")

    async def _say(self, update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, **values: object) -> None:
        """Reply with the bilingual message `key` in the user's language."""
        if update.effective_message:
            text = messages.text(key, self._language(update, context), **values)
            await self._reply(update.effective_message, formatting.text_html(text))

    # -- commands --------------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admit(update, context):
            return
        language = self._language(update, context)
        intro = formatting.text_html(messages.text("bot_intro", language))
        how = formatting.text_html(messages.text("how_to_ask", language, username=context.bot.username))
        for html in formatting.split_html([intro, *await self._listing(language), how]):
            await self._reply(update.effective_message, html)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admit(update, context):
            await self._say(update, context, "help")

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admit(update, context):
            return
        for html in await self._listing(self._language(update, context)):
            await self._reply(update.effective_message, html)

    async def _listing(self, language: Language) -> list[str]:
        """The indexed articles as HTML messages."""
        sources = await asyncio.to_thread(self.answerer.sources)
        header = messages.text("sources_header" if sources else "no_sources", language, count=len(sources))
        return formatting.render_sources(header, sources, language)

    async def on_lang(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admit(update, context):
            return
        choice = context.args[0].lower() if context.args else ""
        if choice not in ("ar", "en", "auto"):
            await self._say(update, context, "lang_usage")
            return
        context.user_data["lang"] = choice
        context.user_data.pop("last", None)
        await self._say(update, context, "lang_auto" if choice == "auto" else "lang_set")

    async def on_ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admit(update, context):
            command_and_question = (update.effective_message.text or "").split(maxsplit=1)
            await self._answer(update, context, command_and_question[1] if len(command_and_question) > 1 else "")

    async def on_reindex(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admit(update, context):
            return
        if not self._is_admin(update):
            await self._say(update, context, "admins_only")
            return
        if self.reindexing.locked():
            await self._say(update, context, "reindex_busy")
            return
        async with self.reindexing:
            await self._say(update, context, "reindex_started")
            log.info("reindex requested by %s", update.effective_user.id)
            try:
                report = await asyncio.to_thread(self.answerer.reindex, wait=False)
            except WriterBusy:  # an operator's `isnad ingest` holds the data dir
                await self._say(update, context, "reindex_busy")
                return
            except Exception:
                log.exception("reindex failed")
                await self._say(update, context, "reindex_failed")
                return
        counts = report.counts()
        log.info("reindex done: %s", {k: v for k, v in counts.items() if k != "skipped"})
        await self._say(update, context, "reindex_done", **{k: counts[k] for k in ("added", "updated", "removed", "unchanged")})

    # -- messages --------------------------------------------------------------------------
    def _addressed_text(self, message: Message, username: str, bot_id: int) -> str | None:
        """The question in `message` if it is meant for the bot, else None.

        Private chats: everything. Groups: only when the bot is @mentioned (the mention is
        removed from the question) or the message replies to one of the bot's messages.
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

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        question = self._addressed_text(message, context.bot.username, context.bot.id)
        if question is None or not await self._admit(update, context):
            return
        if message.text is None:
            await self._say(update, context, "non_text")
            return
        await self._answer(update, context, question)

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        message = update.effective_message
        problem = (
            validate_question(question, self.settings.bot.max_question_chars)
            if question.strip()
            else messages.text("empty_question", self._language(update, context))
        )
        if problem:
            await self._reply(message, formatting.text_html(problem))
            return
        user_id = update.effective_user.id if update.effective_user else message.chat.id
        if not self.rate.allow(user_id):
            text = messages.text("slow_down", detect_language(question), limit=self.rate.per_minute)
            await self._reply(message, formatting.text_html(text))
            return
        log.info("question from user %s in chat %s (%d chars)", user_id, message.chat.id, len(question))
        if context.user_data is not None:  # replies, errors included, follow the question's language
            context.user_data["last"] = detect_language(question)
        await self._typing(context, message.chat.id)
        draft = _Draft(message, self._reply)
        pump = asyncio.create_task(draft.pump())
        try:
            answer = await asyncio.to_thread(self.answerer.answer, question, draft.update)
        finally:
            pump.cancel()
        log.info("answered=%s status=%s citations=%d", answer.answered, answer.status, len(answer.citations))
        await self._send_answer(message, answer, draft.sent)

    @staticmethod
    async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        """Show "typing…"; purely cosmetic, so a failure is logged and ignored."""
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            log.debug("typing indicator failed: %s", type(exc).__name__)

    async def _send_answer(self, message: Message, answer: Answer, draft: Message | None = None) -> None:
        """Send the final answer; a streamed draft becomes its first message."""
        keyboard = None
        if answer.status == "unavailable" or not answer.citations:
            parts = formatting.split_html([formatting.text_html(answer.text)])
        else:
            parts = formatting.render_answer(answer)
            key, articles = self.views.new_key(), _group_by_article(answer.citations)
            keyboard = InlineKeyboardMarkup(
                [[InlineKeyboardButton(_button_label(group), callback_data=f"p:{key}:{i}")] for i, group in enumerate(articles)]
            )
            self.views.put(key, _View(parts[-1], keyboard, articles))
        for index, html in enumerate(parts):
            markup = keyboard if index == len(parts) - 1 else None
            if index == 0 and draft is not None:
                await draft.edit_text(html, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_PREVIEW)
            else:
                await self._reply(message, html, markup)

    # -- buttons ---------------------------------------------------------------------------
    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`p:<key>:<i>` shows article i's passage in place of the answer; `b:<key>` restores it."""
        query = update.callback_query
        language = self._language(update, context)
        if not self._allowed(update):
            await query.answer(messages.text("not_allowed", language, user_id=update.effective_user.id))
            return
        kind, _, rest = (query.data or "").partition(":")
        key, _, index = rest.partition(":")
        view = self.views.get(key)
        try:
            if view is None or kind not in ("p", "b"):
                raise LookupError(key)
            if kind == "b":
                html, markup = view.html, view.keyboard
            else:
                citations = view.articles[int(index)]
                text = await asyncio.to_thread(self.answerer.article_text, citations[0].article_id)
                html = formatting.passage_html(text, citations, language)
                back = InlineKeyboardButton(messages.text("back", language), callback_data=f"b:{key}")
                markup = InlineKeyboardMarkup([[back]])
        except (LookupError, ValueError):  # unknown or evicted key, or the article was removed
            await query.answer(messages.text("expired", language))
            return
        await query.answer()
        try:
            await query.edit_message_text(html, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_PREVIEW)
        except BadRequest as exc:  # pressing the same button twice: "message is not modified"
            if "not modified" not in exc.message.lower():
                raise

    # -- errors ----------------------------------------------------------------------------
    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure with the update id (no message text) and apologise to the user."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error)
        if not (isinstance(update, Update) and update.effective_chat):
            return
        try:
            html = formatting.text_html(messages.text("error", self._language(update, context)))
            await context.bot.send_message(update.effective_chat.id, html, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("could not report the failure of update %s: %s", update_id, type(exc).__name__)


def build_application(settings: Settings, answerer: Answerer) -> Application:
    """The bot, talking to the Bot API at settings.telegram.api_url, ready to run."""
    token = settings.telegram.bot_token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    redaction.add_secret(token)  # Bot API URLs contain the token
    redaction.install()
    app = (
        Application.builder()
        .token(token.get_secret_value())
        .base_url(settings.telegram.api_url)
        .rate_limiter(AIORateLimiter(max_retries=SEND_RETRIES))
        .concurrent_updates(True)
        .build()
    )
    IsnadBot(settings, answerer).register(app)
    return app


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for Application.run_webhook / Updater.start_webhook: listen locally on the
    configured port at the public URL's path, and require Telegram's secret-token header."""
    url = settings.bot.webhook_url or ""
    secret = settings.telegram.webhook_secret
    if secret is None:
        log.warning("webhook without TELEGRAM_WEBHOOK_SECRET: anyone who finds the URL can post updates")
    return {
        "listen": settings.bot.webhook_listen,
        "port": settings.bot.webhook_port,
        "url_path": urlsplit(url).path.lstrip("/"),
        "webhook_url": url,
        "secret_token": secret.get_secret_value() if secret else None,
        "allowed_updates": Update.ALL_TYPES,
    }


def run_bot(settings: Settings, answerer: Answerer) -> None:
    """Run until interrupted: long polling, or a webhook when settings.bot.webhook_url is set."""
    app = build_application(settings, answerer)
    connect(app, settings)
    if settings.bot.webhook_url:
        log.info("starting webhook on %s:%s", settings.bot.webhook_listen, settings.bot.webhook_port)
        app.run_webhook(**webhook_options(settings))
    else:
        log.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
