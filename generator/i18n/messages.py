"""The interface in one language: gettext for templates and the generator, a plain
catalogue for the browser, and CLDR formats for dates, numbers and durations."""

from __future__ import annotations

import datetime
import gettext
import importlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from jinja2 import pass_context
from markupsafe import Markup

from .language import CLDR, SOURCE_LANGUAGE, Language, language_of

if TYPE_CHECKING:
    from .catalogues import Strings


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined (a constant); it is translated where it is shown,
    with ``Messages.gettext``."""
    return message


DATE_KEY = "@date"
"""The key of ``browser()`` that holds the language's date format (no msgid starts with "@")."""
PLURAL_SAMPLES = range(0, 1000)
"""Numbers tried to find one of each CLDR plural category of a language."""


@dataclass(frozen=True)
class Messages:
    language: Language
    translations: gettext.NullTranslations = field(repr=False)
    """The ``messages`` domain: templates and pages the generator writes."""
    js_catalogue: Strings | None = field(default=None, repr=False)
    """The ``js`` domain: the components' scripts (see ``browser``)."""

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def install(self, env) -> None:
        """Give a Jinja2 environment ``_``, ``gettext``, ``ngettext`` (new style: ``_("%(n)s pages", n=3)``),
        the filters ``number``, ``date`` and ``minutes`` in this language, and ``language``."""
        env.install_gettext_callables(self.gettext, self.ngettext, newstyle=True)  # Jinja fills in the values
        gettext = _remembered(self.gettext)  # a page asks for twenty-odd strings: a fifth of rendering it
        env.globals.update(gettext=gettext, _=gettext)
        env.filters.update(number=self.number, date=self.date, minutes=self.minutes)
        env.globals["language"] = self.language  # language.direction for <html dir>, language.name

    def number(self, value: float, pattern: str | None = None) -> str:
        """``value`` as the language writes numbers; ``pattern`` as CLDR's (``#,##0.0``: one decimal always)."""
        return CLDR.get((self.language.tag, "number", type(value).__name__, value, pattern),
                        lambda: _babel("numbers").format_decimal(value, pattern, locale=self.language.locale))

    def date(self, value: datetime.date, form: str = "long") -> str:
        return CLDR.get((self.language.tag, "date", value.isoformat(), form),
                        lambda: _babel("dates").format_date(value, form, locale=self.language.locale))

    def minutes(self, value: int) -> str:
        """A duration in minutes, spelt as the language does (``10 minutes``, ``10 munud``)."""
        return CLDR.get((self.language.tag, "minutes", type(value).__name__, value),
                        lambda: _babel("units").format_unit(value, "duration-minute", length="long",
                                                            locale=self.language.locale))

    def browser(self) -> dict:
        """The ``js`` strings this language changes, for ``window.LearnmarkMessages`` (see ``_browser``)."""
        return dict(self._browser)  # worked out once: every module's dispatch page asks for it

    @cached_property
    def _browser(self) -> dict:
        """The ``js`` strings this language changes.

        A plural string maps each CLDR plural category of the language to its
        form, since the browser picks the category with ``Intl.PluralRules``;
        the catalogue's forms are ordered by its gettext ``Plural-Forms``
        expression, so each category takes the form that expression gives a
        number of that category. Strings the language leaves as they are (all
        of them, in English) are left out: the script uses its own text.
        """
        catalogue = self.js_catalogue
        if catalogue is None:
            return self._browser_date()
        index = gettext.c2py(catalogue.plural_expr)
        samples = CLDR.get((self.language.tag, "plural samples"), self._plural_samples)
        out = {}
        for msgid, string, fuzzy in catalogue.messages.values():
            if fuzzy or not string:
                continue
            if isinstance(msgid, (tuple, list)):
                forms = {category: string[min(index(n), len(string) - 1)] for category, n in samples.items()}
                if all(forms.values()) and forms != _english(msgid, samples):
                    out[msgid[0]] = forms
            elif string != msgid:
                out[msgid] = string
        return {**out, **self._browser_date()}

    def _plural_samples(self) -> dict[str, int]:
        """A number of each of the language's CLDR plural categories, by category."""
        rule, samples = self.language.locale.plural_form, {}
        for n in PLURAL_SAMPLES:
            samples.setdefault(rule(n), n)
        return samples

    def _browser_date(self) -> dict:
        """``{"@date": {"pattern", "months"}}``, CLDR's long date, for ``Learnmark.date``: browsers leave out
        many languages' dates (Chromium has no Welsh months), so a language other than English brings its own."""
        locale = self.language.locale
        if not self.language.known or locale.language == "en":
            return {}
        return CLDR.get((self.language.tag, "long date"), lambda: {DATE_KEY: {
            "pattern": locale.date_formats["long"].pattern,
            "months": [locale.months["format"]["wide"][m] for m in range(1, 13)]}})


def _remembered(translate: Callable[[str], str]) -> Callable[..., str]:
    """Jinja2's new-style ``gettext`` for templates, each string without values worked out once.

    Jinja2's own (``jinja2.ext``) translates, marks safe and formats the string
    on every call, and its ``_`` calls it through a second lookup; the strings
    a page asks for are the same on every page. With values, or where
    autoescaping is off, it does exactly what Jinja2's does.
    """
    known: dict[str, Markup] = {}

    @pass_context
    def gettext(__context, __string: str, **variables):
        autoescape = __context.eval_ctx.autoescape
        if not variables and autoescape:
            found = known.get(__string)
            if found is None:
                found = known[__string] = Markup(translate(__string)) % variables
            return found
        translated = Markup(translate(__string)) if autoescape else translate(__string)
        return translated % variables  # a format string even without values, as Jinja2's: "%%" is "%"

    return gettext


def _babel(module: str):
    """``babel.<module>``, imported when first asked: a build with the cache asks Babel nothing (see
    language.CLDR), and need not import its formatting code either."""
    return importlib.import_module(f"babel.{module}")


def _english(msgid, samples: dict) -> dict:
    return {category: msgid[0] if n == 1 else msgid[1] for category, n in samples.items()}


ENGLISH = Messages(language_of(SOURCE_LANGUAGE), gettext.NullTranslations())
"""The interface as written: for code and tests that render without a course's language."""
