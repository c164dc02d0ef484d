"""Worker processes: how many, how they take an interrupt, and that they never outlive the
build that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

PR_SET_PDEATHSIG = 1
"""Linux's prctl option: the signal a process gets when its parent dies."""


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_signals() -> None:
    """A pool's initializer: a worker ends quietly when the pool is stopped, leaves SIGINT
    to the main process, which reports the interrupt, and is killed when the main process
    dies, however it dies (SIGKILL included: no handler of its runs then)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGKILL when its parent ends (elsewhere, nothing)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent was already gone before the request took
        os._exit(1)
