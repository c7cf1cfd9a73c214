"""Fixtures for scale and fault tests: a real Chroma server (`chroma run`) on a free loopback port.

`scale_chroma` is one server for the whole session (tests isolate themselves with a distinct
collection prefix); `scale_chroma_restartable` is a private server a test may stop and start
again on the same path and port. The session embedder is memoized per text here, so the seeds are
embedded once however many indexes (embedded or server) the tests build from them.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from isnad.retrieval.sparse import SparseVectors
from isnad.settings import Settings
from tests.conftest import SEEDS, core_make_settings

CHROMA = Path(sys.executable).with_name("chroma")
STARTUP_SECONDS = 60
POLL_SECONDS = 0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChromaServer:
    """`chroma run` on 127.0.0.1:port, persisting to path; start/stop/restart keep both."""

    def __init__(self, path: Path, port: int, log_path: Path) -> None:
        self.path = path
        self.port = port
        self.host = "127.0.0.1"
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def heartbeat_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v2/heartbeat"

    def start(self) -> None:
        with self._log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.alive():
            assert self._process is not None
            if self._process.poll() is not None:
                pytest.fail(f"chroma exited with {self._process.returncode}; see {self._log_path}")
            if time.monotonic() > deadline:
                pytest.fail(f"chroma did not answer {self.heartbeat_url} within {STARTUP_SECONDS} s")
            time.sleep(POLL_SECONDS)

    def alive(self) -> bool:
        try:
            urllib.request.urlopen(self.heartbeat_url, timeout=1).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def settings(self, data_dir: Path, corpus_dir: Path = SEEDS, prefix: str | None = None, **overrides: object) -> Settings:
        """Settings using this server, with a fresh collection prefix unless one is given."""
        chroma = {"host": self.host, "port": self.port, "collection_prefix": prefix or unique_prefix()}
        return core_make_settings(data_dir, corpus_dir, chroma=chroma, **overrides)


def unique_prefix() -> str:
    """A collection prefix no other test uses (tests share one server)."""
    return f"t{uuid.uuid4().hex[:12]}"


def _server(root: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(root / "chroma", free_port(), root / "chroma.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def scale_chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One Chroma server for the session."""
    yield from _server(tmp_path_factory.mktemp("chroma-server"))


@pytest.fixture
def scale_chroma_restartable(tmp_path: Path) -> Iterator[ChromaServer]:
    """A private Chroma server for this test, which it may stop and restart."""
    yield from _server(tmp_path)


class MemoEmbedder:
    """The real embedder, remembering each passage's dense and sparse vector (the model is deterministic)."""

    def __init__(self, real) -> None:  # noqa: ANN001 - any isnad.retrieval.embedders.Embedder
        self._real = real
        self.name = real.name
        self._vectors: dict[str, np.ndarray] = {}
        self._sparse = SparseVectors({})

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            self._vectors.update(zip(todo, self._real.embed_passages(todo), strict=True))
        return np.stack([self._vectors[t] for t in texts]) if texts else self._real.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._real.embed_query(text)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._real.embed_queries(texts)

    def sparse(self, texts: Sequence[str]):  # noqa: ANN201 - list of sparse vectors, or None
        return self._sparse.held(texts, self._real)


@pytest.fixture(scope="session")
def core_embedder(core_embedder):  # noqa: ANN001, ANN201 - overrides tests/conftest.py's for this folder
    """The session embedder, memoized per text (also used by core_seed_dir here)."""
    return MemoEmbedder(core_embedder)


@pytest.fixture(scope="session")
def scale_server_seed_dir(tmp_path_factory: pytest.TempPathFactory, scale_chroma: ChromaServer, core_embedder) -> tuple[Path, str]:
    """(data dir, collection prefix) of the seeds indexed into the session server (read-only)."""
    from isnad.bot.answer.answering import Answerer

    data_dir = tmp_path_factory.mktemp("server-seed-index")
    settings = scale_chroma.settings(data_dir, prefix="seeds")
    report = Answerer(settings, embedder=core_embedder).reindex(SEEDS)
    assert len(report.added) == len(list(SEEDS.glob("*.txt")))
    return data_dir, "seeds"
