"""Saved web pages as articles: the main text and the page's metadata, by trafilatura.

A page's main text (no menus, share buttons, captions or footers) becomes the article's text: it is
what the snapshot holds and what citation offsets point into. Its title, site, publication date,
canonical URL and language (JSON-LD, OpenGraph, meta tags) fill the article record; a field set
in articles.toml wins. Extraction runs once per distinct page: the result is kept in
`<data_dir>/pages/<hash>.json`, so re-syncing an unchanged folder stays cheap.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Container, Iterable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from isnad.retrieval.arabic import detect_language
from isnad.retrieval.corpus import PAGE_SUFFIXES, ArticleError, check_name, content_hash, read_article, read_bytes
from isnad.retrieval.datadir import PAGES_DIR
from isnad.retrieval.models import Article, ArticleMeta

# The comment browsers write at the top of a saved page ("Save page as"); `isnad add` writes it too.
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_HTML_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([A-Za-z]{2})", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """A page's main text and what it says about itself."""

    text: str
    meta: ArticleMeta


def is_page(path: Path) -> bool:
    return path.suffix.lower() in PAGE_SUFFIXES


def saved_from(url: str) -> bytes:
    """The "saved from" comment naming where a page was fetched (read back by extract_page)."""
    return f"<!-- saved from url=({len(url):04d}){url} -->\n".encode()


def extract_page(data: bytes) -> Page:
    """The main text and metadata of an HTML page, or ArticleError if it holds no article text."""
    import trafilatura  # imported on first use: it loads lxml and date parsers

    found = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=False)
    if found is None or isinstance(found, dict) or not (found.text or "").strip():
        raise ArticleError("no article text found in the page")
    text = (found.text or "").strip()
    text += "\n"
    source = _SAVED_FROM.search(data[:4096])
    lang = _HTML_LANG.search(data[:4096])
    language = (found.language or (lang.group(1).decode() if lang else "") or detect_language(text)).lower()
    meta = ArticleMeta(
        title=found.title or "",
        publisher=found.sitename or found.hostname or "",
        date=found.date or "",
        language="ar" if language == "ar" else "en",
        url=found.url or (source.group(1).decode("utf-8", "replace") if source else ""),
    )
    return Page(text, meta)


def with_overrides(page: ArticleMeta, hand: ArticleMeta | None) -> ArticleMeta:
    """The page's metadata, with every field articles.toml sets (to other than its default) winning."""
    if hand is None:
        return page
    default = ArticleMeta()
    return replace(page, **{f.name: getattr(hand, f.name) for f in fields(hand) if getattr(hand, f.name) != getattr(default, f.name)})


class PageReader:
    """Reads a corpus file as an article: text files as they are, pages through the extractor,
    whose results are cached in `<data_dir>/pages/` by the page's content hash."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / PAGES_DIR
        self.used: set[str] = set()

    def __call__(self, path: Path, corpus_dir: Path, meta: ArticleMeta | None = None) -> Article:
        if not is_page(path):
            return read_article(path, corpus_dir, meta)
        check_name(path)
        page = self.page(read_bytes(path, corpus_dir))
        data = page.text.encode("utf-8")
        return Article(path.stem, str(path), page.text, content_hash(data), with_overrides(page.meta, meta))

    def page(self, data: bytes) -> Page:
        """The extraction of these page bytes, from the cache or made (and cached) now."""
        key = content_hash(data)
        self.used.add(key)
        cached = self.folder / f"{key}.json"
        try:
            saved = json.loads(cached.read_text(encoding="utf-8"))
            return Page(saved["text"], ArticleMeta(**saved["meta"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        page = extract_page(data)
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = cached.with_suffix(".tmp")
        temp.write_text(json.dumps({"text": page.text, "meta": asdict(page.meta)}, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, cached)
        return page

    def forget_unused(self) -> None:
        """Delete cached extractions of pages no longer in the corpus (after a whole sync)."""
        if self.folder.is_dir():
            for cached in self.folder.iterdir():
                if cached.stem not in self.used:
                    cached.unlink(missing_ok=True)


Item = Article | tuple[Path, ArticleError]


def without_duplicates(items: Iterable[Item], indexed: Container[str]) -> list[Item]:
    """The corpus's items in their order, with each repeat reported as an error instead: a file
    whose article id another file has (`a.txt` and `a.html`), and a page with the same text or the
    same canonical URL as another article. Articles already indexed win, so none is lost."""
    items = list(items)

    def indexed_first(i: int) -> bool:
        item = items[i]
        return not (isinstance(item, Article) and item.article_id in indexed)

    first = sorted(range(len(items)), key=indexed_first)
    owners: dict[tuple[str, str], str] = {}
    for i in first:
        item = items[i]
        if not isinstance(item, Article):
            continue
        keys = [("id", item.article_id), ("text", item.content_hash)] + ([("url", item.meta.url.rstrip("/"))] if item.meta.url else [])
        checked = keys if is_page(Path(item.path)) else keys[:1]
        owner = next((owners[k] for k in checked if k in owners), None)
        if owner is not None:
            why = "another file has the same name" if owner == item.article_id else f"same page as the article {owner!r}"
            items[i] = (Path(item.path), ArticleError(f"duplicate: {why}; not indexed twice"))
            continue
        for key in keys:
            owners.setdefault(key, item.article_id)
    return items
