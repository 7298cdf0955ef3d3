"""Use every core for big builds: this process and forked ones parse, then render, batches of the files.

Workers are forked, so they start with this process's imports, loaded theme and
(when rendering) the whole checked course, and nothing big is sent to them;
only results come back. A parsed page is a few kilobytes of HTML plus what the
checks need (see mdplugins/deferred.py), so returning it is cheap; rendered
pages are written to the output by whichever process renders them. This process
takes batches too, rather than waiting: what it does needs no sending back, and
on two cores one forked worker, not two, pays for starting (the lazy loads and
copied memory pages of a new process: a tenth of a 1,000-page build's CPU).
Where fork is not available, or the course is small, all of it runs here.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
import threading
from typing import Callable, Sequence, TypeVar

MIN_DOCUMENTS = 200
"""Below this a build is quicker in one process than the cost of starting workers."""

Item = TypeVar("Item")
Result = TypeVar("Result")
BATCH = 32
"""Items a process takes at a time."""
MOST_BATCHES = 1000
"""At most this many batches (bigger ones beyond), so their indexes fit in a pipe before any process reads it:
4 KB, the least a pipe holds."""
_INDEX = struct.Struct("<I")


def worker_count(documents: int) -> int:
    """How many processes, this one included, a build of ``documents`` pages should use (0 or 1: this one)."""
    wanted = os.environ.get("LEARNMARK_WORKERS")
    if wanted is not None:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if documents < MIN_DOCUMENTS or cores < 2 or not hasattr(os, "fork"):
        return 0
    return min(cores, 4)


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int,
             batch: int = BATCH, here: int = 0, meanwhile: Callable[[], object] | None = None) -> list[Result]:
    """``[function(item) for item in items]``, shared between this process and ``workers - 1`` forked ones.

    The processes take items in small batches (at most ``batch``), by index, so
    the load stays even and results come back a batch at a time. An exception in
    a worker is raised here, as if the work had run here. The first ``here`` items
    are done here before forking, so what doing one loads for good (templates
    compiled, caches filled) is loaded once and inherited, not again by every
    worker. ``meanwhile`` is other work for this process, done first once the
    workers are forked; if it raises, the workers are stopped and their results
    dropped. Without workers it is done first.
    """
    if workers < 2 or len(items) <= here + 1:
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    done = [function(item) for item in items[:here]]
    rest = items[here:]
    size = max(1, min(batch, len(rest) // (4 * workers)), -(-len(rest) // MOST_BATCHES))
    starts = range(0, len(rest), size)
    # The batches to take: their first items' indexes, in a pipe every process reads four bytes at a time
    # (a pipe's reads never interleave); written whole before forking, and closed, so an empty pipe is the end.
    tasks_out, tasks_in = os.pipe()
    os.write(tasks_in, b"".join(_INDEX.pack(start) for start in starts))
    os.close(tasks_in)
    results: dict[int, list] = {}
    gc.freeze()  # so the workers' collections never touch, and so copy, what they share with us
    _flush_standard_streams()  # a worker's flush at its end must not write what this process had buffered
    from multiprocessing.connection import Pipe  # here: a build too small for workers need not import it
    forked = []
    for _ in range(workers - 1):
        reader, writer = Pipe(duplex=False)
        _widen(writer.fileno())
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            reader.close()
            _work(function, rest, size, tasks_out, writer)
        writer.close()
        forked.append((pid, reader))
    children = [_Child(pid, reader, results) for pid, reader in forked]  # threads only once every fork is done
    try:
        if meanwhile is not None:
            meanwhile()
        _take(function, rest, size, tasks_out, lambda start, made: results.__setitem__(start, made))
        finishing, children = children, []
        failed = [error for error in (child.finish() for child in finishing) if error is not None]
        if failed:
            raise failed[0]
    finally:
        os.close(tasks_out)
        for child in children:  # this process failed: the workers' results are dropped
            child.stop()
    return done + [result for start in starts for result in results[start]]


def _widen(pipe: int) -> None:
    """Let ``pipe`` hold a megabyte (Linux; an unprivileged process may ask for that much), not 64 KB: a worker
    writing a batch of parses (a few hundred KB) would otherwise wait, 64 KB at a time, for the thread here
    that reads them to get Python's lock from this process's own work (up to 5 ms each time)."""
    try:
        import fcntl  # here: only where there is fork, so never on Windows
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (AttributeError, OSError):
        pass


def _take(function: Callable, items: Sequence, size: int, tasks: int, keep: Callable[[int, list], None]) -> None:
    """Do batches of ``items`` until none is left to take from ``tasks``."""
    while len(taken := os.read(tasks, _INDEX.size)) == _INDEX.size:
        (start,) = _INDEX.unpack(taken)
        keep(start, [function(item) for item in items[start:start + size]])


def _work(function: Callable, items: Sequence, size: int, tasks: int, out) -> None:
    """A worker's life: take batches and send each batch's results (or the exception that stopped it) on ``out``
    (a ``multiprocessing`` connection); then exit, never running the code of the process it was forked from."""
    code = 0
    try:
        try:
            _take(function, items, size, tasks, lambda start, made: out.send((start, made)))
        except Exception as error:  # noqa: BLE001 - raised again in the parent, where the work was asked for
            out.send((-1, [_picklable(error)]))
        out.close()
    except BaseException:  # noqa: BLE001 - the parent sees the connection end early
        code = 1
    finally:
        _flush_standard_streams()  # what the work printed (a warning): os._exit would drop it
        os._exit(code)


def _flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


def _picklable(error: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))
        return error
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")


class _Child:
    """A worker, and a thread that takes its results as it sends them: were they left in the pipe, a worker
    with more to send than the pipe holds would wait for this process to finish its own batches."""

    def __init__(self, pid: int, reader, results: dict[int, list]):
        self.pid, self.reader, self.results = pid, reader, results
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._receive, daemon=True)
        self.thread.start()

    def _receive(self) -> None:
        with self.reader:
            while True:
                try:
                    start, made = self.reader.recv()
                except Exception:  # noqa: BLE001 - the end, or cut short: the worker stopped (``finish`` says so)
                    return
                if start < 0:
                    self.error = made[0]
                    return
                self.results[start] = made

    def finish(self) -> BaseException | None:
        """Wait for the worker: the exception that stopped it, if one did."""
        self.thread.join()
        _, status = os.waitpid(self.pid, 0)
        if self.error is None and status != 0:
            return RuntimeError(f"a worker process stopped (status {status}) before its work was done")
        return self.error

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.thread.join()
