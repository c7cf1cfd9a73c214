"""The one user-facing error type and the exit codes a script can trust.

An `IsnadError` is an operator's to fix (or a service that is down): its message is one line
saying what went wrong and how to fix it, and its kind is the exit code. Anything else is a bug.
0: the job was done. 1: an unexpected error. 2: bad usage or input. 3: configuration.
4: the store or an API is unavailable.
"""

from __future__ import annotations

OK, FAILED, USAGE, CONFIG, UNAVAILABLE = 0, 1, 2, 3, 4


class IsnadError(Exception):
    """A failure an operator can fix; `exit_code` says which kind."""

    exit_code = FAILED


class UsageError(IsnadError):
    """A command was given something it cannot use (a missing file, an empty question...)."""

    exit_code = USAGE


class ConfigError(IsnadError):
    """A setting is missing or unusable, or a chosen component is not installed."""

    exit_code = CONFIG


class Unavailable(IsnadError):
    """The store, an API or the data dir's writer lock cannot be had right now."""

    exit_code = UNAVAILABLE
