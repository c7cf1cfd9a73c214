"""Check every question file in tests/data (standard library only).

    python3 tests/data/check_questions.py

For each *.jsonl here: every line is a JSON object with the required fields; ids are unique across
all files; every quote of an answerable item is a verbatim substring of seeds/<article>.txt (read
with encoding="utf-8", newline="", so no line-ending or whitespace normalisation); unanswerable
items carry no article and no quotes; every item of the hand-written sets has "style" and a
"split" of "dev", "heldout" or "fresh" (questions.jsonl, the public set, predates splits and is counted as
"public"); follow-up conversations have turns 1..n, n >= 2, all in one split. Prints counts per
file, language, split and answerability; exits 1 on any error.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[1] / "seeds"
PUBLIC = "questions.jsonl"
LANGS = {"ar", "en"}
SPLITS = {"dev", "heldout", "fresh"}
STYLES = {"chat", "exam"}


def load_seeds() -> dict[str, str]:
    texts = {}
    for path in sorted(SEEDS.glob("*.txt")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts[path.stem] = handle.read()
    return texts


def check_item(item: dict, where: str, seeds: dict[str, str], public: bool, errors: list[str]) -> None:
    def err(message: str) -> None:
        errors.append(f"{where}: {message}")

    for key, kind in (("id", str), ("lang", str), ("question", str), ("answerable", bool),
                      ("answer", str), ("type", str)):
        if not isinstance(item.get(key), kind):
            err(f"field {key!r} missing or not {kind.__name__}")
    if item.get("lang") not in LANGS:
        err(f"lang {item.get('lang')!r} not in {sorted(LANGS)}")
    if isinstance(item.get("question"), str) and not item["question"].strip():
        err("empty question")
    if not public:
        if item.get("split") not in SPLITS:
            err(f"split {item.get('split')!r} not in {sorted(SPLITS)}")
        if item.get("style") not in STYLES:
            err(f"style {item.get('style')!r} not in {sorted(STYLES)}")

    if item.get("answerable") is True:
        if "quotes_by_article" in item or "articles" in item:
            articles, by_article = item.get("articles"), item.get("quotes_by_article")
            if not isinstance(articles, list) or not isinstance(by_article, dict) or not articles:
                err("multi-article item needs a non-empty 'articles' list and a 'quotes_by_article' object")
                return
            if set(articles) != set(by_article):
                err(f"'articles' {articles} and 'quotes_by_article' keys {sorted(by_article)} differ")
            references = by_article
        else:
            article, quotes = item.get("article"), item.get("quotes")
            if not isinstance(article, str) or not isinstance(quotes, list):
                err("answerable item needs 'article' (str) and 'quotes' (list)")
                return
            references = {article: quotes}
        for article, quotes in references.items():
            if article not in seeds:
                err(f"unknown article {article!r} (no seeds/{article}.txt)")
                continue
            if not isinstance(quotes, list) or not quotes:
                err(f"no quotes for article {article}")
                continue
            for quote in quotes:
                if not isinstance(quote, str) or not quote.strip():
                    err(f"empty or non-string quote for {article}")
                elif quote not in seeds[article]:
                    err(f"quote not verbatim in seeds/{article}.txt: {quote[:70]!r}")
    elif item.get("answerable") is False:
        if item.get("article") is not None or item.get("quotes") or item.get("quotes_by_article") or item.get("articles"):
            err("unanswerable item must have article null and no quotes")


def check_conversations(items: list[tuple[str, dict]], errors: list[str]) -> int:
    conversations: dict[str, list[tuple[str, dict]]] = {}
    for where, item in items:
        if "conversation" in item or "turn" in item:
            if not isinstance(item.get("conversation"), str) or not isinstance(item.get("turn"), int):
                errors.append(f"{where}: needs 'conversation' (str) and 'turn' (int)")
                continue
            conversations.setdefault(item["conversation"], []).append((where, item))
    for conv, turns in conversations.items():
        numbers = sorted(it["turn"] for _, it in turns)
        if numbers != list(range(1, len(numbers) + 1)) or len(numbers) < 2:
            errors.append(f"conversation {conv}: turns {numbers}, want 1..n with n >= 2")
        if len({it.get("split") for _, it in turns}) != 1:
            errors.append(f"conversation {conv}: turns are in different splits")
    return len(conversations)


def main() -> int:
    seeds = load_seeds()
    errors: list[str] = []
    ids: dict[str, str] = {}
    files = sorted(HERE.glob("*.jsonl"))
    if not files:
        print("no *.jsonl files found", file=sys.stderr)
        return 1
    print(f"{'file':<24} {'items':>5}  {'lang':<12} {'split':<24} {'answerable':<16} other")
    for path in files:
        public = path.name == PUBLIC
        items: list[tuple[str, dict]] = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{number}"
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{where}: invalid JSON ({exc})")
                    continue
                if not isinstance(item, dict):
                    errors.append(f"{where}: not a JSON object")
                    continue
                if isinstance(item.get("id"), str):
                    if item["id"] in ids:
                        errors.append(f"{where}: duplicate id {item['id']!r} (first in {ids[item['id']]})")
                    ids.setdefault(item["id"], where)
                check_item(item, where, seeds, public, errors)
                items.append((where, item))
        n_conv = check_conversations(items, errors)
        rows = [it for _, it in items]
        lang = Counter(it.get("lang") for it in rows)
        split = Counter("public" if public else it.get("split") for it in rows)
        answerable = Counter("yes" if it.get("answerable") else "no" for it in rows)
        by_lang_split = Counter(f"{it.get('lang')}/{'public' if public else it.get('split')}" for it in rows)
        articles = Counter(a for it in rows for a in (it.get("articles") or [it.get("article") or "none"]))
        fmt = lambda c: " ".join(f"{k}:{v}" for k, v in sorted(c.items()))  # noqa: E731
        other = f"conversations:{n_conv}" if n_conv else ""
        print(f"{path.name:<24} {len(rows):>5}  {fmt(lang):<12} {fmt(split):<24} {fmt(answerable):<16} {other}")
        print(f"{'':<31}lang/split {fmt(by_lang_split)}")
        short = Counter({k.split("_")[0]: v for k, v in articles.items()})
        print(f"{'':<31}articles   {fmt(short)}")
    for message in errors:
        print("ERROR", message, file=sys.stderr)
    print(f"{len(ids)} ids in {len(files)} files; {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
