"""Stage timings and progress for long builds, reported by the command line.

Stages call ``progress.stage(name)`` and, in long loops, ``progress.step(done,
total)``; the default ``Progress`` does nothing, so library users and tests
pay nothing for it.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


class Progress:
    """Silent: the interface stages report to."""

    @contextmanager
    def stage(self, name: str):
        yield

    def step(self, done: int, total: int) -> None:
        pass


class TerminalProgress(Progress):
    """A counter on a terminal once a build takes more than a moment; stage timings with ``verbose``."""

    DELAY = 0.5

    def __init__(self, stream=sys.stderr, verbose: bool = False):
        self.stream = stream
        self.verbose = verbose
        self.tty = stream.isatty()
        self.started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []
        self.current = ""
        self.shown = False

    @contextmanager
    def stage(self, name: str):
        self.current = name
        begun = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - begun))
            self._clear()
            if self.verbose:
                print(f"  {name:<10} {self.timings[-1][1] * 1000:8.0f} ms", file=self.stream)

    def step(self, done: int, total: int) -> None:
        if not self.tty or time.perf_counter() - self.started < self.DELAY:
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r{self.current} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def _clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
