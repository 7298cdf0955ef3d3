"""The support page: site.yaml's support: names a Markdown file in content/, published as support.html."""

from __future__ import annotations

import zipfile

import pytest
from bs4 import BeautifulSoup

from generator.build import build, check
from generator.scorm.package import package_course
from tests.conftest import SITE

from .helpers import errors_of, hints_of

SUPPORT = """\
---
title: Help and support
summary: Who to talk to.
---
## At work

Talk to your manager, or read [page two](01-first/02-two.md#details-of-two).

![A phone](phone.svg)
"""
NOTE_MODULE = """\
---
title: First module
summary: A module for tests.
content_note: This module talks about loss.
---
Welcome to the module.
"""
PHONE = "<svg xmlns='http://www.w3.org/2000/svg'/>"


@pytest.fixture
def supported(project):
    project.write("site.yaml", SITE + "support: content/_support.md\n")
    project.write("content/_support.md", SUPPORT)
    project.write("content/phone.svg", PHONE)
    return project


def only_errors(root) -> list[str]:
    """Without the warning that the support page's image is unused, when the support page cannot be read."""
    return [line for line in errors_of(root) if ": error: " in line]


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_support_page_is_built_from_the_markdown_with_its_links_and_images(supported):
    result = build(supported.root)
    assert result.warnings == []
    page = soup(result.site.files["support.html"])
    assert page.h1.get_text() == "Help and support"
    assert page.title.string == "Help and support – Scratch course"
    prose = page.select_one(".prose")
    assert [a["href"] for a in prose.select("a")] == ["first/two.html#details-of-two"]
    assert prose.img["src"] == "_media/phone.svg"
    assert "_media/phone.svg" in result.site.copies


def test_the_support_file_is_not_a_page_nor_an_error(supported):
    course = build(supported.root).course
    assert [d.url for d in course.sequence] == ["first/index.html", "first/one.html", "first/two.html"]
    supported.write("content/01-first/_notes.md", "not a page")
    assert [d.url for d in build(supported.root).course.sequence] == ["first/index.html", "first/one.html",
                                                                      "first/two.html"]


def test_every_page_links_to_support_in_its_header(supported):
    files = build(supported.root).site.files
    for path in ("index.html", "404.html", "progress.html", "certificate.html", "accessibility.html",
                 "first/index.html", "first/one.html", "support.html"):
        links = {a.get_text(): a["href"] for a in soup(files[path]).select("header a")}
        expected = "support.html" if "/" not in path else "../support.html"
        assert links.get("Get support") == expected, path
        link = soup(files[path]).select_one("header a[href$='support.html']")
        assert "js-only" not in (link.parent.get("class") or []), "works with JavaScript off"
    assert soup(files["support.html"]).select_one("header a[aria-current=page]").get_text() == "Get support"


def test_without_support_there_is_no_page_and_no_link(project):
    result = build(project.root)
    assert "support.html" not in result.site.files
    assert "Get support" not in result.site.files["first/one.html"]


def test_content_note_comes_first_and_links_to_support(supported):
    supported.write("content/01-first/_module.md", NOTE_MODULE)
    main = soup(build(supported.root).site.files["first/index.html"]).select_one("main")
    first, second = [tag for tag in main.children if getattr(tag, "name", None)][:2]
    assert first.name == "h1"
    assert "callout--content-note" in second["class"]
    assert "This module talks about loss." in second.get_text()
    assert second.a["href"] == "../support.html" and second.a.get_text() == "Get support"


def test_content_note_without_a_support_page_has_no_link(project):
    project.write("content/01-first/_module.md", NOTE_MODULE)
    note = soup(build(project.root).site.files["first/index.html"]).select_one(".callout--content-note")
    assert note is not None and note.a is None


def test_pages_may_link_to_the_support_file(supported):
    supported.write("content/01-first/01-one.md", "---\ntitle: One\n---\nSee [support](../_support.md#at-work).\n")
    prose = soup(build(supported.root).site.files["first/one.html"]).select_one(".prose")
    assert prose.a["href"] == "../support.html#at-work"


def test_support_page_and_statement_go_into_packages_and_the_manifest(supported, tmp_path):
    course, _, _ = check(supported.root)
    (built,) = package_course(course, tmp_path / "packages", versions=["1.2"])
    archive = zipfile.ZipFile(built.path)
    assert {"support.html", "accessibility.html", "_media/phone.svg"} <= set(archive.namelist())
    manifest = archive.read("imsmanifest.xml").decode()
    assert 'href="support.html"' in manifest and 'href="accessibility.html"' in manifest
    page = soup(archive.read("first/one.html").decode())
    assert page.select_one("header a[href='../support.html']") is not None
    assert page.select_one("footer a[href='../accessibility.html']") is not None


@pytest.mark.parametrize("value, message, hint", [
    ("content/_suport.md", "site.yaml:7:10: error: the support file 'content/_suport.md' does not exist",
     "did you mean 'content/_support.md'?"),
    ("../outside.md", "site.yaml:7:10: error: the support file '../outside.md' is not inside content/",
     "name a Markdown file inside content/, relative to site.yaml: e.g. support: content/_support.md"),
    ("/etc/passwd", "site.yaml:7:10: error: the support file '/etc/passwd' is not inside content/", None),
    ("content/phone.svg", "site.yaml:7:10: error: the support file 'content/phone.svg' is not a "
     "Markdown file", "name a .md file, e.g. support: content/_support.md"),
    ("content/01-first/01-one.md", "site.yaml:7:10: error: the support file 'content/01-first/01-one.md' would also "
     "be a page of a module or an error, as its name does not start with '_'", None),
    ("[a, b]", "site.yaml:7:10: error: 'support' must be text, not a list", None),
])
def test_support_value_errors_are_at_the_support_line(supported, value, message, hint):
    supported.write("site.yaml", SITE + f"support: {value}\n")
    assert only_errors(supported.root) == [message]
    if hint:
        assert hint in hints_of(supported.root)


def test_support_file_linking_outside_content_is_refused(supported, tmp_path):
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\n---\nsecret\n")
    (supported.root / "content" / "_secret.md").symlink_to(tmp_path / "secret.md")
    supported.write("site.yaml", SITE + "support: content/_secret.md\n")
    assert "site.yaml:7:10: error: the support file 'content/_secret.md' is a symbolic link to a file outside " \
           "content/" in only_errors(supported.root)


def test_problems_inside_the_support_file_are_at_its_lines(supported):
    supported.write("content/_support.md", "---\ntitle: Help\n---\n# Big\n\n[x](nope.md)\n\n"
                    "::: quiz id=q\n### Q\n- [x] A\n  > Yes.\n- [ ] B\n  > No.\n:::\n")
    assert only_errors(supported.root) == [
        "content/_support.md:4:1: error: level-1 heading '# Big' in a page body",
        "content/_support.md:6:1: error: link to a missing page 'nope.md'",
        "content/_support.md:8:1: error: the support page cannot hold a quiz",
    ]


def test_support_file_that_is_not_utf8_is_an_error_not_a_traceback(supported):
    (supported.root / "content" / "_support.md").write_bytes(b"---\ntitle: \xff\n---\n")
    (line,) = only_errors(supported.root)
    assert line.startswith("site.yaml:7:10: error: the support file 'content/_support.md' is not UTF-8 text")


def test_a_failed_support_build_leaves_the_site_untouched(supported, tmp_path):
    out = tmp_path / "site"
    build(supported.root, out)
    before = (out / "support.html").read_text()
    supported.write("content/_support.md", "---\ntitle: Help\n---\n[x](nope.md)\n")
    with pytest.raises(Exception):
        build(supported.root, out)
    assert (out / "support.html").read_text() == before


def test_module_ids_support_and_accessibility_are_reserved(project):
    project.write("content/02-support/_module.md", "---\ntitle: S\nsummary: S.\n---\nHi.\n")
    project.write("content/03-accessibility/_module.md", "---\ntitle: A\nsummary: A.\n---\nHi.\n")
    assert errors_of(project.root) == [
        "content/02-support/_module.md:1:1: error: module id 'support' is reserved for the site's own support.html",
        "content/03-accessibility/_module.md:1:1: error: module id 'accessibility' is reserved for the site's own "
        "accessibility.html",
    ]
