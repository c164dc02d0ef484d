"""How a build tells the author where it is: on a terminal, a line per stage with the units
done of the total (rich), shown once the build has run for a second; elsewhere nothing (the
command prints one line per output it wrote)."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

Progress = Callable[[str, int, int], None]
"""Called as (stage, done, total) whenever a stage starts or moves on."""

SHOW_AFTER = 1.0
"""Seconds before anything is shown: a quick build just prints what it wrote."""


def silent(_stage: str, _done: int, _total: int) -> None:
    """Progress that shows nothing."""


class TerminalProgress:
    """Progress bars on a terminal, one per stage; a context manager."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bars = Progress(TextColumn("{task.description}"), BarColumn(),
                              MofNCompleteColumn(), console=Console(stderr=True),
                              transient=True)
        self._tasks: dict[str, object] = {}
        self._started = time.monotonic()
        self._live = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._bars.add_task(stage, total=max(total, 1))
        self._bars.update(self._tasks[stage], completed=done, total=max(total, 1))
        if not self._live and time.monotonic() - self._started >= SHOW_AFTER:
            self._bars.start()
            self._live = True

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._live:
            self._bars.stop()
