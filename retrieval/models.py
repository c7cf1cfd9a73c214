"""Plain data passed between layers. Offsets always index the raw article text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Language = Literal["ar", "en"]


@dataclass(frozen=True)
class ArticleMeta:
    """Hand-edited metadata from seeds/articles.toml."""

    title: str = ""
    title_en: str = ""  # English title, shown to English readers
    publisher: str = ""
    date: str = ""
    language: str = "ar"
    url: str = ""


@dataclass(frozen=True)
class Article:
    """One source file: its id is the file stem; `raw_text` is the file exactly as read."""

    article_id: str
    path: str
    raw_text: str
    content_hash: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    @property
    def title(self) -> str:
        return self.meta.title or self.article_id


@dataclass(frozen=True)
class Span:
    """A piece of an article: `text == article.raw_text[start:end]`."""

    article_id: str
    start: int
    end: int
    text: str

    @property
    def span_id(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"

    def overlaps(self, spans: Iterable[tuple[str, int, int]]) -> bool:
        """Whether the span overlaps any of `spans` (article id, start, end)."""
        return any(a == self.article_id and s < self.end and self.start < e for a, s, e in spans)


@dataclass(frozen=True)
class Sentence(Span):
    """A sentence; `quotable` is False for headings, captions and other fragments (`caption`
    marks a photo caption or credit: evidence only for a question about a picture)."""

    quotable: bool = True
    caption: bool = False


@dataclass(frozen=True)
class Chunk(Span):
    """A few sentences, a few hundred characters, overlapping its neighbour by one sentence."""


@dataclass(frozen=True)
class RetrievedChunk:
    """A retrieved chunk with its fused score."""

    chunk: Chunk
    score: float
