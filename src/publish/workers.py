"""Worker processes: how many, and how they take an interrupt."""

from __future__ import annotations

import os
import signal


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_signals() -> None:
    """A pool's initializer: a worker ends quietly when the pool is stopped, and leaves
    SIGINT to the main process, which reports the interrupt."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
