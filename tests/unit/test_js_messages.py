"""The scripts' interface strings: the js catalogues are current and complete, the browser gets each
plural string under the right CLDR categories, and the SCORM launch pages get the strings too."""

from __future__ import annotations

import json
import zipfile

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from generator.build import check
from generator.i18n import load_messages
from generator.i18n.keys import message_key
from generator.i18n.keys import shipped as keyed
from generator.i18n.extract import extract
from generator.scorm.package import package_course
from generator.theme import DEFAULT_THEME

from .test_scorm_package import course_project  # noqa: F401 - the fixture

LOCALE = DEFAULT_THEME / "locale"
WELSH_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def catalogue(path):
    with path.open("rb") as file:
        return read_po(file)


def ids(messages) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages if m.id}


def test_js_pot_holds_exactly_the_strings_the_scripts_mark():
    assert ids(extract(DEFAULT_THEME)["js"]) == ids(catalogue(LOCALE / "js.pot"))


def test_the_scripts_mark_their_strings():
    """Samples from each script that writes text a learner sees: a regression would drop them from js.pot."""
    found = ids(catalogue(LOCALE / "js.pot"))
    for text in ["Not quite", "Saved on this device.", "Play the video (loads it from %(service)s)",
                 "Continue where you left off: %(page)s",
                 ("You can answer the questions on this page: you have %(num)s attempt left.",
                  "You can answer the questions on this page: you have %(num)s attempts left."),
                 "This module has been updated since your last visit. Your progress on everything that is still in "
                 "it has been kept; new pages and questions are waiting for you."]:
        assert text in found


@pytest.mark.parametrize("language, forms", [("en", 2), ("cy", 6)])
def test_js_catalogue_is_complete(language, forms):
    template = ids(catalogue(LOCALE / "js.pot"))
    translated = catalogue(LOCALE / language / "LC_MESSAGES" / "js.po")
    assert translated.num_plurals == forms
    assert ids(translated) == template
    for message in translated:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.id, (tuple, list)) else (message.string,)
        assert len(strings) == (forms if isinstance(message.id, (tuple, list)) else 1), message.id
        assert all(s.strip() for s in strings), message.id
    assert list(translated.check()) == []


def test_welsh_plurals_reach_the_browser_under_their_cldr_categories():
    po = catalogue(LOCALE / "cy" / "LC_MESSAGES" / "js.po")
    browser = load_messages((DEFAULT_THEME,), "cy").browser()
    plurals = [m for m in po if m.id and isinstance(m.id, (tuple, list))]
    assert plurals
    for message in plurals:
        # The catalogue's Plural-Forms orders the forms zero, one, two, few (3), many (6), other.
        assert browser[message.id[0]] == dict(zip(WELSH_CATEGORIES, message.string)), message.id
    attempts = browser["You can answer the questions on this page: you have %(num)s attempt left."]
    assert attempts["two"].endswith("ddau gynnig ar ôl.") and attempts["few"].endswith("dri chynnig ar ôl.")
    assert attempts["other"].endswith("%(num)s cynnig ar ôl.")


def test_english_sends_no_strings_the_scripts_already_have():
    assert load_messages((DEFAULT_THEME,), "en").browser() == {}
    assert load_messages((DEFAULT_THEME,), "en-GB").browser() == {}


def welsh(project):
    project.write("site.yaml", project.root.joinpath("site.yaml").read_text(encoding="utf-8") + "language: cy\n")
    course, _, _ = check(project.root)
    return course


def test_a_package_launch_page_has_the_strings_and_the_i18n_functions_before_the_runtime(course_project, tmp_path):
    (built, *_) = package_course(welsh(course_project), tmp_path / "packages", versions=["1.2"])
    archive = zipfile.ZipFile(built.path)
    launch = BeautifulSoup(archive.read("first/launch.html"), "html.parser")
    scripts = [s["src"] for s in launch.find_all("script", src=True)]
    assert scripts[0] == "../assets/course.js" and scripts[-1] == "../assets/scorm-runtime.js"
    assert "window.LearnmarkMessages = " in archive.read("assets/course.js").decode()
    lms = archive.read("assets/scorm-lms.js").decode()
    assert lms.startswith("/* static/js/i18n.js */") and "Learnmark.t = function" in lms
    assert "window.LearnmarkLMS" in lms


def test_a_dispatch_package_launch_page_carries_its_strings(course_project, tmp_path):
    course = welsh(course_project)
    (built, *_) = package_course(course, tmp_path / "packages", versions=["1.2"],
                                 dispatch="https://courses.example.nhs.uk/culture/")
    archive = zipfile.ZipFile(built.path)
    launch = BeautifulSoup(archive.read("first/launch.html"), "html.parser")
    shipped = json.loads(launch.find("script", id="lm-messages").string)
    assert shipped == keyed(load_messages((DEFAULT_THEME,), "cy").browser())
    assert any("%(host)s" in str(text) for text in shipped.values())
    assert "Learnmark.t = function" in archive.read("assets/scorm-lms.js").decode()


def test_a_language_other_than_english_brings_its_long_date():
    """Browsers leave many languages out of Intl (Chromium has no Welsh months): Learnmark.date uses these."""
    date = load_messages((DEFAULT_THEME,), "cy").browser()["@date"]
    assert date["pattern"] == "d MMMM y" and date["months"][10] == "Tachwedd" and len(date["months"]) == 12
    assert "@date" not in load_messages((DEFAULT_THEME,), "en-US").browser()


def test_pages_get_the_strings_under_short_keys_and_no_two_welsh_strings_share_one():
    browser = load_messages((DEFAULT_THEME,), "cy").browser()
    sent = keyed(browser)
    assert len(sent) == len(browser) and sent["@date"] == browser["@date"]
    assert all(len(key) <= 7 for key in sent if key != "@date")  # base 36 of 32 bits
    assert {sent[message_key(text)] == translated for text, translated in browser.items() if text != "@date"} == {True}


def test_strings_whose_keys_collide_keep_their_english_keys(monkeypatch):
    monkeypatch.setattr("generator.i18n.keys.message_key", lambda text: "same")
    assert keyed({"One": "Un", "Two": "Dau", "@date": {}}) == {"One": "Un", "Two": "Dau", "@date": {}}
