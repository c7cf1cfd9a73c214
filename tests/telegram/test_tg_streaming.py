"""A language model's answer appears progressively: one draft message, edited, then the final answer."""

from __future__ import annotations

from itertools import pairwise

from bot_harness import EN_QUESTION
from fake_bot_api import message_update
from langchain_core.messages import AIMessage
from tg_html import problems, visible_text

from isnad.bot.answer import messages
from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.generators import ChatModelGenerator
from isnad.bot.fronts import telegram_app
from tests.chat_fakes import SlowChatModel


async def test_streamed_answer_edits_one_draft_then_becomes_the_final_answer(answerer, run_bot, fake_api, monkeypatch) -> None:
    monkeypatch.setattr(telegram_app, "DRAFT_EDIT_INTERVAL", 0.3)
    words = " ".join(f"word{i}" for i in range(12))
    model = SlowChatModel(messages=iter([AIMessage(content=f"{words} [1].")]), delay=0.1)
    streaming = Answerer(answerer.settings, embedder=answerer.embedder, generator=ChatModelGenerator("openai", model, 30))
    async with run_bot(streaming) as bot:
        await bot.send(message_update(91, EN_QUESTION))
    drafts = bot.sent(91)
    edits = fake_api.calls("editMessageText")
    assert len(drafts) == 1, "one draft message, then edits of it"
    assert len(edits) >= 2
    label = messages.text("draft", "en")
    assert all(label in visible_text(r.params["text"]) for r in (*drafts, *edits[:-1])), "drafts are marked"
    final = edits[-1].params
    assert label not in visible_text(final["text"])
    assert "[1]" in final["text"] and "<blockquote>" in final["text"] and final.get("reply_markup")
    assert all(not problems(e.params["text"]) and len(e.params["text"]) <= 4096 for e in edits)
    times = [r.at for r in fake_api.requests if r.method in ("sendMessage", "editMessageText")]
    assert all(b - a >= 0.25 for a, b in pairwise(times[:-1])), "drafts respect the edit interval"
