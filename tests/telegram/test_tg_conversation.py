"""The bot as a conversation: /lang for the whole reply, kept across restarts; per-chat context
and /new; inline mode; feedback; the command menu; chitchat and the rate limit; bidi in every
sent text."""

from __future__ import annotations

import json

from bot_harness import AR_QUESTION, EN_QUESTION, UNANSWERABLE
from fake_bot_api import bot_message, callback_update, inline_update, message_update
from tg_html import problems, unisolated, visible_text

from isnad.bot.answer import messages
from isnad.bot.fronts import cli, conversation
from isnad.bot.fronts.titles import EnglishTitles

FIRST_AR = "ما مدة الشراكة الاستراتيجية بين روسيا وإيران؟"
SIGNED_ON = "يوم الجمعة"  # the day the partnership was signed, in the article


def last_row(request) -> list[dict]:  # noqa: ANN001
    return request.params["reply_markup"]["inline_keyboard"][-1]


async def test_lang_en_frames_an_arabic_answer_in_english_with_english_titles(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(101, "/lang en", language_code="ar"))
        await bot.send(message_update(101, AR_QUESTION, language_code="ar"))
        lang_reply, answer_reply = bot.sent(101)
    answer = answerer.answer(AR_QUESTION)
    shown = visible_text(answer_reply.params["text"])
    assert visible_text(lang_reply.params["text"]).startswith("\u200e")
    assert shown.startswith("\u200e" + messages.text("extractive_intro", "en"))
    assert messages.text("extractive_intro", "ar") not in shown
    english = EnglishTitles(answerer.settings.data_dir)
    for citation in answer.citations:
        assert citation.quote in shown and english(citation.article_id) in shown and citation.title not in shown
    assert messages.text("translation_hint", "en") in shown  # no model configured
    assert last_row(answer_reply)[2]["text"] == messages.text("new_button", "en")


async def test_lang_ar_frames_an_english_question_in_arabic(run_bot) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(102, "/lang ar"))
        await bot.send(message_update(102, UNANSWERABLE))
        _, reply = bot.sent(102)
    shown = visible_text(reply.params["text"])
    declined = [messages.text(kind, "ar") for kind in ("not_found", "related_intro")]
    assert any(shown.startswith("\u200f" + frame) for frame in declined)  # declined, framed in Arabic


async def test_lang_and_context_survive_a_restart(run_bot) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(103, "/lang ar"))
        await bot.send(message_update(108, FIRST_AR))
    async with run_bot() as bot:  # a new Application on the same data_dir
        await bot.send(message_update(103, "/help"))
        [help_reply] = bot.sent(103)[1:]
        await bot.send(message_update(108, "and when was it signed?"))
        follow_up = bot.sent(108)[-1].params["text"]
    assert visible_text(help_reply.params["text"]).startswith("\u200f" + messages.text("help", "ar").split("\n")[0])
    assert SIGNED_ON in follow_up  # the question before the restart is still the context


async def test_context_keeps_the_last_three_questions_and_new_clears_it(run_bot, answerer) -> None:
    async with run_bot() as bot:
        for question in (UNANSWERABLE, EN_QUESTION, UNANSWERABLE, AR_QUESTION):
            await bot.send(message_update(104, question))
        turns = conversation.turns(bot.app.chat_data[104])
        assert [t.question for t in turns] == [EN_QUESTION, UNANSWERABLE, AR_QUESTION]
        cited = answerer.answer(AR_QUESTION).citations
        assert turns[-1].cited == tuple((c.article_id, c.start, c.end) for c in cited) and cited

        await bot.send(message_update(104, "/new"))
        assert conversation.turns(bot.app.chat_data[104]) == []
        # the chat's last question was Arabic, so its messages are in Arabic
        assert visible_text(bot.sent(104)[-1].params["text"]) == "\u200f" + messages.text("new_done", "ar")

        await bot.send(message_update(104, EN_QUESTION))
        new_button = last_row(bot.sent(104)[-1])[2]
        await bot.send(callback_update(104, new_button["callback_data"], bot_message(104, 9)))
        assert conversation.turns(bot.app.chat_data[104]) == []
        assert bot.api.calls("answerCallbackQuery")[-1].params["text"] == messages.text("new_done", "en")  # the reply's language


async def test_inline_query_offers_the_checked_answer(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(inline_update(105, EN_QUESTION))
        await bot.send(message_update(105, EN_QUESTION))
        [inline] = bot.api.calls("answerInlineQuery")
        [chat_answer] = bot.sent(105)
    [result] = inline.params["results"]
    content = result["input_message_content"]
    assert result["type"] == "article" and result["title"] == EN_QUESTION
    assert content["message_text"] == chat_answer.params["text"] and content["parse_mode"] == "HTML"
    assert problems(content["message_text"]) == []
    for citation in answerer.answer(EN_QUESTION).citations:
        assert citation.quote in visible_text(content["message_text"])


async def test_votes_are_stored_and_isnad_feedback_lists_the_thumbs_down(run_bot, answerer, monkeypatch, capsys) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(106, AR_QUESTION))
        await bot.send(message_update(107, UNANSWERABLE))
        for chat, index in ((106, 1), (107, 0)):  # 👎 on the answer, 👍 on the decline
            button = last_row(bot.sent(chat)[0])[index]
            await bot.send(callback_update(chat, button["callback_data"], bot_message(chat, 10)))
        thanks = [r.params["text"] for r in bot.api.calls("answerCallbackQuery")]
    assert thanks == [messages.text("vote_thanks", "ar"), messages.text("vote_thanks", "en")]
    monkeypatch.setenv("ISNAD_DATA_DIR", str(answerer.settings.data_dir))
    assert cli.main(["feedback", "--json", "--limit", "50"]) == 0
    listed = [v for v in json.loads(capsys.readouterr().out) if v["chat_id"] in (106, 107)]
    cited = answerer.answer(AR_QUESTION).citations
    assert listed == [{
        "chat_id": 106, "user_id": 106, "up": False, "question": AR_QUESTION, "status": "answered",
        "citations": [{"article": c.article_id, "start": c.start, "end": c.end} for c in cited], "at": listed[0]["at"],
    }]


async def test_command_menus(run_bot, fake_api) -> None:
    async with run_bot():
        pass
    menus = {r.params.get("language_code"): r.params["commands"] for r in fake_api.calls("setMyCommands")}
    assert set(menus) == {None, "ar"}
    assert [c["command"] for c in menus[None]] == [c["command"] for c in menus["ar"]]
    assert {"new", "lang", "help"} <= {c["command"] for c in menus[None]}
    assert menus["ar"][0]["description"] == messages.text("command_start", "ar")


async def test_chitchat_is_not_rate_limited_and_has_no_buttons(run_bot, answerer) -> None:
    async with run_bot(questions_per_minute=1) as bot:
        for greeting in ("hello", "hi!", "thanks"):
            await bot.send(message_update(108, greeting))
        replies = bot.sent(108)
    shown = [visible_text(r.params["text"]) for r in replies]
    assert [line.split("\n")[0] for line in shown] == [
        "\u200e" + answerer.answer(greeting).text.split("\n")[0] for greeting in ("hello", "hi!", "thanks")
    ]
    assert shown[0].startswith("\u200eHello!") and shown[2].startswith("\u200eYou're welcome")
    assert all("reply_markup" not in r.params for r in replies)


async def test_every_sent_text_is_valid_html_with_isolated_runs(run_bot, answerer) -> None:
    script = [(110, "/start", "ar"), (110, "/help", "ar"), (110, "/sources", "ar"), (110, "/lang", "ar"),
              (110, AR_QUESTION, "ar"), (110, EN_QUESTION, "ar"), (110, UNANSWERABLE, "ar"), (111, "/start", "en"),
              (111, "/help", "en"), (111, "/lang ar", "en"), (111, EN_QUESTION, "en"), (111, "/new", "en")]
    async with run_bot() as bot:
        for chat, text, code in script:
            await bot.send(message_update(chat, text, language_code=code))
        sent = [r for r in bot.api.requests if r.method in ("sendMessage", "editMessageText")]
    quotes = tuple(c.quote for q in (AR_QUESTION, EN_QUESTION) for c in answerer.answer(q).citations)
    assert len(sent) >= len(script)
    for request in sent:
        text = request.params["text"]
        assert problems(text) == [], (problems(text), text)
        assert unisolated(text, quotes) == [], text
    [arabic_help] = [visible_text(r.params["text"]) for r in bot.sent(110) if "/reindex" in r.params["text"]]
    assert "\u2066/ask" in arabic_help and f"\u2066@{bot.app.bot.username}" in arabic_help


async def test_a_follow_up_is_answered_in_a_private_chat_and_in_a_group_reply_chain(run_bot, answerer) -> None:
    group = -100777
    async with run_bot() as bot:
        await bot.send(message_update(106, FIRST_AR))
        await bot.send(message_update(106, "and when was it signed?"))
        assert SIGNED_ON in bot.sent(106)[-1].params["text"]
        assert conversation.turns(bot.app.chat_data[106])[-1].question.startswith("and when was it signed?")

        await bot.send(message_update(group, f"/ask {FIRST_AR}", user_id=7))
        await bot.send(message_update(group, "ومتى تم ذلك؟", user_id=7, reply_to=bot_message(group, 901)))
        assert SIGNED_ON in bot.sent(group)[-1].params["text"]
        await bot.send(message_update(106, "/new"))
        await bot.send(message_update(106, "ومتى تم ذلك؟"))
        assert SIGNED_ON not in bot.sent(106)[-1].params["text"]  # a new conversation has nothing to lean on
