"""`isnad eval`: score the pipeline on a question set with reference quotes."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.answering import Answerer
from retrieval.arabic import detect_language
from retrieval.models import Answer

_QUOTED = re.compile(r"«[^»]*»")


def load_items(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _references(item: dict[str, Any]) -> dict[str, list[str]]:
    if item.get("quotes_by_article"):
        return item["quotes_by_article"]
    return {item["article"]: item.get("quotes", [])} if item.get("article") else {}


def _spans(raw: str, quotes: Sequence[str]) -> list[tuple[int, int]]:
    return [(i, i + len(q)) for q in quotes if (i := raw.find(q)) >= 0]


def _frame_language(answer: Answer) -> str:
    """Language of the answer's own words, with the quoted article text taken out."""
    return detect_language(_QUOTED.sub("", answer.text))


def _score_item(item: dict[str, Any], answer: Answer, raw_texts: dict[str, str]) -> dict[str, Any]:
    references = _references(item)
    cited = {c.article_id for c in answer.citations}
    row: dict[str, Any] = {
        "id": item.get("id"),
        "lang": item["lang"],
        "answerable": item["answerable"],
        "answered": answer.answered,
        "language_right": answer.language == item["lang"] and _frame_language(answer) == item["lang"],
        "verbatim": all(raw_texts.get(c.article_id, "")[c.start : c.end] == c.quote for c in answer.citations),
        "latency_ms": answer.timings_ms.get("total", 0.0),
    }
    if item["answerable"]:
        row["article_cited"] = sum(a in cited for a in references) / len(references)
        hits = []
        for article_id, quotes in references.items():
            spans = _spans(raw_texts.get(article_id, ""), quotes)
            hits.append(any(
                c.article_id == article_id and c.start < end and c.end > start
                for c in answer.citations for start, end in spans
            ))
        row["evidence_quoted"] = sum(hits) / len(hits)
    else:
        row["declined"] = not answer.answered
    return row


def _mean(rows: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [float(r[key]) for r in rows if key in r]
    return round(statistics.fmean(values), 3) if values else None


def evaluate(answerer: Answerer, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Answer every item and aggregate the metrics, overall and per question language."""
    raw_texts = {s.article_id: answerer.article_text(s.article_id) for s in answerer.sources()}
    rows = [_score_item(item, answerer.answer(item["question"]), raw_texts) for item in items]
    latencies = sorted(r["latency_ms"] for r in rows)
    summary: dict[str, Any] = {"questions": len(rows)}
    for scope, subset in (("all", rows), ("ar", [r for r in rows if r["lang"] == "ar"]), ("en", [r for r in rows if r["lang"] == "en"])):
        summary[scope] = {
            key: _mean(subset, key)
            for key in ("article_cited", "evidence_quoted", "declined", "verbatim", "language_right")
        }
    summary["latency_ms"] = {
        "p50": round(statistics.median(latencies), 1) if latencies else None,
        "p95": round(latencies[max(0, round(0.95 * len(latencies)) - 1)], 1) if latencies else None,
    }
    summary["items"] = rows
    return summary


def format_report(report: dict[str, Any]) -> str:
    lines = [f"questions: {report['questions']}"]
    for scope in ("all", "ar", "en"):
        metrics = ", ".join(f"{k} {v}" for k, v in report[scope].items() if v is not None)
        lines.append(f"{scope:>3}: {metrics}")
    lines.append(f"latency ms: p50 {report['latency_ms']['p50']}, p95 {report['latency_ms']['p95']}")
    misses = [
        r["id"] for r in report["items"]
        if r.get("evidence_quoted", 1) < 1 or r.get("declined") is False or not r["verbatim"]
    ]
    lines.append(f"missed: {', '.join(misses) if misses else 'none'}")
    return "\n".join(lines)
