"""The interface in one language: gettext for templates and the generator, a plain
catalogue for the browser, and CLDR formats for dates, numbers and durations."""

from __future__ import annotations

import datetime
import gettext
from dataclasses import dataclass, field

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.numbers import format_decimal
from babel.units import format_unit
from markupsafe import Markup

from .language import Language

PLURAL_SAMPLES = range(0, 1000)
"""Numbers tried to find one of each CLDR plural category of a language."""


@dataclass(frozen=True)
class Messages:
    language: Language
    translations: gettext.NullTranslations = field(repr=False)
    """The ``messages`` domain: templates and pages the generator writes."""
    js_catalogue: Catalog | None = field(default=None, repr=False)
    """The ``js`` domain: the components' scripts (see ``browser``)."""

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def install(self, env) -> None:
        """Give a Jinja2 environment ``_``, ``gettext``, ``ngettext`` (new style: ``_("%(n)s pages", n=3)``),
        the filters ``number``, ``date`` and ``minutes`` in this language, and ``language``."""
        env.install_gettext_callables(self._gettext, self._ngettext, newstyle=True)
        env.filters.update(number=self.number, date=self.date, minutes=self.minutes)
        env.globals["language"] = self.language  # language.direction for <html dir>, language.name

    # Jinja's newstyle wrappers call these with the message alone and fill in the values themselves
    # (``rv % variables``): formatting here too raised KeyError for every placeholder.
    def _gettext(self, message: str) -> Markup:
        return Markup(self.gettext(message))

    def _ngettext(self, singular: str, plural: str, n: int) -> Markup:
        return Markup(self.ngettext(singular, plural, n))

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.language.locale)

    def date(self, value: datetime.date, form: str = "long") -> str:
        return format_date(value, form, locale=self.language.locale)

    def minutes(self, value: int) -> str:
        """A duration in minutes, spelt as the language does (``10 minutes``, ``10 munud``)."""
        return format_unit(value, "duration-minute", length="long", locale=self.language.locale)

    def browser(self) -> dict:
        """The ``js`` strings this language changes, for ``window.LearnmarkMessages``.

        A plural string maps each CLDR plural category of the language to its
        form, since the browser picks the category with ``Intl.PluralRules``;
        the catalogue's forms are ordered by its gettext ``Plural-Forms``
        expression, so each category takes the form that expression gives a
        number of that category. Strings the language leaves as they are (all
        of them, in English) are left out: the script uses its own text.
        """
        catalogue = self.js_catalogue
        if catalogue is None:
            return {}
        rule = self.language.locale.plural_form
        index = gettext.c2py(catalogue.plural_expr)
        samples = {}
        for n in PLURAL_SAMPLES:
            samples.setdefault(rule(n), n)
        out = {}
        for message in catalogue:
            if not message.id or message.fuzzy or not message.string:
                continue
            if isinstance(message.id, (tuple, list)):
                forms = {category: message.string[min(index(n), len(message.string) - 1)]
                         for category, n in samples.items()}
                if all(forms.values()) and forms != _english(message.id, samples):
                    out[message.id[0]] = forms
            elif message.string != message.id:
                out[message.id] = message.string
        return out


def _english(msgid, samples: dict) -> dict:
    return {category: msgid[0] if n == 1 else msgid[1] for category, n in samples.items()}
