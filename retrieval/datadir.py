"""The data directory: what Isnad owns in it, where it may be, and one writer at a time.

A marker file says the folder is Isnad's; a rebuild deletes only the entries Isnad creates and
refuses a folder that holds anything else. Writers (ingest, rebuild, the bot's /reindex) hold an
inter-process lock on `<data_dir>/write.lock`.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from isnad.errors import ConfigError, Unavailable
from isnad.retrieval.manifest import JOURNAL_FILE, MANIFEST_FILE, SNAPSHOT_DIR

MARKER_FILE = ".isnad-data-dir"
LOCK_FILE = "write.lock"
STORE_DIR = "chroma"
STAGING_DIR = "rebuild.staging"
RETIRED_DIR = "rebuild.retired"
SWAP_FILE = "rebuild.swap"
PAGES_DIR = "pages"  # cached extractions of saved pages (isnad.retrieval.html_pages)
MARKER_TEXT = "This folder is an Isnad index; `isnad ingest --rebuild` deletes what is in it.\n"
# Everything Isnad may create in a data dir (the manifest's temp file included).
OWNED = frozenset(
    {MARKER_FILE, LOCK_FILE, MANIFEST_FILE, "manifest.tmp", JOURNAL_FILE, SNAPSHOT_DIR, STORE_DIR,
     STAGING_DIR, RETIRED_DIR, SWAP_FILE, PAGES_DIR}
)
# Files the bot, the term map and the sparse vectors keep beside the index (a rebuild leaves them in place).
OWNED_PATTERNS = (
    "terms.npz", ".terms.npz.tmp.npz", "sparse.npz", ".sparse.npz.tmp.npz", "telegram-*.pickle", "feedback.sqlite3*",
)
# What a rebuild swaps in from the staging index; the manifest last, so readers see it after the rest.
INDEX_ENTRIES = (SNAPSHOT_DIR, STORE_DIR, MANIFEST_FILE)


class DataDirError(ConfigError):
    """The data directory cannot be used as asked; the message says why and what to do."""


class WriterBusy(Unavailable):
    """Another process is writing to this data directory."""


def check_usable(data_dir: Path) -> None:
    """Refuse a data dir that is not a folder (e.g. a regular file of that name)."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DataDirError(f"the data dir {data_dir} is not a folder: set ISNAD_DATA_DIR to a folder")


def check_writable(data_dir: Path, corpus_dir: Path) -> None:
    """Refuse to write an index into the corpus folder, or over a folder that contains the corpus."""
    check_usable(data_dir)
    data, corpus = data_dir.resolve(), corpus_dir.resolve()
    if data == corpus or corpus.is_relative_to(data):
        raise DataDirError(
            f"the data dir {data_dir} is (or contains) the corpus folder {corpus_dir}: "
            "set ISNAD_DATA_DIR to a folder of its own"
        )


def check_rebuildable(data_dir: Path, corpus_dir: Path) -> None:
    """Refuse to rebuild in the working directory (or a parent of it), the corpus folder, or a
    folder holding anything Isnad did not create."""
    check_writable(data_dir, corpus_dir)
    data = data_dir.resolve()
    if Path.cwd().resolve().is_relative_to(data):
        raise DataDirError(
            f"refusing to rebuild {data_dir}: it is (or contains) the working directory; "
            "set ISNAD_DATA_DIR to a folder of its own"
        )
    if not data.is_dir():
        return
    foreign = sorted(entry.name for entry in data.iterdir() if not is_owned(entry.name))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise DataDirError(
            f"refusing to rebuild {data_dir}: it holds files Isnad did not create ({shown}); "
            "move them out or set ISNAD_DATA_DIR to a folder of its own"
        )


def is_owned(name: str) -> bool:
    """Whether Isnad creates files of this name in a data dir."""
    return name in OWNED or any(fnmatch.fnmatchcase(name, pattern) for pattern in OWNED_PATTERNS)


def claim(data_dir: Path) -> None:
    """Create the data dir if needed (a symlink's target too) and mark it as Isnad's."""
    data_dir.resolve().mkdir(parents=True, exist_ok=True)
    marker = data_dir / MARKER_FILE
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")


@contextmanager
def writer_lock(data_dir: Path, wait: bool = True) -> Iterator[None]:
    """Hold the data dir's write lock. With `wait`, a second writer says so on stderr and waits
    for the first to finish; without, it raises WriterBusy at once."""
    claim(data_dir)
    lock = FileLock(str(data_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise WriterBusy(f"another process is writing to {data_dir}") from None
        print(f"isnad: another ingest is writing to {data_dir}; waiting for it to finish", file=sys.stderr)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def staging_dir(data_dir: Path) -> Path:
    """Where a rebuild builds the new index, beside the one in use."""
    return data_dir / STAGING_DIR


def begin_swap(data_dir: Path) -> None:
    """Record, durably, that the staging index is complete and is to replace the one in use."""
    with (data_dir / SWAP_FILE).open("w", encoding="utf-8") as handle:
        handle.write("swap\n")
        handle.flush()
        os.fsync(handle.fileno())


def swap_pending(data_dir: Path) -> bool:
    return (data_dir / SWAP_FILE).exists()


def finish_swap(data_dir: Path) -> None:
    """Complete a started swap: move each staging entry in (retiring the current one), then clean
    up. Idempotent, so a swap interrupted at any point completes when called again."""
    staging, retired = staging_dir(data_dir), data_dir / RETIRED_DIR
    retired.mkdir(exist_ok=True)
    for name in INDEX_ENTRIES:
        new, current = staging / name, data_dir / name
        if not (new.exists() or new.is_symlink()):
            continue  # moved in already
        if current.exists():
            _remove(retired / name)
            os.replace(current, retired / name)
        os.replace(new, current)
    (data_dir / JOURNAL_FILE).unlink(missing_ok=True)  # journals name versions of the retired store
    (data_dir / SWAP_FILE).unlink()
    shutil.rmtree(retired, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
