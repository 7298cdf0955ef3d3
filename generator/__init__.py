"""Learnmark: compile Markdown courses into accessible static sites and SCORM packages."""

__version__ = "0.1.0"
