"""One build reports every problem, and ``check`` reports exactly what ``build`` does.

``check`` runs the stages of ``build`` (render included, in memory) and stops
short only of writing; every stage runs on what the stages before it could make
of the course. These tests run both over a set of broken courses, the golden
fixtures among them, and compare what they report.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import build as build_module
from generator.build import build, check
from generator.cache import BuildCache
from generator.course import RESERVED_MODULE_IDS, RESERVED_PAGE_IDS
from generator.errors import BuildFailed
from generator.scorm.package import package_course
from tests.conftest import CONTACT, REPO

from .helpers import errors_of

FIXTURES = REPO / "tests" / "fixtures"
PAGE = "content/01-first/01-one.md"
TWO = "content/01-first/02-two.md"


def reported(run) -> list[str]:
    """Every diagnostic of ``run()`` (a build or a check), formatted, whether it failed or not."""
    try:
        result = run()
    except BuildFailed as failure:
        return [d.format() for d in failure.diagnostics]
    warnings = result[2] if isinstance(result, tuple) else result.warnings
    return [d.format() for d in sorted(warnings, key=lambda d: d.location)]


# -- broken courses: each a function that breaks the scratch course ---------------------------------------------


def three_mistakes(p):
    p.write(TWO, "---\ntitle: [broken\n---\n## Details of two\n\n![A chart](images/missing.svg)\n")
    p.write(PAGE, "---\ntitle: One\n---\n## Start here\n\nRead [three](03-three.md).\n")


def site_yaml_and_pages(p):
    p.write("site.yaml", "id: Scratch Course\ntitle: Scratch\nlangauge: cy\n")
    p.write(PAGE, "---\ntitle: One\n---\n# Another title\n\nRead [three](03-three.md).\n")


def billion_laughs(p):
    p.write("site.yaml", "id: scratch\ntitle: T\nextra:\n  a: &a [x, x]\n  b: [*a, *a]\n")
    p.write(PAGE, "---\ntitle: One\n---\n## Start here\n\n[](02-two.md)\n")


def template_error(p):
    theme = p.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ body }}", "{{ body }}{{ no_such_variable.x }}"))
    p.write("site.yaml", "id: scratch\ntitle: T\ntheme: mine\n" + CONTACT)


def blocks_and_ids(p):
    p.write(PAGE, "---\ntitle: One\n---\n## Start\n\n::: note\nOpen.\n\n::: quiz pass=²\n### 是吗？\n- [x] 是 {#Yes}\n- [ ] 否\n  > 不。\n:::\n")
    p.write("content/02-assets/_module.md", "---\ntitle: Assets\nsummary: S.\n---\n")
    p.write("content/02-assets/01-launch.md", "---\ntitle: Launch\n---\n```\nnot closed\n")


def dropped_modules(p):
    p.write("site.yaml", "id: scratch\ntitle: T\nmodules:\n  - first\n")
    p.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nSee [one](../01-first/01-one.md#nowhere).\n")
    p.write("content/03-third/_module.md", "---\ntitle: Third\nsummary: S.\nid: first\n---\n")
    p.write(PAGE, "---\ntitle: One\n---\n## Start\n\n[Second](../02-second/_module.md), [third](../03-third/_module.md)\n")


def unsafe_and_dangling_files(p):
    p.write("content/01-first/images/a\\b.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    os.symlink("nowhere.svg", p.root / "content/01-first/images/gone.svg")
    p.write(PAGE, "---\ntitle: One\n---\n## Start\n\n![A](images/a%5Cb.svg) ![B](images/gone.svg)\n")


def warnings_only(p):
    p.write("content/01-first/notes.txt", "unused")
    p.write(TWO, "---\ntitle: Two\n---\n## Details of two\n\n::: quiz\n### Q\n- [x] A\n- [ ] B\n:::\n")


BROKEN = [three_mistakes, site_yaml_and_pages, billion_laughs, template_error, blocks_and_ids, dropped_modules,
          unsafe_and_dangling_files, warnings_only]


@pytest.mark.parametrize("strict", [False, True], ids=["", "strict"])
@pytest.mark.parametrize("breaks", BROKEN, ids=[b.__name__ for b in BROKEN])
def test_check_and_build_report_the_same(project, tmp_path, breaks, strict):
    breaks(project)
    out = tmp_path / "site"
    checked = reported(lambda: check(project.root, strict))
    assert checked, "every broken course has something to report"
    assert reported(lambda: build(project.root, strict=strict)) == checked  # in memory
    assert reported(lambda: build(project.root, out, strict)) == checked  # written
    assert reported(lambda: build(project.root, out, strict, cache=BuildCache(tmp_path / "cache"))) == checked
    assert not any("internal error" in line for line in checked)
    if any(": error: " in line for line in checked) or strict:
        assert not out.exists(), "a failed build writes nothing"


@pytest.mark.parametrize("name", ["check-course", "check-course-parse"])
def test_check_and_build_report_the_same_for_the_golden_fixtures(tmp_path, name):
    course = tmp_path / name
    shutil.copytree(FIXTURES / name, course)
    checked = reported(lambda: check(course))
    assert reported(lambda: build(course, tmp_path / "site")) == checked
    assert not (tmp_path / "site").exists()


def test_a_crash_while_rendering_is_a_diagnostic_for_check_and_build_alike(project, tmp_path, monkeypatch):
    """A bug in Learnmark still ends in a located message, the same from check and build, never a traceback."""
    render_page = build_module.render_page

    def crash_on_two(course, theme, md, doc, *args, **options):
        if doc.url == "first/two.html":
            raise IndexError("list index out of range")
        return render_page(course, theme, md, doc, *args, **options)
    monkeypatch.setattr(build_module, "render_page", crash_on_two)
    monkeypatch.delenv("LEARNMARK_DEBUG", raising=False)
    expected = [f"{TWO}:1:1: error: internal error while rendering this file: IndexError: list index out of range"]
    for run in (lambda: check(project.root), lambda: build(project.root, tmp_path / "site")):
        assert [line.splitlines()[0] for line in reported(run)] == expected
    assert not (tmp_path / "site").exists()


# -- one build reports every problem ------------------------------------------------------------------------


def test_three_mistakes_in_three_stages_are_reported_by_one_build(project):
    """A front matter error used to hide every link and image error until it was fixed."""
    three_mistakes(project)
    errors = errors_of(project.root)
    assert [line.split(": error: ")[0] for line in errors] == [f"{PAGE}:6:6", f"{TWO}:2:15", f"{TWO}:6:1"]
    assert errors[0].endswith("link to a missing page '03-three.md'")
    assert "front matter is not valid YAML" in errors[1]
    assert errors[2].endswith("image file 'images/missing.svg' does not exist")


def test_a_page_with_broken_front_matter_still_has_its_headings(project):
    """Page one links to page two's '#details-of-two': no follow-on error while two's front matter is wrong."""
    project.write(TWO, "---\ntitle: Two\nminutes: soon\n---\n## Details of two\n")
    assert errors_of(project.root) == [f"{TWO}:3:10: error: 'minutes' must be a whole number, not text"]


def test_site_yaml_problems_and_page_problems_in_one_build(project):
    site_yaml_and_pages(project)
    assert errors_of(project.root) == [
        f"{PAGE}:4:1: error: level-1 heading '# Another title' in a page body",
        f"{PAGE}:6:6: error: link to a missing page '03-three.md'",
        "site.yaml:1:5: error: 'Scratch Course' is not a valid id for 'id'",
        "site.yaml:3:1: error: unknown key 'langauge' in site.yaml",
    ]


def test_a_theme_mistake_is_reported_by_check(project):
    """check used to stop before rendering and said '0 errors' where build failed."""
    template_error(project)
    (line,) = reported(lambda: check(project.root))
    assert line.startswith("themes/mine/templates/page.html:") and "no_such_variable" in line


# -- modules left out of the course --------------------------------------------------------------------------


def test_links_to_a_module_left_out_of_the_course_are_not_reported_again(project):
    """They said "no module folder content/02-second" although the folder was there."""
    dropped_modules(project)
    assert errors_of(project.root) == [
        "content/02-second/_module.md:5:5: error: no heading with id 'nowhere' in content/01-first/01-one.md",
        "content/03-third/_module.md:1:1: error: module id 'first' is already used at content/01-first/_module.md:1",
        "site.yaml:4:3: error: module 'second' (content/02-second) is missing from 'modules'",
    ]


# -- ids that would name the site's own files ---------------------------------------------------------------


@pytest.mark.parametrize("module_id", ["assets", "index", "404", "progress", "certificate", "imsmanifest"])
def test_a_module_id_that_names_the_sites_own_files(project, module_id):
    """A module 'assets' silently replaced the theme's own files."""
    project.write("content/02-second/_module.md", f"---\ntitle: S\nsummary: S.\nid: '{module_id}'\n---\n")
    (line,) = errors_of(project.root)
    assert line.startswith(f"content/02-second/_module.md:1:1: error: module id '{module_id}' is reserved for the site's own ")


@pytest.mark.parametrize("page_id", ["index", "launch"])
def test_a_page_id_that_names_the_modules_own_files(project, page_id):
    project.write(f"content/01-first/03-{page_id}.md", "---\ntitle: T\n---\n")
    assert errors_of(project.root) == [
        f"content/01-first/03-{page_id}.md:1:1: error: page id '{page_id}' is reserved for the module's own {page_id}.html"]


def test_the_reserved_ids_cover_everything_the_site_and_its_packages_write(project, tmp_path):
    """Derived from the names render and package use: this fails when either starts writing a new one."""
    built = build(project.root)
    course, site = built.course, built.site
    packages = package_course(course, tmp_path / "packages", ["1.2"], whole_course=True)
    import zipfile
    written = [*site.files, *site.copies, *zipfile.ZipFile(packages[0].path).namelist()]
    module_ids = {m.id for m in course.modules}
    for path in written:
        top, slash, rest = path.partition("/")
        if top in module_ids:
            name = rest.rsplit(".", 1)[0]
            if "/" not in rest and rest.endswith(".html") and name not in {p.id for p in course.modules[0].pages}:
                assert name in RESERVED_PAGE_IDS, path
        else:
            assert (top if slash else top.rsplit(".", 1)[0]) in RESERVED_MODULE_IDS, path


@pytest.mark.parametrize("questions", [
    "### Title\n- [x] A\n- [ ] B\n  > No.\n",                                          # quiz-q-title is the quiz's heading
    "### Ready?\n- [x] A\n- [ ] B\n  > No.\n### Ready 2\n- [x] C\n- [ ] D\n  > No.\n",  # quiz-q-ready-2: B, and C
], ids=["heading", "answer"])
def test_question_ids_that_would_repeat_an_html_id_of_the_page(project, questions):
    project.write(TWO, f"---\ntitle: Two\n---\n## Details of two\n\n::: quiz id=q\n{questions}:::\n")
    (line,) = errors_of(project.root)
    assert line.startswith(f"{TWO}:6:1: error: two parts of this page would have the HTML id 'quiz-q-"), line


@pytest.mark.parametrize("breaks", BROKEN + [lambda p: p.write(TWO, "---\ntitle: Two\n---\n## Details of two\n\n"
                                                                    "::: quiz id=q\n### Title\n- [x] A\n- [ ] B\n  > No.\n:::\n")],
                         ids=[b.__name__ for b in BROKEN] + ["clashing_ids"])
def test_package_reports_what_check_does(project, tmp_path, breaks):
    """``package`` checks without rendering the whole site, and renders each page it packages itself: a course
    it packages is one ``build`` would build, and it reports the same problems."""
    from generator.scorm.package import package_course

    breaks(project)

    def package():
        course, _, warnings = check(project.root, pages=False)
        package_course(course, tmp_path / "packages", ["1.2"], whole_course=True)
        return course, None, warnings
    assert sorted(set(reported(package))) == sorted(set(reported(lambda: check(project.root))))
