"""Write near-miss corpora: copies of a corpus with the answers cut out, and the questions they leave.

    python3 bench/near_miss.py tests/data/xquad/questions.jsonl OUT [-k 2]
    python3 bench/near_miss.py tests/data/questions.jsonl OUT [--corpus seeds]

A near-miss question asks about an article that is indexed but no longer holds the answer; a
good reply declines it (or shows related passages as not an answer).

- XQuAD files (answer_text, start): K corpora; corpus k keeps every paragraph ("\\n\\n"-separated)
  of each article except those whose index i = k (mod K), and keeps an article whole rather than
  emptying it. Its questions are the answerable ones whose answer paragraph was cut.
- Golden files (quotes): for each answerable question the sentences holding its reference quotes
  (the line, for a quote outside any sentence) are cut. Questions are grouped greedily into as few
  corpora as practical: one joins a corpus only if no cut of the corpus touches its own evidence
  and its cuts touch no other member's evidence.

Every question written is marked "answerable": false, "near_miss": true (XQuAD offsets become
null). OUT gets <name>/corpus/ (articles + articles.toml), <name>/questions.jsonl (and the source's
splits.json) per corpus, and manifest.json listing them; `isnad eval --near-miss OUT` scores them.
Deterministic: the same input always gives the same files.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.eval_sets import NEAR_MISS_MANIFEST, SPLITS_FILE, EvalSetError, detect_format, load_items, read_texts  # noqa: E402
from bot.evaluation import Ref, reference_spans  # noqa: E402
from retrieval.chunking import split_sentences  # noqa: E402
from retrieval.corpus import METADATA_FILE, content_lines  # noqa: E402

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


# -- output ----------------------------------------------------------------------------------
def write_corpus(folder: Path, corpus: NearMissCorpus, source: Path, splits: Path) -> None:
    (folder / "corpus").mkdir(parents=True)
    for article, text in corpus.texts.items():
        with (folder / "corpus" / f"{article}.txt").open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    if (source / METADATA_FILE).is_file():
        shutil.copyfile(source / METADATA_FILE, folder / "corpus" / METADATA_FILE)
    if splits.is_file():
        shutil.copyfile(splits, folder / SPLITS_FILE)
    lines = (json.dumps(item, ensure_ascii=False) + "\n" for item in corpus.items)
    (folder / "questions.jsonl").write_text("".join(lines), encoding="utf-8")


def write_all(out: Path, corpora: Sequence[NearMissCorpus], source: Path, questions: Path, fmt: str) -> list[dict[str, Any]]:
    """Write the corpora that hold questions and manifest.json; the manifest's entries."""
    entries = []
    for k, corpus in enumerate(c for c in corpora if c.items):
        name = f"near_miss_{k}"
        write_corpus(out / name, corpus, source, questions.with_name(SPLITS_FILE))
        entries.append({"name": name, "corpus": f"{name}/corpus", "questions": f"{name}/questions.jsonl", "count": len(corpus.items)})
    manifest = {"format": fmt, "source": questions.name, "corpora": entries}
    (out / NEAR_MISS_MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path, help="golden or XQuAD questions (JSONL)")
    parser.add_argument("out", type=Path, help="output folder (new or empty)")
    parser.add_argument("--corpus", type=Path, help="article folder (default: corpus/ beside an XQuAD file, else seeds/)")
    parser.add_argument("-k", "--folds", type=int, default=2, help="XQuAD: number of corpora K (default 2)")
    args = parser.parse_args(argv)
    try:
        items = load_items(args.questions)
        fmt = detect_format(items, args.questions)
    except EvalSetError as exc:
        print(f"near_miss: {exc}", file=sys.stderr)
        return 2
    corpus = args.corpus or (args.questions.parent / "corpus" if fmt == "xquad" else REPO / "seeds")
    problem = (
        f"corpus folder {corpus} not found" if not corpus.is_dir()
        else f"{args.out} is not empty" if args.out.exists() and any(args.out.iterdir())
        else "--folds must be at least 2" if args.folds < 2 else None
    )
    if problem:
        print(f"near_miss: {problem}", file=sys.stderr)
        return 2
    texts = read_texts(corpus)
    if fmt == "xquad":
        absent = sorted({i["article"] for i in items if i["answerable"] and i["article"] not in texts})
        if absent:
            print(f"near_miss: articles not in {corpus}: {', '.join(absent)}", file=sys.stderr)
            return 2
        corpora = xquad_corpora(texts, items, args.folds)
    else:
        corpora, missing = golden_corpora(texts, items)
        if missing:
            print(f"near_miss: quotes not found in {corpus}, skipped: {', '.join(missing)}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    for entry in write_all(args.out, corpora, corpus, args.questions, fmt):
        print(f"{entry['name']}: {entry['count']} near-miss questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
