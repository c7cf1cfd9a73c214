"""Replies and bot messages as Telegram HTML: pure text in, lists of message strings out.

No Telegram or Chroma imports: the bot calls these functions and sends what they return.

Direction (Arabic and English mixed): see isnad.bot.fronts.bidi. Every composed line starts with a direction
mark (from the reply language, so an Arabic reply's lines all align right) and isolates its
runs of the other direction; each field of a source line (title, publisher, date) is isolated
on its own. Quotes get only a leading mark, never anything inside, so they stay verbatim.

Size: Telegram caps a message at 4096 characters (UTF-16 code units, counted here on the HTML
itself, which is never shorter than the visible text). :func:`split_html` packs blocks into
messages at block boundaries; a block too big on its own is cut between characters of its text,
closing its open tags before the cut and reopening them after, so every piece is valid HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from html.parser import HTMLParser
from typing import Protocol

from isnad.bot.answer import messages
from isnad.bot.answer.types import Citation
from isnad.bot.fronts.bidi import LRM, RLM, bidi_line, is_rtl, isolate
from isnad.bot.fronts.replies import Quote, Reply, TitleLookup
from isnad.retrieval.models import Language

MAX_MESSAGE = 4096
PASSAGE_CONTEXT = 600  # characters of article text shown either side of a quote

_MARKER = re.compile(r"\[(\d{1,3})\]")


class Described(Protocol):
    """Anything with an article's descriptive fields (a Source or a Citation)."""

    @property
    def article_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def publisher(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def url(self) -> str: ...


def size(html: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(html.encode("utf-16-le")) // 2


def direction_mark(text: str) -> str:
    """RLM when right-to-left letters are the majority, LRM for left-to-right, else nothing."""
    rtl = is_rtl(text)
    return "" if rtl is None else RLM if rtl else LRM


def text_html(text: str, language: Language | None = None) -> str:
    """Plain text as HTML, each line escaped, marked and with its other-direction runs isolated.

    Lines take the direction of `language`; without one, each line's majority script.
    """
    rtl = None if language is None else language == "ar"
    return "\n".join(escape(bidi_line(line, rtl), quote=False) for line in text.split("\n"))


def _href(url: str) -> str | None:
    return escape(url, quote=True) if url.startswith(("https://", "http://")) else None


def source_line(item: Described, language: Language, prefix: str = "", title: str | None = None) -> str:
    """'prefix title · publisher · date' (title in bold), with a link when the URL is known."""
    parts = [f"<b>{escape(isolate(title or item.title), quote=False)}</b>"]
    parts += [escape(isolate(value), quote=False) for value in (item.publisher, item.date) if value]
    href = _href(item.url)
    if href:
        parts.append(f'<a href="{href}">{escape(messages.text("link", language), quote=False)}</a>')
    label = f"{prefix} " if prefix else ""
    return (RLM if language == "ar" else LRM) + escape(label, quote=False) + " · ".join(parts)


def citation_html(quote: Quote, language: Language) -> str:
    """A citation: the verbatim quote and its source line, in one blockquote."""
    citation = quote.citation
    html = direction_mark(citation.quote) + escape(citation.quote, quote=False)
    if citation.translation:
        label = messages.text("translation_label", language)
        html += f"\n<i>{text_html(f'{label} {citation.translation}', 'en')}</i>"
    return f"<blockquote>{html}\n{source_line(citation, language, f'— [{citation.n}]', quote.title)}</blockquote>"


def reply_blocks(reply: Reply) -> list[str]:
    """The reply's lines (with bold [n] markers), one block per quote, then its notes."""
    body = _MARKER.sub(r"<b>[\1]</b>", text_html("\n".join(reply.lines), reply.language))
    blocks = [body] + [citation_html(q, reply.language) for q in reply.quotes]
    return blocks + [text_html(note, reply.language) for note in reply.notes]


def render_reply(reply: Reply, limit: int = MAX_MESSAGE) -> list[str]:
    """A reply as one or more HTML messages, each within `limit`."""
    return split_html(reply_blocks(reply), limit)


def draft_html(text: str, language: Language) -> str:
    """A model's answer while it is being written, marked as an unchecked draft."""
    label = text_html(messages.text("draft", language), language)
    return f"<i>{label}</i>\n{text_html(text[: MAX_MESSAGE // 2] + ' …')}"


def render_sources(
    header: str, sources: Iterable[Described], language: Language, english_title: TitleLookup | None = None,
    limit: int = MAX_MESSAGE,
) -> list[str]:
    """A header line, then one line per indexed article (English titles for English readers)."""
    def title(source: Described) -> str | None:
        return (english_title(source.article_id) or None) if english_title and language == "en" else None

    lines = [text_html(header, language)] + [source_line(s, language, "•", title(s)) for s in sources]
    return split_html(lines, limit)


def passage_html(article_text: str, quotes: Sequence[Quote], language: Language, limit: int = MAX_MESSAGE) -> str:
    """The article around its first cited quote, every cited quote in the window in bold.

    The window shrinks until the message fits; a quote too long for one message is cut.
    """
    first = min(quotes, key=lambda q: q.citation.n)
    header = source_line(first.citation, language, title=first.title)
    citations = [q.citation for q in quotes]
    context = PASSAGE_CONTEXT
    while True:
        html = f"{header}\n\n{_window(article_text, citations, first.citation, context)}"
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
