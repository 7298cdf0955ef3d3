"""Bilingual courses: translations beside their sources, one site with a folder per language, a language
switch with hreflang on every page, shared ids (so shared progress), warnings for what is not translated,
and a package per language."""

from __future__ import annotations

import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build, check
from generator.discover import discover
from generator.errors import BuildFailed
from generator.scorm.package import package_course, packaged_languages
from generator.serve import Preview
from tests.bilingual import write_bilingual
from tests.scorm_xsd import errors as schema_errors

from .test_cli import learnmark


@pytest.fixture
def course(tmp_path) -> Path:
    return write_bilingual(tmp_path / "course")


def built(root: Path) -> tuple[Path, list[str]]:
    out = root / "build" / "site"
    result = build(root, out)
    return out, [d.format().splitlines()[0] for d in result.warnings]


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def course_data(out: Path, folder: str = "", script: str = "assets/course.js") -> dict:
    text = (out / folder / script).read_text(encoding="utf-8")
    return json.loads(re.search(r"window\.LearnmarkCourse = (.*?);\n", text).group(1))


def diagnostics(root: Path) -> list[str]:
    try:
        build(root)
    except BuildFailed as failure:
        return [d.format().splitlines()[0] for d in failure.diagnostics if d.severity == "error"]
    raise AssertionError("the build succeeded but was expected to fail")


def test_translations_are_found_beside_their_sources_and_are_not_pages(course):
    modules, problems = discover(course, course / "content")
    assert problems == []
    first = modules[0]
    assert [f.name for f in first.pages] == ["01-reading.md", "02-check.md"]
    assert [f.name for f in first.translations] == ["01-reading.cy.md", "02-check.cy.md", "_module.cy.md"]
    assert [f.name for f in modules[2].translations] == []


def test_a_name_is_a_translations_only_when_its_tag_names_a_language():
    from generator.i18n.names import translation_of
    assert translation_of("02-mentoring.cy.md") == ("02-mentoring.md", "cy")
    assert translation_of("_module.en-GB.md") == ("_module.md", "en-GB")
    assert translation_of("notes.v2.md") is None and translation_of("notes.old.md") is None
    assert translation_of("02-mentoring.md") is None


def test_the_default_language_is_at_the_root_and_the_other_under_its_folder(course):
    out, _ = built(course)
    for rel in ("index.html", "first/reading.html", "cy/index.html", "cy/first/reading.html", "cy/progress.html",
                "cy/certificate.html", "cy/support.html", "cy/first/print.html", "cy/first/dispatch.html",
                "cy/assets/course.js"):
        assert (out / rel).is_file(), rel
    # Theme assets and the 404 page once, at the root; the Welsh pages load the root's.
    for rel in ("cy/assets/learnmark.css", "cy/assets/learnmark.js", "cy/404.html"):
        assert not (out / rel).exists(), rel
    page = soup(out, "cy/first/reading.html")
    assert page.html["lang"] == "cy"
    assert page.find("link", rel="stylesheet")["href"] == "../../assets/learnmark.css"
    assert [s["src"] for s in page.find_all("script", src=True)] == ["../assets/course.js", "../../assets/learnmark.js"]
    assert page.h1.get_text(strip=True).endswith("Darllen")
    assert soup(out, "first/reading.html").html["lang"] == "en-GB"
    # The Welsh dispatch page frames the Welsh module, with the root's stylesheet.
    dispatch = soup(out, "cy/first/dispatch.html")
    assert dispatch.find("link", rel="stylesheet")["href"] == "../../assets/learnmark.css"
    assert "dispatch-course.js" in [s.get("src") for s in dispatch.find_all("script")]
    hosted = (out / "cy" / "first" / "dispatch-course.js").read_text(encoding="utf-8")
    assert "window.LearnmarkMessages = " in hosted  # the runtime's notices in Welsh


def test_every_language_has_the_same_ids_so_progress_is_one_record(course):
    out, _ = built(course)
    english, welsh = course_data(out), course_data(out, "cy")
    assert english["id"] == welsh["id"] == "bilingual"

    def ids(data):
        return [(m["id"], [p["id"] for p in m["pages"]], [(q["id"], q["count"]) for q in m["quizzes"]])
                for m in data["modules"]]
    assert ids(english) == ids(welsh)
    # The question and option ids, which only the SCORM runtime reads, are in each module's hosted launch
    # page's script (and in packages): the Welsh quiz took the English ones by position.
    first = [course_data(out, folder, "first/dispatch-course.js")["modules"][0]["quizzes"] for folder in ("", "cy")]
    assert first[0] == first[1] and [q["key"] for q in first[1]] == [q["key"] for q in first[0]]
    assert first[1][0]["questions"][0]["id"] == "which-colour-is-the-sky"
    assert first[1][0]["questions"][0]["choices"] == ["blue", "green"]
    titles = (out / "cy" / "assets" / "course-titles.js").read_text(encoding="utf-8")  # the titles are there
    welsh_titles = json.loads(re.search(r"window\.LearnmarkTitles = (.*?);\n", titles).group(1))
    assert welsh_titles[f"{welsh['modules'][0]['id']}/{welsh['modules'][0]['pages'][1]['id']}"] == "Darllen"
    page = soup(out, "cy/first/check.html")
    assert page.html["data-page"] == soup(out, "first/check.html").html["data-page"] == "first/check"
    assert page.find(attrs={"data-quiz": True}) is not None or "first/check-quiz" in str(page)


def test_every_page_has_a_language_switch_and_alternates(course):
    out, _ = built(course)
    pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html")
             if p.name not in ("404.html", "dispatch.html")]
    assert len(pages) > 20
    for rel in pages:
        page = soup(out, rel)
        switch = page.find("nav", class_="language-switch")
        assert switch is not None, rel
        (link,) = switch.find_all("a")
        other = "en-GB" if rel.startswith("cy/") else "cy"
        assert link["hreflang"] == other and link["lang"] == other, rel
        assert link.get_text(strip=True) == {"cy": "Cymraeg", "en-GB": "English"}[other]
        alternates = {a["hreflang"]: a["href"] for a in page.find_all("link", rel="alternate")}
        assert page.html["lang"] in alternates or page.find("main").get("lang"), rel
    home = soup(out, "index.html")
    assert {a["hreflang"]: a["href"] for a in home.find_all("link", rel="alternate")} == {
        "en-GB": "index.html", "cy": "cy/index.html"}
    reading = soup(out, "cy/first/reading.html")
    assert reading.find("nav", class_="language-switch").a["href"] == "../../first/reading.html"
    assert {a["hreflang"]: a["href"] for a in reading.find_all("link", rel="alternate")} == {
        "en-GB": "../../first/reading.html", "cy": "reading.html"}
    assert soup(out, "404.html").find("nav", class_="language-switch") is None


def test_alternates_are_absolute_with_a_base_url(course):
    site = (course / "site.yaml").read_text()
    (course / "site.yaml").write_text(site + "base_url: https://learning.example.org/course/\n")
    out, _ = built(course)
    page = soup(out, "first/reading.html")
    assert {a["hreflang"]: a["href"] for a in page.find_all("link", rel="alternate")} == {
        "en-GB": "https://learning.example.org/course/first/reading.html",
        "cy": "https://learning.example.org/course/cy/first/reading.html"}
    assert soup(out, "cy/first/reading.html").find("link", rel="canonical")["href"] == \
        "https://learning.example.org/course/cy/first/reading.html"


def test_a_missing_page_or_module_is_a_warning_and_the_switch_says_so(course):
    out, warnings = built(course)
    assert [w for w in warnings if "translation" in w] == [
        "content/02-second/01-only.md:1:1: warning: this page has no Welsh (cy) translation: Welsh learners get its "
        "English text, and the language switch on it says it is not available in Welsh and links to the module in Welsh",
        "content/03-third/_module.md:1:1: warning: this module's landing page has no Welsh (cy) translation: Welsh "
        "learners get its English text, and the language switch on it says it is not available in Welsh and links "
        "to the home page in Welsh",
        "content/03-third/01-more.md:1:1: warning: this page has no Welsh (cy) translation: Welsh learners get its "
        "English text, and the language switch on it says it is not available in Welsh and links to the home page "
        "in Welsh",
    ]
    only = soup(out, "second/only.html").find("nav", class_="language-switch")
    assert only.a["href"] == "../cy/second/index.html" and only.a["lang"] == "cy"
    note = only.find(id=only.a["aria-describedby"])
    assert note.get_text(strip=True) == "This page is not available in Welsh: the link goes to its module."
    more = soup(out, "third/more.html").find("nav", class_="language-switch")
    assert more.a["href"] == "../cy/index.html"
    assert "the course's home page" in more.find(id=more.a["aria-describedby"]).get_text()
    # Welsh learners get the English text, marked as English, and no alternate claims it is Welsh.
    shown = soup(out, "cy/second/only.html")
    assert shown.find("main")["lang"] == "en-GB" and shown.html["lang"] == "cy"
    assert [a["hreflang"] for a in shown.find_all("link", rel="alternate")] == ["en-GB"]
    assert [a["hreflang"] for a in soup(out, "second/only.html").find_all("link", rel="alternate")] == ["en-GB"]
    assert soup(out, "cy/first/reading.html").find("main").get("lang") is None


def test_a_missing_support_translation_is_a_warning(course):
    (course / "content/_support.cy.md").unlink()
    _, warnings = built(course)
    assert ("content/_support.md:1:1: warning: the support page has no Welsh (cy) translation: Welsh learners get "
            "its English text") in warnings


def test_the_course_title_is_translated_in_site_yaml(course):
    out, warnings = built(course)
    assert soup(out, "cy/index.html").find("h1").get_text(strip=True) == "Cwrs dwyieithog"
    assert soup(out, "index.html").find("h1").get_text(strip=True) == "Bilingual course"
    assert course_data(out, "cy")["title"] == "Cwrs dwyieithog"
    assert not [w for w in warnings if "course title" in w]


def test_an_untranslated_course_title_is_a_warning(course):
    site = (course / "site.yaml").read_text().replace("translations:\n  cy:\n    title: Cwrs dwyieithog\n", "")
    (course / "site.yaml").write_text(site)
    out, warnings = built(course)
    assert ("site.yaml:2:8: warning: the course title has no Welsh (cy) translation: Welsh pages show it in "
            "English") in warnings
    assert soup(out, "cy/index.html").find("h1").get_text(strip=True) == "Bilingual course"


@pytest.mark.parametrize("block, expected", [
    ("translations:\n  fr:\n    title: Cours\n",
     "site.yaml:{line}:3: error: 'translations' names 'fr', which is not one of the course's other languages"),
    ("translations:\n  cy:\n    titel: Cwrs\n", "site.yaml:{next_line}:5: error: unknown key 'titel' in translations: cy"),
])
def test_translations_name_the_courses_languages_and_known_keys(course, block, expected):
    site = (course / "site.yaml").read_text().replace("translations:\n  cy:\n    title: Cwrs dwyieithog\n", "")
    (course / "site.yaml").write_text(site + block)
    lines = site.count("\n")
    assert expected.format(line=lines + 2, next_line=lines + 3) in diagnostics(course)


def test_a_quiz_that_does_not_match_its_source_is_an_error_at_the_translation(course):
    path = course / "content/01-first/02-check.cy.md"
    text = path.read_text()
    path.write_text(text.replace("### Pa liw yw'r awyr?", "### Pa liw yw'r awyr? {#lliw}")
                    .replace("- [ ] Gwyrdd", "- [x] Gwyrdd"))
    assert diagnostics(course) == [
        "content/01-first/02-check.cy.md:5:1: error: this Welsh translation question id 'lliw' is not its source's "
        "'which-colour-is-the-sky': a translation must match its source (content/01-first/02-check.md), so that "
        "progress is shared between languages",
        "content/01-first/02-check.cy.md:8:1: error: this Welsh translation this option is marked correct [x] where "
        "its source's is wrong [ ]: a translation must match its source (content/01-first/02-check.md), so that "
        "progress is shared between languages",
    ]


def test_a_quiz_with_other_questions_is_an_error(course):
    path = course / "content/01-first/02-check.cy.md"
    path.write_text(path.read_text().replace(":::\n", "\n### Ail gwestiwn?\n- [x] Ie\n  > Ie.\n- [ ] Na\n  > Na.\n:::\n"))
    (problem,) = diagnostics(course)
    assert problem.startswith("content/01-first/02-check.cy.md:4:1: error: this Welsh translation quiz has 2 questions "
                              "where its source has 1")


def test_a_translation_keeps_its_sources_id(course):
    path = course / "content/01-first/01-reading.cy.md"
    path.write_text(path.read_text().replace("title: Darllen", "title: Darllen\nid: darllen"))
    (problem,) = diagnostics(course)
    assert problem == "content/01-first/01-reading.cy.md:1:1: error: a translation keeps its source's id 'reading', not 'darllen'"


def test_a_file_named_for_another_language_is_an_error_not_a_page(course):
    (course / "content/01-first/01-reading.fr.md").write_text("---\ntitle: Lire\n---\nTexte.\n")
    (course / "content/01-first/03-orphan.cy.md").write_text("---\ntitle: Amddifad\n---\nTestun.\n")
    problems = diagnostics(course)
    assert problems == [
        "content/01-first/01-reading.fr.md:1:1: error: this file is named as a French (fr) translation, but 'fr' is "
        "not one of the course's other languages (cy), so it is left out",
        "content/01-first/03-orphan.cy.md:1:1: error: this Welsh (cy) translation has no source: there is no "
        "03-orphan.md beside it",
    ]


def test_a_translation_in_a_course_in_one_language_is_an_error(project):
    project.write("content/01-first/01-one.cy.md", "---\ntitle: Un\n---\nTestun.\n")
    try:
        build(project.root)
    except BuildFailed as failure:
        (problem,) = [d for d in failure.diagnostics if d.severity == "error"]
    assert problem.location.path == "content/01-first/01-one.cy.md"
    assert "the course is in one language" in problem.message
    assert "languages: [en-GB, cy]" in problem.hint


def test_language_and_languages_together_is_an_error(course):
    (course / "site.yaml").write_text((course / "site.yaml").read_text() + "language: cy\n")
    try:
        build(course)
    except BuildFailed as failure:
        (problem,) = [d for d in failure.diagnostics if d.severity == "error"]
    assert problem.format().startswith("site.yaml:11:11: error: 'language' and 'languages' cannot both be set")
    assert "for a course in one language" in problem.hint


def test_a_module_id_cannot_be_a_language_folder(course):
    (course / "content/04-cy").mkdir()
    (course / "content/04-cy/_module.md").write_text("---\ntitle: Clash\nsummary: S.\n---\nText.\n")
    assert any(p.startswith("content/04-cy/_module.md:1:1: error: module id 'cy' is the folder of the course's "
                            "cy pages") for p in diagnostics(course))


def test_check_reports_translation_problems(course):
    run = learnmark("check", cwd=course)
    assert run.returncode == 0, run.stdout
    assert "content/02-second/01-only.md:1:1: warning: this page has no Welsh (cy) translation" in run.stdout


def test_a_package_per_language_with_its_language_in_the_manifest(course, tmp_path):
    checked, _, _ = check(course, pages=False)
    packages = [p for each, _ in packaged_languages(checked)
                for p in package_course(each, tmp_path / "packages", ["1.2", "2004-4"], ["first"])]
    names = sorted(p.path.name for p in packages)
    assert names == ["bilingual-first-cy-scorm12.zip", "bilingual-first-cy-scorm2004-4.zip",
                     "bilingual-first-en-GB-scorm12.zip", "bilingual-first-en-GB-scorm2004-4.zip"]
    for package in packages:
        archive = zipfile.ZipFile(package.path)
        manifest = archive.read("imsmanifest.xml")
        assert schema_errors(manifest, package.version) == []
        language = "cy" if "-cy-" in package.path.name else "en-GB"
        assert f'xml:lang="{language}"'.encode() in manifest
        page = BeautifulSoup(archive.read("first/reading.html"), "html.parser")
        assert page.html["lang"] == language
        assert page.find("link", rel="stylesheet")["href"] == "../assets/learnmark.css"  # its own, in the package
        assert page.find("nav", class_="language-switch") is None  # the other language is not in the package


def test_package_language_option(course):
    run = learnmark("package", "--language", "cy", "--module", "first", cwd=course)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (course / "build/packages").iterdir()) == ["bilingual-first-cy-scorm12.zip"]
    dispatch = learnmark("package", "--language", "cy", "--module", "first", "--dispatch", "--base-url",
                         "https://learning.example.org/course/", "--out", "dispatch", cwd=course)
    assert dispatch.returncode == 0, dispatch.stderr
    assert "frames https://learning.example.org/course/cy/first/dispatch.html" in dispatch.stdout
    unknown = learnmark("package", "--language", "fr", cwd=course)
    assert unknown.returncode == 1 and "--language fr: the course is not in 'fr'" in unknown.stderr


def test_serve_previews_every_language(course):
    preview = Preview(course)
    preview.rebuild()
    assert not preview.failed, [p.format() for p in preview.problems]
    statuses = {}

    def get(path):
        def start(status, headers):
            statuses[path] = status.split()[0]
        return b"".join(preview.app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start))
    assert b"Darllen" in get("/cy/first/reading.html")
    assert b"Reading" in get("/first/reading.html")
    assert statuses == {"/cy/first/reading.html": "200", "/first/reading.html": "200"}


def test_the_preview_rerenders_the_switch_when_a_translation_appears(course):
    preview = Preview(course)
    preview.rebuild()
    page = preview.site / "second/only.html"
    assert "not available in Welsh" in page.read_text()
    time.sleep(0.01)
    (course / "content/02-second/01-only.cy.md").write_text("---\ntitle: Cymraeg yn unig\n---\nTestun.\n")
    preview.rebuild()
    assert not preview.failed, [p.format() for p in preview.problems]
    assert "not available in Welsh" not in page.read_text()
    assert "Cymraeg yn unig" in (preview.site / "cy/second/only.html").read_text()



def test_the_build_cache_reuses_pages_per_language_and_rerenders_the_switch(course):
    from generator.cache import BuildCache
    out = course / "build" / "site"
    build(course, out, cache=BuildCache(course / "build" / "cache"))
    inode = lambda rel: (out / rel).stat().st_ino  # noqa: E731 - a page taken from the last site is hard-linked
    before = {rel: inode(rel) for rel in ("cy/first/reading.html", "first/reading.html", "cy/third/more.html")}
    (course / "content/03-third/01-more.md").write_text("---\ntitle: More\n---\nOther text.\n")
    build(course, out, cache=BuildCache(course / "build" / "cache"))
    assert inode("cy/first/reading.html") == before["cy/first/reading.html"]
    assert inode("first/reading.html") == before["first/reading.html"]
    assert inode("cy/third/more.html") != before["cy/third/more.html"]  # Welsh learners get its English text
    assert "Other text." in (out / "cy/third/more.html").read_text()
    assert "not available in Welsh" in (out / "second/only.html").read_text()
    (course / "content/02-second/01-only.cy.md").write_text("---\ntitle: Cymraeg yn unig\n---\nTestun.\n")
    build(course, out, cache=BuildCache(course / "build" / "cache"))
    assert "not available in Welsh" not in (out / "second/only.html").read_text()
    assert "Cymraeg yn unig" in (out / "cy/second/only.html").read_text()


MATCHING = """\
---
title: Check
---
::: quiz pass=100
### Match each role to what it does {matching}
- Wellbeing guardian -> Board assurance
- Wellbeing champion -> Team catch-ups
:::
"""
PAREN = """\
---
title: Gwirio
---
::: quiz pass=100
### Parwch bob rôl â'r hyn y mae'n ei wneud {matching}
- Gwarcheidwad llesiant -> Sicrwydd i'r bwrdd
- Hyrwyddwr llesiant -> Sgyrsiau'r tîm
:::
"""


def test_a_translated_matching_question_takes_its_sources_item_and_target_ids(course):
    (course / "content/01-first/02-check.md").write_text(MATCHING)
    (course / "content/01-first/02-check.cy.md").write_text(PAREN)
    built_course, _, _ = check(course)
    (english,) = built_course.modules[0].pages[1].quizzes[0].questions
    (welsh,) = built_course.translations[0].modules[0].pages[1].quizzes[0].questions
    assert [(c.id, c.target) for c in welsh.choices] == [(c.id, c.target) for c in english.choices]
    assert [t.id for t in welsh.targets] == [t.id for t in english.targets]
    assert [t.text for t in welsh.targets] == ["Sicrwydd i'r bwrdd", "Sgyrsiau'r tîm"]


def test_a_translated_matching_question_with_other_pairs_is_an_error(course):
    (course / "content/01-first/02-check.md").write_text(MATCHING.replace(
        "- Wellbeing champion", "- Board member -> Board assurance\n- Wellbeing champion"))
    (course / "content/01-first/02-check.cy.md").write_text(PAREN.replace(
        "- Hyrwyddwr llesiant -> Sgyrsiau'r tîm",
        "- Aelod o'r bwrdd -> Sgyrsiau'r tîm\n- Hyrwyddwr llesiant -> Sicrwydd i'r bwrdd"))
    problems = diagnostics(course)
    assert [p.split(": error:")[0] for p in problems] == ["content/01-first/02-check.cy.md:7:1",
                                                         "content/01-first/02-check.cy.md:8:1"]
    assert all("this item's match is not in the place of its source's" in p for p in problems)


def test_a_question_of_another_kind_than_its_source_is_an_error(course):
    (course / "content/01-first/02-check.md").write_text(MATCHING)
    (course / "content/01-first/02-check.cy.md").write_text(PAREN.replace("{matching}", "{ordering}").replace(" -> ", " / "))
    (problem,) = diagnostics(course)
    assert problem.startswith("content/01-first/02-check.cy.md:5:1: error: this Welsh translation question is ordering "
                              "where its source is matching")
