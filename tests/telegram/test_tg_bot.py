"""The real bot (long polling) against the fake Bot API: questions, groups, buttons, commands."""

from __future__ import annotations

import html

from bot_harness import AR_QUESTION, EN_QUESTION, UNANSWERABLE
from fake_bot_api import BOT_USERNAME, Request, bot_message, callback_update, message_update
from tg_html import problems, visible_text

from isnad.bot.answer import messages
from isnad.bot.fronts.formatting import text_html
from isnad.bot.fronts.titles import EnglishTitles

GROUP = -100123


def assert_html(request: Request) -> str:
    """The request's text, after checking it is Telegram HTML that Telegram would accept."""
    assert request.params["parse_mode"] == "HTML"
    text = request.params["text"]
    assert problems(text) == [], (problems(text), text)
    return text


def keyboard_rows(request: Request) -> tuple[list[list[dict]], list[dict]]:
    """(one row per cited article, the last row: 👍 👎 and "new topic")."""
    rows = request.params["reply_markup"]["inline_keyboard"]
    return rows[:-1], rows[-1]


def assert_cited_answer(request: Request, answerer, question: str) -> None:  # noqa: ANN001
    """One message with every citation's quote verbatim, one button per cited article, then 👍 👎 and "new"."""
    text = assert_html(request)
    answer = answerer.answer(question)
    assert answer.answered and answer.citations
    shown = visible_text(text)
    for c in answer.citations:
        assert c.quote == answerer.article_text(c.article_id)[c.start : c.end]
        assert c.quote in shown
    assert text.count("<blockquote>") == len(answer.citations)
    articles, last = keyboard_rows(request)
    assert [len(row) for row in articles] == [1] * len({c.article_id for c in answer.citations})
    assert [b["text"] for b in last[:2]] == ["👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= 64 for row in (*articles, last) for b in row)


async def test_arabic_and_english_questions_get_one_cited_answer_each(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(11, AR_QUESTION, language_code="en"))
        await bot.send(message_update(12, EN_QUESTION, language_code="ar"))
        for chat, question in ((11, AR_QUESTION), (12, EN_QUESTION)):
            [reply] = bot.sent(chat)
            assert_cited_answer(reply, answerer, question)
            typing = bot.api.calls("sendChatAction", chat_id=chat)
            assert typing and typing[0].params["action"] == "typing" and typing[0].at <= reply.at
        assert visible_text(bot.sent(11)[0].params["text"]).startswith("\u200f")  # Arabic answer: RTL
        assert visible_text(bot.sent(12)[0].params["text"]).startswith("\u200e")  # English intro: LTR


async def test_unanswerable_question_says_so_with_only_feedback_buttons(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(13, UNANSWERABLE))
        [reply] = bot.sent(13)
        assert assert_html(reply) == text_html(answerer.answer(UNANSWERABLE).text, "en")
        articles, last = keyboard_rows(reply)
        assert articles == [] and [b["text"] for b in last[:2]] == ["👍", "👎"]


async def test_markup_characters_in_questions_are_harmless(run_bot) -> None:
    async with run_bot() as bot:
        for i, question in enumerate(["<b>bold</b> & *_[ `code` ?", "ما هو <i>المصنع</i> & *_[ ؟", "&amp; <a href='x'>"]):
            await bot.send(message_update(20 + i, question))
            [reply] = bot.sent(20 + i)
            assert_html(reply)


async def test_groups_answer_mentions_replies_and_ask_only(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(GROUP, EN_QUESTION, user_id=5))
        await bot.send(message_update(GROUP, "/ask", user_id=5))  # no question: usage, not silence
        assert len(bot.sent(GROUP)) == 1
        mention = message_update(GROUP, f"@{BOT_USERNAME.upper()} {EN_QUESTION}", user_id=5)
        reply = message_update(GROUP, AR_QUESTION, user_id=6, reply_to=bot_message(GROUP, 77))
        reply_to_human = message_update(GROUP, AR_QUESTION, user_id=6, reply_to=message_update(GROUP, "hi", user_id=5)["message"])
        ask = message_update(GROUP, f"/ask@{BOT_USERNAME} {EN_QUESTION}", user_id=7)
        for update in (mention, reply, reply_to_human, ask):
            await bot.send(update)
        sent = bot.sent(GROUP)
        assert len(sent) == 4
        for request, update, question in zip(sent[1:], (mention, reply, ask), (EN_QUESTION, AR_QUESTION, EN_QUESTION), strict=True):
            assert request.params["reply_parameters"]["message_id"] == update["message"]["message_id"]
            assert_cited_answer(request, answerer, question)


async def test_buttons_show_the_passage_and_come_back(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(14, AR_QUESTION, language_code="ar"))
        [answer_request] = bot.sent(14)
        answer_html = answer_request.params["text"]
        articles, last = keyboard_rows(answer_request)
        shown = bot_message(14, 555, visible_text(answer_html))

        await bot.send(callback_update(14, articles[0][0]["callback_data"], shown, "ar"))
        [edit] = bot.api.calls("editMessageText")
        assert edit.params["chat_id"] == 14 and edit.params["message_id"] == 555
        passage = assert_html(edit)
        quote = answerer.answer(AR_QUESTION).citations[0].quote
        assert f"<b>{html.escape(quote, quote=False)}</b>" in passage
        assert len(visible_text(passage)) > len(quote) + 200  # a wider window than the quote
        [[back]] = edit.params["reply_markup"]["inline_keyboard"]
        assert back["text"] == messages.text("back", "ar") and len(back["callback_data"].encode()) <= 64

        await bot.send(callback_update(14, back["callback_data"], shown, "ar"))
        restored = bot.api.calls("editMessageText")[1]
        assert restored.params["text"] == answer_html
        labels = [[b["text"] for b in row] for row in restored.params["reply_markup"]["inline_keyboard"]]
        assert labels == [[b["text"] for b in row] for row in (*articles, last)]

        await bot.send(callback_update(14, "p:unknown:0", shown, "ar"))
        presses = bot.api.calls("answerCallbackQuery")
        assert len(presses) == 3 and presses[-1].params["text"] == messages.text("expired", "ar")
        assert len(bot.api.calls("editMessageText")) == 2
        assert len(bot.sent(14)) == 1


async def test_non_text_empty_and_overlong_messages_get_polite_replies(run_bot) -> None:
    photo = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
    sticker = {"file_id": "s", "file_unique_id": "su", "width": 1, "height": 1, "is_animated": False,
               "is_video": False, "type": "regular"}
    async with run_bot(max_question_chars=1000) as bot:
        await bot.send(message_update(15, photo=photo, caption="ما هذا؟", language_code="ar"))
        await bot.send(message_update(16, sticker=sticker))
        await bot.send(message_update(17, "   ", language_code="ar"))
        await bot.send(message_update(18, "سؤال " * 2000))
        await bot.send(message_update(GROUP, photo=photo, user_id=5))  # group chatter: ignored
        expected = {
            15: messages.text("non_text", "ar"),
            16: messages.text("non_text", "en"),
            17: messages.text("empty_question", "ar"),
            18: messages.text("too_long", "ar", limit=1000),
        }
        for chat, text in expected.items():
            [reply] = bot.sent(chat)
            assert assert_html(reply) == text_html(text)
        assert bot.sent(GROUP) == []


async def test_only_allowed_users_and_chats_are_served(run_bot) -> None:
    async with run_bot(allowed_ids=[31, GROUP], admin_ids=[33]) as bot:
        for chat in (31, 32, 33):
            await bot.send(message_update(chat, UNANSWERABLE))
        await bot.send(message_update(GROUP, f"@{BOT_USERNAME} {UNANSWERABLE}", user_id=32))
        await bot.send(message_update(-100999, f"@{BOT_USERNAME} {UNANSWERABLE}", user_id=32))
        await bot.send(callback_update(32, "p:x:0", bot_message(32, 1)))
        not_found = text_html(messages.text("not_found", "en"))
        refusal = text_html(messages.text("not_allowed", "en", user_id=32))
        first_lines = {chat: [r.params["text"].split("\n")[0] for r in bot.sent(chat)] for chat in (31, 33, GROUP)}
        assert first_lines == {31: [not_found], 33: [not_found], GROUP: [not_found]}  # admins are always allowed
        assert [r.params["text"] for r in bot.sent(32)] == [refusal]
        assert [r.params["text"] for r in bot.sent(-100999)] == [refusal]
        assert bot.api.calls("answerCallbackQuery")[0].params["text"] == messages.text("not_allowed", "en", user_id=32)


async def test_a_burst_over_the_rate_limit_is_asked_to_slow_down(run_bot) -> None:
    async with run_bot(questions_per_minute=2) as bot:
        for _ in range(3):
            await bot.send(message_update(41, UNANSWERABLE))
        await bot.send(message_update(42, UNANSWERABLE))  # another user is not affected
        texts = [r.params["text"] for r in bot.sent(41)]
        assert texts.count(text_html(messages.text("slow_down", "en", limit=2))) == 1
        assert len(texts) == 3
        assert len(bot.sent(42)) == 1


async def test_reindex_is_for_admins_and_reports_counts(run_bot) -> None:
    async with run_bot(admin_ids=[51]) as bot:
        await bot.send(message_update(52, "/reindex"))  # /reindex runs in the background (block=False)
        refused = await bot.api.wait_for("sendMessage", chat_id=52)
        assert [r.params["text"] for r in refused] == [text_html(messages.text("admins_only", "en"))]
        await bot.send(message_update(51, "/reindex"))
        await bot.send(message_update(53, UNANSWERABLE))  # answered while the index refreshes
        done = await bot.api.wait_for("sendMessage", 2, chat_id=51)
        assert len(bot.sent(53)) == 1
        assert [r.params["text"] for r in done] == [
            text_html(messages.text("reindex_started", "en")),
            text_html(messages.text("reindex_done", "en", added=0, updated=0, removed=0, unchanged=5)),
        ]


def plain(html_text: str) -> str:
    """Visible text without direction marks and isolates."""
    return "".join(c for c in visible_text(html_text) if c not in "\u200e\u200f\u2066\u2067\u2068\u2069")


async def test_start_help_sources_and_lang(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(61, "/start", language_code="ar"))
        start = plain("".join(assert_html(r) for r in bot.sent(61)))
        assert messages.text("bot_intro", "ar") in start and f"@{BOT_USERNAME}" in start
        assert all(s.title in start for s in answerer.sources())

        await bot.send(message_update(62, "/sources"))
        [sources] = bot.sent(62)
        listing = plain(assert_html(sources))
        english = EnglishTitles(answerer.settings.data_dir)
        for source in answerer.sources():  # English readers get the English titles
            assert english(source.article_id) in listing and source.title not in listing
            assert source.publisher in listing and source.date in listing

        for command in ("/help", "/lang ar", "/help", "/lang xx", "/lang auto", "/help"):
            await bot.send(message_update(63, command, language_code="en"))
        texts = [plain(assert_html(r)) for r in bot.sent(63)]
        assert texts[0].startswith(messages.text("help", "en"))
        assert texts[1] == messages.text("lang_set", "ar")
        assert texts[2].startswith(messages.text("help", "ar"))
        assert messages.text("lang_usage", "ar") in texts[3]
        assert texts[5] == texts[0]


async def test_help_gives_examples_from_the_titles_and_says_how_to_ask_in_groups(run_bot, answerer) -> None:
    async with run_bot() as bot:
        await bot.send(message_update(64, "/help", language_code="ar"))
        [reply] = bot.sent(64)
        shown = plain(assert_html(reply))
    examples = [line for line in shown.split("\n") if line.startswith("• ")]
    titles = {s.title for s in answerer.sources()}
    assert len(examples) == 2 and all(any(t in e for t in titles) for e in examples)
    assert messages.text("help_groups", "ar", username=BOT_USERNAME) in shown


async def test_last_question_language_sets_the_reply_language(run_bot) -> None:
    photo = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
    async with run_bot() as bot:
        await bot.send(message_update(71, AR_QUESTION, language_code="en"))
        await bot.send(message_update(71, photo=photo, language_code="en"))
        assert bot.sent(71)[1].params["text"] == text_html(messages.text("non_text", "ar"))
