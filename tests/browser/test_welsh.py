"""The shipped course in Welsh (``language: cy``): axe-core finds no violations, and the pages keep their Welsh
interface without JavaScript (tests/unit/test_interface_language.py checks every string of every page)."""

from __future__ import annotations

import shutil

import pytest

from generator.build import build
from tests.conftest import REPO

from .conftest import serve_directory
from .test_axe import format_violations, run_axe_over

PAGES = ["index.html", "supportive-culture/index.html", "supportive-culture/why-culture-matters.html",
         "supportive-culture/summary.html", "supportive-culture/print.html", "progress.html", "certificate.html",
         "accessibility.html", "support.html", "404.html"]


@pytest.fixture(scope="module")
def welsh_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("welsh-browser")
    shutil.copytree(REPO / "content", root / "content")
    site = (REPO / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(site.replace("language: en-GB", "language: cy"), encoding="utf-8")
    build(root, root / "site")
    with serve_directory(root / "site") as url:
        yield url


def test_welsh_pages_have_no_axe_violations(welsh_url, axe_path, new_context):
    found = run_axe_over(new_context, welsh_url, axe_path, PAGES)
    if found:
        pytest.fail("axe found WCAG A/AA violations on Welsh pages:\n" + format_violations(found), pytrace=False)


def test_welsh_pages_without_javascript(welsh_url, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(welsh_url + "supportive-culture/summary.html")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator(".skip-link").inner_text() == "Neidio i'r prif gynnwys"
    assert page.locator(".quiz__meta.nojs-only").first.inner_text().startswith("6 chwestiwn i ymarfer arnynt.")
    page.goto(welsh_url + "progress.html")
    assert page.locator("h1").inner_text() == "Eich cynnydd"
    assert page.locator(".nojs-only").first.is_visible()
