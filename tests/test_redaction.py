"""Secrets are redacted from every log record: message, arguments, exception text and traceback."""

from __future__ import annotations

import io
import logging

from isnad.bot.fronts import redaction

SECRET = "424242:never-print-this-secret"


def test_message_exception_and_traceback_are_redacted() -> None:
    redaction.add_secret(SECRET)
    redaction.install()
    stream = io.StringIO()
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(logging.StreamHandler(stream))
    logger.propagate = False
    try:
        raise RuntimeError(f"The token `{SECRET}` was rejected by the server.")
    except RuntimeError:
        logger.exception("start-up failed for %s", f"https://api.telegram.org/bot{SECRET}/getMe")
    logger.warning("secret half alone: %s", SECRET.split(":")[1])
    output = stream.getvalue()
    assert "never-print-this-secret" not in output
    assert "RuntimeError: The token `<redacted>` was rejected by the server." in output
    assert "/bot<redacted>/getMe" in output and "Traceback" in output
    assert "secret half alone: <redacted>" in output
