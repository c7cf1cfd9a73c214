"""How a front reports a failure: an operator's (isnad.errors.IsnadError) is one line and its exit
code; anything else is a bug, one line too unless the traceback is asked for (`--debug`)."""

from __future__ import annotations

from isnad.errors import FAILED, IsnadError


def exit_code(exc: BaseException) -> int:
    """The exit code a failure ends the command with."""
    return exc.exit_code if isinstance(exc, IsnadError) else FAILED


def one_line(exc: BaseException) -> str:
    """What went wrong, on one line; an unexpected error names its type and how to see more."""
    text = " ".join(str(exc).split())
    if isinstance(exc, IsnadError):
        return text
    return f"unexpected error ({type(exc).__name__}: {text}); run again with --debug for the traceback"
