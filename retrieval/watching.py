"""`isnad ingest --watch`: sync the corpus folder again whenever its articles change (watchfiles)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, watch

from isnad.retrieval.corpus import ARTICLE_SUFFIXES
from isnad.retrieval.metadata import METADATA_FILE

DEBOUNCE_MS = 1500  # a burst of changes (copying a folder of pages) becomes one sync
WAKE_MS = 500  # the watcher wakes this often when nothing changes (to see `stop`)


def is_article_change(change: Change, path: str) -> bool:
    """Article files and articles.toml count; hidden files (partial downloads) do not."""
    name = Path(path).name
    return not name.startswith(".") and (name == METADATA_FILE or Path(name).suffix.lower() in ARTICLE_SUFFIXES)


def watch_corpus(
    corpus_dir: Path, sync: Callable[[], None], *, debounce_ms: int = DEBOUNCE_MS, stop: threading.Event | None = None
) -> None:
    """Call `sync` now, then after each debounced burst of added, changed or removed article
    files, until interrupted (Ctrl-C: a sync cut short is finished by the next writer) or `stop`
    is set. The watcher starts before the first sync, so nothing written meanwhile is missed."""
    changes = watch(corpus_dir, watch_filter=is_article_change, debounce=debounce_ms, stop_event=stop,
                    raise_interrupt=False, recursive=False, rust_timeout=WAKE_MS, yield_on_timeout=True)
    try:
        next(changes, None)  # returns once the watcher runs (empty on its first wake-up)
        sync()
        for changed in changes:
            if changed:
                sync()
    except KeyboardInterrupt:
        return
