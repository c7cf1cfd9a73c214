"""Small talk gets a friendly reply with an example question; anything else is a question."""

from __future__ import annotations

import pytest

from isnad.bot.answer import chitchat


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("hi", "greeting"),
        ("Hello!", "greeting"),
        ("hey there 👋", "greeting"),
        ("مرحبا", "greeting"),
        ("السلام عليكم", "greeting"),
        ("أهلاً", "greeting"),
        ("شلونك؟", "greeting"),
        ("thanks!", "thanks"),
        ("Thank you so much", "thanks"),
        ("شكراً", "thanks"),
        ("شكرا جزيلا", "thanks"),
        ("مشكور", "thanks"),
    ],
)
def test_small_talk_is_recognised(text: str, key: str) -> None:
    assert chitchat.is_small_talk(text)
    assert chitchat.reply_key(text) == key


@pytest.mark.parametrize(
    "text",
    [
        "hi, what did the kremlin say about iran?",
        "thanks, and when was it signed?",
        "مرحبا، متى وقعت الاتفاقية؟",
        "who signed the treaty",
        "شكرا بس مين قال هيك؟",
        "",
        "?",
    ],
)
def test_questions_are_not_small_talk(text: str) -> None:
    assert not chitchat.is_small_talk(text)
