"""Split content lines into sentences and overlapping chunks, all with raw offsets (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from isnad.retrieval.corpus import Line
from isnad.retrieval.models import Chunk, Sentence

MAX_SENTENCE_CHARS = 320
MIN_QUOTABLE_WORDS = 6
_TERMINATOR = re.compile(r"[.!?؟…]+[”\"»)]*(?=\s|$)")
_CLAUSE_BREAK = re.compile(r"[،؛:;,](?=\s)")
_OPENING_QUOTES = "“«"
_CLOSING_QUOTES = "”»"


# Photo captions and credits: who stands where in a picture, "in this photo", "(photo: …)".
_CAPTION = re.compile(
    r"\((?:على |من |في )?(?:اليمين|اليسار|الوسط|يمين|يسار|وسط)\)|\((?:left|right|centre|center)\)"
    r"|في هذه الصورة|صورة (?:أرشيفية|ارشيفية|مجمعة)|\(الصورة:|\((?:photo|picture|image):|\bin this (?:photo|picture|image)\b"
    r"|\bpictured\b|\bphoto(?:graph)? (?:by|credit)\b|Getty Images|via Reuters|عبر رويترز",
    re.IGNORECASE,
)


def _quote_depths(text: str) -> list[int]:
    """Quotation nesting depth before each character (unbalanced closers are ignored)."""
    depths, depth = [], 0
    for char in text:
        depths.append(depth)
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _CLOSING_QUOTES and depth:
            depth -= 1
    return depths


def _sentence_ends(text: str) -> list[int]:
    """End offsets (exclusive) of sentences in one line, not breaking inside short quotations."""
    depths = _quote_depths(text)
    ends, last = [], 0
    for match in _TERMINATOR.finditer(text):
        end = match.end()
        inside_quote = depths[match.start()] > 0 and end - last < MAX_SENTENCE_CHARS
        if not inside_quote:
            ends.append(end)
            last = end
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    return ends


def _split_long(text: str, offset: int) -> list[tuple[int, int]]:
    """Break an over-long sentence at the clause mark nearest its middle, recursively."""
    if len(text) <= MAX_SENTENCE_CHARS:
        return [(offset, offset + len(text))]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    if not breaks:
        breaks = [m.start() for m in re.finditer(r"\s", text)]
    if not breaks:
        return [(offset, offset + len(text))]
    cut = min(breaks, key=lambda b: abs(b - len(text) / 2))
    head, tail = text[:cut], text[cut:]
    tail_start = cut + len(tail) - len(tail.lstrip())
    return _split_long(head.rstrip(), offset) + _split_long(tail.strip(), offset + tail_start)


def _is_sentence(text: str) -> bool:
    """A whole sentence or a long line, not a heading or a fragment."""
    words = len(text.split())
    return words >= MIN_QUOTABLE_WORDS and (bool(_TERMINATOR.search(text)) or len(text) >= 60)


def split_sentences(article_id: str, raw_text: str, lines: Sequence[Line]) -> list[Sentence]:
    """Sentences of the content lines, each exactly `raw_text[start:end]`."""
    sentences = []
    for line in lines:
        text = raw_text[line.start : line.end]
        begin = 0
        for end in _sentence_ends(text):
            piece = text[begin:end]
            lead = len(piece) - len(piece.lstrip())
            for start, stop in _split_long(piece.strip(), line.start + begin + lead):
                if stop > start:
                    body = raw_text[start:stop]
                    caption = line.caption or bool(_CAPTION.search(body))
                    sentences.append(Sentence(article_id, start, stop, body, _is_sentence(body) and not caption, caption))
            begin = end
    return sentences


def make_chunks(sentences: Sequence[Sentence], raw_text: str, max_chars: int) -> list[Chunk]:
    """Group consecutive sentences into chunks of at most ~max_chars, overlapping by one sentence."""
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1].end - sentences[first].start <= max_chars:
            last += 1
        start, end = sentences[first].start, sentences[last].end
        chunks.append(Chunk(sentences[first].article_id, start, end, raw_text[start:end]))
        if last + 1 >= len(sentences):
            break
        first = last if last > first else last + 1
    return chunks


def chunk_sentences(chunk: Chunk, sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences that lie inside a chunk."""
    return [s for s in sentences if s.start >= chunk.start and s.end <= chunk.end]


def embedding_text(sentences: Sequence[Sentence]) -> str:
    """The text a chunk is embedded and matched by: its sentences, furniture left out."""
    return " ".join(s.text for s in sentences)
