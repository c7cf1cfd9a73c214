"""What the answer step hands to the fronts: the answer text and the citations it points to."""

from __future__ import annotations

from dataclasses import dataclass, field

from isnad.retrieval.models import Language


@dataclass(frozen=True)
class Citation:
    """Numbered citation: `quote == raw_text[start:end]` of the article, checked before display."""

    n: int
    article_id: str
    title: str
    publisher: str
    date: str
    url: str
    quote: str
    start: int
    end: int
    translation: str = ""  # a model's English rendering of the quote, never shown as the quote


@dataclass(frozen=True)
class Answer:
    """What a user sees: text with [n] markers, the citations they point to, and how it was made."""

    question: str
    language: Language
    text: str
    citations: tuple[Citation, ...]
    answered: bool
    generator: str = "extractive"
    status: str = "answered"  # answered | related (closest passages, not an answer) | not_found | chitchat | unavailable
    fallback: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    resolved_question: str = ""  # a follow-up read with the previous turn ("" when the question stood alone)
