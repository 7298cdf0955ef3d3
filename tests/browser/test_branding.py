"""The branded fixture course (tests/fixtures/branded-course) in Chromium: axe-clean light and dark, its logo
in the header with its alt text, and the brand colour applied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
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
