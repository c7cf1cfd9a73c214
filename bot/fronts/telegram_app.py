"""The Telegram bot (python-telegram-bot v22): thin handlers over the Answerer and isnad.bot.fronts.formatting.

Every message sent is Telegram HTML (the Application's Defaults set the parse mode and turn off
link previews). The Answerer is synchronous and CPU-bound, so it always runs in a worker thread;
updates are processed concurrently, so one slow question or a reindex never holds up the others.
Per-chat data (the /lang choice, the recent questions) and the buttons' data are kept by PTB's
PicklePersistence in `<data_dir>/telegram-<instance>.pickle`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    InvalidCallbackData,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    TypeHandler,
    filters,
)

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer, validate_question
from isnad.bot.answer.types import Answer
from isnad.bot.fronts import conversation, formatting, redaction
from isnad.bot.fronts.feedback import FeedbackStore, Vote
from isnad.bot.fronts.replies import Reply, compose
from isnad.bot.fronts.startup import connect
from isnad.bot.fronts.telegram_access import AccessGate, addressed_text
from isnad.bot.fronts.telegram_articles import ArticleIntake, file_url
from isnad.bot.fronts.telegram_buttons import (
    BackToAnswer,
    CastVote,
    NewConversation,
    ShowPassage,
    answer_keyboard,
    answer_view,
    back_keyboard,
)
from isnad.bot.fronts.telegram_chat import chat_language, say, send
from isnad.bot.fronts.titles import EnglishTitles
from isnad.retrieval.arabic import detect_language
from isnad.retrieval.datadir import WriterBusy
from isnad.retrieval.models import Language
from isnad.retrieval.store import StoreUnavailable
from isnad.settings import Settings

log = logging.getLogger(__name__)

DRAFT_EDIT_INTERVAL = 1.5  # seconds between edits of a streaming answer (Telegram flood limits)
SEND_RETRIES = 3  # attempts after a 429 (AIORateLimiter waits retry_after between them)
MENU_COMMANDS = ("start", "help", "ask", "sources", "lang", "new", "subscribe", "unsubscribe")
_NEW_MESSAGES = filters.UpdateType.MESSAGE
T = TypeVar("T")


def _given(value: T | None) -> T:
    """A part of the update its handler was registered for (message, query, user, chat data)."""
    if value is None:
        raise LookupError("the update lacks what its handler was registered for")
    return value


def _pressed(update: Update, kind: type[T]) -> tuple[CallbackQuery, T]:
    """The button press and its data, of the kind the handler's pattern matched."""
    query = _given(update.callback_query)
    if not isinstance(query.data, kind):
        raise LookupError(f"button data is not {kind.__name__}")
    return query, query.data


class _Draft:
    """A streaming answer shown in one message marked as a draft, edited at most every
    DRAFT_EDIT_INTERVAL seconds.

    `update` is called from the answering thread; `pump` runs on the event loop and sends.
    """

    def __init__(self, message: Message, language: Language) -> None:
        self._message = message
        self._language = language
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
            html = formatting.draft_html(text, self._language)
            try:
                if self.sent is None:
                    self.sent = await send(self._message, html)
                else:
                    await self.sent.edit_text(html)
                self._shown = text
            except TelegramError as exc:  # a draft is cosmetic; the final answer still follows
                log.debug("draft update failed: %s", type(exc).__name__)


def persistence_path(settings: Settings) -> Path:
    """This process's persistence file: one per bot instance (see docs/deployment.md)."""
    return settings.data_dir / f"telegram-{settings.bot.instance}.pickle"


class IsnadBot:
    """Handlers and the per-process state behind them (access gate, titles, feedback store)."""

    def __init__(self, settings: Settings, answerer: Answerer) -> None:
        self.settings = settings
        self.answerer = answerer
        self.gate = AccessGate(settings.bot)
        self.titles = EnglishTitles(settings.data_dir)
        self.feedback = FeedbackStore(settings.data_dir)
        self.model_configured = settings.llm.provider != "extractive"
        self.reindexing = asyncio.Lock()

    def register(self, app: Application) -> None:
        app.add_handler(TypeHandler(Update, self.on_any), group=-1)
        commands = {"start": self.on_start, "help": self.on_help, "sources": self.on_sources,
                    "lang": self.on_lang, "ask": self.on_ask, "new": self.on_new}
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback, filters=_NEW_MESSAGES))
        app.add_handler(CommandHandler("reindex", self.on_reindex, filters=_NEW_MESSAGES, block=False))
        app.add_handler(MessageHandler(_NEW_MESSAGES & ~filters.COMMAND & ~filters.StatusUpdate.ALL, self.on_message))
        app.add_handler(CallbackQueryHandler(self.on_passage, pattern=ShowPassage))
        app.add_handler(CallbackQueryHandler(self.on_back, pattern=BackToAnswer))
        app.add_handler(CallbackQueryHandler(self.on_vote, pattern=CastVote))
        app.add_handler(CallbackQueryHandler(self.on_new_button, pattern=NewConversation))
        app.add_handler(CallbackQueryHandler(self.on_expired, pattern=InvalidCallbackData))
        app.add_handler(InlineQueryHandler(self.on_inline))
        app.add_error_handler(self.on_error)

    async def on_startup(self, app: Application) -> None:
        """Publish the command menu in English (default) and Arabic."""
        languages: tuple[tuple[Language, str | None], ...] = (("en", None), ("ar", "ar"))
        for language, code in languages:
            menu = [BotCommand(name, messages.text(f"command_{name}", language)) for name in MENU_COMMANDS]
            await app.bot.set_my_commands(menu, language_code=code)

    # -- who and which language ------------------------------------------------------------
    async def on_any(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Group -1: the access gate, before any handler."""
        await self.gate.check(update, context, chat_language(update, context))

    def _compose(self, answer: Answer, language: Language | None) -> Reply:
        return compose(answer, language, self.titles, self.model_configured)

    # -- commands --------------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        language = chat_language(update, context)
        intro = formatting.text_html(messages.text("bot_intro", language), language)
        how = formatting.text_html(messages.text("how_to_ask", language, username=context.bot.username), language)
        for html in formatting.split_html([intro, *await self._listing(language), how]):
            await send(_given(update.effective_message), html)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Commands, example questions made from the indexed titles, and how to ask in groups."""
        language = chat_language(update, context)
        sources = await asyncio.to_thread(self.answerer.sources)
        titles = [(language == "en" and self.titles(s.article_id)) or s.title for s in sources]
        text = messages.help_text(language, titles, context.bot.username)
        await send(_given(update.effective_message), formatting.text_html(text, language))

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for html in await self._listing(chat_language(update, context)):
            await send(_given(update.effective_message), html)

    async def _listing(self, language: Language) -> list[str]:
        """The indexed articles as HTML messages."""
        sources = await asyncio.to_thread(self.answerer.sources)
        header = messages.text("sources_header" if sources else "no_sources", language, count=len(sources))
        return formatting.render_sources(header, sources, language, self.titles)

    async def on_lang(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        choice = context.args[0].lower() if context.args else ""
        if choice not in ("ar", "en", "auto"):
            await say(update, context, "lang_usage")
            return
        conversation.choose_language(_given(context.chat_data), choice)
        await say(update, context, "lang_auto" if choice == "auto" else "lang_set")

    async def on_new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        conversation.forget(_given(context.chat_data))
        await say(update, context, "new_done")

    async def on_ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        command_and_question = (_given(update.effective_message).text or "").split(maxsplit=1)
        await self._answer(update, context, command_and_question[1] if len(command_and_question) > 1 else "")

    async def on_reindex(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.gate.is_admin(update):
            await say(update, context, "admins_only")
            return
        if self.reindexing.locked():
            await say(update, context, "reindex_busy")
            return
        async with self.reindexing:
            await say(update, context, "reindex_started")
            log.info("reindex requested by %s", _given(update.effective_user).id)
            try:
                report = await asyncio.to_thread(self.answerer.reindex, wait=False)
            except WriterBusy:  # an operator's `isnad ingest` holds the data dir
                await say(update, context, "reindex_busy")
                return
            except Exception:
                log.exception("reindex failed")
                await say(update, context, "reindex_failed")
                return
        counts = report.counts()
        log.info("reindex done: %s", {k: v for k, v in counts.items() if k != "skipped"})
        await say(update, context, "reindex_done", **{k: counts[k] for k in ("added", "updated", "removed", "unchanged")})

    # -- questions -------------------------------------------------------------------------
    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = _given(update.effective_message)
        question = addressed_text(message, context.bot.username, context.bot.id)
        if question is None:
            return
        if message.text is None:
            await say(update, context, "non_text")
            return
        await self._answer(update, context, question)

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        message, chat_data = _given(update.effective_message), _given(context.chat_data)
        problem = (
            validate_question(question, self.settings.bot.max_question_chars)
            if question.strip()
            else messages.text("empty_question", chat_language(update, context))
        )
        if problem:
            await send(message, formatting.text_html(problem, detect_language(problem)))
            return
        user_id = update.effective_user.id if update.effective_user else message.chat.id
        log.info("question from user %s in chat %s (%d chars)", user_id, message.chat.id, len(question))
        conversation.note_question(chat_data, detect_language(question))
        language = conversation.chosen_language(chat_data) or detect_language(question)
        await self._typing(context, message.chat.id)
        draft = _Draft(message, language)
        pump = asyncio.create_task(draft.pump())
        previous = conversation.turns(chat_data) if _continues(message, context) else []
        try:
            answer = await asyncio.to_thread(self.answerer.answer, question, draft.update, previous)
        finally:
            pump.cancel()
        log.info("answered=%s status=%s citations=%d", answer.answered, answer.status, len(answer.citations))
        if answer.status == "chitchat":
            self.gate.rate.refund(user_id)
        else:
            conversation.remember(chat_data, answer)
        await self._send_answer(message, self._compose(answer, language), question, draft.sent)

    @staticmethod
    async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        """Show "typing…"; purely cosmetic, so a failure is logged and ignored."""
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            log.debug("typing indicator failed: %s", type(exc).__name__)

    async def _send_answer(self, message: Message, reply: Reply, question: str, draft: Message | None = None) -> None:
        """Send the final reply; a streamed draft becomes its first message."""
        parts = formatting.render_reply(reply)
        keyboard = answer_keyboard(answer_view(parts[-1], reply, question))
        for index, html in enumerate(parts):
            markup = keyboard if index == len(parts) - 1 else None
            if index == 0 and draft is not None:
                await draft.edit_text(html, reply_markup=markup)
            else:
                await send(message, html, markup)

    async def on_inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`@bot question` in any chat: the checked answer as one article result."""
        query = _given(update.inline_query)
        question = query.query.strip()
        if not question or validate_question(question, self.settings.bot.max_question_chars):
            await query.answer([], cache_time=0)
            return
        answer = await asyncio.to_thread(self.answerer.answer, question)
        if answer.status == "chitchat":
            self.gate.rate.refund(query.from_user.id)
        reply = self._compose(answer, None)
        html = formatting.render_reply(reply)[0]
        result = InlineQueryResultArticle(
            id=uuid.uuid4().hex, title=question[:100], description=reply.lines[0][:100] if reply.lines else None,
            input_message_content=InputTextMessageContent(html),
        )
        await query.answer([result], cache_time=30, is_personal=True)

    # -- buttons ---------------------------------------------------------------------------
    async def on_passage(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Show the cited article's passage in place of the reply, with a button back."""
        query, press = _pressed(update, ShowPassage)
        quotes = press.view.articles[press.index]
        try:
            text = await asyncio.to_thread(self.answerer.article_text, quotes[0].citation.article_id)
        except KeyError:  # the article was removed since
            await self.on_expired(update, context)
            return
        await query.answer()
        await self._edit(query, formatting.passage_html(text, quotes, press.view.language), back_keyboard(press.view))

    async def on_back(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, press = _pressed(update, BackToAnswer)
        await query.answer()
        await self._edit(query, press.view.html, answer_keyboard(press.view))

    async def on_vote(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Store 👍/👎 with the question, the reply's status and what it cited."""
        query, press = _pressed(update, CastVote)
        chat_id = update.effective_chat.id if update.effective_chat else 0
        vote = Vote(chat_id, _given(update.effective_user).id, press.up, press.view.question, press.view.status, press.view.cited)
        await asyncio.to_thread(self.feedback.record, vote)
        await query.answer(messages.text("vote_thanks", press.view.language))

    async def on_new_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.chat_data is not None:
            conversation.forget(context.chat_data)
        query, press = _pressed(update, NewConversation)
        await query.answer(messages.text("new_done", press.language))

    async def on_expired(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button whose data is gone (too old, or from before a restart without it)."""
        await _given(update.callback_query).answer(messages.text("expired", chat_language(update, context)))

    @staticmethod
    async def _edit(query: Any, html: str, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await query.edit_message_text(html, reply_markup=markup)
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
            language = chat_language(update, context)
            await context.bot.send_message(update.effective_chat.id, formatting.text_html(messages.text("error", language), language))
        except TelegramError as exc:
            log.warning("could not report the failure of update %s: %s", update_id, type(exc).__name__)


def build_application(settings: Settings, answerer: Answerer) -> Application:
    """The bot, talking to the Bot API at settings.telegram.api_url, ready to run."""
    token = settings.telegram.bot_token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    redaction.add_secret(token)  # Bot API URLs contain the token
    redaction.install()
    bot = IsnadBot(settings, answerer)
    intake = ArticleIntake(bot, settings.bot.notify_seconds)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    persistence = PicklePersistence(  # bot_data: the subscribers to new-article notices
        persistence_path(settings), store_data=PersistenceInput(bot_data=True, user_data=False), update_interval=10,
    )
    app = (
        Application.builder()
        .token(token.get_secret_value())
        .base_url(settings.telegram.api_url)
        .base_file_url(file_url(settings.telegram.api_url))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(AIORateLimiter(max_retries=SEND_RETRIES))
        .persistence(persistence)
        .arbitrary_callback_data(True)
        .concurrent_updates(True)
        .post_init(intake.on_startup)
        .build()
    )
    intake.register(app)
    bot.register(app)
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
    _open_index(settings, answerer)
    app = build_application(settings, answerer)
    connect(app, settings)
    log.info("connected to the Bot API as @%s", app.bot.username)
    if settings.bot.webhook_url:
        log.info("answering by webhook at %s (listening on %s:%s)",
                 settings.bot.webhook_url, settings.bot.webhook_listen, settings.bot.webhook_port)
        app.run_webhook(**webhook_options(settings))
    else:
        log.info("answering by long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)


def _open_index(settings: Settings, answerer: Answerer) -> None:
    """Open the store and say how many articles it holds; a store that is down only warns (the bot
    answers "search unavailable" until it is back)."""
    chroma = settings.chroma
    where = f"Chroma server {chroma.host}:{chroma.port}" if chroma.host else f"embedded store in {settings.data_dir}"
    try:
        count = len(answerer.sources())
    except StoreUnavailable as exc:
        log.warning("%s; answering 'search unavailable' until it is back", exc)
        return
    log.info("store opened (%s): %d articles indexed", where, count)
    if not count:
        log.warning("nothing is indexed: run `isnad ingest` (the bot picks the index up without a restart)")


def _continues(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether a question may lean on the chat's previous turns: always in a private chat; in a
    group only when it replies to one of the bot's messages (its reply chain)."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)
