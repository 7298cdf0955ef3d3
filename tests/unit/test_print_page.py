"""Each module's print page: the whole module on one page, drawn for paper (generator/printable.py)."""

from __future__ import annotations

import json
import shutil
import re
import zipfile
from collections import Counter

from bs4 import BeautifulSoup

import pytest

from generator.build import build, check
from generator.errors import BuildFailed
from generator.markdown import make_markdown
from generator.mdplugins.deferred import MARKER
from generator.printable import SHORT_NOTE_WORDS, for_paper, render_print_page
from generator.render import prefill, render_page
from generator.theme import load_course_theme
from generator.scorm.package import package_course
from tests.conftest import REPO
from tests.scorm_xsd import errors as schema_errors

from .helpers import errors_of

ONE = """\
---
title: Page one
---
## Summary

Read [page two](02-two.md#details-of-two), or [this summary](#summary).[^1]

::: details Read more about peer mentors
Mentors meet new starters weekly.
:::

::: quiz id=first pass=60
### Which one is right?
- [ ] Wrong
  > Not this one.
- [x] Right
  > Yes, this one.

Because it is.

### Pick two {multiple}
- [x] First
  > Yes.
- [x] Second
- [ ] Third
  > No.
:::

[^1]: A footnote on page one.
"""
TWO = """\
---
title: Page two
---
## Summary

Text of page two.[^1]

### Details of two

::: quiz id=bank draw=1
### Bank question A
- [x] A right
  > {long}
- [ ] A wrong

### Bank question B
- [ ] B wrong
- [x] B right
:::

::: reflection id=think
What will you *do* differently?
:::

[^1]: A footnote on page two.
""".replace("{long}", " ".join(["word"] * (SHORT_NOTE_WORDS + 1)))


def printed(project) -> BeautifulSoup:
    project.write("content/01-first/01-one.md", ONE)
    project.write("content/01-first/02-two.md", TWO)
    return BeautifulSoup(build(project.root).site.files["first/print.html"], "html.parser")


def test_the_print_page_holds_the_landing_text_and_every_page_in_order(project):
    soup = printed(project)
    assert soup.title.string == "First module: the whole module to print or save – Scratch course"
    assert "the whole module to print or save" in soup.h1.get_text() and "First module" in soup.h1.get_text()
    sections = soup.select("main > section.print-section")
    titles = [s.h2.get_text(" ", strip=True) for s in sections]
    assert titles == ["Introduction", "Page 2 of 3 : Page one", "Page 3 of 3 : Page two", "Answers"]  # one count: the landing page is page 1
    assert "Welcome to the module." in sections[0].get_text() and "Do one thing" in sections[0].get_text()
    assert "Mentors meet new starters weekly." in sections[1].get_text()
    assert "Text of page two." in sections[2].get_text()
    assert all(s["aria-labelledby"] == s.h2["id"] for s in sections)


def test_each_pages_headings_go_one_level_down_and_expanders_are_open(project):
    soup = printed(project)
    one = soup.select("main > section.print-section")[1]
    assert [h.name for h in one.select("h2, h3, h4")] == ["h2", "h3", "h3", "h4", "h4"]  # title, Summary, quiz
    details = soup.select("main details")
    assert details and all(d.has_attr("open") for d in details)
    assert soup.select_one("main details summary").get_text(strip=True) == "Read more about peer mentors"


def test_ids_are_unique_and_links_within_the_module_point_into_the_page(project):
    soup = printed(project)
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []
    assert {"one--summary", "two--summary", "one--fn1", "two--fn1"} <= set(ids)
    for link in soup.select('main a[href^="#"]'):
        assert link["href"][1:] in ids, link
    one = soup.select("main > section.print-section")[1]
    hrefs = [a["href"] for a in one.select(".prose a")]
    assert hrefs[:2] == ["#two--details-of-two", "#one--summary"]
    assert soup.select_one(".print-quiz")["aria-labelledby"] == soup.select_one(".print-quiz__title")["id"]


def test_quizzes_print_every_question_numbered_across_the_module_with_the_answers_at_the_end(project):
    soup = printed(project)
    prompts = [h.get_text(" ", strip=True) for h in soup.select(".print-quiz__prompt")]
    assert prompts == ["Question 1: Which one is right?", "Question 2: Pick two",  # draw=1 still prints both:
                       "Question 3: Bank question A", "Question 4: Bank question B"]
    assert soup.select_one("main input, main form, main textarea, main button:not([data-module])") is None
    assert soup.select(".print-quiz__options--multiple .print-quiz__option")[0].get_text(strip=True) == "First"
    answers = soup.select_one("section.print-answers")
    assert answers is soup.select("main > section")[-1]
    items = [li.get_text(" ", strip=True) for li in answers.select(".print-answers__item")]
    assert items[0] == "Question 1: Correct answer: Right Yes, this one. Because it is."
    assert items[1] == "Question 2: Correct answers: First , Second Yes."
    assert items[2] == "Question 3: Correct answer: A right"  # its feedback is too long to print here
    assert items[3] == "Question 4: Correct answer: B right"


def test_a_reflection_prints_its_prompt_and_lines_to_write_on(project):
    soup = printed(project)
    reflection = soup.select_one(".print-reflection")
    assert reflection.select_one(".print-reflection__prompt").get_text(" ", strip=True) == "What will you do differently?"
    space = reflection.select_one(".print-reflection__space")
    assert space["aria-hidden"] == "true" and len(space.select(".print-reflection__line")) >= 5


def test_the_landing_page_and_every_page_link_to_the_print_page(project):
    site = build(project.root).site
    for url in ("first/index.html", "first/one.html", "first/two.html"):
        link = BeautifulSoup(site.files[url], "html.parser").select_one(".module-nav a[href='print.html']")
        assert link is not None and link.get_text() == "Print or save this module", url


def test_the_print_page_is_not_a_page_of_the_module_for_progress(project):
    site = build(project.root).site
    soup = BeautifulSoup(site.files["first/print.html"], "html.parser")
    assert not soup.html.has_attr("data-page")
    assert soup.select_one(".module-nav") is None
    course = json.loads(re.search(r"=\s*(\{.*\})", site.files["assets/course.js"], re.S).group(1))
    assert [p["id"] for p in course["modules"][0]["pages"]] == ["index", "one", "two"]


def test_print_is_a_reserved_page_id(project):
    project.write("content/01-first/03-print.md", "---\ntitle: Print\n---\nText.\n")
    assert errors_of(project.root) == [
        "content/01-first/03-print.md:1:1: error: page id 'print' is reserved for the module's own print.html"]


def test_for_paper_reads_only_tags_and_leaves_text_alone():
    html = ('<h2 id="a">A</h2>\n<p title="x > y" aria-describedby="a b">id="a" &lt;h2&gt; '
            '<a href="#a">a</a> <a href="two.html">2</a> <a href="two.html#x">x</a> <a href="other.html">o</a></p>\n'
            '<details open=""><summary>s</summary></details><details class="d"></details><br />')
    assert for_paper(html, "one", {"two.html": "two"}) == (
        '<h3 id="one--a">A</h3>\n<p title="x > y" aria-describedby="one--a one--b">id="a" &lt;h2&gt; '
        '<a href="#one--a">a</a> <a href="#lm-print-two">2</a> <a href="#two--x">x</a> <a href="other.html">o</a></p>\n'
        '<details open=""><summary>s</summary></details><details class="d" open></details><br />')


def test_for_paper_changes_bare_headings_and_details_and_leaves_other_bare_tags_alone():
    """Only headings, ``<details>`` and tags with attributes are read (most tags are bare ``<p>``, ``</li>``)."""
    html = ('<H4>A</H4><details><summary>s</summary><p>t</p></details><hgroup><h6>B</h6></hgroup>'
            '<h1x class="c">C</h1x><details\n  class="d">x</details><ul>\n<li><em>e</em><br/></li>\n</ul>')
    assert for_paper(html, "one", {}) == (
        '<h5>A</h5><details open><summary>s</summary><p>t</p></details><hgroup><h6>B</h6></hgroup>'
        '<h1x class="c">C</h1x><details\n  class="d" open>x</details><ul>\n<li><em>e</em><br/></li>\n</ul>')


def test_packages_hold_the_print_page_and_list_it_in_a_valid_manifest(project, tmp_path):
    project.write("content/01-first/02-two.md", TWO)
    course, _, _ = check(project.root)
    for version in ("1.2", "2004-4"):
        (built,) = package_course(course, tmp_path / version, versions=[version])
        archive = zipfile.ZipFile(built.path)
        assert "first/print.html" in archive.namelist()
        manifest = archive.read("imsmanifest.xml")
        assert b'<file href="first/print.html"' in manifest.replace(b"ns0:", b"")
        assert schema_errors(manifest, version) == []
        soup = BeautifulSoup(archive.read("first/print.html"), "html.parser")
        assert soup.select_one(".print-quiz") is not None and not soup.html.has_attr("data-page")


@pytest.mark.parametrize("allow_html", [False, True])
def test_a_package_fills_each_body_once_for_its_page_and_its_print_page_as_filling_it_whole(project, tmp_path,
                                                                                             allow_html):
    """A package fills a body's links, images and media once for its page and the print page
    (``render.prefill``), each then drawing the quizzes and reflections its own way: the HTML must be
    what filling each body whole makes, author HTML around a quiz included."""
    if allow_html:
        project.write("site.yaml", (project.root / "site.yaml").read_text() + "allow_html: true\n")
    project.write("content/01-first/01-one.md", ONE + '\n<div title="\n\n[two](02-two.md)\n\n'
                  '::: reflection id=inside\nIn an attribute?\n:::\n\n<p class=">\n\nEnd\n')
    project.write("content/01-first/02-two.md", TWO)
    course, _, _ = check(project.root)
    theme = load_course_theme(course.config, course.config.language)
    md = make_markdown(course.config.allow_html)
    module = course.modules[0]
    docs = (module, *module.pages)
    bodies = {doc.url: prefill(course, theme, md, doc, module) for doc in docs}
    assert sum(len(MARKER.findall(body.html)) for body in bodies.values()) >= 3  # 2 quizzes and a reflection to draw
    (built,) = package_course(course, tmp_path / "packages", versions=["1.2"])
    archive = zipfile.ZipFile(built.path)
    for doc in docs:
        whole = render_page(course, theme, md, doc, module)
        assert render_page(course, theme, md, doc, module, bodies[doc.url]) == whole
        assert archive.read(doc.url).decode() == whole
    whole = render_print_page(course, theme, md, module, module)
    assert "print-quiz" in whole and "print-reflection" in whole
    assert render_print_page(course, theme, md, module, module, bodies) == whole
    assert archive.read("first/print.html").decode() == whole


@pytest.mark.parametrize("allow_html", [False, True])
def test_a_build_fills_each_body_once_for_its_page_and_its_print_page_as_filling_it_whole(project, tmp_path,
                                                                                          allow_html, monkeypatch):
    """A build renders a module's pages and print page as one job, sharing the filled bodies (build._render)."""
    from generator import build as build_module
    if allow_html:
        project.write("site.yaml", (project.root / "site.yaml").read_text() + "allow_html: true\n")
    project.write("content/01-first/01-one.md", ONE + '\n<div title="\n\n[two](02-two.md)\n\n'
                  '::: reflection id=inside\nIn an attribute?\n:::\n\n<p class=">\n\nEnd\n')
    project.write("content/01-first/02-two.md", TWO)
    prefilled = []
    monkeypatch.setattr(build_module, "prefill", lambda *args, real=prefill: prefilled.append(args[3].url) or real(*args))
    monkeypatch.setenv("LEARNMARK_WORKERS", "0")
    out = tmp_path / "site"
    build(project.root, out)
    built, prefilled[:] = list(prefilled), []
    course, _, _ = check(project.root)
    theme = load_course_theme(course.config, course.config.language)
    md = make_markdown(course.config.allow_html)
    module = course.modules[0]
    assert sorted(built) == sorted(doc.url for doc in (module, *module.pages))  # once each
    for doc in (module, *module.pages):
        assert (out / doc.url).read_text() == render_page(course, theme, md, doc)
    assert (out / "first/print.html").read_text() == render_print_page(course, theme, md, module)


def test_a_theme_without_a_print_template_builds_as_before(project):
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    (theme / "templates" / "print.html").unlink()
    project.write("site.yaml", "id: scratch\ntitle: Scratch course\ntheme: mine\n")
    result = build(project.root)
    assert "first/print.html" not in result.site.files and "first/one.html" in result.site.files
    assert result.counts == (9, 1, 2)  # home, 404, progress, certificate, search, accessibility, module, 2 pages


def test_a_mistake_in_the_print_template_is_an_error_at_its_line_once_not_a_traceback(project, tmp_path):
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    (theme / "templates" / "print.html").write_text("{% if %}\n", encoding="utf-8")
    project.write("site.yaml", (project.root / "site.yaml").read_text() + "theme: mine\n")
    expected = ["themes/mine/templates/print.html:1:1: error: template error: "
                "Expected an expression, got 'end of statement block'"]
    assert errors_of(project.root) == expected
    course, _, _ = check(project.root, pages=False)
    with pytest.raises(BuildFailed) as failure:
        package_course(course, tmp_path / "packages", versions=["1.2"])
    assert [f"{d.location}: {d.severity}: {d.message}" for d in failure.value.diagnostics] == expected
