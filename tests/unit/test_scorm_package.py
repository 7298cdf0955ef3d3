"""SCORM packages: names, valid manifests, complete and safe file lists, byte-identical zips, budgets."""

from __future__ import annotations

import os
import re
import zipfile
from posixpath import dirname, join, normpath

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from generator.build import check
from generator.errors import BuildFailed
from generator.scorm import suspend
from generator.scorm.package import package_course
from tests.conftest import REPO
from tests.scorm_xsd import errors as schema_errors

from .test_cli import learnmark

QUIZ_PAGE = """\
---
title: Two
---
## Details of two

See [page one](01-one.md) and [the other module](../02-second/01-other.md).

::: quiz id=check pass=70 retries=2
### Pick one
- [x] Right
  > Yes.
- [ ] Wrong
  > No.
:::
"""


def two_modules(project):
    """The scratch course with a quiz page in its first module and a second module linking back to it."""
    project.write("content/01-first/02-two.md", QUIZ_PAGE)
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nHello.\n")
    project.write("content/02-second/01-other.md", "---\ntitle: Other\n---\nBack to [two](../01-first/02-two.md).\n")
    return project


@pytest.fixture
def course_project(project):
    two_modules(project)
    project.write("content/02-second/images/a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write("content/02-second/02-pic.md", "---\ntitle: Pic\n---\n![A picture](images/a.svg)\n")
    return project


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def package(project, tmp_path, **options):
    course, _, _ = check(project.root)
    return package_course(course, tmp_path / "packages", **{"versions": ["1.2"], **options})


def names(zip_path):
    return sorted(zipfile.ZipFile(zip_path).namelist())


def test_one_scorm12_package_per_module_by_default(course_project, tmp_path):
    packages = package(course_project, tmp_path)
    assert [p.path.name for p in packages] == ["scratch-first-scorm12.zip", "scratch-second-scorm12.zip"]
    files = names(packages[0].path)
    assert "imsmanifest.xml" in files and "first/launch.html" in files and "first/one.html" in files
    assert not [f for f in files if f.startswith("second/")], "a module package holds only its own pages"
    assert names(packages[1].path).count("second/images/a.svg") == 1


@pytest.mark.parametrize("version", ["1.2", "2004-3", "2004-4"])
@pytest.mark.parametrize("whole_course", [False, True])
def test_manifests_are_valid_against_the_official_schemas(course_project, tmp_path, version, whole_course):
    for built in package(course_project, tmp_path, versions=[version], whole_course=whole_course):
        manifest = zipfile.ZipFile(built.path).read("imsmanifest.xml")
        assert schema_errors(manifest, version) == []


def test_manifest_contents_per_version(course_project, tmp_path):
    (v12,) = package(course_project, tmp_path, versions=["1.2"], module_ids=["first"])
    (v2004,) = package(course_project, tmp_path, versions=["2004-4"], module_ids=["first"])
    m12 = zipfile.ZipFile(v12.path).read("imsmanifest.xml").decode()
    m2004 = zipfile.ZipFile(v2004.path).read("imsmanifest.xml").decode()
    assert "<schemaversion>1.2</schemaversion>" in m12
    # No mastery score: Moodle's default "mastery override" would turn an attempt with retries left into "failed".
    assert "masteryscore" not in m12 and "minNormalizedMeasure" not in m2004 and "primaryObjective" not in m2004
    assert 'adlcp:scormtype="sco"' in m12 and 'href="first/launch.html"' in m12
    assert "<schemaversion>2004 4th Edition</schemaversion>" in m2004
    assert '<imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true" />' in m2004
    (v2004_3,) = package(course_project, tmp_path, versions=["2004-3"], module_ids=["first"])
    assert "<schemaversion>2004 3rd Edition</schemaversion>" in zipfile.ZipFile(v2004_3.path).read("imsmanifest.xml").decode()


def test_course_package_has_a_sco_per_module_in_course_order(course_project, tmp_path):
    (built,) = package(course_project, tmp_path, whole_course=True, versions=["2004-4"])
    assert built.path.name == "scratch-scorm2004-4.zip"
    tree = etree.fromstring(zipfile.ZipFile(built.path).read("imsmanifest.xml"))
    items = tree.findall(".//{*}organization/{*}item")
    assert [i.get("identifierref") for i in items] == ["res-first", "res-second"]


def test_every_file_is_listed_every_href_exists_and_paths_are_safe(course_project, tmp_path):
    for built in package(course_project, tmp_path, whole_course=True, versions=["1.2", "2004-4"]):
        archive = zipfile.ZipFile(built.path)
        tree = etree.fromstring(archive.read("imsmanifest.xml"))
        hrefs = [e.get("href") for e in tree.iter() if e.get("href")]
        listed = {f.get("href") for f in tree.iter("{*}file")}
        assert listed == set(archive.namelist()) - {"imsmanifest.xml"}
        for href in hrefs:
            assert href in archive.namelist() and not href.startswith("/") and ".." not in href and " " not in href
        ids = [e.get("identifier") for e in tree.iter() if e.get("identifier")]
        assert len(ids) == len(set(ids)) and all(re.match(r"^[A-Za-z_][\w.-]*$", i) for i in ids)


def test_rebuilds_are_byte_identical_and_honour_source_date_epoch(course_project, tmp_path, monkeypatch):
    first = [p.path.read_bytes() for p in package(course_project, tmp_path / "a")]
    second = [p.path.read_bytes() for p in package(course_project, tmp_path / "b")]
    assert first == second
    zipped = package(course_project, tmp_path / "c")[0].path
    assert zipped.stat().st_mode & 0o777 == 0o666 & ~current_umask(), "zips are as readable as any file the user makes"
    info = zipfile.ZipFile(zipped).infolist()[0]
    assert info.date_time == (2000, 1, 1, 0, 0, 0) and info.external_attr >> 16 == 0o100644
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = zipfile.ZipFile(package(course_project, tmp_path / "d")[0].path).infolist()[0]
    assert info.date_time == (2023, 11, 14, 22, 13, 20)


def test_packaged_pages_link_only_inside_the_package(course_project, tmp_path):
    (built,) = package(course_project, tmp_path, module_ids=["first"])
    archive = zipfile.ZipFile(built.path)
    for name in archive.namelist():
        if not name.endswith(".html"):
            continue
        soup = BeautifulSoup(archive.read(name), "html.parser")
        for element in soup.select("a[href], link[href], script[src], img[src], iframe[src]"):
            url = (element.get("href") or element.get("src")).split("#")[0]
            if url.startswith("data:") or not url:
                continue
            if element.name == "a" and re.match(r"^(https:|mailto:|tel:)", url):  # the statement's: a link, not a request
                continue
            assert not re.match(r"^(https?:)?//", url), f"{name}: {url} is an outside request"
            assert normpath(join(dirname(name), url)) in archive.namelist(), f"{name}: {url} is not in the package"
    two = BeautifulSoup(archive.read("first/two.html"), "html.parser").select_one(".prose")
    assert [a["href"] for a in two.select("a")] == ["one.html"]
    assert "the other module" in two.get_text()


def test_links_out_of_a_package_use_base_url_when_set(course_project, tmp_path):
    course_project.write("site.yaml", "id: scratch\ntitle: T\nbase_url: https://learning.example.org/course/\n")
    (built,) = package(course_project, tmp_path, module_ids=["first"])
    two = BeautifulSoup(zipfile.ZipFile(built.path).read("first/two.html"), "html.parser").select_one(".prose")
    assert [a["href"] for a in two.select("a")] == ["one.html", "https://learning.example.org/course/second/other.html"]


def test_suspend_data_budget_is_computed_and_enforced(course_project, tmp_path, monkeypatch):
    course, _, _ = check(course_project.root)
    first = course.modules[0]
    worst = suspend.worst_case(first)
    # Tokens of 4: a location, 3 pages seen; the quiz: 3 attempts, best 1 of 1, passed, its single-choice
    # question answered with one option, wrongly; then the module's content version.
    assert worst == f"2|4|zzzz|zzzzzzzzzzzz|1z141z3|zzzz.3.1.1.1.zzzzzzzz!|{first.version}"
    assert re.fullmatch(r"[0-9a-f]{8}", first.version)
    packages = package(course_project, tmp_path)
    assert packages[0].suspend_sizes == {"first": len(worst)}
    monkeypatch.setitem(suspend.LIMITS, "1.2", 20)
    with pytest.raises(BuildFailed) as failure:
        package(course_project, tmp_path)
    assert failure.value.diagnostics[0].format().startswith(
        "content/01-first/_module.md:1:1: error: module 'first' may need 61 characters of suspend_data, more than SCORM 1.2 allows (20)")


def test_unlimited_retries_use_the_attempt_cap():
    from generator.scorm.suspend import MAX_ATTEMPTS, base36
    assert base36(MAX_ATTEMPTS) == "zz"


def test_package_command(course_project):
    run = learnmark("package", "--scorm", "1.2", "--scorm", "2004-4", "--module", "first", cwd=course_project.root)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert re.match(r"^build/packages/scratch-first-scorm12.zip  \d+ KB  suspend_data worst case 61 of 4096 characters$", lines[0])
    assert lines[1].startswith("build/packages/scratch-first-scorm2004-4.zip") and lines[1].endswith("of 64000 characters")
    assert lines[2].startswith("Wrote 2 packages in ")
    unknown = learnmark("package", "--module", "frist", cwd=course_project.root)
    assert unknown.returncode == 1 and "no module 'frist' to package" in unknown.stderr


def test_shipped_course_packages_validate(tmp_path):
    course, _, _ = check(REPO)
    for built in package_course(course, tmp_path, ["1.2", "2004-4"]):
        assert schema_errors(zipfile.ZipFile(built.path).read("imsmanifest.xml"), built.version) == []
