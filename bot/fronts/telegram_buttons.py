"""Inline buttons under replies. With PTB's arbitrary_callback_data the buttons carry these
objects (PTB stores them, persisted, and sends Telegram a short id)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from isnad.bot.answer import messages
from isnad.bot.fronts.replies import Quote, Reply
from isnad.retrieval.models import Language

BUTTON_LABEL_CHARS = 40
_WITH_BUTTONS = ("answered", "related", "not_found")


@dataclass(frozen=True)
class AnswerView:
    """A reply as sent, so its buttons can show a passage, come back, and record a vote."""

    html: str  # the reply's last message, which carries the buttons
    language: Language
    question: str
    status: str
    articles: tuple[tuple[Quote, ...], ...]  # quotes grouped by article, in button order

    @property
    def cited(self) -> tuple[tuple[str, int, int], ...]:
        return tuple((q.citation.article_id, q.citation.start, q.citation.end) for group in self.articles for q in group)


@dataclass(frozen=True)
class ShowPassage:
    """Show the passage of the view's article group `index` in place of the reply."""

    view: AnswerView
    index: int  # which article group


@dataclass(frozen=True)
class BackToAnswer:
    """Restore the reply from its passage view."""

    view: AnswerView


@dataclass(frozen=True)
class CastVote:
    """👍 (up) or 👎 on the reply."""

    view: AnswerView
    up: bool


@dataclass(frozen=True)
class NewConversation:
    """Clear the chat's context (as /new); `language` is the reply's, for the confirmation."""

    language: Language


def answer_view(html: str, reply: Reply, question: str) -> AnswerView:
    """The view of a sent reply whose last message is `html`."""
    groups: dict[str, list[Quote]] = {}
    for quote in reply.quotes:
        groups.setdefault(quote.citation.article_id, []).append(quote)
    return AnswerView(html, reply.language, question, reply.status, tuple(tuple(g) for g in groups.values()))


def button_label(text: str, limit: int = BUTTON_LABEL_CHARS) -> str:
    """`text` cut at a word boundary to fit `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.،:؛-–—") + "…"


def answer_keyboard(view: AnswerView) -> InlineKeyboardMarkup | None:
    """One button per cited article, then 👍 👎 and "new topic"; none for chitchat or errors."""
    if view.status not in _WITH_BUTTONS:
        return None
    rows = [
        [InlineKeyboardButton(button_label(f"[{','.join(str(q.citation.n) for q in group)}] {group[0].title}"),
                              callback_data=ShowPassage(view, i))]
        for i, group in enumerate(view.articles)
    ]
    rows.append([
        InlineKeyboardButton("👍", callback_data=CastVote(view, True)),
        InlineKeyboardButton("👎", callback_data=CastVote(view, False)),
        InlineKeyboardButton(messages.text("new_button", view.language), callback_data=NewConversation(view.language)),
    ])
    return InlineKeyboardMarkup(rows)


def back_keyboard(view: AnswerView) -> InlineKeyboardMarkup:
    """The one button under a passage: back to the reply."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(messages.text("back", view.language), callback_data=BackToAnswer(view))]])
