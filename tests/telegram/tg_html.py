"""A strict checker for Telegram's HTML parse mode, and its visible text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

MAX_CHARS = 4096
ALLOWED = {  # tag -> allowed attributes
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(),
    "s": set(), "strike": set(), "del": set(), "tg-spoiler": set(), "pre": set(),
    "span": {"class"}, "a": {"href"}, "code": {"class"}, "blockquote": {"expandable"},
}
# Outside tags, only these may follow "&", and "<" / ">" may not appear at all.
_TOKEN = re.compile(r"<[^<>]*>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|[<>&]")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.errors.append(f"tag <{tag}> not allowed")
            return
        for name, _ in attrs:
            if name not in ALLOWED[tag]:
                self.errors.append(f"attribute {name} not allowed on <{tag}>")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.errors.append("<span> without class tg-spoiler")
        if tag == "a" and not (dict(attrs).get("href") or "").startswith(("http://", "https://", "tg://")):
            self.errors.append("<a> without a valid href")
        if tag == "blockquote" and "blockquote" in self.stack:
            self.errors.append("nested <blockquote>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.errors.append(f"self-closing <{tag}/>")


def problems(text: str) -> list[str]:
    """Why Telegram would reject `text` as HTML (empty list if it would accept it)."""
    errors = [f"stray {m.group()!r}" for m in _TOKEN.finditer(text) if m.group() in "<>&"]
    checker = _Checker()
    checker.feed(text)
    checker.close()
    errors += checker.errors + [f"unclosed <{tag}>" for tag in checker.stack]
    if len(text.encode("utf-16-le")) // 2 > MAX_CHARS:
        errors.append("longer than 4096")
    if not visible_text(text).strip():
        errors.append("empty message")
    return errors


def visible_text(text: str) -> str:
    """What the user sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text))
