"""Delivery: webhook mode with its secret token, 429 retry_after, and errors that leak nothing."""

from __future__ import annotations

import logging
import socket

import aiohttp
from bot_harness import AR_QUESTION, TOKEN, UNANSWERABLE
from fake_bot_api import message_update

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.types import Answer
from isnad.bot.fronts.formatting import text_html
from isnad.settings import ChromaSettings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_requires_the_secret_token(run_bot, fake_api) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/isnad/hook"
    async with run_bot(webhook_url=url, webhook_port=port, webhook_secret="s3cret-Token_1") as bot:
        [registered] = fake_api.calls("setWebhook")
        assert registered.params["url"] == url and registered.params["secret_token"] == "s3cret-Token_1"
        async with aiohttp.ClientSession() as http:
            for n, headers in enumerate(({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"})):
                update = {"update_id": 100 + n, **message_update(81, UNANSWERABLE)}
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            update = {"update_id": 200, **message_update(81, UNANSWERABLE)}
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}) as response:
                assert response.status == 200
        await bot.handled(200)
        assert bot.processed == {200}
        assert [r.params["text"].split("\n")[0] for r in bot.sent(81)] == [text_html(messages.text("not_found", "en"))]
        assert fake_api.calls("getUpdates") == []


async def test_429_retry_after_is_honoured_and_the_answer_sent_once(run_bot, fake_api) -> None:
    fake_api.fail_next("sendMessage", times=1, retry_after=1)
    async with run_bot() as bot:
        await bot.send(message_update(82, UNANSWERABLE))
        attempts = [r for r in fake_api.requests if r.method == "sendMessage"]
        assert [r.ok for r in attempts] == [False, True]
        assert attempts[1].at - attempts[0].at >= 1
        assert len(bot.sent(82)) == 1


async def test_network_faults_are_retried_and_the_answer_sent_once(run_bot, fake_api) -> None:
    fake_api.break_next("sendMessage", times=2)
    async with run_bot() as bot:
        await bot.send(message_update(83, UNANSWERABLE))
        attempts = [r for r in fake_api.requests if r.method == "sendMessage"]
        assert [r.ok for r in attempts] == [False, False, True]
        assert attempts[2].at - attempts[1].at >= attempts[1].at - attempts[0].at > 0.4
        assert len(bot.sent(83)) == 1


class ExplodingAnswerer(Answerer):
    """A collaborator that fails, to exercise the error path."""

    def answer(self, question: str, on_text: object = None) -> Answer:
        raise RuntimeError("index exploded")


async def test_errors_are_logged_without_token_or_question_and_the_user_is_told(run_bot, answerer, caplog) -> None:
    exploding = ExplodingAnswerer(answerer.settings, embedder=answerer.embedder)
    caplog.set_level(logging.DEBUG)
    for name in ("bot", "telegram"):
        caplog.set_level(logging.DEBUG, logger=name)
    async with run_bot(exploding) as bot:
        update_id = await bot.send(message_update(83, AR_QUESTION, language_code="en"))
        [reply] = bot.sent(83)
    assert reply.params["text"] == text_html(messages.text("error", "ar"))
    assert reply.params["parse_mode"] == "HTML"
    [failure] = [r for r in caplog.records if r.name == "isnad.bot.fronts.telegram_app" and r.levelno == logging.ERROR]
    assert f"update {update_id} failed" in failure.getMessage() and failure.exc_info
    everything = caplog.text + "".join(str(r.params) for r in bot.api.requests)
    assert TOKEN not in everything and TOKEN.split(":")[1] not in everything
    assert "/bot<redacted>/sendMessage" in caplog.text  # httpx's request log, token redacted
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            assert AR_QUESTION not in record.getMessage()


async def test_unreachable_search_store_sends_the_unavailable_message(run_bot, answerer) -> None:
    offline = answerer.settings.model_copy(update={"chroma": ChromaSettings(host="127.0.0.1", port=free_port())})
    async with run_bot(Answerer(offline, embedder=answerer.embedder)) as bot:
        await bot.send(message_update(84, AR_QUESTION))
        [reply] = bot.sent(84)
    assert reply.params["text"] == text_html(messages.text("search_unavailable", "ar"))
    assert "reply_markup" not in reply.params
