"""English titles of the indexed articles (`title_en` in articles.toml), for English replies."""

from __future__ import annotations

import threading
from pathlib import Path

from isnad.retrieval.manifest import Manifest


class EnglishTitles:
    """article id -> English title ("" if none), reread when an ingest replaces the manifest."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._titles: dict[str, str] = {}

    def __call__(self, article_id: str) -> str:
        with self._lock:
            version = Manifest.version(self._data_dir)
            if version != self._version:
                entries = Manifest.load(self._data_dir).entries
                self._titles = {article_id: entry.meta.title_en for article_id, entry in entries.items()}
                self._version = version
            return self._titles.get(article_id, "")
