"""Dataclasses' methods compiled once for this user, not on every start of the command.

The ``dataclass`` decorator writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and for a frozen
class ``__setattr__``, ``__delattr__``, ``__hash__``) as text and compiles it with ``exec``: for Learnmark's
48 classes, 289 compilations, 23 ms of every command's start (bench/README.md, issue 18), the same texts
every time. Here ``dataclasses`` is given an ``exec`` that compiles a text once, then takes its code from
``<user folder>/classes-<python>.marshal`` (as Python keeps modules' code in ``.pyc`` files and Jinja2
templates' in the same folder): what runs is the same code, compiled from the same text. The file is
trusted as those templates are, being in a folder only this user writes to (``cache.user_folder``), never in
a course.

Standard library only, and imported first (``generator/__init__.py``): it must be in place before any
module of the package makes a class.
"""

import builtins
import dataclasses
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER

MOST = 4000
"""Texts kept at most: past that (classes changed many times over), a file keeps only one command's."""


def _path() -> str | None:
    """``classes-<python>.marshal`` in this user's Learnmark folder (``cache.user_folder``), or None where there
    is no home folder to put it in: then nothing is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder: "~" left as it is, which would be a folder of the course
        return None
    return os.path.join(base, "learnmark", f"classes-{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}.marshal")


class Codes:
    """Compiled texts by their text: those read from the file, and those this process compiled or used."""

    def __init__(self, path: str | None):
        self.path = path
        self.known: dict[str, object] = self._read() if path else {}
        self.used: dict[str, object] = {}
        self.new = False

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
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.new = True
        self.used[source] = code
        return builtins.exec(code, globals, locals)

    def save(self) -> None:
        """Keep what this process compiled, if anything: written whole, then renamed, so a reader never sees
        half a file. Where it cannot be written, the next start compiles again."""
        if not self.new or not self.path:
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
        self.known, self.new = kept, False


CODES = Codes(_path())
dataclasses.exec = CODES.exec  # found before the built-in: ``dataclasses`` calls ``exec`` by its global name
