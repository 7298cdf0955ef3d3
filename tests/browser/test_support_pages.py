"""The support page and the accessibility statement in Chromium: axe-clean, reachable from every page, JavaScript off."""

from __future__ import annotations

import pytest

from generator.build import build
from tests.browser.conftest import serve_directory
from tests.browser.test_axe import format_violations, run_axe_over
from tests.conftest import Project

OWN_PAGES = ["support.html", "accessibility.html"]


def test_support_page_and_statement_have_no_axe_violations(site, base_url, axe_path, new_context):
    assert set(OWN_PAGES) <= set(site.pages), "the shipped course has a support page and a statement"
    for scheme in ("light", "dark"):
        found = run_axe_over(new_context, base_url, axe_path, OWN_PAGES, color_scheme=scheme)
        assert not found, f"{scheme}:\n" + format_violations(found)


def test_a_statement_with_every_kind_of_finding_has_no_axe_violations(tmp_path, axe_path, new_context):
    """The shipped course's statement lists nothing as non-accessible: this one lists a document, author HTML
    and an exception, and has no contact."""
    course = Project(tmp_path / "course")
    course.write("site.yaml", "id: scratch\ntitle: Scratch\nallow_html: true\nsupport: content/_support.md\n"
                 "accessibility:\n  exceptions:\n    - The chart on page one has no text description.\n")
    course.write("content/_support.md", "---\ntitle: Get support\n---\n## Urgent help\n\nCall 999.\n")
    course.write("content/01-first/_module.md", "---\ntitle: First\nsummary: S.\ncontent_note: Loss.\n---\nHi.\n")
    course.write("content/01-first/01-one.md", "---\ntitle: One\n---\n[The leaflet](leaflet.pdf) <mark>new</mark>\n")
    course.write("content/01-first/leaflet.pdf", "%PDF-1.4\n")
    build(course.root, tmp_path / "site")
    with serve_directory(tmp_path / "site") as url:
        found = run_axe_over(new_context, url, axe_path, [*OWN_PAGES, "first/index.html"])
    assert not found, format_violations(found)


@pytest.mark.parametrize("start", ["index.html", "trauma-informed-practice/what-is-trauma.html"])
def test_header_and_footer_links_work_with_javascript_off(nojs_page, base_url, start):
    nojs_page.goto(base_url + start)
    support = nojs_page.get_by_role("navigation", name="Course").get_by_role("link", name="Get support")
    assert support.is_visible()
    support.click()
    assert nojs_page.url == base_url + "support.html"
    assert nojs_page.get_by_role("heading", level=1).inner_text() == "Get support"
    nojs_page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    assert nojs_page.url == base_url + "accessibility.html"
    assert nojs_page.get_by_role("heading", level=1).inner_text().startswith("Accessibility statement for ")


def test_the_content_note_is_the_first_thing_after_the_heading_and_links_to_support(page, base_url):
    page.goto(base_url + "trauma-informed-practice/index.html")
    first = page.locator("main > h1 + *")
    assert "callout--content-note" in first.get_attribute("class")
    first.get_by_role("link", name="Get support").click()
    assert page.url == base_url + "support.html"
