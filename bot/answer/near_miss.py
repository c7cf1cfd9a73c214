"""Near-miss corpora: copies of a corpus with the answers cut out, and the questions they leave.

A near-miss question asks about an article that is indexed but no longer holds the answer; a
good reply declines it (or shows related passages as not an answer).
- XQuAD items (answer_text, start): K corpora; corpus k keeps every paragraph ("\\n\\n"-separated)
  of each article except those whose index i = k (mod K), and keeps an article whole rather than
  emptying it. Its questions are the answerable ones whose answer paragraph was cut.
- Golden items (quotes): for each answerable question the sentences holding its reference quotes
  (the line, for a quote outside any sentence) are cut. Questions are grouped greedily into as few
  corpora as practical: one joins a corpus only if no cut of the corpus touches its own evidence
  and its cuts touch no other member's evidence.
Used by bench/near_miss.py (which writes them out for `isnad eval --near-miss`) and bot/answer/fitting.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from isnad.bot.answer.evaluation import Ref, reference_spans
from isnad.retrieval.chunking import split_sentences
from isnad.retrieval.corpus import content_lines

PARAGRAPH_BREAK = "\n\n"
Item = dict[str, Any]


@dataclass(frozen=True)
class NearMissCorpus:
    """Article texts with answers cut out, and the questions they no longer answer."""

    texts: dict[str, str]
    items: list[Item]


def near_miss_item(item: Item) -> Item:
    marked = {**item, "answerable": False, "near_miss": True}
    if "start" in item:
        marked.update(start=None, end=None, alt_spans=[])
    return marked


def overlaps(a: Ref, b: Ref) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def touches(spans: Sequence[Ref], others: Sequence[Ref]) -> bool:
    return any(overlaps(a, b) for a in spans for b in others)


# -- XQuAD: paragraphs -----------------------------------------------------------------------
def paragraph_index(text: str, offset: int) -> int:
    """Index of the paragraph holding `offset`."""
    return text.count(PARAGRAPH_BREAK, 0, offset)


def kept_paragraphs(count: int, k: int, folds: int) -> list[int]:
    """Indexes i with i != k (mod folds); all of them if that would leave none."""
    kept = [i for i in range(count) if i % folds != k]
    return kept or list(range(count))


def xquad_corpora(texts: dict[str, str], items: Sequence[Item], folds: int) -> list[NearMissCorpus]:
    corpora = []
    for k in range(folds):
        cut_texts, kept = {}, {}
        for article, text in texts.items():
            paragraphs = text.split(PARAGRAPH_BREAK)
            kept[article] = set(kept_paragraphs(len(paragraphs), k, folds))
            cut_texts[article] = PARAGRAPH_BREAK.join(p for i, p in enumerate(paragraphs) if i in kept[article])
        questions = [
            near_miss_item(item) for item in items
            if item["answerable"] and paragraph_index(texts[item["article"]], item["start"]) not in kept[item["article"]]
        ]
        corpora.append(NearMissCorpus(cut_texts, questions))
    return corpora


# -- XQuAD: the answer's words only ---------------------------------------------------------
def detail_corpora(texts: dict[str, str], items: Sequence[Item], asks_for_detail: Callable[[str], bool]) -> list[NearMissCorpus]:
    """Copies with only the answer's own words cut (every accepted occurrence), for the questions
    `asks_for_detail` picks (a number or a date): the sentence stays, on topic and holding the
    question's words, but the detail asked for is gone, like an on-topic question the articles
    leave unanswered ("how many batteries…" when the article names the system but no count)."""
    groups: list[list[tuple[Item, list[Ref]]]] = []
    for item in items:
        if not item["answerable"] or not asks_for_detail(item["question"]):
            continue
        spans = reference_spans(item, texts)[1]
        # parallel questions (same spans, other language) share a copy; overlapping answers do not
        group = next((g for g in groups if not any(touches(spans, other) and spans != other for _, other in g)), None)
        if group is None:
            groups.append(group := [])
        group.append((item, spans))
    corpora = []
    for group in groups:
        cuts: dict[str, list[tuple[int, int]]] = {}
        for article, start, end in (span for _, spans in group for span in spans):
            cuts.setdefault(article, []).append((start, end))
        cut_texts = {a: cut(t, cuts[a]) if a in cuts else t for a, t in texts.items()}
        corpora.append(NearMissCorpus(cut_texts, [{**near_miss_item(item), "detail": True} for item, _ in group]))
    return corpora


# -- golden: sentences -----------------------------------------------------------------------
def cut_spans(ref: Ref, text: str) -> Ref:
    """The sentences overlapping a quote (or, outside any sentence, its line), as one span."""
    article, start, end = ref
    sentences = [s for s in split_sentences(article, text, content_lines(text)) if s.start < end and start < s.end]
    if sentences:
        return article, min(start, sentences[0].start), max(end, sentences[-1].end)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return article, line_start, len(text) if line_end < 0 else line_end


def cut(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` without the spans, each with the blanks that follow it on its line."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start >= position:
            pieces.append(text[position:start])
        position = max(position, end)
        blanks = re.match(r"[ \t]*", text[position:])
        position += blanks.end() if blanks else 0
    return "".join(pieces) + text[position:]


@dataclass
class _Member:
    item: Item
    evidence: list[Ref]
    cuts: list[Ref]


def golden_corpora(texts: dict[str, str], items: Sequence[Item]) -> tuple[list[NearMissCorpus], list[str]]:
    """(greedily grouped corpora, ids of answerable questions whose quotes were not found)."""
    groups: list[list[_Member]] = []
    missing = []
    for item in (i for i in items if i["answerable"]):
        evidence, _ = reference_spans(item, texts)
        if not evidence:
            missing.append(str(item.get("id")))
            continue
        member = _Member(item, evidence, [cut_spans(ref, texts[ref[0]]) for ref in evidence])
        group = next((g for g in groups if all(
            not touches(m.cuts, member.evidence) and not touches(member.cuts, m.evidence) for m in g
        )), None)
        if group is None:
            groups.append(group := [])
        group.append(member)
    corpora = []
    for group in groups:
        spans: dict[str, list[tuple[int, int]]] = {}
        for article, start, end in (c for m in group for c in m.cuts):
            spans.setdefault(article, []).append((start, end))
        cut_texts = {a: cut(t, spans[a]) if a in spans else t for a, t in texts.items()}
        corpora.append(NearMissCorpus(cut_texts, [near_miss_item(m.item) for m in group]))
    return corpora, missing
