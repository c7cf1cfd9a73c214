"""What a reply says, in the reader's language, for every answer status; the Telegram HTML and
the terminal renderers only lay it out.

Statuses (`Answer.status`): "answered" (the citations are evidence), "related" (the citations
are only the closest passages, labelled as not an answer), "not_found" (nothing cited, the text
ends with a hint of what the articles cover), "chitchat" (a short friendly reply) and
"unavailable". The frame (introduction, labels, notes) follows `language`, which may differ from
the question's (/lang); a model's answer text is shown as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from isnad.bot.answer import messages
from isnad.bot.answer.types import Answer, Citation
from isnad.bot.fronts.bidi import is_rtl
from isnad.retrieval.models import Language

# Status -> the message shown when the reply language differs from the question's (whose text
# the Answerer wrote in the question's language).
_DECLINED = {"not_found": ("not_found", "sources_hint"), "chitchat": ("chitchat",), "unavailable": ("search_unavailable",)}
TitleLookup = Callable[[str], str]  # article id -> English title, "" if unknown


@dataclass(frozen=True)
class Quote:
    """A citation with the title to show for it."""

    citation: Citation
    title: str


@dataclass(frozen=True)
class Reply:
    """A composed reply: lines before the quotes, the quotes, and lines after them."""

    language: Language
    status: str
    lines: tuple[str, ...]
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()


def _no_title(article_id: str) -> str:
    return ""


def compose(
    answer: Answer, language: Language | None = None, english_title: TitleLookup = _no_title,
    model_configured: bool = False,
) -> Reply:
    """The reply to `answer` in `language` (default: the question's).

    English replies show English titles where `english_title` knows one; an English reply with
    untranslated Arabic quotes says how to get translations when no model is configured.
    """
    language = language or answer.language
    if answer.status in _DECLINED or not answer.citations:
        keys = _DECLINED.get(answer.status, ("not_found", "sources_hint"))
        text = answer.text if language == answer.language else "\n".join(messages.text(k, language) for k in keys)
        return Reply(language, answer.status, tuple(text.strip().split("\n")))
    if answer.status == "related" or answer.generator == "extractive":  # its text is the quotes the blocks show
        lines = [messages.text("related_intro" if answer.status == "related" else "extractive_intro", language)]
        if answer.fallback:
            lines.append(messages.text("llm_fallback", language))
    else:
        lines = answer.text.strip().split("\n")
    quotes = tuple(Quote(c, (language == "en" and english_title(c.article_id)) or c.title) for c in answer.citations)
    untranslated = any(is_rtl(c.quote) and not c.translation for c in answer.citations)
    notes = (messages.text("translation_hint", language),) if language == "en" and untranslated and not model_configured else ()
    return Reply(language, answer.status, tuple(lines), quotes, notes)
