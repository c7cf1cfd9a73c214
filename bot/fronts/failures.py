"""Exit codes a script can trust, and which failures are an operator's to fix (one line, no traceback).

0: the job was done. 2: bad usage or input. 3: configuration. 4: the store or an API is
unavailable. 1: anything else (a bug: it keeps its traceback, secrets redacted).
"""

from __future__ import annotations

from pydantic import ValidationError

OK, FAILED, USAGE, CONFIG, UNAVAILABLE = 0, 1, 2, 3, 4


class UsageError(ValueError):
    """A command was given something it cannot use (a missing file, an empty question...)."""


class ConfigError(ValueError):
    """A setting is missing or unusable."""


def exit_code(exc: BaseException) -> int | None:
    """The exit code of an operator-facing failure, or None for an unexpected error."""
    # Imported here: the Telegram and store modules are not needed for `isnad --help`.
    from isnad.bot.fronts.startup import BotApiUnavailable, TokenRejected
    from isnad.retrieval.datadir import DataDirError, WriterBusy
    from isnad.retrieval.indexer import CorpusNotFound
    from isnad.retrieval.store import EmbedderMismatch, StoreUnavailable

    codes: tuple[tuple[tuple[type[BaseException], ...], int], ...] = (
        ((UsageError, CorpusNotFound), USAGE),
        ((ConfigError, DataDirError, EmbedderMismatch, TokenRejected, ValidationError), CONFIG),
        ((StoreUnavailable, BotApiUnavailable, WriterBusy), UNAVAILABLE),
    )
    for kinds, code in codes:
        if isinstance(exc, kinds):
            return code
    return None


def one_line(exc: BaseException) -> str:
    """The failure as one line (pydantic lists each invalid field on lines of its own)."""
    if isinstance(exc, ValidationError):
        return "invalid settings: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
    return " ".join(str(exc).split())
