"""Score answers against a question set (golden quotes or XQuAD spans) and summarise them.

The definitions are those of the external scorers (eval/qa_eval.py, eval/xquad/score.py):
- answered: a reply that claims to answer (`answered` true) and cites something;
- evidence: a cited quote that is verbatim at its offsets and overlaps a reference span in the
  right article ("evidence quoted" counts any reply, e.g. related passages; "evidence in a
  claimed answer" only answered ones). XQuAD's alternative occurrences (`alt_spans`) count too;
  `evidence_exact` is score.py's "evidence hit" (the marked span only);
- declined: an unanswerable question not claimed as answered (near-miss ones apart);
- precision: answered replies carrying evidence / answered replies; recall: answerable
  questions answered with evidence / answerable questions.
`evaluate` is the entry point for scripts: any `question -> Answer` callable will do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from isnad.bot.answer.types import Answer, Citation

AnswerFn = Callable[[str], Answer]
Ref = tuple[str, int, int]  # article id, start, end
Row = dict[str, Any]
SCOPES = ("ar", "en", "all")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")


# -- references ----------------------------------------------------------------------------
def _golden_refs(item: dict[str, Any], texts: dict[str, str]) -> list[Ref]:
    by_article = item.get("quotes_by_article") or ({item["article"]: item.get("quotes", [])} if item.get("article") else {})
    refs = []
    for article, quotes in by_article.items():
        text = texts.get(article, "")
        refs += [(article, i, i + len(q)) for q in quotes if (i := text.find(q)) >= 0]
    return refs


def reference_spans(item: dict[str, Any], texts: dict[str, str]) -> tuple[list[Ref], list[Ref]]:
    """(the marked answer spans, those plus every accepted alternative occurrence)."""
    if "answer_text" not in item:
        refs = _golden_refs(item, texts)
        return refs, refs
    marked = [(item["article"], item["start"], item["end"])]
    return marked, marked + [(item["article"], s, e) for s, e in item.get("alt_spans") or []]


def expected_articles(item: dict[str, Any]) -> set[str]:
    if item.get("articles"):
        return set(item["articles"])
    if item.get("quotes_by_article"):
        return set(item["quotes_by_article"])
    return {item["article"]} if item.get("article") else set()


# -- one reply -----------------------------------------------------------------------------
def is_verbatim(citation: Citation, texts: dict[str, str]) -> bool:
    return bool(citation.quote) and texts.get(citation.article_id, "")[citation.start : citation.end] == citation.quote


def quotes_evidence(citations: Iterable[Citation], refs: Sequence[Ref], texts: dict[str, str]) -> bool:
    """Some verbatim quote overlaps some reference span in its article."""
    return any(
        is_verbatim(c, texts) and c.article_id == article and c.start < end and start < c.end
        for c in citations for article, start, end in refs
    )


def claims_answer(answer: Answer) -> bool:
    return answer.answered and bool(answer.citations)


def reply_language_ok(answer: Answer, lang: str) -> bool:
    """The frame around the quotes speaks the question's language (titles may stand in any)."""
    text = answer.text
    for c in answer.citations:
        for part in (c.quote, c.title, c.publisher):
            if part:
                text = text.replace(part, " ")
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    language_ok = latin >= 10 if lang == "en" else arabic >= max(1, latin)
    return answer.language == lang and language_ok


def score_item(item: dict[str, Any], answer: Answer, texts: dict[str, str]) -> Row:
    """The figures of one reply to one question."""
    claimed = claims_answer(answer)
    row: Row = {
        "id": item.get("id"),
        "lang": item["lang"],
        "answerable": bool(item["answerable"]),
        "near_miss": bool(item.get("near_miss")),
        "status": answer.status,
        "answered": claimed,
        "related": answer.status == "related",
        "verbatim": all(is_verbatim(c, texts) for c in answer.citations) if answer.citations else None,
        "language_right": reply_language_ok(answer, item["lang"]),
        "quote_lens": [len(c.quote) for c in answer.citations],
        "latency_ms": answer.timings_ms.get("total", 0.0),
    }
    if item["answerable"]:
        marked, accepted = reference_spans(item, texts)
        shown_in_answer = answer.citations if claimed else ()
        row["article_cited"] = bool(expected_articles(item) & {c.article_id for c in shown_in_answer})
        row["evidence_quoted"] = quotes_evidence(answer.citations, accepted, texts)
        row["evidence_claimed"] = quotes_evidence(shown_in_answer, accepted, texts)
        if "answer_text" in item:  # XQuAD: also score.py's strict figure
            row["evidence_exact"] = quotes_evidence(shown_in_answer, marked, texts)
    elif row["near_miss"]:
        row["near_miss_declined"] = not claimed
    else:
        row["declined"] = not claimed
    return row


def score(answer: AnswerFn, items: Sequence[dict[str, Any]], texts: dict[str, str]) -> list[Row]:
    """Answer every item and score the replies."""
    return [score_item(item, answer(item["question"]), texts) for item in items]


# -- summary -------------------------------------------------------------------------------
def _rate(rows: Sequence[Row], key: str) -> float | None:
    values = [bool(r[key]) for r in rows if r.get(key) is not None]
    return round(sum(values) / len(values), 3) if values else None


def _percentile(values: Sequence[float], q: float) -> float | None:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else None


def _scope(rows: Sequence[Row]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    answered = [r for r in rows if r["answered"]]
    lens = sorted(n for r in rows for n in r["quote_lens"])
    latencies = [r["latency_ms"] for r in rows]
    with_evidence = sum(bool(r.get("evidence_claimed")) for r in answered)
    return {
        "n_answerable": len(answerable),
        "n_unanswerable": sum("declined" in r for r in rows),
        "n_near_miss": sum(r["near_miss"] for r in rows),
        "answered": _rate(answerable, "answered"),
        "related": _rate(rows, "related"),
        "declined": _rate(rows, "declined"),
        "near_miss_declined": _rate(rows, "near_miss_declined"),
        "article_cited": _rate(answerable, "article_cited"),
        "evidence_quoted": _rate(answerable, "evidence_quoted"),
        "evidence_claimed": _rate(answerable, "evidence_claimed"),
        "evidence_exact": _rate(answerable, "evidence_exact"),
        "precision": round(with_evidence / len(answered), 3) if answered else None,
        "recall": round(with_evidence / len(answerable), 3) if answerable else None,
        "verbatim": _rate(rows, "verbatim"),
        "language_right": _rate(rows, "language_right"),
        "median_quote_chars": lens[len(lens) // 2] if lens else None,
        "p50_ms": _percentile(latencies, 0.5),
        "p95_ms": _percentile(latencies, 0.95),
    }


def summarise(rows: Sequence[Row]) -> dict[str, Any]:
    """Figures per question language and overall; `items` holds the rows."""
    summary: dict[str, Any] = {"questions": len(rows)}
    for scope in SCOPES:
        summary[scope] = _scope([r for r in rows if scope in ("all", r["lang"])])
    summary["latency_ms"] = {"p50": summary["all"]["p50_ms"], "p95": summary["all"]["p95_ms"]}
    summary["items"] = list(rows)
    return summary


def evaluate(answer: AnswerFn, items: Sequence[dict[str, Any]], texts: dict[str, str]) -> tuple[list[Row], dict[str, Any]]:
    """Answer and score every item: (per-item rows, summary)."""
    rows = score(answer, items, texts)
    return rows, summarise(rows)


# -- report --------------------------------------------------------------------------------
MISSED_SHOWN = 20


def _missed(rows: Sequence[Row]) -> list[str]:
    """Ids of answerable questions without evidence, unanswerable ones answered, non-verbatim replies."""
    return [
        str(r["id"]) for r in rows
        if r.get("evidence_quoted") is False or r.get("declined") is False
        or r.get("near_miss_declined") is False or r["verbatim"] is False
    ]


def format_report(summary: dict[str, Any]) -> str:
    lines = [f"questions: {summary['questions']}"]
    for scope in SCOPES:
        metrics = ", ".join(f"{k} {v}" for k, v in summary[scope].items() if v is not None)
        lines.append(f"{scope:>3}: {metrics}")
    lines.append(f"latency ms: p50 {summary['latency_ms']['p50']}, p95 {summary['latency_ms']['p95']}")
    missed = _missed(summary["items"])
    shown = ", ".join(missed[:MISSED_SHOWN]) + (f" … ({len(missed)} in all)" if len(missed) > MISSED_SHOWN else "")
    lines.append(f"missed: {shown or 'none'}")
    return "\n".join(lines)
