"""A strict checker for Telegram's HTML parse mode, and its visible text."""

from __future__ import annotations

import html
import re
import unicodedata
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


_ISOLATED = re.compile("[\u2066\u2067\u2068][^\u2069]*\u2069")


def unisolated(text: str, verbatim: tuple[str, ...] = ()) -> list[str]:
    """Lines whose runs of the other direction are not isolated: Latin letters (or a "/", "@", "#"
    that belongs to them) in a right-to-left line, Arabic letters in a left-to-right one.

    A line's direction is that of its first strong character, isolates skipped, as clients do.
    Quotes are shown verbatim and so exempt: pass them in `verbatim`.
    """
    bad = []
    for line in visible_text(text).split("\n"):
        outside = _ISOLATED.sub("\u2069", line)  # a PDI stands in for each isolate
        for quote in verbatim:
            outside = outside.replace(quote, "")
        kinds = [unicodedata.bidirectional(c) for c in outside]
        first = next((k for k in kinds if k in ("L", "R", "AL")), None)
        if first in ("R", "AL") and ("L" in kinds or re.search("[/@#]\u2069", outside)):
            bad.append(line)
        if first == "L" and ({"R", "AL"} & set(kinds)):
            bad.append(line)
    return bad
