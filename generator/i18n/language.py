"""What the build needs to know about a language tag, from CLDR through Babel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from babel import Locale, UnknownLocaleError

from ..memo import Memo

SOURCE_LANGUAGE = "en"
"""The language the interface is written in: its messages are the catalogues' msgids."""


@dataclass(frozen=True)
class Language:
    tag: str
    """The BCP 47 tag the course gives (``cy``, ``en-GB``): ``<html lang>``."""
    locale: Locale
    """CLDR's data for it (dates, numbers, plural rules); English when CLDR does not know the tag."""
    known: bool
    """Whether CLDR knows the tag (else dates, numbers and plurals follow English)."""

    @cached_property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the ``dir`` of its pages (worked out once: every page asks)."""
        return DIRECTIONS.of(self.tag, self.locale) if self.known else "ltr"

    @property
    def name(self) -> str:
        """The language's name in itself (``Cymraeg``), for a language switch."""
        return (self.locale.language_name or self.tag) if self.known else self.tag

    @property
    def candidates(self) -> tuple[str, ...]:
        """Catalogue folder names to try, most specific first: ``en-GB`` → ``en_GB``, ``en``."""
        parts = self.tag.replace("_", "-").split("-")
        return tuple(dict.fromkeys("_".join(parts[:i]) for i in range(len(parts), 0, -1)))


class Directions(Memo[str, str]):
    """Each language's text direction by its tag, kept by the build cache (a ``memo.Memo``; the cache is dropped
    when Babel's version changes). Babel loads all of a locale's data to answer, and its parents' (root, en,
    en_001, en_GB: 15-25 ms), and a one-page edit's build asked nothing else of that data."""

    NAME = "directions"

    def of(self, tag: str, locale: Locale) -> str:
        found = self.known.get(tag) if self.known is not None else None
        if found is None:
            found = locale.text_direction
        if self.known is not None:
            self.known[tag] = self.used[tag] = found
        return found


DIRECTIONS = Directions()


def language_of(tag: str) -> Language:
    try:
        return Language(tag, Locale.parse(tag, sep="-"), True)
    except (UnknownLocaleError, ValueError):
        return Language(tag, Locale.parse(SOURCE_LANGUAGE), False)
