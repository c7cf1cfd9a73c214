"""How long-running index work reports progress, without knowing who shows it."""

from __future__ import annotations

from collections.abc import Callable

# start(total, unit) is called when a step knows how much it has to do ("article", "word",
# "sentence"); the function it returns is called with each amount done.
Progress = Callable[[int, str], Callable[[int], None]]
