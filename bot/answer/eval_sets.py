"""Question sets for `isnad eval`: read a file, tell its format, find its corpus, pick a split.

Two formats, told apart by their fields:
- golden (tests/data/questions.jsonl): items carry reference `quotes` (or `quotes_by_article`)
  in the articles of a corpus folder (the configured one unless given);
- XQuAD (tests/data/xquad/questions.jsonl): items carry `answer_text` and `start`/`end`
  offsets into `corpus/<article>.txt` beside the file, with `splits.json` beside it too.
A near-miss folder written by bench/near_miss.py lists further sets in its manifest.json.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from isnad.errors import UsageError

Format = Literal["golden", "xquad"]
Split = Literal["fit", "heldout", "all"]
SPLITS_FILE = "splits.json"
NEAR_MISS_MANIFEST = "manifest.json"
REQUIRED_FIELDS = ("question", "lang", "answerable")


class EvalSetError(UsageError):
    """A question set that cannot be used, with a reason fit to show an operator."""


@dataclass(frozen=True)
class QuestionSet:
    """Items to answer against one corpus; `corpus` None means the configured corpus."""

    name: str
    format: Format
    items: list[dict[str, Any]]
    corpus: Path | None


def load_items(path: Path) -> list[dict[str, Any]]:
    """One JSON object a line."""
    try:
        with path.open(encoding="utf-8") as handle:
            items = [json.loads(line) for line in handle if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalSetError(f"cannot read {path}: {exc}") from exc
    if not items or not all(isinstance(item, dict) and all(k in item for k in REQUIRED_FIELDS) for item in items):
        raise EvalSetError(f"{path}: expected one JSON object a line with {', '.join(REQUIRED_FIELDS)}")
    return items


def detect_format(items: Sequence[dict[str, Any]], path: Path) -> Format:
    if any("answer_text" in item or "start" in item for item in items):
        return "xquad"
    if any("quotes" in item or "quotes_by_article" in item for item in items):
        return "golden"
    raise EvalSetError(f"{path}: neither XQuAD items (answer_text, start) nor golden items (quotes)")


def read_texts(corpus: Path) -> dict[str, str]:
    """Article id -> the file's text exactly as read (what citation offsets point into)."""
    texts = {}
    for path in sorted(corpus.glob("*.txt")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts[path.stem] = handle.read()
    return texts


def _in_split(item: dict[str, Any], split: Split, splits: dict[str, list[str]] | None) -> bool:
    if splits is None:
        return item.get("split") == split
    if item.get("article"):
        return item["article"] in splits[split]
    return item["id"] in splits[f"unanswerable_{split}"]


def _splits(path: Path, fmt: Format, split: Split) -> dict[str, list[str]] | None:
    """splits.json beside an XQuAD file (None for golden files, whose items carry `split`)."""
    if fmt == "golden":
        return None
    file = path.with_name(SPLITS_FILE)
    try:
        splits = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalSetError(f"--split {split} needs {file}: {exc}") from exc
    if not all(key in splits for key in (split, f"unanswerable_{split}")):
        raise EvalSetError(f"{file}: no '{split}' or 'unanswerable_{split}' list")
    return splits


def select(items: list[dict[str, Any]], path: Path, fmt: Format, split: Split, limit: int | None) -> list[dict[str, Any]]:
    """The items of one split (all by default), the first `limit` of them if given."""
    if split != "all":
        if fmt == "golden" and not any("split" in item for item in items):
            raise EvalSetError(f"--split {split}: the items of {path} have no 'split' field")
        splits = _splits(path, fmt, split)
        items = [item for item in items if _in_split(item, split, splits)]
    return items[:limit] if limit is not None else items


def _corpus(path: Path, fmt: Format, corpus: Path | None) -> Path | None:
    folder = corpus or (path.parent / "corpus" if fmt == "xquad" else None)
    if folder is not None and not folder.is_dir():
        raise EvalSetError(f"corpus folder {folder} not found")
    return folder


def load_set(path: Path, corpus: Path | None = None, split: Split = "all", limit: int | None = None) -> QuestionSet:
    """The question set in `path`, with its corpus folder (`corpus` wins over the default)."""
    items = load_items(path)
    fmt = detect_format(items, path)
    return QuestionSet(path.name, fmt, select(items, path, fmt, split, limit), _corpus(path, fmt, corpus))


def _near_miss(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "answerable": False, "near_miss": True}


def load_near_miss(folder: Path, split: Split = "all", limit: int | None = None) -> list[QuestionSet]:
    """The sets listed in a near-miss folder's manifest.json, every item marked near-miss."""
    manifest = folder / NEAR_MISS_MANIFEST
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))["corpora"]
        pairs = [(folder / entry["questions"], folder / entry["corpus"]) for entry in entries]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise EvalSetError(f"{manifest} is not a near-miss manifest (bench/near_miss.py): {exc}") from exc
    sets = []
    for questions, corpus in pairs:
        qset = load_set(questions, corpus, split, limit)
        sets.append(QuestionSet(f"{folder.name}/{questions.parent.name}", qset.format, [_near_miss(i) for i in qset.items], corpus))
    return sets
