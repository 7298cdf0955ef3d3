"""The interface in the course's language: the theme's message catalogues are current and complete, a Welsh
course shows no English interface string, and a language the theme lacks falls back to English with a warning."""

from __future__ import annotations

import re
import shutil

import pytest
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup, Comment

from generator.build import build, check
from generator.i18n import load_messages
from generator.i18n.extract import extract
from generator.theme import load_theme
from tests.conftest import REPO

THEME = REPO / "themes" / "default"
LOCALE = THEME / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "data-label", "label", "data-media-title")
"""Attributes a learner sees or hears read out (data-label: the progress table's headings on a phone)."""
AUTHOR_TEXT = ".prose, .lede, .card__summary, .objectives, .card__objectives-list, .certificate__modules"
"""Where the course's own words are (in English in the shipped course, whatever its language)."""


def catalogue(path):
    with path.open("rb") as file:
        return read_po(file)


def ids(catalogue) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalogue if m.id}


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


# ---- the catalogues ---------------------------------------------------------------------------------------------
def test_the_template_lists_exactly_the_strings_the_templates_and_generator_mark():
    """Run ``python -m generator.i18n.extract`` when this fails."""
    assert ids(extract(THEME)["messages"]) == ids(catalogue(LOCALE / "messages.pot"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_string_is_translated_in_every_plural_form(language):
    translated = catalogue(LOCALE / language / "LC_MESSAGES" / "messages.po")
    assert ids(translated) == ids(catalogue(LOCALE / "messages.pot"))
    plurals = translated.num_plurals
    missing = [m.id for m in translated if m.id and (m.fuzzy or not all(forms(m))
                                                     or (m.pluralizable and len(forms(m)) != plurals))]
    assert missing == []
    assert [(m.id, [str(e) for e in errors]) for m, errors in translated.check()] == []


@pytest.mark.parametrize("language", ["en", "cy"])
def test_each_translation_keeps_every_placeholder(language):
    """Babel's check allows a translation to drop a placeholder: 'Tudalen o 5' would lose the page's number."""
    translated = catalogue(LOCALE / language / "LC_MESSAGES" / "messages.po")
    lost = []
    for message in translated:
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(message.id if isinstance(message.id, str) else message.id[1]))
        lost += [(message.id, text) for text in forms(message) if set(PLACEHOLDER.findall(text)) != wanted]
    assert lost == []


@pytest.mark.parametrize("n, text", [(0, "0 cwestiwn."), (1, "1 cwestiwn."), (2, "2 gwestiwn."), (3, "3 chwestiwn."),
                                     (6, "6 chwestiwn."), (7, "7 cwestiwn."), (11, "11 cwestiwn.")])
def test_a_plural_string_takes_each_welsh_form(n, text):
    messages = load_messages((THEME,), "cy")
    template = "{{ ngettext('%(num)s question.', '%(num)s questions.', n) }}"
    assert load_theme(THEME, "cy").env.from_string(template).render(n=n) == text
    assert messages.ngettext("%(num)s page", "%(num)s pages", n) % {"num": n} == \
        {0: "0 tudalen", 1: "1 dudalen", 2: "2 dudalen", 3: "3 tudalen", 6: "6 thudalen"}.get(n, f"{n} tudalen")


# ---- a Welsh course ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    """The shipped course with ``language: cy``; its support page without a title of its own, so the
    page is called what the interface calls it."""
    root = tmp_path_factory.mktemp("welsh")
    shutil.copytree(REPO / "content", root / "content")
    site = (REPO / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(site.replace("language: en-GB", "language: cy"), encoding="utf-8")
    support = root / "content" / "_support.md"
    support.write_text(support.read_text(encoding="utf-8").replace("title: Get support\n", ""), encoding="utf-8")
    result = build(root)
    return {path: BeautifulSoup(html, "html.parser") for path, html in result.site.files.items()
            if path.endswith(".html")}


def english_strings() -> list[tuple[str, re.Pattern]]:
    """Every English form of the interface that Welsh changes, as a pattern matching it where it is shown
    (placeholders match anything); strings of fewer than three words with placeholders ('%(seen)s of
    %(total)s') would match the course's own text, and are checked one by one below."""
    english = catalogue(LOCALE / "en" / "LC_MESSAGES" / "messages.po")
    welsh = catalogue(LOCALE / "cy" / "LC_MESSAGES" / "messages.po")
    found = []
    for message in english:
        if not message.id:
            continue
        for text in set(forms(message)) - set(forms(welsh.get(message.id))):
            shown = BeautifulSoup(text.replace("%%", "%"), "html.parser").get_text()
            parts = PLACEHOLDER.split(shown)[::2]
            if len(parts) > 1 and sum(len(part.split()) for part in parts) < 3:
                continue
            pattern = r"(?<![\w’'])" + ".+?".join(re.escape(part) for part in parts) + r"(?![\w’'])"
            found.append((text, re.compile(pattern)))
    return found


def shown_text(soup: BeautifulSoup) -> list[str]:
    """The interface's text of a page: every text node and shown attribute, without the author's content."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for element in soup(["script", "style"]) + soup.select(AUTHOR_TEXT):
        element.decompose()
    texts = [" ".join(text.split()) for text in soup.find_all(string=True) if not isinstance(text, Comment)]
    texts += [element[name] for element in soup.find_all(True) for name in SHOWN_ATTRIBUTES if element.has_attr(name)]
    return [text for text in texts if text]


def test_no_page_of_a_welsh_course_shows_an_english_interface_string(welsh):
    strings = english_strings()
    assert len(strings) > 150
    left = set()
    for path, soup in welsh.items():
        for text in shown_text(soup):
            for msgid, pattern in strings:
                if (pattern.search(text) if "%(" in msgid else pattern.fullmatch(text)):
                    left.add((path, msgid, text[:100]))
    assert sorted(left) == []


def text_of(soup, selector: str) -> str:
    return " ".join(soup.select_one(selector).get_text(" ").split())


def test_welsh_pages_speak_welsh(welsh):
    home, page = welsh["index.html"], welsh["supportive-culture/why-culture-matters.html"]
    module = welsh["supportive-culture/index.html"]
    assert home.html["lang"] == "cy" and home.html["dir"] == "ltr"
    assert text_of(page, ".skip-link") == "Neidio i'r prif gynnwys"
    assert text_of(page, "h1 .caption").startswith("A SuppoRTTive culture · Tudalen 2 o 5")
    assert text_of(page, ".pagination__item--previous .pagination__label") == "Blaenorol :"
    assert text_of(page, ".pagination__item--next .pagination__label") == "Nesaf :"
    assert page.select_one("nav.pagination")["aria-label"] == "Tudalennau blaenorol a nesaf"
    assert text_of(module, ".meta") == "Tua 25 munud · 5 tudalen"
    assert text_of(home, "h1 + .lede").startswith("5 modiwl, tua")
    assert text_of(welsh["404.html"], "h1") == "Heb ddod o hyd i'r dudalen"
    assert welsh["404.html"].title.string.startswith("Heb ddod o hyd i'r dudalen – ")
    progress = welsh["progress.html"]
    assert text_of(progress, "h1") == "Eich cynnydd"
    assert [th.get_text() for th in progress.select("thead th")] == ["Modiwl", "Statws", "Tudalennau a welwyd",
                                                                       "Sgôr cwis"]
    certificate = welsh["certificate.html"]
    assert text_of(certificate, "h1") == "Tystysgrif cwblhau"
    assert "Amser dysgu: tua" in text_of(certificate, ".certificate__meta")
    statement = welsh["accessibility.html"]
    assert text_of(statement, "h1") == "Datganiad hygyrchedd ar gyfer Building a supportive workplace culture"
    assert "Datganiad hygyrchedd –" in statement.title.string
    assert "mae gan bob delwedd destun amgen" in text_of(statement, "main")
    assert text_of(welsh["support.html"], "h1") == "Cael cymorth"  # the support page's default title
    assert text_of(welsh["supportive-culture/summary.html"], ".quiz__submit") == "Gwirio fy atebion"
    assert text_of(welsh["supportive-culture/print.html"], "#lm-print-index") == "Cyflwyniad"


def in_language(project, language: str, more: str = "") -> None:
    site = project.root / "site.yaml"
    text = site.read_text(encoding="utf-8").replace("id: scratch", f"id: scratch\nlanguage: {language}{more}")
    site.write_text(text, encoding="utf-8")


def test_the_statement_dates_are_welsh(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    in_language(project, "cy")
    page = BeautifulSoup(build(project.root).site.files["accessibility.html"], "html.parser")
    assert "Profwyd y cwrs ddiwethaf ar 14 Tachwedd 2023" in text_of(page, "main")


def test_welsh_callouts_quizzes_and_media(project):
    in_language(project, "cy")
    folder = project.root / "content/01-first/media"
    folder.mkdir(parents=True)
    (folder / "film.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (folder / "film.en.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n", encoding="utf-8")
    (folder / "film.ad.cy.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHelo.\n", encoding="utf-8")
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n## Start here\n\n"
                  "::: note\nA note.\n:::\n\n::: tip Handy\nA tip.\n:::\n\n"
                  "::: video src=media/film.mp4 captions=media/film.en.vtt descriptions=media/film.ad.cy.vtt\n"
                  "Transcript text.\n:::\n\n"
                  "::: quiz\n### Is this a question?\n- [x] Yes\n  > Right.\n- [ ] No\n  > Wrong.\n:::\n")
    page = BeautifulSoup(build(project.root).site.files["first/one.html"], "html.parser")
    assert [text_of(page, f".callout--{kind} .callout__title") for kind in ("note", "tip")] == ["Nodyn",
                                                                                              "Awgrym: Handy"]
    assert text_of(page, ".quiz__title") == "Gwirio eich dealltwriaeth"
    assert text_of(page, ".quiz__meta.js-only").startswith("1 cwestiwn. Marc llwyddo: 80%.")
    tracks = {t["kind"]: t["label"] for t in page.select("track")}
    assert tracks == {"captions": "Saesneg", "descriptions": "Cymraeg (disgrifiad sain)"}
    assert text_of(page, ".media__download") == "Lawrlwytho'r fideo (MP4, 1 KB)"
    assert text_of(page, ".media__transcript summary") == "Trawsgrifiad"


# ---- fallbacks --------------------------------------------------------------------------------------------------
def test_a_language_without_a_catalogue_is_english_with_one_warning(project):
    in_language(project, "fr")
    _, _, warnings = check(project.root)
    about = [w for w in warnings if "translation of its interface" in w.message]
    assert len(about) == 1 and "'fr'" in about[0].message and about[0].location.line == 2
    page = BeautifulSoup(build(project.root).site.files["first/one.html"], "html.parser")
    assert page.html["lang"] == "fr" and text_of(page, ".skip-link") == "Skip to main content"


def test_a_catalogue_missing_strings_warns_and_lists_them(project):
    """A theme of the course's own with Scottish Gaelic catalogues (here: the Welsh ones, less one string)."""
    theme = project.root / "themes" / "mine"
    shutil.copytree(THEME, theme)
    shutil.copytree(theme / "locale" / "cy", theme / "locale" / "gd")
    po = theme / "locale" / "gd" / "LC_MESSAGES" / "messages.po"
    gaelic = catalogue(po)
    gaelic.delete("Skip to main content")
    with po.open("wb") as file:
        write_po(file, gaelic)
    in_language(project, "gd", "\ntheme: mine")
    _, _, warnings = check(project.root)
    about = [w for w in warnings if "catalogues lack" in w.message]
    assert len(about) == 1 and "'gd'" in about[0].message and '"Skip to main content"' in about[0].message
    page = BeautifulSoup(build(project.root).site.files["first/one.html"], "html.parser")
    assert text_of(page, ".skip-link") == "Skip to main content"  # in English, the rest as the catalogue has it
    assert text_of(page, ".footer__link") == "Datganiad hygyrchedd"
