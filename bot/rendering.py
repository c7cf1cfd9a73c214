"""Answer -> plain data: the `ask --json` contract and the terminal rendering."""

from __future__ import annotations

from typing import Any

from bot import messages
from retrieval.models import Answer, Citation


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable JSON shape of `isnad ask --json` (one object per question)."""
    return {
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


def _citation_json(c: Citation) -> dict[str, Any]:
    item: dict[str, Any] = {
        "n": c.n, "article": c.article_id, "title": c.title, "publisher": c.publisher,
        "quote": c.quote, "start": c.start, "end": c.end,
    }
    if c.translation:  # only with ISNAD_LLM_TRANSLATE_QUOTES: the default shape stays as documented
        item["translation"] = c.translation
    return item


def answer_text(answer: Answer) -> str:
    """Terminal rendering: the answer, then one line per source."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            origin = " — ".join(part for part in (c.title, c.publisher, c.date) if part)
            lines.append(f"[{c.n}] {origin} ({c.article_id}, {c.start}-{c.end})")
            if c.translation:
                lines.append(f"    {messages.text('translation_label', answer.language)} {c.translation}")
    return "\n".join(lines)
