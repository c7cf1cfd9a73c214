"""Answer -> plain data: the `ask --json` contract and the terminal rendering (every status)."""

from __future__ import annotations

from typing import Any

from isnad.bot.answer import messages
from isnad.bot.answer.types import Answer, Citation
from isnad.bot.fronts.replies import TitleLookup, compose
from isnad.retrieval.models import Language


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable JSON shape of `isnad ask --json` (one object per question); a follow-up read
    with its conversation's previous turn adds "resolved_question"."""
    shown: dict[str, Any] = {
        "question": answer.question,
        "language": answer.language,
        "answered": answer.answered,
        "status": answer.status,
        "answer": answer.text,
        "citations": [_citation_json(c) for c in answer.citations],
        "generator": answer.generator,
        "fallback": answer.fallback,
        "timings_ms": answer.timings_ms,
    }
    if answer.resolved_question:
        shown["resolved_question"] = answer.resolved_question
    return shown


def _citation_json(c: Citation) -> dict[str, Any]:
    item: dict[str, Any] = {
        "n": c.n, "article": c.article_id, "title": c.title, "publisher": c.publisher,
        "quote": c.quote, "start": c.start, "end": c.end,
    }
    if c.translation:  # only with ISNAD_LLM_TRANSLATE_QUOTES: the default shape stays as documented
        item["translation"] = c.translation
    return item


def answer_text(answer: Answer, language: Language | None = None, english_title: TitleLookup | None = None,
                model_configured: bool = False) -> str:
    """Terminal rendering of any answer status: its lines, each quote with its source, then notes."""
    reply = compose(answer, language, english_title or (lambda _: ""), model_configured)
    lines = list(reply.lines)
    for quote in reply.quotes:
        c = quote.citation
        origin = " — ".join(part for part in (quote.title, c.publisher, c.date) if part)
        lines += ["", f"[{c.n}] «{c.quote}»", f"    {origin} ({c.article_id}, {c.start}-{c.end})"]
        if c.translation:
            lines.append(f"    {messages.text('translation_label', reply.language)} {c.translation}")
    if reply.notes:
        lines += ["", *reply.notes]
    return "\n".join(lines)

