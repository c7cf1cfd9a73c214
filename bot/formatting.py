"""Answers and bot messages as Telegram HTML: pure text in, lists of message strings out.

No Telegram or Chroma imports: the bot calls these functions and sends what they return.

Direction (Arabic and English mixed): Telegram clients lay out each line by its first strong
character, so an Arabic line that opens with a Latin word or a command ("/ask سؤالك") would be
shown left-to-right and read back to front. Every line composed here is therefore prefixed with
an invisible direction mark chosen by the line's majority script: U+200F RIGHT-TO-LEFT MARK for
mostly-Arabic lines, U+200E LEFT-TO-RIGHT MARK for mostly-Latin ones. Marks go only in front of
lines and quotes, never inside a quote, so quotes stay verbatim. Latin names, numbers and dates
inside a line need nothing more: the bidi algorithm keeps each such run in its own order.
Isolates (U+2066..U+2069) would be finer-grained but are not rendered by every client.

Size: Telegram caps a message at 4096 characters (UTF-16 code units, counted here on the HTML
itself, which is never shorter than the visible text). :func:`split_html` packs blocks into
messages at block boundaries; a block too big on its own is cut between characters of its text,
closing its open tags before the cut and reopening them after, so every piece is valid HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from html import escape
from html.parser import HTMLParser
from typing import Protocol

from bot import messages
from retrieval.models import Answer, Citation, Language

MAX_MESSAGE = 4096
RLM, LRM = "\u200f", "\u200e"
PASSAGE_CONTEXT = 600  # characters of article text shown either side of a quote

_MARKER = re.compile(r"\[(\d{1,3})\]")


class Described(Protocol):
    """Anything with an article's descriptive fields (a Source or a Citation)."""

    title: str
    publisher: str
    date: str
    url: str


def size(html: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(html.encode("utf-16-le")) // 2


def direction_mark(text: str) -> str:
    """RLM when right-to-left letters are the majority, LRM for left-to-right, else nothing."""
    rtl = ltr = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        rtl += kind in ("R", "AL")
        ltr += kind == "L"
    if rtl == ltr == 0:
        return ""
    return RLM if rtl >= ltr else LRM


def text_html(text: str) -> str:
    """Plain text as HTML, each line escaped and prefixed with its direction mark."""
    return "\n".join(direction_mark(line) + escape(line, quote=False) for line in text.split("\n"))


def _href(url: str) -> str | None:
    return escape(url, quote=True) if url.startswith(("https://", "http://")) else None


def source_line(item: Described, language: Language, prefix: str = "") -> str:
    """'prefix title · publisher · date' (title in bold), with a link when the URL is known."""
    parts = [f"<b>{escape(item.title, quote=False)}</b>"]
    parts += [escape(value, quote=False) for value in (item.publisher, item.date) if value]
    href = _href(item.url)
    if href:
        parts.append(f'<a href="{href}">{escape(messages.text("link", language), quote=False)}</a>')
    label = f"{prefix} " if prefix else ""
    return direction_mark(f"{item.title} {item.publisher}") + escape(label, quote=False) + " · ".join(parts)


def citation_html(citation: Citation, language: Language) -> str:
    """A citation: the verbatim quote and its source line, in one blockquote."""
    quote = direction_mark(citation.quote) + escape(citation.quote, quote=False)
    if citation.translation:
        label = messages.text("translation_label", language)
        quote += f"\n{LRM}<i>{escape(label, quote=False)} {escape(citation.translation, quote=False)}</i>"
    return f"<blockquote>{quote}\n{source_line(citation, language, f'— [{citation.n}]')}</blockquote>"


def answer_blocks(answer: Answer) -> list[str]:
    """The answer text (with bold [n] markers), then one block per citation.

    An extractive answer's text is its quotes, which the citation blocks already show: it is
    rendered as its introduction (and fallback note) only, so nothing is said twice.
    """
    text = answer.text.strip()
    if answer.generator == "extractive" and answer.citations:
        lines = [messages.text("related" if answer.status == "related" else "extractive_intro", answer.language)]
        if answer.fallback:
            lines.append(messages.text("llm_fallback", answer.language))
        text = "\n".join(lines)
    body = _MARKER.sub(r"<b>[\1]</b>", text_html(text))
    return [body] + [citation_html(c, answer.language) for c in answer.citations]


def render_answer(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """An answer as one or more HTML messages, each within `limit`."""
    return split_html(answer_blocks(answer), limit)


def render_sources(header: str, sources: Iterable[Described], language: Language, limit: int = MAX_MESSAGE) -> list[str]:
    """A header line, then one line per indexed article."""
    lines = [text_html(header)] + [source_line(s, language, "•") for s in sources]
    return split_html(lines, limit)


def passage_html(article_text: str, citations: Sequence[Citation], language: Language, limit: int = MAX_MESSAGE) -> str:
    """The article around its first cited quote, every cited quote in the window in bold.

    The window shrinks until the message fits; a quote too long for one message is cut.
    """
    first = min(citations, key=lambda c: c.n)
    header = source_line(first, language)
    context = PASSAGE_CONTEXT
    while True:
        html = f"{header}\n\n{_window(article_text, citations, first, context)}"
        if size(html) <= limit or context == 0:
            return html if size(html) <= limit else split_html([html], limit)[0]
        context //= 2


def _window(text: str, citations: Sequence[Citation], first: Citation, context: int) -> str:
    """text[first.start - context : first.end + context] snapped to word boundaries, quotes in <b>."""
    lo, hi = max(0, first.start - context), min(len(text), first.end + context)
    if lo > 0:
        space = text.find(" ", lo, first.start)
        lo = space + 1 if space >= 0 else first.start
    if hi < len(text):
        space = text.rfind(" ", first.end, hi)
        hi = space if space >= 0 else first.end
    out, at = [], lo
    for c in sorted(citations, key=lambda c: c.start):
        if c.start >= at and c.end <= hi:
            out.append(escape(text[at : c.start], quote=False))
            out.append(f"<b>{escape(text[c.start : c.end], quote=False)}</b>")
            at = c.end
    out.append(escape(text[at:hi], quote=False))
    body = "".join(out)
    return direction_mark(text[lo:hi]) + ("… " if lo > 0 else "") + body + (" …" if hi < len(text) else "")


# -- splitting ---------------------------------------------------------------------------------

_Run = tuple[tuple[tuple[str, str], ...], str]  # (open tags as (name, start-tag text), text)


class _Runs(HTMLParser):
    """Valid Telegram HTML -> runs of unescaped text with the tags open around each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.runs: list[_Run] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append((tag, self.get_starttag_text() or f"<{tag}>"))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.runs.append((tuple(self.stack), data))


def _runs(html: str) -> list[_Run]:
    parser = _Runs()
    parser.feed(html)
    parser.close()
    return parser.runs


def _render(runs: Sequence[_Run]) -> str:
    """Runs back to HTML, opening and closing tags only where the stack changes."""
    out: list[str] = []
    open_: tuple[tuple[str, str], ...] = ()
    for stack, text in (*runs, ((), "")):
        common = 0
        while common < min(len(open_), len(stack)) and open_[common] == stack[common]:
            common += 1
        out += [f"</{name}>" for name, _ in reversed(open_[common:])]
        out += [start for _, start in stack[common:]]
        out.append(escape(text, quote=False))
        open_ = stack
    return "".join(out)


def _break(text: str, fits: int) -> int:
    """Where to cut `text` given that its first `fits` characters fit: after a newline or a
    space in the second half if there is one, else exactly at `fits`."""
    for separator in ("\n", " "):
        at = text.rfind(separator, 0, fits)
        if at + 1 >= fits // 2 and at >= 0:
            return at + 1
    return fits


def _split_block(block: str, limit: int) -> list[str]:
    """Cut one valid HTML block into valid pieces within `limit`; their texts concatenate to the
    block's text (pieces that would be blank are dropped: Telegram rejects empty messages)."""
    pending = _runs(block)
    pieces: list[list[_Run]] = []
    current: list[_Run] = []
    while pending:
        stack, text = pending.pop(0)
        if size(_render([*current, (stack, text)])) <= limit:
            current.append((stack, text))
            continue
        low, high = 0, len(text)  # the longest prefix that fits: binary search
        while low < high:
            mid = (low + high + 1) // 2
            if size(_render([*current, (stack, text[:mid])])) <= limit:
                low = mid
            else:
                high = mid - 1
        if low == 0 and not current:
            raise ValueError("markup alone exceeds the message limit")
        if low > 0:
            cut = _break(text, low)
            current.append((stack, text[:cut]))
            text = text[cut:]
        pieces.append(current)
        current = []
        pending.insert(0, (stack, text))
    pieces.append(current)
    return [_render(runs) for runs in pieces if "".join(text for _, text in runs).strip()]


def split_html(parts: Sequence[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack valid HTML blocks into messages of at most `limit`, joined by newlines.

    Blocks are never split unless one alone exceeds the limit; such a block is cut into pieces
    that are each sent as their own message (the last may share with following blocks).
    """
    out: list[str] = []
    current = ""
    for part in parts:
        pieces = [part] if size(part) <= limit else _split_block(part, limit)
        if len(pieces) > 1 and current:
            out.append(current)
            current = ""
        for piece in pieces[:-1]:
            out.append(piece)
        if not pieces:
            continue
        joined = f"{current}\n{pieces[-1]}" if current else pieces[-1]
        if size(joined) <= limit:
            current = joined
        else:
            out.append(current)
            current = pieces[-1]
    if current:
        out.append(current)
    return out
