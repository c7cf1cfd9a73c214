"""Write near-miss corpora: copies of a corpus with the answers cut out, and the questions they leave.

    python3 bench/near_miss.py tests/data/xquad/questions.jsonl OUT [-k 2]
    python3 bench/near_miss.py tests/data/xquad/questions.jsonl OUT --detail
    python3 bench/near_miss.py tests/data/questions.jsonl OUT [--corpus seeds]

How the corpora are cut: bot/answer/near_miss.py. With --detail (XQuAD), only the answer's own
words are cut, for the questions that ask for a number or a date ("detail misses").

Every question written is marked "answerable": false, "near_miss": true (XQuAD offsets become
null). OUT gets <name>/corpus/ (articles + articles.toml), <name>/questions.jsonl (and the source's
splits.json) per corpus, and manifest.json listing them; `isnad eval --near-miss OUT` scores them.
Deterministic: the same input always gives the same files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from isnad.bot.answer.eval_sets import (  # noqa: E402
    NEAR_MISS_MANIFEST,
    SPLITS_FILE,
    EvalSetError,
    detect_format,
    load_items,
    read_texts,
)
from isnad.bot.answer.near_miss import NearMissCorpus, detail_corpora, golden_corpora, xquad_corpora  # noqa: E402
from isnad.bot.answer.question import asks_for_number_or_date  # noqa: E402
from isnad.retrieval.metadata import METADATA_FILE  # noqa: E402


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
    parser.add_argument(
        "-k", "--folds", type=int, default=5, help="XQuAD: number of corpora K (default 5: one paragraph of each article cut per copy)"
    )
    parser.add_argument("--detail", action="store_true", help="XQuAD: cut only the answer words of number and date questions")
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
        else "--folds must be at least 2" if args.folds < 2
        else "--detail needs XQuAD questions (answer offsets)" if args.detail and fmt != "xquad" else None
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
        corpora = detail_corpora(texts, items, asks_for_number_or_date) if args.detail else xquad_corpora(texts, items, args.folds)
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
