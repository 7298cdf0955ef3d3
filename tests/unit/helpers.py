"""Run a build and get its diagnostics as gcc-style lines, the way authors see them."""

from __future__ import annotations

from pathlib import Path

from generator.accessibility import NO_CONTACT
from generator.build import build
from generator.errors import BuildFailed


def errors_of(root: Path) -> list[str]:
    """The formatted diagnostics of a build expected to fail (first line of each)."""
    return [d.format().splitlines()[0] for d in _diagnostics(root)]


def hints_of(root: Path) -> list[str]:
    return [d.hint for d in _diagnostics(root)]


def _diagnostics(root: Path):
    """Not the warning every site.yaml without an accessibility contact gets: tests that write
    their own site.yaml are about something else (tests/unit/test_statement.py tests it)."""
    try:
        build(root)
    except BuildFailed as failure:
        return [d for d in failure.diagnostics if d.message != NO_CONTACT]
    raise AssertionError("the build succeeded but was expected to fail")
