"""Which Markdown files are translations: ``02-mentoring.cy.md`` is the Welsh of ``02-mentoring.md``.

A name is a translation's when the part before ``.md`` is a language tag CLDR
knows (or one of the course's languages): ``notes.v2.md`` stays a page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .language import language_of

_TRANSLATION = re.compile(r"^(.+)\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\.md$")


def translation_of(name: str, languages: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """``(source name, tag)`` for a translation's file name (``_module.cy.md`` → ``('_module.md', 'cy')``), else None."""
    match = _TRANSLATION.match(name)
    if match is None or not (match.group(2) in languages or _known(match.group(2))):
        return None
    return f"{match.group(1)}.md", match.group(2)


@lru_cache(maxsize=None)
def _known(tag: str) -> bool:
    return language_of(tag.replace("_", "-")).known
