"""Keep Python's cyclic garbage collector off the parsed course.

Parsing makes hundreds of thousands of long-lived objects (tokens) that hold
no reference cycles. The collector would trace them again every time a few
thousand new objects appear, which cost about a third of a 1,000-page build,
and in a forked worker it would also touch (and so copy) memory it shares
with the parent. So the collector is paused while parsing, and what parsing
made is then frozen: later collections skip it. Frozen objects are still
freed as usual when the last reference to them goes.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
