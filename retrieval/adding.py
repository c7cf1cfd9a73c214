"""Adding articles from links and uploaded files: each is saved into the corpus folder (a page as
.html, so the next sync re-reads it like any saved page) and the folder is synced into the index.

A page or file that repeats an indexed article (same text, or a page with the same canonical URL)
is not saved; one that cannot be fetched or holds no article text is reported and nothing else
changes. Files are written atomically, so a sync never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from isnad.retrieval.corpus import ARTICLE_SUFFIX, PAGE_SUFFIXES, ArticleError, content_hash
from isnad.retrieval.embedders import Embedder
from isnad.retrieval.fetching import FetchError, fetch
from isnad.retrieval.html_pages import extract_page, saved_from
from isnad.retrieval.indexer import update_index
from isnad.retrieval.ingest import IngestReport
from isnad.retrieval.manifest import Manifest
from isnad.settings import Settings

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass
class Added:
    """What became of one link or file: the article it is now (id, title), or why it is not."""

    source: str
    article_id: str = ""
    title: str = ""
    problem: str = ""


@dataclass(frozen=True)
class _Candidate:
    added: Added
    name: str  # file name in the corpus folder
    data: bytes
    text_hash: str
    url: str


def url_article_id(url: str) -> str:
    """A stable, file-safe article id for a link: its host and a hash of the URL."""
    host = _UNSAFE.sub("-", urlsplit(url).hostname or "page").strip("-.")[:60]
    return f"{host}-{hashlib.sha256(url.encode()).hexdigest()[:10]}"


def add_urls(urls: list[str], settings: Settings, embedder: Embedder, *, wait: bool = True) -> tuple[list[Added], IngestReport | None]:
    """Fetch each link, save new pages into the corpus folder and sync it (None: nothing new)."""
    candidates: list[_Candidate | Added] = []
    for url in urls:
        try:
            fetched = fetch(url, settings.fetch)
            data = saved_from(fetched.url) + fetched.data
            page = extract_page(data)
        except (FetchError, ArticleError) as exc:
            candidates.append(Added(url, problem=str(exc)))
            continue
        name = url_article_id(page.meta.url or fetched.url) + PAGE_SUFFIXES[0]
        candidates.append(_Candidate(Added(url), name, data, content_hash(page.text.encode()), page.meta.url or fetched.url))
    return _add(candidates, settings, embedder, wait)


def add_file(file_name: str, data: bytes, settings: Settings, embedder: Embedder, *, wait: bool = True) -> tuple[list[Added], IngestReport | None]:
    """Save an uploaded .txt or .html file into the corpus folder and sync it."""
    stem, suffix = os.path.splitext(os.path.basename(file_name))
    suffix = suffix.lower()
    if suffix not in (ARTICLE_SUFFIX, *PAGE_SUFFIXES):
        return [Added(file_name, problem="only .txt and .html files can be added")], None
    try:
        page = extract_page(data) if suffix != ARTICLE_SUFFIX else None
    except ArticleError as exc:
        return [Added(file_name, problem=str(exc))], None
    text_hash = content_hash(page.text.encode() if page else data)
    name = (_UNSAFE.sub("-", stem).strip("-.")[:80] or "upload") + f"-{text_hash[:8]}{suffix}"
    return _add([_Candidate(Added(file_name), name, data, text_hash, page.meta.url if page else "")], settings, embedder, wait)


def _add(candidates: list[_Candidate | Added], settings: Settings, embedder: Embedder, wait: bool) -> tuple[list[Added], IngestReport | None]:
    corpus = settings.corpus_dir
    manifest = Manifest.load(settings.data_dir)
    owners = {("text", e.content_hash): i for i, e in manifest.entries.items()}
    owners |= {("url", e.meta.url.rstrip("/")): i for i, e in manifest.entries.items() if e.meta.url}
    results, saved = [], []
    for candidate in candidates:
        if isinstance(candidate, Added):
            results.append(candidate)
            continue
        added = candidate.added
        results.append(added)
        keys = [("text", candidate.text_hash)] + ([("url", candidate.url.rstrip("/"))] if candidate.url else [])
        owner = next((owners[k] for k in keys if k in owners), None)
        if owner is not None:
            added.problem, added.article_id = f"already indexed as {owner!r}", owner
            added.title = manifest.entries[owner].meta.title or owner
            continue
        corpus.mkdir(parents=True, exist_ok=True)
        temp = corpus / f".{candidate.name}.part"
        temp.write_bytes(candidate.data)
        os.replace(temp, corpus / candidate.name)
        saved.append((added, Path(candidate.name).stem))
        owners |= {key: Path(candidate.name).stem for key in keys}
    if not saved:
        return results, None
    report = update_index(settings, embedder, corpus, wait=wait)
    entries = Manifest.load(settings.data_dir).entries
    problems = {Path(s["path"]).stem: s["reason"] for s in report.skipped}
    for added, article_id in saved:
        if article_id in entries:
            added.article_id, added.title = article_id, entries[article_id].meta.title or article_id
        else:
            added.problem = problems.get(article_id, "not indexed")
    return results, report
