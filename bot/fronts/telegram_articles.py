"""Articles from Telegram: admins add links (`/add URL`, or a message that is only links) and
.html/.txt files in a private chat; chats `/subscribe` to a short notice of each new article.

Adding runs in a worker thread (answers keep flowing) and replies with the new article's title
and the ingest counts. Subscribers and the article versions already announced are kept in the
bot's persistence (bot_data), so each new article is announced once, also across restarts; a
background task notices articles indexed by any writer (this bot, `isnad ingest`, `--watch`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from isnad.bot.answer import messages
from isnad.bot.fronts import formatting
from isnad.bot.fronts.telegram_chat import chat_language, say, send
from isnad.retrieval.adding import Added, add_file, add_urls
from isnad.retrieval.datadir import WriterBusy
from isnad.retrieval.ingest import IngestReport
from isnad.retrieval.manifest import Entry, Manifest
from isnad.retrieval.models import Language

if TYPE_CHECKING:
    from isnad.bot.fronts.telegram_app import IsnadBot

log = logging.getLogger(__name__)

_URL = r"https?://\S+"
_LINKS_ONLY = re.compile(rf"^\s*{_URL}(?:\s+{_URL})*\s*$")
_PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
_PAGE_FILES = filters.Document.FileExtension("html") | filters.Document.FileExtension("htm") | filters.Document.FileExtension("txt")
Adder = Callable[..., tuple[list[Added], IngestReport | None]]  # isnad.retrieval.adding.add_urls / add_file
SUBSCRIBERS = "subscribers"  # bot_data: chat id -> reply language
ANNOUNCED = "announced"  # bot_data: "article_id:content_hash" of every version already announced


class ArticleIntake:
    """The /add, link, file, /subscribe and /unsubscribe handlers, and the new-article notices."""

    def __init__(self, bot: IsnadBot, poll_seconds: float) -> None:
        self.bot = bot
        self.poll_seconds = poll_seconds
        self._announcing = asyncio.Lock()

    def register(self, app: Application) -> None:
        """Before IsnadBot.register: a message of links must reach on_links, not the question handler."""
        app.add_handler(CommandHandler("add", self.on_add, filters=_PRIVATE))
        app.add_handler(MessageHandler(_PRIVATE & filters.Regex(_LINKS_ONLY), self.on_links))
        app.add_handler(MessageHandler(_PRIVATE & _PAGE_FILES, self.on_file))
        app.add_handler(CommandHandler("subscribe", self.on_subscribe, filters=filters.UpdateType.MESSAGE))
        app.add_handler(CommandHandler("unsubscribe", self.on_unsubscribe, filters=filters.UpdateType.MESSAGE))

    # -- adding ----------------------------------------------------------------------------
    async def on_add(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        urls = re.findall(_URL, " ".join(context.args or []))
        if not urls:
            await say(update, context, "add_usage")
            return
        await self._add(update, context, add_urls, urls)

    async def on_links(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message:
            await self._add(update, context, add_urls, re.findall(_URL, update.effective_message.text or ""))

    async def on_file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        document = update.effective_message.document if update.effective_message else None
        limit = self.bot.settings.fetch.max_bytes
        if document is None:
            return
        if not self.bot.gate.is_admin(update):
            await say(update, context, "add_admins_only")
            return
        if (document.file_size or 0) > limit:
            await say(update, context, "add_too_large", limit=limit)
            return
        data = bytes(await (await document.get_file()).download_as_bytearray())
        await self._add(update, context, add_file, document.file_name or "upload.txt", data)

    async def _add(self, update: Update, context: ContextTypes.DEFAULT_TYPE, adder: Adder, *source: Any) -> None:
        """Run `adder(*source, settings, embedder)` in a worker thread and report what it did."""
        if not self.bot.gate.is_admin(update):
            await say(update, context, "add_admins_only")
            return
        if self.bot.reindexing.locked():
            await say(update, context, "reindex_busy")
            return
        async with self.bot.reindexing:
            await say(update, context, "add_started")
            answerer = self.bot.answerer
            try:
                results, report = await asyncio.to_thread(adder, *source, answerer.settings, answerer.embedder, wait=False)
            except WriterBusy:  # an operator's `isnad ingest` holds the data dir; the file is saved for it
                await say(update, context, "reindex_busy")
                return
        language = chat_language(update, context)
        lines = [_result_line(r, language) for r in results] + ([_counts_line(report, language)] if report else [])
        if update.effective_message:
            await send(update.effective_message, formatting.text_html("\n".join(lines), language))
        await self.announce(context.application)

    # -- subscribers -----------------------------------------------------------------------
    async def on_subscribe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is None:
            return
        context.bot_data.setdefault(SUBSCRIBERS, {})[update.effective_chat.id] = chat_language(update, context)
        self._remember_current(context.bot_data)
        await say(update, context, "subscribed")

    async def on_unsubscribe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            context.bot_data.setdefault(SUBSCRIBERS, {}).pop(update.effective_chat.id, None)
        await say(update, context, "unsubscribed")

    def _remember_current(self, bot_data: dict) -> None:
        """The first time, count what is indexed now as announced: only later articles are new."""
        if ANNOUNCED not in bot_data:
            bot_data[ANNOUNCED] = set(_versions(Manifest.load(self.bot.settings.data_dir)))

    async def announce(self, app: Application) -> None:
        """Send each subscriber one notice per article version indexed since the last announcement."""
        async with self._announcing:
            bot_data = app.bot_data
            if not bot_data.get(SUBSCRIBERS):
                return
            self._remember_current(bot_data)
            manifest = await asyncio.to_thread(Manifest.load, self.bot.settings.data_dir)
            fresh = {v: e for v, e in _versions(manifest).items() if v not in bot_data[ANNOUNCED]}
            for version, entry in sorted(fresh.items()):
                for chat_id, language in list(bot_data[SUBSCRIBERS].items()):
                    notice = _notice(version.rpartition(":")[0], entry, language)
                    try:
                        await app.bot.send_message(chat_id, formatting.text_html(notice, language))
                    except TelegramError as exc:
                        log.warning("could not notify chat %s: %s", chat_id, type(exc).__name__)
                bot_data[ANNOUNCED].add(version)

    async def watch_index(self, app: Application) -> None:
        """While the application runs, announce articles indexed by any writer (polls the manifest)."""
        seen, started = None, False
        while True:
            await asyncio.sleep(self.poll_seconds)
            if not app.running:
                if started:
                    return
                continue
            started = True
            version = Manifest.version(self.bot.settings.data_dir)
            if version != seen:
                seen = version
                await self.announce(app)

    async def on_startup(self, app: Application) -> None:
        """post_init: the bot's own start-up, then the index watcher."""
        await self.bot.on_startup(app)
        asyncio.get_running_loop().create_task(self.watch_index(app), name="isnad-new-articles")


def file_url(api_url: str) -> str:
    """The Bot API's file download URL beside its method URL (`.../bot` -> `.../file/bot`)."""
    return api_url.rstrip("/").removesuffix("/bot") + "/file/bot"


def _versions(manifest: Manifest) -> dict[str, Entry]:
    return {f"{article_id}:{e.content_hash}": e for article_id, e in manifest.entries.items()}


def _notice(article_id: str, entry: Entry, language: Language) -> str:
    """Title, publisher · date, link."""
    meta = entry.meta
    lines = [messages.text("new_article", language, title=meta.title or article_id)]
    lines.append(" · ".join(part for part in (meta.publisher, meta.date) if part))
    return "\n".join(line for line in (*lines, meta.url) if line)


def _result_line(result: Added, language: Language) -> str:
    if not result.problem:
        return messages.text("add_done", language, title=result.title)
    if result.article_id:
        return messages.text("add_duplicate", language, title=result.title)
    return messages.text("add_failed", language, source=result.source, problem=result.problem)


def _counts_line(report: IngestReport, language: Language) -> str:
    counts = report.counts()
    return messages.text("reindex_done", language, **{k: counts[k] for k in ("added", "updated", "removed", "unchanged")})
