"""Learnmark's compiled Markdown front end (native/, built by ``pip install`` where cargo is), and its loader.

The crate parses a page with pulldown-cmark and writes the HTML Learnmark's markdown-it-py parser would, about
twenty times faster. It is optional: where it was not built, or ``LEARNMARK_PARSER=python`` is set, or a page
uses something it declines (page.py), markdown-it-py parses, with the same output. It also finds the search
index's words in a page's text (native/src/search.rs) and rewrites a body for its module's print page
(native/src/paper.rs), as search.py's and printable.py's Python do.
"""

from __future__ import annotations

import os
from functools import cache
from types import ModuleType


_USED = ("page", "heading_id", "plain_text", "stemmed_weights", "for_paper")
"""What generator/ calls of the crate."""


@cache
def native() -> ModuleType | None:
    """The extension module, or None where it is missing or switched off."""
    if os.environ.get("LEARNMARK_PARSER", "").strip().lower() == "python":
        return None
    try:
        from .. import _native
    except ImportError:
        return None
    return _native if all(hasattr(_native, name) for name in _USED) else None  # else built before they were


def by_crate(function: str, *arguments):
    """The crate's ``function`` of ``arguments``, or None where the Python beside it must answer: the crate is not
    built, it declines (answers None), or the text is not one it can read (a lone surrogate, which a YAML escape
    can make, is not UTF-8)."""
    crate = native()
    if crate is None:
        return None
    try:
        return getattr(crate, function)(*arguments)
    except UnicodeEncodeError:
        return None
