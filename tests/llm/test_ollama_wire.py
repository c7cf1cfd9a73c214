"""The `ollama` provider against a minimal Ollama-API server on 127.0.0.1 (no Ollama here).

The server speaks Ollama's /api/chat streaming protocol and records requests, so the test checks
what the provider really sends (model, token limit) and that streamed tokens reach the answer.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from isnad.bot.answer.generators import load_generator
from isnad.bot.answer.prompting import Passage
from isnad.settings import LLMSettings

REPLY = ["The ", "G20 ", "summit ", "[1]."]


class _OllamaHandler(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, **body})
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for token in REPLY:
            line = {"model": body.get("model"), "created_at": "2026-01-01T00:00:00Z",
                    "message": {"role": "assistant", "content": token}, "done": False}
            self.wfile.write((json.dumps(line) + "\n").encode())
        done = {"model": body.get("model"), "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop"}
        self.wfile.write((json.dumps(done) + "\n").encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ollama_url() -> Iterator[str]:
    _OllamaHandler.requests = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadingHTTPServer(("127.0.0.1", port), _OllamaHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


def test_ollama_provider_streams_and_sends_the_token_limit(ollama_url: str) -> None:
    generator = load_generator(LLMSettings(provider="ollama", model="tiny", base_url=ollama_url, max_tokens=33))
    seen: list[str] = []
    text = generator.generate("Which summit?", "en", [Passage(1, "قرر بوتين عدم حضور القمة.", "t")], seen.append)
    assert text == "".join(REPLY) and len(seen) == len(REPLY)
    [request] = [r for r in _OllamaHandler.requests if r["path"] == "/api/chat"]
    assert request["model"] == "tiny" and request["options"]["num_predict"] == 33
    assert request["messages"][0]["role"] == "system" and "Which summit?" in request["messages"][-1]["content"]
