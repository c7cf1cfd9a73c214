"""Secrets never reach any output: every log record (message, exception text and traceback) and
every uncaught exception has the registered secrets replaced by `<redacted>`.

`install()` wraps the logging record factory, so the rewrite happens when a record is made,
whatever logger, handler or formatter (pytest's caplog included) later sees it.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from pydantic import SecretStr

REDACTED = "<redacted>"
MIN_SECRET_CHARS = 8  # shorter values would redact ordinary words
_secrets: set[str] = set()
_installed = False


def add_secret(value: SecretStr | str | None) -> None:
    """Register a secret; a bot token's part after its `id:` is registered too."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if not value:
        return
    for part in (value, value.partition(":")[2]):
        if len(part) >= MIN_SECRET_CHARS:
            _secrets.add(part)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def install() -> None:
    """Redact every log record and uncaught exception from now on (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if _secrets:
            _rewrite(record)
        return record

    logging.setLogRecordFactory(redacting_record)
    sys.excepthook = _excepthook


def _rewrite(record: logging.LogRecord) -> None:
    try:
        record.msg, record.args = redact(record.getMessage()), ()
    except (TypeError, ValueError):  # a malformed call: logging reports it when the record is emitted
        record.msg = redact(str(record.msg))
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters print exc_text when it is set instead of formatting exc_info again.
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))
