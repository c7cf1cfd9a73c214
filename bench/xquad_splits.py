"""Write splits.json for an XQuAD-format question set: a deterministic fit/heldout split.

    python3 bench/xquad_splits.py tests/data/xquad

Articles are ordered by a hash (SHA-256) of their stem and the first third goes to "heldout", the
rest to "fit", so no article's questions fall on both sides; the off-corpus unanswerable questions
(no article) are split the same way by their id. Nothing random: the same folder always gives the
same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HELDOUT_SHARE = 3  # one third is held out


def split(keys: list[str]) -> tuple[list[str], list[str]]:
    """(fit, heldout), each sorted: the third of `keys` with the lowest hashes is held out."""
    ranked = sorted(keys, key=lambda k: hashlib.sha256(k.encode("utf-8")).hexdigest())
    cut = round(len(ranked) / HELDOUT_SHARE)
    return sorted(ranked[cut:]), sorted(ranked[:cut])


def make_splits(folder: Path) -> dict[str, list[str]]:
    """The splits of `folder` (corpus/*.txt and questions.jsonl)."""
    stems = sorted(p.stem for p in (folder / "corpus").glob("*.txt"))
    with (folder / "questions.jsonl").open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    unanswerable = sorted({item["id"] for item in items if not item["answerable"]})
    (fit, heldout), (unanswerable_fit, unanswerable_heldout) = split(stems), split(unanswerable)
    return {"fit": fit, "heldout": heldout, "unanswerable_fit": unanswerable_fit, "unanswerable_heldout": unanswerable_heldout}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="folder holding corpus/ and questions.jsonl")
    args = parser.parse_args(argv)
    try:
        splits = make_splits(args.folder)
    except (OSError, ValueError, KeyError) as exc:
        print(f"xquad_splits: cannot read {args.folder}: {exc}", file=sys.stderr)
        return 2
    (args.folder / "splits.json").write_text(json.dumps(splits, indent=1) + "\n", encoding="utf-8")
    print(", ".join(f"{key}: {len(value)}" for key, value in splits.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
