"""Bidirectional text for chat clients: line direction marks and isolated opposite-direction runs.

A client lays out each line by its first strong character, and inside a right-to-left line a
neutral character next to a Latin word takes the line's direction: "/ask" reads "ask/" and
"@isnad_bot" reads "isnad_bot@". So every composed line gets a direction mark (RLM or LRM) and
each run of the opposite direction is wrapped in an isolate: LRI … PDI around Latin runs (with a
leading "/", "@", "#" or "-") in Arabic lines, RLI … PDI around Arabic runs in English lines. A
run spans the spaces, digits and punctuation between its words, so "isnad ingest" or
"/lang ar|en|auto" stays one left-to-right phrase; it never spans "[" or "]", so citation
markers `[n]` stay outside isolates.
"""

from __future__ import annotations

import unicodedata

RLM, LRM = "\u200f", "\u200e"
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"
ISOLATES = (LRI, RLI, "\u2068")
_PREFIX = "/@#-"
_CLOSERS = {")": "(", "»": "«", "”": "“"}
_BARRIERS = "[]\n"


def strong(char: str) -> str:
    """"R" for right-to-left letters, "L" for left-to-right ones, "" for everything else."""
    kind = unicodedata.bidirectional(char)
    return "R" if kind in ("R", "AL") else "L" if kind == "L" else ""


def is_rtl(text: str) -> bool | None:
    """True if right-to-left letters are the majority, False if left-to-right ones are, None if neither occurs."""
    kinds = [strong(char) for char in text]
    rtl, ltr = kinds.count("R"), kinds.count("L")
    return None if rtl == ltr == 0 else rtl >= ltr


def isolate(text: str) -> str:
    """`text` in one isolate of its majority direction (unchanged if it has no letters)."""
    rtl = is_rtl(text)
    return text if rtl is None else f"{RLI if rtl else LRI}{text}{PDI}"


def _ends_run(char: str, foreign: str) -> bool:
    """Characters a run may end on: its letters, their combining marks, and digits belonging to them."""
    kind = unicodedata.bidirectional(char)
    return strong(char) == foreign or kind == "NSM" or kind == ("EN" if foreign == "L" else "AN")


def _runs(line: str, foreign: str) -> list[tuple[int, int]]:
    """(start, end) of each run of `foreign` ("L" or "R") letters in `line`, see the module doc."""
    home = "R" if foreign == "L" else "L"
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(line):
        if strong(line[i]) != foreign:
            i += 1
            continue
        start = i
        while foreign == "L" and start > 0 and line[start - 1] in _PREFIX:
            start -= 1
        end = j = i + 1
        while j < len(line) and strong(line[j]) != home and line[j] not in _BARRIERS:
            if _ends_run(line[j], foreign):
                end = j + 1
            j += 1
        while end < len(line) and line[end] in _CLOSERS and \
                line.count(_CLOSERS[line[end]], start, end) > line.count(line[end], start, end):
            end += 1
        runs.append((start, end))
        i = max(j, end)
    return runs


def isolate_runs(line: str, rtl: bool) -> str:
    """`line` with each run of the direction opposite to the line's wrapped in an isolate."""
    out, at = [], 0
    for start, end in _runs(line, "L" if rtl else "R"):
        out += [line[at:start], LRI if rtl else RLI, line[start:end], PDI]
        at = end
    out.append(line[at:])
    return "".join(out)


def bidi_line(line: str, rtl: bool | None = None) -> str:
    """A direction mark, then `line` with its opposite-direction runs isolated.

    `rtl` is the line's direction (from the reply language); None takes the majority script,
    and a line without letters is then left as it is.
    """
    if rtl is None:
        rtl = is_rtl(line)
        if rtl is None:
            return line
    return (RLM if rtl else LRM) + isolate_runs(line, rtl)
