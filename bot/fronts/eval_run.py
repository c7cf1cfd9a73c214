"""Answer question sets, each against its own corpus: the configured index or a scratch one.

A set whose corpus is not the configured one is ingested into a fresh temporary data dir (or the
data dir given) with the embedded Chroma store, so evaluating never touches a shared server's
collections. One embedder and one generator serve every set.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from isnad.bot.answer import evaluation
from isnad.bot.answer.answering import Answerer
from isnad.bot.answer.eval_sets import QuestionSet, read_texts
from isnad.retrieval.manifest import Manifest
from isnad.retrieval.progress import Progress
from isnad.settings import Settings


def _is_configured(settings: Settings, corpus: Path, data_dir: Path | None) -> bool:
    return data_dir is None and corpus.resolve() == settings.corpus_dir.resolve()


def _scratch_settings(settings: Settings, corpus: Path, data_dir: Path) -> Settings:
    chroma = settings.chroma.model_copy(update={"host": None})
    return settings.model_copy(update={"corpus_dir": corpus, "data_dir": data_dir, "chroma": chroma})


@contextmanager
def _data_dir(given: Path | None) -> Iterator[Path]:
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="isnad-eval-") as scratch:
        yield Path(scratch)


@contextmanager
def answerer_for(
    settings: Settings, corpus: Path, data_dir: Path | None, shared: Answerer | None, progress: Progress | None
) -> Iterator[Answerer]:
    """An Answerer over `corpus`, indexed first unless it is the configured, non-empty index."""
    reuse: dict[str, Any] = {"embedder": shared.embedder, "generator": shared.generator} if shared else {}
    if _is_configured(settings, corpus, data_dir):
        answerer = Answerer(settings, **reuse)
        if not Manifest.load(settings.data_dir).entries:  # scoring an empty index says nothing
            print(f"nothing indexed yet: indexing {settings.corpus_dir} first", file=sys.stderr)
            answerer.reindex(progress=progress)
        answerer.sources()  # opens the index, as `isnad ask` does before its first question
        yield answerer
        return
    with _data_dir(data_dir) as folder:
        answerer = Answerer(_scratch_settings(settings, corpus, folder), **reuse)
        answerer.reindex(corpus, progress=progress)
        answerer.sources()
        yield answerer


def run_sets(
    settings: Settings, sets: Sequence[QuestionSet], data_dir: Path | None = None, progress: Progress | None = None
) -> list[evaluation.Row]:
    """Score every set against its corpus; `data_dir` serves the first set only (the others get scratch dirs)."""
    rows: list[evaluation.Row] = []
    shared: Answerer | None = None
    for index, qset in enumerate(sets):
        corpus = qset.corpus or settings.corpus_dir
        with answerer_for(settings, corpus, data_dir if index == 0 else None, shared, progress) as answerer:
            shared = shared or answerer
            texts = read_texts(corpus)
            rows += evaluation.score(answerer.answer, qset.items, texts)
    return rows
