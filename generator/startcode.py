"""Code that every start of the command makes, made once for this user: dataclasses' methods, regular expressions.

The ``dataclass`` decorator writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and for a frozen
class ``__setattr__``, ``__delattr__``, ``__hash__``) as text and compiles it with ``exec``: for Learnmark's
48 classes, 289 compilations, 23 ms of every command's start (bench/README.md, issue 18). And ``re`` turns
each pattern into its matcher's code in Python: 165 patterns as the command imports its libraries (PyYAML's
reader, markdown-it's, Jinja2's), another 30 ms. The same texts and patterns every time. So ``dataclasses``
is given an ``exec`` that compiles a text once, and ``re`` a compiler that works out a pattern's code once;
both are then taken from ``<user folder>/start-<python>.marshal`` (as Python keeps modules' code in ``.pyc``
files and Jinja2 templates' in the same folder): what runs is the same code, made from the same text. The
file is trusted as those templates are, being in a folder only this user writes to (``cache.user_folder``),
never in a course.

Standard library only, and imported first (``generator/__init__.py``): it must be in place before any
module of the package makes a class, and before the libraries it imports compile their patterns.
"""

import builtins
import marshal
import os
import re
import sys
import time
from importlib.util import MAGIC_NUMBER

try:
    from re import _compiler  # see Codes.pattern
except ImportError:  # Python 3.10
    import sre_compile as _compiler
_sre = _compiler._sre  # noqa: SLF001

MOST = 4000
"""Texts and patterns kept at most: past that (classes changed many times over), a file keeps only one command's."""
WORTH = 0.002
"""Seconds of making code that are worth rewriting the file for. Less is left to be made again by the next start:
two libraries build a pattern from a set (Babel's plural rules, markdown-it's inline terminators), whose order,
and so the pattern, differs from process to process, and they alone must not rewrite the file on every start."""


def _path() -> str | None:
    """``start-<python>.marshal`` in this user's Learnmark folder (``cache.user_folder``), or None where there
    is no home folder to put it in: then nothing is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder: "~" left as it is, which would be a folder of the course
        return None
    return os.path.join(base, "learnmark", f"start-{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}.marshal")


class Codes:
    """Compiled texts by their text, and patterns' code by (pattern, flags): those read from the file, and
    those this process made or used."""

    def __init__(self, path: str | None):
        self.path = path
        self.known: dict = self._read() if path else {}
        self.used: dict = {}
        self.spent = 0.0
        """Seconds this process spent making what the file did not have."""

    def _read(self) -> dict:
        try:
            with open(self.path, "rb") as file:
                known = marshal.loads(file.read())  # marshal.load reads a file a few bytes at a time: 6x slower
        except (OSError, EOFError, ValueError, TypeError):  # none yet, unreadable, or not a marshal
            return {}
        return known if isinstance(known, dict) else {}

    def exec(self, source, globals=None, locals=None, /):
        """``exec``, for ``dataclasses``: a text it compiles is compiled once, as ``exec`` would compile it."""
        if not isinstance(source, str):
            return builtins.exec(source, globals, locals)
        code = self.used.get(source) or self.known.get(source)
        if code is None:
            begun = time.perf_counter()
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.spent += time.perf_counter() - begun
        self.used[source] = code
        return builtins.exec(code, globals, locals)

    def pattern(self, pattern, flags=0):
        """``re._compiler.compile``, which ``re.compile`` calls for a pattern it has not compiled in this process:
        the pattern's code (what ``_sre.compile`` is given besides the pattern) is worked out once."""
        if flags & re.DEBUG or not isinstance(pattern, (str, bytes)):
            return _COMPILE(pattern, flags)
        key = (pattern, int(flags))
        made = self.used.get(key) or self.known.get(key)
        if made is None:
            begun, recorder = time.perf_counter(), _Recorder()
            _compiler._sre = recorder  # noqa: SLF001
            try:
                compiled = _COMPILE(pattern, flags)
            finally:
                _compiler._sre = _sre  # noqa: SLF001
            if recorder.made:  # else another thread's compile put the compiler back first: made again next time
                self.used[key] = recorder.made
            self.spent += time.perf_counter() - begun
            return compiled
        try:
            compiled = _sre.compile(pattern, *made)
        except (TypeError, ValueError, RuntimeError):  # not what this Python's ``_sre`` takes: made again
            self.known.pop(key, None)
            self.used.pop(key, None)
            return self.pattern(pattern, flags)
        self.used[key] = made
        return compiled

    def save(self, worth: float = WORTH) -> None:
        """Keep what this process made, if it took ``worth`` seconds or more: written whole, then renamed, so a
        reader never sees half a file. Where it cannot be written, the next start makes it again."""
        if self.spent < worth or not self.spent or not self.path:
            return
        kept = {**self.known, **self.used}
        if len(kept) > MOST:
            kept = self.used
        temporary = f"{self.path}.{os.getpid()}"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(marshal.dumps(kept))
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return
        self.known, self.spent = kept, 0.0


class _Recorder:
    """``_sre`` as ``re._compiler`` sees it while a pattern compiles, keeping what ``compile`` is given."""

    made: tuple = ()

    def __getattr__(self, name):
        return getattr(_sre, name)

    def compile(self, pattern, *made):
        self.made = tuple(map(_plain, made))
        return _sre.compile(pattern, *made)


def _plain(value):
    """``value`` as marshal can keep it: the flags, and the code's named opcodes, as plain ints."""
    if isinstance(value, list):
        return [int(each) for each in value]
    return int(value) if isinstance(value, int) else value


_COMPILE = _compiler.compile
CODES = Codes(_path())
_compiler.compile = CODES.pattern  # ``re`` looks it up on every pattern it has not compiled

import dataclasses  # noqa: E402 - after the patterns' compiler is in place: its imports (inspect, tokenize) compile some

dataclasses.exec = CODES.exec  # found before the built-in: ``dataclasses`` calls ``exec`` by its global name
