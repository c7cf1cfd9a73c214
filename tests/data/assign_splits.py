"""Assign "split": "dev" | "heldout" to the hand-written question files, reproducibly.

Standard library only. Run from anywhere:  python3 tests/data/assign_splits.py

Roughly 2/3 dev and 1/3 heldout, balanced across languages and articles: the units of a file
(single items; whole conversations in followups.jsonl) are grouped by (language, article), shuffled
within each group by a fixed-seed RNG, laid end to end, and every third unit from a seeded offset
goes to heldout. A conversation is one unit, keyed by its first turn, so both turns share a split.
Re-running gives the same assignment as long as the files keep their items in the same order.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ("chat_questions.jsonl", "exam_questions.jsonl", "followups.jsonl")


def article_key(item: dict) -> str:
    if item.get("articles"):
        return "+".join(sorted(item["articles"]))
    return item.get("article") or "none"


def assign(name: str) -> None:
    path = HERE / name
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    units: dict[str, list[dict]] = {}
    for item in items:
        units.setdefault(item.get("conversation") or item["id"], []).append(item)
    rng = random.Random(f"isnad-splits/{name}")
    groups: dict[tuple[str, str], list[str]] = {}
    for unit_id, members in units.items():
        first = min(members, key=lambda it: it.get("turn", 0))
        groups.setdefault((first["lang"], article_key(first)), []).append(unit_id)
    ordered: list[str] = []
    for key in sorted(groups):
        unit_ids = sorted(groups[key])
        rng.shuffle(unit_ids)
        ordered += unit_ids
    offset = rng.randrange(3)
    split_of = {u: ("heldout" if (i + offset) % 3 == 2 else "dev") for i, u in enumerate(ordered)}
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for item in items:
            item["split"] = split_of[item.get("conversation") or item["id"]]
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    for name in FILES:
        assign(name)
        print("assigned splits in", name)
