"""Diagnostics: problems found in a course, reported as data and printed once.

Every stage returns the problems it found instead of raising on the first, so
an author sees all of them in one build. The format follows gcc
(``path:line:col: error: message``) so editors and CI turn it into links.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Iterable, Literal, TypeVar

Severity = Literal["error", "warning"]
T = TypeVar("T")


@dataclass(frozen=True, order=True, slots=True)  # slots: every heading and link of a course has one
class SourceLocation:
    """A place in an author's file."""

    path: str
    """Path relative to the project folder, with forward slashes."""
    line: int = 1
    """1-based line number."""
    column: int = 1
    """1-based column number."""

    def at(self, line: int, column: int = 1) -> "SourceLocation":
        """The same file at another position."""
        return SourceLocation(self.path, line, column)

    def __reduce__(self):  # rebuilt from its fields: slots' own __setstate__ made the parse cache 1.6x as slow to load
        return unpickled_location, (self.path, self.line, self.column)

    def __str__(self) -> str:
        # Line 0: not in a file, e.g. a command-line option, named by ``path``.
        return f"{self.path}:{self.line}:{self.column}" if self.line > 0 else self.path


def slot_setters(cls: type) -> tuple:
    """The ``__set__`` of each of a slotted dataclass's fields, in order: unpickling sets them directly, in half
    the time of calling the class, whose frozen ``__init__`` goes through ``object.__setattr__`` for each (a
    1,000-page parse cache holds 25,000 locations, headings and references)."""
    return tuple(getattr(cls, name).__set__ for name in cls.__dataclass_fields__)


_PATH, _LINE, _COLUMN = slot_setters(SourceLocation)


def unpickled_location(path: str, line: int, column: int) -> SourceLocation:
    """A location as unpickling makes one (see ``slot_setters``)."""
    made = object.__new__(SourceLocation)
    _PATH(made, path)
    _LINE(made, line)
    _COLUMN(made, column)
    return made


@dataclass(frozen=True)
class Diagnostic:
    """One problem, with where it is and what to do about it."""

    location: SourceLocation
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BuildFailed(Exception):
    """Raised by a build when errors were found; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: d.location)
        super().__init__(f"{len(self.errors)} error(s)")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def collect(outcome: tuple[T, list[Diagnostic]], problems: list[Diagnostic]) -> T:
    """A stage's result, with its diagnostics added to ``problems``."""
    result, found = outcome
    problems += found
    return result


def as_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Warnings promoted to errors, for ``--strict``."""
    return [replace(d, severity="error") for d in diagnostics]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing them all."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(choices)
