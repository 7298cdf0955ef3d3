"""What earlier builds made, kept by the build cache between processes: the shape the memos share.

A memo is off (``known`` is None: nothing is kept) until ``seed``. The build
cache seeds each from its file in ``build/cache/`` before a build that parses
(cache.BuildCache), the preview seeds them empty, and afterwards the cache
stores what ``kept`` says, so a memo never outgrows what the course still uses.
"""

from __future__ import annotations

import os
from typing import Callable, Generic, TypeVar

RACY_NS = 2_000_000_000
"""A file changed less than this long ago (in nanoseconds) is read again next time: two writes within one tick
of the file system's clock (milliseconds; two seconds on FAT) can leave the same size and times, as git's
"racily clean" files."""


def settled(found: os.stat_result, now: int) -> bool:
    """Whether what was read of a file with these size, times and inode may be kept by them (see ``RACY_NS``):
    any write changes its change time, which no program can set."""
    return now - max(found.st_mtime_ns, found.st_ctime_ns) > RACY_NS

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    NAME = ""
    """Its file in the build cache: ``build/cache/<NAME>.pickle``."""
    SHARDS = 0
    """If not 0, it is kept in this many files instead (``<NAME>-<n>.pickle``, by ``shard``), and only those
    whose keys changed are written again: for a big memo of which an edit changes an entry or two. Its values
    must follow from their keys."""

    def shard(self, key: K) -> int:
        """Which of ``SHARDS`` files keeps ``key``."""
        raise NotImplementedError

    def __init__(self):
        self.known: dict[K, V] | None = None
        self.used: dict[K, V] = {}
        """What this process asked for since ``seed``."""

    def seed(self, known: dict[K, V]) -> None:
        self.known, self.used = dict(known), {}

    def get(self, key: K, make: Callable[[], V], keep: bool = True) -> V:
        """``key``'s value: the one kept, else ``make()``'s, kept for the next build (while seeded) if ``keep``."""
        if self.known is not None and key in self.known:
            found = self.used[key] = self.known[key]
            return found
        found = make()
        if self.known is not None and keep:
            self.known[key] = self.used[key] = found
        return found

    def kept(self, loaded: dict[K, V]) -> dict[K, V] | None:
        """What the cache should keep, given what it was seeded with; None while that is still true. By
        default what this process used, when anything differs (a value for a key is made once, so the same
        object while unchanged)."""
        used = self.used
        if not used or (used.keys() == loaded.keys() and all(value is loaded[key] for key, value in used.items())):
            return None
        return dict(used)
