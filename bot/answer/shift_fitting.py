"""Fit the language shift of isnad.retrieval.language_shift (retrieval/language_shift.json).

    python -m isnad.bot.answer.shift_fitting    # ~30 s on 2 cores; then refit the decision:
    python -m isnad.bot.answer.fitting          # its features are measured on what the shift finds

Data: the parallel Arabic and English questions of XQuAD's "fit" articles (tests/data/xquad/,
splits.json); the "heldout" articles' pairs are only reported. The shift is the mean difference
of the Arabic and the English questions' vectors (both embedded as queries); the report gives how
much nearer each held-out English question comes to its Arabic one (mean cosine gain). Measured
on the XQuAD dev articles (session 28, a /tmp script ranking all ~700 sentences by dense cosine
alone): the answer's sentence first for English questions 0.561 -> 0.591 (fit articles) and
0.615 -> 0.636 (held-out), and 0.594 -> 0.617 for the seed sets' 470 English questions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from isnad.bot.answer.eval_sets import SPLITS_FILE, load_items
from isnad.bot.answer.fitting import XQUAD, split_of
from isnad.retrieval.embedders import load_embedder
from isnad.retrieval.language_shift import SHIFT_FILE, LanguageShift, cosine_gain, mean_difference
from isnad.settings import load_settings


def question_pairs(xquad: Path, limit: int | None) -> dict[str, list[tuple[str, str]]]:
    """Split ("fit" / "heldout") -> (Arabic, English) parallel questions of its articles (the first `limit`)."""
    splits = json.loads((xquad / SPLITS_FILE).read_text(encoding="utf-8"))
    by_id: dict[str, dict[str, dict[str, str]]] = {}
    for item in load_items(xquad / "questions.jsonl"):
        if item.get("id") and item.get("article"):
            by_id.setdefault(item["id"], {})[item["lang"]] = item
    pairs: dict[str, list[tuple[str, str]]] = {"fit": [], "heldout": []}
    for both in by_id.values():
        if "ar" in both and "en" in both:
            pairs[split_of(both["ar"], splits)].append((both["ar"]["question"], both["en"]["question"]))
    return {split: found[:limit] for split, found in pairs.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m isnad.bot.answer.shift_fitting", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=SHIFT_FILE, help="where to write the shift")
    parser.add_argument("--xquad", type=Path, default=XQUAD, help="XQuAD folder (questions.jsonl, splits.json)")
    parser.add_argument("--limit-questions", type=int, default=None, help="use only N question pairs a split (tests)")
    args = parser.parse_args(argv)
    embedder = load_embedder(load_settings().embedding)
    pairs = question_pairs(args.xquad, args.limit_questions)
    embedded = {
        split: (embedder.embed_queries([a for a, _ in found]), embedder.embed_queries([e for _, e in found]))
        for split, found in pairs.items() if found
    }
    shift = mean_difference(*embedded["fit"])
    provenance: dict[str, object] = {
        "command": " ".join(["python -m isnad.bot.answer.shift_fitting", *(sys.argv[1:] if argv is None else argv)]),
    }
    provenance |= {f"{split}_pairs": len(pairs[split]) for split in embedded}
    provenance |= {f"{split}_cosine_gain": round(cosine_gain(*vectors, shift), 4) for split, vectors in embedded.items()}
    LanguageShift(embedder.name, {"en": shift}, provenance).save(args.out)
    print(json.dumps(provenance, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
