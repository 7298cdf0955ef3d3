"""Run a build and get its diagnostics as gcc-style lines, the way authors see them."""

from __future__ import annotations

from pathlib import Path

from generator.build import build
from generator.errors import BuildFailed


def errors_of(root: Path) -> list[str]:
    """The formatted diagnostics of a build expected to fail (first line of each)."""
    try:
        build(root)
    except BuildFailed as failure:
        return [d.format().splitlines()[0] for d in failure.diagnostics]
    raise AssertionError("the build succeeded but was expected to fail")


def hints_of(root: Path) -> list[str]:
    try:
        build(root)
    except BuildFailed as failure:
        return [d.hint for d in failure.diagnostics]
    raise AssertionError("the build succeeded but was expected to fail")
