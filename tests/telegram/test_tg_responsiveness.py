"""A slow answer runs off the event loop: other chats are served while it is being written."""

from __future__ import annotations

import time

from bot_harness import EN_QUESTION
from fake_bot_api import message_update
from langchain_core.messages import AIMessage

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.generators import ChatModelGenerator
from isnad.bot.fronts.formatting import text_html
from tests.chat_fakes import SlowChatModel

WORDS, DELAY = 20, 0.2  # the model takes WORDS * DELAY = 4 s to write its answer
LONG_CHAT, OTHER_CHAT = 301, 302


async def test_help_is_answered_while_a_slow_answer_is_being_written(answerer, run_bot, fake_api) -> None:
    words = " ".join(f"word{i}" for i in range(WORDS - 1))
    model = SlowChatModel(messages=iter([AIMessage(content=f"{words} [1].")]), delay=DELAY)
    slow = Answerer(answerer.settings, embedder=answerer.embedder, generator=ChatModelGenerator("openai", model, 60))
    async with run_bot(slow) as bot:
        asked_at = time.monotonic()
        long_update = await fake_api.push(message_update(LONG_CHAT, EN_QUESTION))
        await fake_api.wait_for("sendChatAction", chat_id=LONG_CHAT)  # the answer has started
        help_at = time.monotonic()
        await bot.send(message_update(OTHER_CHAT, "/help"), timeout=10)
        help_reply = fake_api.calls("sendMessage", chat_id=OTHER_CHAT)
        await bot.handled(long_update, timeout=60)
    [help_text] = [r.params["text"] for r in help_reply]
    assert help_text.startswith(text_html(messages.text("help", "en"), "en"))
    finals = [r for r in fake_api.requests if r.method in ("sendMessage", "editMessageText")
              and r.params.get("chat_id") == LONG_CHAT]
    answer_done = finals[-1].at
    assert "<blockquote>" in finals[-1].params["text"], "the long question got its full answer"
    assert answer_done - asked_at >= WORDS * DELAY, "the slow model really was slow"
    assert help_reply[0].at - help_at < 1.5, "/help waited for the slow answer"
    assert help_reply[0].at < answer_done - 1.5, "/help came well before the slow answer ended"
