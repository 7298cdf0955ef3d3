"""Use every core for big builds: forked workers parse, then render, batches of the files.

Workers are forked, so they start with the parent's imports, loaded theme and
(when rendering) the whole checked course, and nothing big is sent to them;
only results come back. A parsed page is a few kilobytes of HTML plus what the
checks need (see mdplugins/deferred.py), so returning it is cheap; rendered
pages are written to the output by the worker itself. Where fork is not
available, or the course is small, the same work runs in this process.
"""

from __future__ import annotations

import gc
import os
from typing import Callable, Sequence, TypeVar

MIN_DOCUMENTS = 200
"""Below this a build is quicker in one process than the cost of starting workers."""

Item = TypeVar("Item")
Result = TypeVar("Result")
BATCH = 32
"""Items a worker takes at a time."""
_job: tuple[Callable, Sequence] | None = None
"""The work of the current ``fork_map``; set before forking, so workers inherit it."""


def worker_count(documents: int) -> int:
    """How many workers a build of ``documents`` pages should use (0: none)."""
    wanted = os.environ.get("LEARNMARK_WORKERS")
    if wanted is not None:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if documents < MIN_DOCUMENTS or cores < 2 or not hasattr(os, "fork"):
        return 0
    return min(cores, 4)


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int,
             batch: int = BATCH, here: int = 0, meanwhile: Callable[[], object] | None = None) -> list[Result]:
    """``[function(item) for item in items]``, shared between ``workers`` forked processes (0: here).

    Workers take items in small batches (at most ``batch``), by index, so the
    load stays even and results come back (and can be freed by the caller) a
    batch at a time. An exception in a worker is raised here, as if the work
    had run here. The first ``here`` items are done here before forking, so
    what doing one loads for good (templates compiled, caches filled) is
    loaded once and inherited, not again by every worker. ``meanwhile`` is
    other work for this process, done once the workers are forked, while they
    work (a core would otherwise wait on them); if it raises, the workers are
    stopped and their results dropped. Without workers it is done first.
    """
    global _job
    if workers < 1:
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    import multiprocessing  # here: a build small enough for no workers (a one-page edit) need not import it
    done = [function(item) for item in items[:here]]
    items = items[here:]
    _job = (function, items)
    try:
        gc.freeze()  # so the workers' collections never touch, and so copy, what they share with us
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.imap(_run, range(len(items)), chunksize=max(1, min(batch, len(items) // (4 * workers))))
            if meanwhile is not None:
                meanwhile()
            return done + list(results)
    finally:
        _job = None


def _run(index: int):
    function, items = _job
    return function(items[index])
