"""Read article files and their metadata; find the content lines, keeping raw offsets.

Page furniture (share/subscribe/comment prompts, "back to top", disclaimers, photo credits) is
left out of the content spans but never removed from `raw_text`, so every offset stays valid.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.models import Article, ArticleMeta

METADATA_FILE = "articles.toml"
ARTICLE_SUFFIX = ".txt"
MAX_ARTICLE_BYTES = 5_000_000

# Whole lines that are page furniture rather than article text (Arabic and English sites).
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        مقالات\ ذات\ صلة | زر\ الذهاب\ إلى\ الأعلى | العودة\ إلى\ الأعلى | شارك\ القصة | شارك\ المقال
      | تابع\ القراءة | اقرأ\ أيضا\S* | اترك\ تعليقا\S* | \d+\ تعليق\S* | نسخ\ الرابط.* | المصادر:?
      | اكتشاف\ المزيد\ من\ .{1,30} | اشترك\ (?:الآن|للحصول|في\ النشرة|معنا)\b.{0,100}
      | لن\ يتم\ نشر\ عنوان\ بريدك\ الإلكتروني.*
      | إخلاء\ مسؤولية.* | جميع\ الحقوق\ محفوظة.* | الصورة:.* | أخبار\ دولية\ وإقليمية
      | continue\ reading | read\ more | share\ this.{0,30} | subscribe(?:\ now|\ here|\ to\ our\ .{0,60})?\.?
      | back\ to\ top
      | leave\ a\ (?:comment|reply) | all\ rights\ reserved.* | related\ articles?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Photo credits and source lines: short segments joined by "|" or " - " ("Sergei | AFP | Getty").
_CREDIT_LINE = re.compile(r"^[^|.،]{1,40}(?:\s[|]\s[^|.،]{1,40}){1,4}$|^[^.،\s]{1,20}(?:\s-\s[^.،\s]{1,20}){1,3}$")
_DATELINE = re.compile(r"^(?:\S+\s)?\d{1,2}\s\S+(?:\s/\s\S+)?\s\d{4}$")


class ArticleError(ValueError):
    """An article file that cannot be indexed, with a reason fit to show an operator."""


@dataclass(frozen=True)
class Line:
    """A content line of an article: `raw_text[start:end]`."""

    start: int
    end: int


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def load_metadata(corpus_dir: Path) -> dict[str, ArticleMeta]:
    """Per-article metadata keyed by article id; no file means no metadata.

    Raises ArticleError naming the problem when the hand-edited file cannot be used.
    """
    path = corpus_dir / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        return {article_id: ArticleMeta(**values) for article_id, values in table.items()}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArticleError(f"cannot read metadata: {exc}") from exc
    except TypeError as exc:  # an unknown or misspelt field, or a value that is not a table
        fields = ", ".join(f.name for f in dataclasses.fields(ArticleMeta))
        raise ArticleError(f"invalid metadata ({exc}); allowed fields: {fields}") from exc


def read_article(path: Path, corpus_dir: Path, meta: ArticleMeta | None = None) -> Article:
    """Read one article file, or raise ArticleError saying why it cannot be used."""
    if path.is_symlink() and not path.resolve().is_relative_to(corpus_dir.resolve()):
        raise ArticleError("symlink pointing outside the corpus folder")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"file too large ({size} bytes; limit {MAX_ARTICLE_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"unreadable: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not valid UTF-8 (byte {exc.start})") from exc
    if "\x00" in text:
        raise ArticleError("binary file (contains NUL bytes)")
    if not text.strip():
        raise ArticleError("empty file")
    return Article(
        article_id=path.stem,
        path=str(path),
        raw_text=text,
        content_hash=content_hash(data),
        meta=meta or ArticleMeta(),
    )


def article_paths(corpus_dir: Path) -> list[Path]:
    """Article files in a corpus folder, in a stable order."""
    return sorted(p for p in corpus_dir.iterdir() if p.suffix == ARTICLE_SUFFIX and not p.is_dir())


def iter_articles(
    corpus_dir: Path, metadata: dict[str, ArticleMeta]
) -> Iterator[Article | tuple[Path, ArticleError]]:
    """Every article of the folder, or (path, error) for a file that cannot be used."""
    for path in article_paths(corpus_dir):
        try:
            yield read_article(path, corpus_dir, metadata.get(path.stem))
        except ArticleError as exc:
            yield path, exc


def is_boilerplate(line: str) -> bool:
    """True for page furniture: prompts, credits, datelines, disclaimers."""
    stripped = line.strip().strip("\u00a0\u200f\u200e")
    return bool(
        _BOILERPLATE_LINE.match(stripped) or _CREDIT_LINE.match(stripped) or _DATELINE.match(stripped)
    )


def content_lines(raw_text: str) -> list[Line]:
    """Non-empty, non-boilerplate lines, trimmed of surrounding white space, as raw offsets."""
    lines = []
    for match in re.finditer(r"[^\n]+", raw_text):
        text = match.group()
        if not text.strip() or is_boilerplate(text):
            continue
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        lines.append(Line(match.start() + left, match.start() + right))
    return lines
