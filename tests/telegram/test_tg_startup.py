"""`isnad bot` start-up: each step says so at the default log level; a token the Bot API rejects is
never printed, and an unreachable Bot API is retried, then reported in one line; /reindex while
another process writes says so. Real subprocesses against the fake Bot API server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from bot_harness import TOKEN
from fake_bot_api import BOT_USERNAME, FakeBotAPI, message_update

from isnad.bot.answer import messages
from isnad.bot.fronts.formatting import text_html
from isnad.retrieval.datadir import writer_lock

ISNAD = Path(sys.executable).with_name("isnad")
REJECTED = "987654:REJECTED-secret-token-zyxwvutsrqponm"


async def _start(data_dir: Path, token: str, api_url: str, **env: str) -> asyncio.subprocess.Process:
    """`isnad bot` in a subprocess, stdout and stderr together."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ISNAD_", "TELEGRAM_"))}
    environ.update(ISNAD_DATA_DIR=str(data_dir), TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_URL=api_url, **env)
    return await asyncio.create_subprocess_exec(
        str(ISNAD), "bot", env=environ, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )


async def _isnad_bot(tmp_path: Path, token: str, api_url: str, **env: str) -> tuple[int, str]:
    """Run `isnad bot` to its end; (exit code, stdout + stderr)."""
    process = await _start(tmp_path / "data", token, api_url, **env)
    output, _ = await asyncio.wait_for(process.communicate(), 180)
    return process.returncode or 0, output.decode("utf-8", "replace")


async def test_each_start_up_step_is_one_info_line_by_default(fake_api: FakeBotAPI, answerer) -> None:  # noqa: ANN001
    data_dir = answerer.settings.data_dir
    process = await _start(data_dir, TOKEN, fake_api.base_url, ISNAD_BOT_INSTANCE="startup-lines")
    assert process.stdout is not None
    lines: list[str] = []
    try:
        while not (lines and lines[-1].endswith("answering by long polling")):
            line = await asyncio.wait_for(process.stdout.readline(), 120)
            assert line, "isnad bot ended early:\n" + "".join(lines)
            lines.append(line.decode("utf-8").rstrip("\n"))
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 60)
    steps = [line.split(": ", 1)[1] for line in lines if " INFO isnad." in line]
    assert steps == [
        f"store opened (embedded store in {data_dir}): 5 articles indexed",
        f"connected to the Bot API as @{BOT_USERNAME}",
        "answering by long polling",
    ]
    assert process.returncode == 0


async def test_a_rejected_token_is_never_printed(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    assert REJECTED != TOKEN
    code, output = await _isnad_bot(tmp_path, REJECTED, fake_api.base_url, ISNAD_LOG_LEVEL="DEBUG")
    assert code == 3
    assert REJECTED not in output and REJECTED.split(":")[1] not in output
    assert "<redacted>" in output  # the debug logs did name it
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1] == "isnad: the Bot API rejected TELEGRAM_BOT_TOKEN: check the token from @BotFather"

    code, output = await _isnad_bot(tmp_path, REJECTED, fake_api.base_url)
    assert code == 3 and REJECTED.split(":")[1] not in output and "Traceback" not in output
    assert output.strip().splitlines()[-1] == "isnad: the Bot API rejected TELEGRAM_BOT_TOKEN: check the token from @BotFather"


async def test_an_unreachable_bot_api_is_retried_then_reported_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/bot"
    settings = {"ISNAD_BOT_CONNECT_ATTEMPTS": "3", "ISNAD_BOT_CONNECT_BACKOFF": "0.05"}
    code, output = await _isnad_bot(tmp_path, TOKEN, url, ISNAD_LOG_LEVEL="INFO", **settings)
    assert code == 4 and "Traceback" not in output and TOKEN.split(":")[1] not in output
    assert output.count("Bot API unreachable") == 2  # three attempts
    last = f"isnad: cannot reach the Bot API at {url} after 3 attempts: check the network or TELEGRAM_API_URL"
    assert output.strip().splitlines()[-1] == last

    code, output = await _isnad_bot(tmp_path, TOKEN, url, ISNAD_LOG_LEVEL="ERROR", **settings)
    assert (code, output.strip().splitlines()) == (4, [last])


async def test_reindex_while_an_ingest_holds_the_data_dir_says_busy(run_bot, answerer) -> None:  # noqa: ANN001
    async with run_bot(admin_ids=[71]) as bot:
        with writer_lock(answerer.settings.data_dir):  # as an operator's `isnad ingest` would
            await bot.send(message_update(71, "/reindex"))
            replies = await bot.api.wait_for("sendMessage", 2, chat_id=71)
    assert [r.params["text"] for r in replies] == [
        text_html(messages.text("reindex_started", "en")), text_html(messages.text("reindex_busy", "en"))
    ]
