"""Exit codes a script can trust (README): 0 done, 2 bad usage or input, 3 configuration,
4 store or API unavailable; one `isnad: ...` line on stderr and an `error` field in JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import core_cli_env
from tests.scale.conftest import free_port
from tests.test_cli import AR_QUESTION, EN_QUESTION, run

pytestmark = pytest.mark.slow


def one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("isnad: ")
    return line


@pytest.fixture
def html_server() -> Iterator[int]:
    """Some other HTTP service (a web page for every request) on a loopback port."""

    class Page(BaseHTTPRequestHandler):
        def _page(self) -> None:
            body = b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _page

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.mark.parametrize("kind", ["missing", "directory", "not-utf8"])
def test_unusable_batch_file_is_one_line_and_exit_2(core_seed_copy: Path, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "questions.txt"
    if kind == "directory":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes(b"\xff\xfe\x00q\x00\n\xff\xff\n")
    done = run(core_seed_copy, "ask", "--batch", str(path))
    assert str(path) in one_line(done, 2)
    assert done.stdout == ""


def test_a_non_utf8_line_is_reported_and_the_valid_lines_answered(core_seed_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "questions.txt"
    path.write_bytes(f"{AR_QUESTION}\n".encode() + b"\xd8\xff broken\n" + f"{EN_QUESTION}\n".encode())
    done = run(core_seed_copy, "ask", "--json", "--batch", str(path))
    assert done.returncode == 2, done.stderr
    first, bad, last = (json.loads(line) for line in done.stdout.splitlines())
    assert first["question"] == AR_QUESTION and first["answered"] and "error" not in first
    assert bad == {"line": 2, "error": {"code": 2, "message": f"line 2 of {path} is not valid UTF-8"}}
    assert last["question"] == EN_QUESTION and last["answered"]
    text = run(core_seed_copy, "ask", "--batch", str(path))
    assert text.returncode == 2 and text.stderr.strip() == f"isnad: line 2 of {path} is not valid UTF-8"
    assert text.stdout.count("[1]") >= 2


def test_a_too_long_question_exits_2(core_seed_copy: Path) -> None:
    done = run(core_seed_copy, "ask", "--json", "س" * 1001)
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == 2


@pytest.mark.parametrize("command", [["ask", AR_QUESTION], ["ask", "--json", AR_QUESTION], ["chat"], ["ingest"]])
def test_an_unreachable_chroma_server_exits_4(tmp_path: Path, command: list[str]) -> None:
    port = free_port()
    done = run(tmp_path / "data", *command, stdin=f"{AR_QUESTION}\n", ISNAD_CHROMA_HOST="127.0.0.1", ISNAD_CHROMA_PORT=str(port))
    assert f"127.0.0.1:{port}" in one_line(done, 4)
    if "--json" in command:
        assert json.loads(done.stdout)["error"]["code"] == 4
    else:
        assert done.stdout == ""


def test_a_chroma_host_that_is_some_other_http_service_exits_4(core_seed_copy: Path, html_server: int) -> None:
    done = run(core_seed_copy, "ask", AR_QUESTION, ISNAD_CHROMA_HOST="127.0.0.1", ISNAD_CHROMA_PORT=str(html_server))
    line = one_line(done, 4)
    assert "does not answer as Chroma" in line and "<" not in line and "nginx" not in line


def test_a_refused_rebuild_carries_an_error_in_its_json(core_seed_copy: Path) -> None:
    (core_seed_copy / "keep-me.txt").write_text("mine", encoding="utf-8")
    done = run(core_seed_copy, "ingest", "--rebuild", "--json")
    line = one_line(done, 3)
    assert json.loads(done.stdout) == {"error": {"code": 3, "message": line.removeprefix("isnad: ")}}


def test_bot_without_token_is_a_configuration_error(tmp_path: Path) -> None:
    assert "TELEGRAM_BOT_TOKEN" in one_line(run(tmp_path / "data", "bot"), 3)


@pytest.mark.parametrize(("provider", "extra"), [("openai", "langchain_openai"), ("ollama", "langchain_ollama"), ("llamacpp", "llama_cpp")])
def test_a_missing_extra_is_one_line_naming_the_pip_install(core_seed_copy: Path, provider: str, extra: str) -> None:
    """The provider's package made unimportable (None in sys.modules), as in an install without the extra."""
    script = f"import sys; sys.modules[{extra!r}] = None; from isnad.bot.fronts.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", script, "ask", AR_QUESTION], capture_output=True, text=True, timeout=180,
        env=core_cli_env(core_seed_copy, ISNAD_LLM_PROVIDER=provider, ISNAD_LLM_MODEL=__file__),
    )
    line = one_line(done, 3)
    assert line == f"isnad: ISNAD_LLM_PROVIDER={provider} needs an extra package: pip install 'isnad[{provider}]'"


def test_a_llamacpp_model_that_is_not_a_file_is_a_configuration_error(core_seed_copy: Path, tmp_path: Path) -> None:
    done = run(core_seed_copy, "ask", AR_QUESTION, ISNAD_LLM_PROVIDER="llamacpp", ISNAD_LLM_MODEL=str(tmp_path / "none.gguf"))
    assert "ISNAD_LLM_MODEL" in one_line(done, 3)


def test_an_unknown_log_level_is_one_line(tmp_path: Path) -> None:
    line = one_line(run(tmp_path / "data", "sources", ISNAD_LOG_LEVEL="loud"), 3)
    assert "ISNAD_LOG_LEVEL" in line and "'loud'" in line.lower()


def test_an_unexpected_error_is_one_line_and_its_traceback_only_with_debug(core_seed_copy: Path) -> None:
    (core_seed_copy / "manifest.json").write_text("{", encoding="utf-8")  # damaged by hand: a bug to report
    line = one_line(run(core_seed_copy, "sources"), 1)
    assert "JSONDecodeError" in line and line.endswith("run again with --debug for the traceback")
    for args in (["--debug", "sources"], ["sources", "--debug"]):
        done = run(core_seed_copy, *args)
        assert done.returncode == 1 and "Traceback (most recent call last)" in done.stderr
        assert done.stderr.strip().splitlines()[-1] == line


def test_debug_keeps_the_exit_code_of_an_operator_error(tmp_path: Path) -> None:
    done = run(tmp_path / "data", "--debug", "ingest", str(tmp_path / "missing"))
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1].startswith("isnad: corpus folder not found")
