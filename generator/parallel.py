"""Use every core for big builds: forked workers each take an equal share of the files.

Workers are forked, so they start with the parent's imports, loaded theme and
(when rendering) the whole checked course, and nothing big is sent to them;
only results come back. A parsed page is a few kilobytes of HTML plus what the
checks need (see mdplugins/deferred.py), so returning it is cheap; rendered
pages are written to the output by the worker itself. Where fork is not
available, or the course is small, the same work runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable, Sequence, TypeVar


MIN_DOCUMENTS = 200
"""Below this a build is quicker in one process than the cost of starting workers."""

Item = TypeVar("Item")
Result = TypeVar("Result")
_job: tuple[Callable, Sequence, int] | None = None
"""The work of the current ``fork_map``; set before forking, so workers inherit it."""


def worker_count(documents: int) -> int:
    """How many workers a build of ``documents`` pages should use (0: none)."""
    wanted = os.environ.get("LEARNMARK_WORKERS")
    if wanted is not None:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if documents < MIN_DOCUMENTS or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(cores, 4)


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """``[function(item) for item in items]``, split between ``workers`` forked processes (0: here).

    An exception in a worker is raised here, as if the work had run here.
    """
    global _job
    if workers < 1:
        return [function(item) for item in items]
    _job = (function, items, workers)
    try:
        gc.freeze()  # so the workers' collections never touch, and so copy, what they share with us
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            shares = pool.map(_run_share, range(workers))
    finally:
        _job = None
    results: list = [None] * len(items)
    for share, share_results in enumerate(shares):
        results[share::workers] = share_results
    return results


def _run_share(share: int) -> list:
    function, items, workers = _job
    return [function(item) for item in items[share::workers]]
