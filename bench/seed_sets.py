"""Score every seed question set with the outside scorer, as the README's figures table reports them.

    python3 bench/seed_sets.py [--scorer ../shared/eval/qa_eval.py] [--checkout .]

Runs `qa_eval.py --json` (which asks `.venv/bin/isnad ask --json --batch`) on the public set, the
held-out items (`split: heldout`) of tests/data/chat_questions.jsonl and exam_questions.jsonl, the
fresh sets, and the follow-up pairs (each second turn asked in its first turn's conversation), and
prints one line a set: answerable questions with the right passage in a claimed answer and in any
reply (related passages too; for the follow-ups, claimed counts the second turns), unanswerable
ones declined, and the p95 time per question; then the same per question language (Arabic /
English), the share answered and the median quote, as the README's figures table gives them.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SCORER = REPO.parent / "shared" / "eval" / "qa_eval.py"
CLAIMED = "evidence in a claimed answer (strict)"
FOLLOW_UPS_CLAIMED = "follow-ups: evidence in a claimed answer"  # the second turns
ANY_REPLY = "evidence quoted (answerable)"
DECLINED = "declined (unanswerable)"
BY_LANGUAGE = (  # (claimed, any reply) figures of Arabic, then English questions
    ("  ... strict, Arabic questions", "  ... Arabic questions"),
    ("  ... strict, English questions", "  ... English questions"),
)
ANSWERED = "answered (answerable)"
MEDIAN_QUOTE = "median quote length (chars)"


# The files of a numbered fresh set (fresh2_…, fresh3_…): its sets' names and whether they are follow-up pairs.
FRESH_FILES = (("chat", "chat_questions", False), ("exam", "exam_questions", False), ("follow", "followups", True))


def numbered_fresh_sets() -> dict[str, tuple[list[dict[str, Any]], bool]]:
    """Every numbered fresh set in tests/data, in number order (a new one is scored once written)."""
    numbers = sorted({int(m[1]) for path in DATA.glob("fresh*_*.jsonl") if (m := re.match(r"fresh(\d+)_", path.name))})
    sets = {}
    for number in numbers:
        for kind, file, conversations in FRESH_FILES:
            path = DATA / f"fresh{number}_{file}.jsonl"
            if path.is_file():
                sets[f"fresh{number} {kind}"] = (with_follows(path) if conversations else _items(path), conversations)
    return sets


def held_out(path: Path) -> list[dict[str, Any]]:
    return [item for item in _items(path) if item.get("split") == "heldout"]


def with_follows(path: Path) -> list[dict[str, Any]]:
    """Follow-up pairs in the scorer's conversation format: a later turn names its first turn."""
    items, first = _items(path), {}
    for item in items:
        if item["turn"] == 1:
            first[item["conversation"]] = item["id"]
        else:
            item["follows"] = first[item["conversation"]]
    return items


def _items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(scorer: Path, checkout: Path, items: list[dict[str, Any]], conversations: bool) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
        handle.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    command = [sys.executable, str(scorer), "--checkout", str(checkout), "--json", handle.name]
    out = subprocess.run(
        command + (["--conversations"] if conversations else []), capture_output=True, text=True, check=False
    )
    Path(handle.name).unlink()
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"the scorer gave no figures:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return json.loads(lines[0])


def _pair(figures: dict[str, Any], claimed: str, any_reply: str) -> str:
    """"claimed / any reply" of one language's questions, or dashes where the set has none."""
    if claimed not in figures or figures[claimed][0] is None:
        return f"{'-':>14s}"
    return f"{figures[claimed][0]:6.2f} / {figures[any_reply][0]:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scorer", type=Path, default=SCORER, help="the outside scorer qa_eval.py")
    parser.add_argument("--checkout", type=Path, default=REPO)
    args = parser.parse_args(argv)
    if not args.scorer.is_file():
        print(f"no scorer at {args.scorer}: give --scorer PATH/TO/qa_eval.py")
        return 2
    sets = {
        "public": (_items(args.scorer.parent / "questions.jsonl"), False),
        "held-out chat": (held_out(DATA / "chat_questions.jsonl"), False),
        "held-out exam": (held_out(DATA / "exam_questions.jsonl"), False),
        "fresh chat": (_items(DATA / "fresh_chat_questions.jsonl"), False),
        "fresh exam": (_items(DATA / "fresh_exam_questions.jsonl"), False),
        "follow-ups": (with_follows(DATA / "followups.jsonl"), True),
        **numbered_fresh_sets(),
    }
    print(f"{'set':14s} {'claimed':>8s} {'any reply':>10s} {'declined':>14s} {'p95 ms':>7s}  {'':8s}   ar claimed/any  en claimed/any  answered  quote")
    for name, (items, conversations) in sets.items():
        result = score(args.scorer, args.checkout.resolve(), items, conversations)
        figures = result["figures"]
        claimed, n = figures[FOLLOW_UPS_CLAIMED if conversations else CLAIMED]
        declined, unanswerable = figures[DECLINED]
        declined_text = f"{declined:.2f} (n={unanswerable})" if unanswerable else "-"
        by_language = "  ".join(_pair(figures, c, a) for c, a in BY_LANGUAGE)
        print(
            f"{name:14s} {claimed:8.2f} {figures[ANY_REPLY][0]:10.2f} {declined_text:>14s} {result['p95_ms']:7.0f}  (n={n:3d})"
            f"   {by_language}  {figures[ANSWERED][0]:8.2f}  {figures[MEDIAN_QUOTE][0]:5.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
