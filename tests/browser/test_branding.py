"""The branded fixture course (tests/fixtures/branded-course) in Chromium: axe-clean light and dark, its logo
in the header with its alt text, and the brand colour applied, with boundaries that have 3:1 in both schemes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.colour import contrast
from tests.browser.conftest import serve_directory
from tests.browser.test_axe import format_violations, run_axe_over

BRANDED = Path(__file__).parent.parent / "fixtures" / "branded-course"
PAGES = ["index.html", "welcome/index.html", "welcome/start.html", "welcome/print.html", "progress.html",
         "accessibility.html"]
BRAND_RGB = "rgb(0, 84, 159)"
"""#00549f, the fixture's brand colour, as computed styles give it."""


@pytest.fixture(scope="module")
def branded_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("branded") / "course"
    shutil.copytree(BRANDED, root)
    build(root, root / "site")
    with serve_directory(root / "site") as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_branded_course_is_axe_clean(new_context, branded_url, axe_path, scheme):
    found = run_axe_over(new_context, branded_url, axe_path, PAGES, color_scheme=scheme)
    if found:
        pytest.fail(f"axe found violations ({scheme}):\n" + format_violations(found), pytrace=False)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_header_shows_the_logo_with_its_alt_and_the_brand_colour(new_context, branded_url, scheme):
    page = new_context(color_scheme=scheme).new_page()
    page.goto(branded_url + "welcome/start.html")
    logo = page.locator("header img.header__logo")
    assert logo.get_attribute("alt") == "Cwm Taf Example Health Board"
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")  # it loaded
    assert page.get_by_role("banner").get_by_role("img", name="Cwm Taf Example Health Board").is_visible()
    assert page.locator("header.header").evaluate("h => getComputedStyle(h).backgroundColor") == BRAND_RGB
    assert page.locator("footer.footer--branded").is_visible()  # the overridden component


def test_the_favicon_is_the_brands(new_context, branded_url):
    page = new_context().new_page()
    page.goto(branded_url)
    href = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert href == branded_url + "assets/brand/favicon.png"
    assert page.request.get(href).ok


def _rgb(css: str) -> tuple[float, float, float]:
    """A computed colour ("rgb(r, g, b)", opaque) as generator.colour's RGB."""
    r, g, b = (int(n) / 255 for n in re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, 1)?\)", css).groups())
    return r, g, b


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiz_choices_borders_and_focus_have_3_to_1_against_what_they_meet(new_context, branded_url, scheme):
    """WCAG 1.4.11 in both schemes, from computed styles: the quiz's brand border against its panel and the page,
    a choice's accent (its checked mark) against the panel, and the focus ring of a choice against the panel."""
    page = new_context(color_scheme=scheme).new_page()
    page.goto(branded_url + "welcome/start.html")
    quiz = page.locator(".quiz").first
    styles = quiz.evaluate("q => { const s = getComputedStyle(q); return {border: s.borderTopColor, "
                           "panel: s.backgroundColor, body: getComputedStyle(document.body).backgroundColor}; }")
    panel, body = _rgb(styles["panel"]), _rgb(styles["body"])
    border = _rgb(styles["border"])
    assert contrast(border, panel) >= 3 and contrast(border, body) >= 3, styles
    choice = quiz.locator(".quiz__input").first
    assert contrast(_rgb(choice.evaluate("i => getComputedStyle(i).accentColor")), panel) >= 3
    page.keyboard.press("Tab")  # focus from the keyboard, so :focus-visible applies
    while not choice.evaluate("i => i === document.activeElement"):
        page.keyboard.press("Tab")
    ring = choice.evaluate("i => ({visible: i.matches(':focus-visible'), outline: getComputedStyle(i).outlineColor, "
                           "style: getComputedStyle(i).outlineStyle, shadow: getComputedStyle(i).boxShadow})")
    assert ring["visible"] and ring["style"] == "solid"
    # The ring is a yellow outline inside a dark band (as GOV.UK's): the dark shows on light panels, the yellow
    # on dark ones; one of them must have 3:1 against the panel.
    colours = [ring["outline"], *re.findall(r"rgba?\([^)]*\)", ring["shadow"])]
    assert max(contrast(_rgb(colour), panel) for colour in colours) >= 3, ring
    if scheme == "dark":  # the branded colour itself is too dark there: the derived shade is used
        assert styles["border"] == "rgb(36, 108, 185)"  # #246cb9
