"""Author HTML is escaped by default, and sanitised when a course opts in."""

from bs4 import BeautifulSoup

from generator.build import build

PAGE = "content/01-first/01-one.md"
NASTY = """\
---
title: One
---
<script>alert('x')</script>

<p onclick="steal()">Hi <mark>there</mark> <a href="javascript:steal()">click</a></p>

<img src=x onerror="steal()" alt="x">
"""


def body(project):
    html = build(project.root).site.files["first/one.html"]
    return BeautifulSoup(html, "html.parser").select_one(".prose")


def test_raw_html_is_shown_as_text_by_default(project):
    project.write(PAGE, NASTY)
    prose = body(project)
    assert prose.find("script") is None and prose.find("mark") is None
    assert "<script>alert('x')</script>" in prose.get_text()


def test_allowed_html_is_sanitised(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nallow_html: true\n")
    project.write(PAGE, NASTY)
    prose = body(project)
    assert prose.find("script") is None
    assert prose.find("mark").get_text() == "there"
    assert not [tag for tag in prose.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    assert all(not a.get("href", "").startswith("javascript:") for a in prose.find_all("a"))


def test_sanitising_keeps_learnmark_markup(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nallow_html: true\n")
    project.write(PAGE, "---\ntitle: One\n---\n## Heading\n\n::: tip Help\nText\n:::\n")
    prose = body(project)
    assert prose.find("h2")["id"] == "heading"
    assert prose.select_one(".callout--tip")["role"] == "note"
