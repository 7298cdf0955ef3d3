"""The i18n machinery: languages from CLDR, catalogues chained theme → default theme → English,
plural forms for the browser, and a broken catalogue reported where it is broken."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from generator.i18n import catalogue_problems, language_of, load_messages
from generator.i18n.catalogues import Strings
from generator.i18n.messages import Messages
from generator.errors import SourceLocation
from generator.theme import DEFAULT_THEME

WHERE = SourceLocation("site.yaml", 4)


def test_languages_come_from_cldr():
    welsh, arabic, british, unknown = (language_of(t) for t in ("cy", "ar", "en-GB", "zz"))
    assert (welsh.direction, welsh.name) == ("ltr", "Cymraeg")
    assert arabic.direction == "rtl"
    assert british.candidates == ("en_GB", "en") and british.name == "English"
    assert not unknown.known and unknown.direction == "ltr" and unknown.name == "zz"


def _po(path, locale, entries, plural=None):
    catalogue = Catalog(locale=locale, fuzzy=False)
    for msgid, msgstr in entries.items():
        catalogue.add(msgid, msgstr)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalogue)
    path.write_bytes(buffer.getvalue())


def test_a_themes_own_strings_come_first_then_the_default_themes_then_english(tmp_path):
    theme = tmp_path / "mine"
    _po(theme / "locale" / "cy" / "LC_MESSAGES" / "messages.po", "cy", {"Reset my progress": "Dechrau o'r newydd"})
    messages = load_messages((theme, DEFAULT_THEME), "cy")
    assert messages.gettext("Reset my progress") == "Dechrau o'r newydd"  # the theme's own
    default = load_messages((DEFAULT_THEME,), "cy")
    assert messages.gettext("Skip to main content") == default.gettext("Skip to main content") != "Skip to main content"
    assert messages.gettext("A string nobody translated") == "A string nobody translated"


def test_a_language_without_a_catalogue_warns_once_naming_it():
    problems = catalogue_problems((DEFAULT_THEME,), "fr", WHERE)
    assert len(problems) == 1 and problems[0].severity == "warning"
    assert "'fr'" in problems[0].message and "cy" in problems[0].hint and problems[0].location == WHERE
    assert catalogue_problems((DEFAULT_THEME,), "en-US", WHERE) == []  # English is the interface's own
    assert catalogue_problems((DEFAULT_THEME,), "cy-GB", WHERE) == []  # falls back to cy, which is complete


def test_plural_strings_reach_the_browser_by_cldr_category():
    catalogue = Catalog(locale="cy", fuzzy=False)
    catalogue.add(("%(num)s page", "%(num)s pages"),
                  ("dim tudalennau", "%(num)s dudalen", "%(num)s dudalen", "%(num)s thudalen", "%(num)s thudalen",
                   "%(num)s tudalen"))
    catalogue.add("Next", "Nesaf")
    catalogue.add("Same", "Same")
    messages = Messages(language_of("cy"), None, Strings.of(catalogue))
    browser = messages.browser()
    assert browser.pop("@date")["months"][10] == "Tachwedd"  # Chromium has no Welsh months of its own
    assert browser == {
        "%(num)s page": {"zero": "dim tudalennau", "one": "%(num)s dudalen", "two": "%(num)s dudalen",
                         "few": "%(num)s thudalen", "many": "%(num)s thudalen", "other": "%(num)s tudalen"},
        "Next": "Nesaf",
    }


def test_english_sends_the_browser_nothing():
    assert load_messages((DEFAULT_THEME,), "en-GB").browser() == {}


def test_dates_numbers_and_durations_follow_the_language():
    import datetime
    welsh, english = load_messages((DEFAULT_THEME,), "cy"), load_messages((DEFAULT_THEME,), "en-GB")
    day = datetime.date(2026, 11, 27)
    assert (welsh.date(day), english.date(day)) == ("27 Tachwedd 2026", "27 November 2026")
    assert (welsh.minutes(25), english.minutes(25)) == ("25 munud", "25 minutes")
    assert english.number(1500) == "1,500"


def test_a_broken_catalogue_is_an_error_at_its_line_not_a_traceback(project):
    theme = project.root / "themes" / "mine"
    shutil.copytree(DEFAULT_THEME, theme, ignore=shutil.ignore_patterns("locale"))
    broken = theme / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid ""\nmsgstr ""\n"Language: cy\\n"\n\nmsgid "Next"\nmsgstr "Nesaf"\nthis is not a po line\n',
                      encoding="utf-8")
    site = (project.root / "site.yaml").read_text(encoding="utf-8")
    (project.root / "site.yaml").write_text(site + "theme: mine\nlanguage: cy\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "check", "--project", str(project.root)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    said = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in said
    assert "themes/mine/locale/cy/LC_MESSAGES/messages.po:7:1: error: cannot read the theme's message catalogue" in said


def test_templates_translate_exactly_as_jinja_s_own_gettext_does():
    """``Messages.install`` remembers each string without values (a fifth of rendering a page was Jinja2's
    gettext): the output must be Jinja2's, for plain strings, "%%", values that need escaping, plurals, trans
    blocks, and with autoescaping off."""
    import gettext as gettext_module

    import jinja2

    class Welsh(gettext_module.NullTranslations):
        def gettext(self, message):
            return {"Contents": "Cynnwys", "50%% done": "50%% wedi'i wneud", "Hello %(name)s": "Helo %(name)s"}.get(
                message, message)

    source = ('{{ _("Contents") }}|{{ _("Contents") }}|{{ _("50%% done") }}|{{ _("Hello %(name)s", name=who) }}|'
              '{{ ngettext("%(num)s page", "%(num)s pages", 2) }}|{% trans %}Contents{% endtrans %}|'
              '{{ gettext("Hello %(name)s", name=who) }}')
    for autoescape in (True, False):
        ours = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        Messages(language_of("cy"), Welsh()).install(ours)
        stock = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        stock.install_gettext_callables(Welsh().gettext, Welsh().ngettext, newstyle=True)
        for who in ("<b>Ana</b>", "Ifan"):
            expected = stock.from_string(source).render(who=who)
            assert ours.from_string(source).render(who=who) == expected
            assert ours.from_string(source).render(who=who) == expected  # the second time, from what it remembers
    escaped = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    Messages(language_of("cy"), Welsh()).install(escaped)
    assert escaped.from_string(source).render(who="<b>Ana</b>") == (
        "Cynnwys|Cynnwys|50% wedi'i wneud|Helo &lt;b&gt;Ana&lt;/b&gt;|2 pages|Cynnwys|Helo &lt;b&gt;Ana&lt;/b&gt;")
