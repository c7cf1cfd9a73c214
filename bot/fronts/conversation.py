"""Per-chat conversation state kept in Telegram's chat_data (persisted): the reply language, the
language of the last question, and the last few questions with what their replies cited (for
follow-up questions)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from isnad.bot.answer.followup import Turn, turn_of
from isnad.bot.answer.types import Answer
from isnad.retrieval.models import Language

CONTEXT_TURNS = 3
_LANG, _ASKED, _TURNS = "lang", "asked_in", "context"


def remember(chat_data: MutableMapping[str, Any], answer: Answer) -> None:
    """Add `answer` to the chat's context, keeping the last CONTEXT_TURNS (stored as plain tuples,
    so the persistence file does not depend on where a class lives)."""
    turn = turn_of(answer)
    chat_data[_TURNS] = [*chat_data.get(_TURNS, []), (turn.question, turn.cited)][-CONTEXT_TURNS:]


def turns(chat_data: MutableMapping[str, Any]) -> list[Turn]:
    """The chat's recent turns, oldest first."""
    return [Turn(t[0], tuple(t[1])) for t in chat_data.get(_TURNS, []) if isinstance(t, tuple) and len(t) == 2]


def forget(chat_data: MutableMapping[str, Any]) -> None:
    """Start a new conversation: the context is cleared (the language setting stays)."""
    chat_data.pop(_TURNS, None)


def chosen_language(chat_data: MutableMapping[str, Any]) -> Language | None:
    """The chat's /lang choice, or None for "auto"."""
    choice = chat_data.get(_LANG)
    return choice if choice in ("ar", "en") else None


def choose_language(chat_data: MutableMapping[str, Any], choice: str) -> None:
    """Store a /lang choice: "ar", "en" or "auto" (which also forgets the last question's language)."""
    chat_data[_LANG] = choice
    if choice == "auto":
        chat_data.pop(_ASKED, None)


def note_question(chat_data: MutableMapping[str, Any], language: Language) -> None:
    """Remember the language of the chat's latest question."""
    chat_data[_ASKED] = language


def reply_language(chat_data: MutableMapping[str, Any], default: Language) -> Language:
    """The /lang choice, else the language of the chat's last question, else `default`."""
    return chosen_language(chat_data) or chat_data.get(_ASKED) or default
