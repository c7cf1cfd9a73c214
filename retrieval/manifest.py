"""What the store holds: article id -> content hash, metadata and a snapshot of the indexed text.

The manifest is written atomically (temp file + rename) only after the store holds an article's
vectors, so a crash leaves the previous state readable. Snapshots keep the exact text that was
indexed, so quotes are verified against what offsets point into even if the file changed since.
A journal lists the article versions an ingest run is writing or retiring; the next run removes
those the manifest does not name, so a killed run leaves no orphaned vectors behind.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from isnad.retrieval.models import Article, ArticleMeta

MANIFEST_FILE = "manifest.json"
JOURNAL_FILE = "ingest.journal"
SNAPSHOT_DIR = "articles"


@dataclass
class Entry:
    """One indexed article."""

    content_hash: str
    path: str
    meta: ArticleMeta
    counts: dict[str, int] | None = None  # stored spans by kind (None in manifests written before counts)


@dataclass(frozen=True)
class Source:
    """An indexed article as listed to users."""

    article_id: str
    title: str
    publisher: str
    date: str
    url: str


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime, size) of a file, which change whenever it is replaced; None if there is none."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


@dataclass
class Manifest:
    """Indexed articles of one data directory."""

    data_dir: Path
    embedder: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path) -> Manifest:
        path = data_dir / MANIFEST_FILE
        if not path.is_file():
            return cls(data_dir)
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = {
            article_id: Entry(e["content_hash"], e["path"], ArticleMeta(**e["meta"]), e.get("counts"))
            for article_id, e in raw["articles"].items()
        }
        return cls(data_dir, raw.get("embedder", ""), entries)

    @staticmethod
    def version(data_dir: Path) -> tuple[int, int] | None:
        """Changes whenever the manifest file is replaced (mtime, size); None if there is none."""
        return file_stamp(data_dir / MANIFEST_FILE)

    def sources(self) -> list[Source]:
        """The indexed articles, by id; an article without a title is listed by its id."""
        return [
            Source(article_id, e.meta.title or article_id, e.meta.publisher, e.meta.date, e.meta.url)
            for article_id, e in sorted(self.entries.items())
        ]

    def save(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        payload = {
            "embedder": self.embedder,
            "articles": {
                article_id: {"content_hash": e.content_hash, "path": e.path, "meta": asdict(e.meta), "counts": e.counts}
                for article_id, e in sorted(self.entries.items())
            },
        }
        target = self.data_dir / MANIFEST_FILE
        temp = target.with_suffix(".tmp")
        with temp.open("w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)

    def journal(self, article_id: str, content_hash: str) -> None:
        """Record, durably, that a version of an article is about to be written or retired."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / JOURNAL_FILE).open("a", encoding="utf-8") as handle:
            handle.write(f"{article_id}\t{content_hash}\n")
            handle.flush()
            os.fsync(handle.fileno())

    def journaled(self) -> list[tuple[str, str]]:
        """Versions named in the journal, oldest first."""
        path = self.data_dir / JOURNAL_FILE
        if not path.is_file():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [(i, h) for i, _, h in (line.partition("\t") for line in lines) if h]

    def clear_journal(self) -> None:
        (self.data_dir / JOURNAL_FILE).unlink(missing_ok=True)

    def snapshot_path(self, article_id: str, content_hash: str) -> Path:
        return self.data_dir / SNAPSHOT_DIR / f"{article_id}-{content_hash}.txt"

    def write_snapshot(self, article: Article) -> None:
        path = self.snapshot_path(article.article_id, article.content_hash)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(article.raw_text, encoding="utf-8", newline="")
        os.replace(temp, path)

    def load_article(self, article_id: str) -> Article:
        entry = self.entries[article_id]
        path = self.snapshot_path(article_id, entry.content_hash)
        text = ""
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                text = handle.read()
        return Article(article_id, entry.path, text, entry.content_hash, entry.meta)

    def remove_stale_snapshots(self) -> None:
        """Delete snapshots that no manifest entry points at any more."""
        folder = self.data_dir / SNAPSHOT_DIR
        if not folder.is_dir():
            return
        keep = {self.snapshot_path(i, e.content_hash).name for i, e in self.entries.items()}
        for path in folder.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)
