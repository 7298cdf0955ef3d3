"""Keep Python's cyclic garbage collector off the parsed course.

Parsing makes hundreds of thousands of long-lived objects (tokens) that hold
no reference cycles. The collector would trace them again every time a few
thousand new objects appear, which cost about a third of a 1,000-page build,
and in a forked worker it would also touch (and so copy) memory it shares
with the parent. So the collector is paused while parsing, and what parsing
made is then frozen: later collections skip it.

``gc.freeze()`` freezes everything alive at that moment, not only what parsing
made, and frozen objects are freed only when their reference count drops to
zero: frozen objects in reference cycles (a Course and its Modules and Pages,
a MarkdownIt and its rules, a YAML loader) are never freed. For a build that
ends with its process that costs nothing. A process that outlives its builds,
the preview server, runs each one inside ``one_of_many_builds()``, where nothing
is left frozen; otherwise every rebuild's objects would stay for good (about
210 KB per rebuild of the shipped course: see bench/serve_memory.py).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from contextvars import ContextVar

_freezing = ContextVar("freezing", default=True)
"""False inside ``one_of_many_builds()``."""


@contextmanager
def collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing.get():
            gc.freeze()
        if was_enabled:
            gc.enable()


@contextmanager
def one_of_many_builds():
    """Run one build of a process that goes on afterwards (the preview server).

    What parsing makes is not frozen: the collector must be free to take what the next
    build drops. And whatever froze objects all the same (``parallel.fork_map``, before it
    forks workers) is unfrozen when the build ends. Freezing and unfreezing again would not
    do: unfrozen objects go straight to the oldest generation without counting towards the
    next full collection, so cyclic garbage would still pile up for hundreds of rebuilds.
    """
    token = _freezing.set(False)
    try:
        yield
    finally:
        _freezing.reset(token)
        gc.unfreeze()
