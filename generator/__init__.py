"""Learnmark: compile Markdown courses into accessible static sites and SCORM packages."""

__version__ = "0.1.0"

from . import startcode  # noqa: F401,E402 - before any module of the package makes a class or a pattern
