"""Read article files and their metadata; find the content lines, keeping raw offsets.

Page furniture (share/subscribe/comment prompts, "back to top", disclaimers, photo credits) is
left out of the content spans but never removed from `raw_text`, so every offset stays valid.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from isnad.retrieval.models import Article, ArticleMeta

ARTICLE_SUFFIX = ".txt"
PAGE_SUFFIXES = (".html", ".htm")  # saved web pages: see isnad.retrieval.html_pages
ARTICLE_SUFFIXES = (ARTICLE_SUFFIX, *PAGE_SUFFIXES)
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
_PHOTO_CREDIT = re.compile(r"^[^|.،]{1,40}(?:\s[|]\s[^|.،]{1,40}){1,4}$")  # "سيرجي إيلنيتسكي | عبر رويترز"
_BYLINE = re.compile(r"^[^.،\s]{1,20}(?:\s-\s[^.،\s]{1,20}){1,3}$")
_DATELINE = re.compile(r"^(?:\S+\s)?\d{1,2}\s\S+(?:\s/\s\S+)?\s\d{4}$")


class ArticleError(ValueError):
    """An article file that cannot be indexed, with a reason fit to show an operator."""


@dataclass(frozen=True)
class Line:
    """A content line of an article: `raw_text[start:end]`; `caption` when a photo credit follows it."""

    start: int
    end: int
    caption: bool = False


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


# A snapshot is named `<article id>-<16 hex>.txt`: the id must leave room for that in 255 bytes.
MAX_ID_BYTES = 255 - len("-") - 16 - len(ARTICLE_SUFFIX)
_FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}


def check_name(path: Path) -> None:
    """Raise ArticleError if the file name cannot be an article id (it names snapshots and lines)."""
    stem = path.stem
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in stem):
        raise ArticleError("file name has a control character or invalid UTF-8; rename the file")
    size = len(stem.encode("utf-8"))
    if size > MAX_ID_BYTES:
        raise ArticleError(f"file name too long ({size} bytes before .txt; at most {MAX_ID_BYTES}); rename the file")


def read_article(path: Path, corpus_dir: Path, meta: ArticleMeta | None = None) -> Article:
    """Read one article file, or raise ArticleError saying why it cannot be used."""
    check_name(path)
    data = read_bytes(path, corpus_dir)
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


def read_bytes(path: Path, corpus_dir: Path) -> bytes:
    """The bytes of a corpus file, or ArticleError. Only regular files are read, and never waited
    on (a FIFO is opened non-blocking and refused)."""
    try:
        if path.is_symlink() and not path.resolve(strict=True).is_relative_to(corpus_dir.resolve()):
            raise ArticleError("symlink pointing outside the corpus folder")
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ArticleError(f"not a regular file ({_FILE_KINDS.get(stat.S_IFMT(info.st_mode), 'special file')})")
            if info.st_size > MAX_ARTICLE_BYTES:
                raise ArticleError(f"file too large ({info.st_size} bytes; limit {MAX_ARTICLE_BYTES})")
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise ArticleError(f"unreadable: {exc.strerror or exc}") from exc
    except RuntimeError as exc:  # Python 3.11's Path.resolve on a symlink loop
        raise ArticleError(f"unreadable: {exc}") from exc
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"file too large (over {MAX_ARTICLE_BYTES} bytes)")
    return data


def article_paths(corpus_dir: Path) -> list[Path]:
    """Article files (text and saved pages) in a corpus folder, in a stable order (folders named
    *.txt are not files)."""
    return sorted(p for p in corpus_dir.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_dir())


def printable(text: str) -> str:
    """A file name fit for one line of a report: control characters and undecodable bytes escaped."""
    return "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in text)


def iter_articles(
    corpus_dir: Path, metadata: dict[str, ArticleMeta], invalid_metadata: dict[str, str] | None = None,
    read: Callable[[Path, Path, ArticleMeta | None], Article] = read_article,
) -> Iterator[Article | tuple[Path, ArticleError]]:
    """Every article of the folder (each file read by `read`), or (path, error) for a file that
    cannot be used, each judged alone; an article whose metadata entry is invalid is not used either."""
    for path in article_paths(corpus_dir):
        try:
            if invalid_metadata and path.stem in invalid_metadata:
                raise ArticleError(invalid_metadata[path.stem])
            yield read(path, corpus_dir, metadata.get(path.stem))
        except ArticleError as exc:
            yield path, exc


def is_boilerplate(line: str) -> bool:
    """True for page furniture: prompts, credits, datelines, disclaimers."""
    stripped = _bare(line)
    return bool(
        _BOILERPLATE_LINE.match(stripped) or _PHOTO_CREDIT.match(stripped) or _BYLINE.match(stripped) or _DATELINE.match(stripped)
    )


def dateline_spans(raw_text: str) -> list[tuple[int, int]]:
    """(start, end) of each dateline ("الخميس 19 Sep / September 2024"), trimmed as a content line is:
    page furniture, never indexed, but what says when the article was published."""
    return [(start, end) for text, start, end in _raw_lines(raw_text) if _DATELINE.match(_bare(text))]


def _bare(line: str) -> str:
    return line.strip().strip("\u00a0\u200f\u200e")


def _raw_lines(raw_text: str) -> Iterator[tuple[str, int, int]]:
    """Each line of the raw text with the (start, end) of its content without surrounding white space."""
    for match in re.finditer(r"[^\n]+", raw_text):
        text = match.group()
        yield text, match.start() + len(text) - len(text.lstrip()), match.start() + len(text.rstrip())


def content_lines(raw_text: str) -> list[Line]:
    """Non-empty, non-boilerplate lines, trimmed of surrounding white space, as raw offsets; a line
    a photo credit follows ("سيرجي إيلنيتسكي | عبر رويترز") is that photo's caption."""
    lines: list[Line] = []
    for text, start, end in _raw_lines(raw_text):
        if _PHOTO_CREDIT.match(_bare(text)):  # page furniture, and the mark of the caption above it
            if lines:
                lines[-1] = replace(lines[-1], caption=True)
            continue
        if not text.strip() or is_boilerplate(text):
            continue
        lines.append(Line(start, end))
    return lines
