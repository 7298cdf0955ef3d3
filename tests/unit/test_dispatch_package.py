"""`learnmark package --dispatch`: thin packages that frame the course as published at base_url."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from generator.build import build, check
from generator.errors import BuildFailed, SourceLocation
from generator.scorm.dispatch import base_address
from generator.scorm.package import package_course
from tests.scorm_xsd import errors as schema_errors

from .test_cli import learnmark
from .test_scorm_package import course_project  # noqa: F401 - the fixture

HERE = SourceLocation("site.yaml", 3)


@pytest.mark.parametrize("url, expected", [
    ("https://courses.example.nhs.uk/culture", "https://courses.example.nhs.uk/culture/"),
    ("https://courses.example.nhs.uk/", "https://courses.example.nhs.uk/"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("http://127.0.0.2:9/site/", "http://127.0.0.2:9/site/"),
    ("http://localhost:8000", "http://localhost:8000/"),
    ("http://[::1]:8000/", "http://[::1]:8000/"),
])
def test_base_address_accepts_https_and_this_machine(url, expected):
    assert base_address(url, HERE) == expected


@pytest.mark.parametrize("url, message", [
    ("", "needs the address the course is published at"),
    ("http://courses.example.nhs.uk/", "is not https://"),
    ("http://127.0.0.1.example.org/", "is not https://"),
    ("ftp://courses.example.nhs.uk/", "is not a web address"),
    ("https:///culture", "is not a web address"),
    ("https://host:port/", "is not a web address"),
    ("courses.example.nhs.uk", "is not a web address"),
    ("https://user:secret@courses.example.nhs.uk/", "user name, query or fragment"),
    ("https://courses.example.nhs.uk/?x=1", "user name, query or fragment"),
    ("https://courses.example.nhs.uk/#top", "user name, query or fragment"),
])
def test_base_address_refuses_anything_else_where_it_was_written(url, message):
    with pytest.raises(BuildFailed) as failure:
        base_address(url, HERE)
    (problem,) = failure.value.diagnostics
    assert problem.location == HERE and message in problem.message and problem.hint


def dispatch(project, tmp_path, base="https://courses.example.nhs.uk/culture/", **options):
    course, _, _ = check(project.root)
    return package_course(course, tmp_path / "packages", **{"versions": ["1.2"], "dispatch": base, **options})


@pytest.mark.parametrize("version", ["1.2", "2004-3", "2004-4"])
@pytest.mark.parametrize("whole_course", [False, True])
def test_a_dispatch_package_holds_launch_pages_and_a_valid_manifest_only(course_project, tmp_path, version,
                                                                          whole_course):
    for built in dispatch(course_project, tmp_path, versions=[version], whole_course=whole_course):
        archive = zipfile.ZipFile(built.path)
        modules = [m.id for m in built.modules]
        assert sorted(archive.namelist()) == sorted(["imsmanifest.xml", "assets/scorm-lms.js", "assets/scorm-relay.js",
                                                     *(f"{m}/launch.html" for m in modules)])
        manifest = archive.read("imsmanifest.xml")
        assert schema_errors(manifest, version) == []
        tree = etree.fromstring(manifest)
        assert {f.get("href") for f in tree.iter("{*}file")} == set(archive.namelist()) - {"imsmanifest.xml"}
        assert built.frames == tuple(f"https://courses.example.nhs.uk/culture/{m}/dispatch.html" for m in modules)


def test_a_launch_page_frames_its_module_at_the_address_and_trusts_only_its_origin(course_project, tmp_path):
    (built,) = dispatch(course_project, tmp_path, module_ids=["first"], versions=["2004-4"])
    soup = BeautifulSoup(zipfile.ZipFile(built.path).read("first/launch.html"), "html.parser")
    settings = json.loads(soup.find("script", id="lm-scorm-settings").string)
    course, _, _ = check(course_project.root)
    assert settings == {"version": "2004", "module": "first", "url": "https://courses.example.nhs.uk/culture/first/dispatch.html",
                        "origin": "https://courses.example.nhs.uk", "content": course.modules[0].version}
    assert [s["src"] for s in soup.find_all("script", src=True)] == ["../assets/scorm-lms.js", "../assets/scorm-relay.js"]
    assert soup.find(id="lm-unreachable")["role"] == "alert" and soup.find("button", id="lm-retry")
    assert soup.find("iframe", id="lm-content")["title"] == "First module"


def test_every_built_site_carries_a_hosted_launch_page_per_module(course_project):
    result = build(course_project.root)
    for module in result.course.modules:
        soup = BeautifulSoup(result.site.files[f"{module.id}/dispatch.html"], "html.parser")
        settings = json.loads(soup.find("script", id="lm-scorm-settings").string)
        assert settings == {"module": module.id, "failedStatus": "failed", "start": "index.html", "dispatch": True}
        assert [s["src"] for s in soup.find_all("script", src=True)] == [
            "dispatch-course.js", "../assets/scorm-lms.js", "../assets/scorm-suspend.js", "../assets/scorm-bridge.js",
            "../assets/scorm-runtime.js"]
        hosted = result.site.files[f"{module.id}/dispatch-course.js"]  # its module only, with what the runtime reads
        assert f'"version":"{module.version}"' in hosted and hosted.count('"pages":') == 1
    for script in ("lms", "suspend", "bridge", "runtime"):
        assert f"assets/scorm-{script}.js" in result.site.files or f"assets/scorm-{script}.js" in result.site.copies
    assert '"version":"' + result.course.modules[0].version not in result.site.files["assets/course.js"]  # only there


def test_a_page_cannot_take_the_hosted_launch_pages_name(course_project):
    course_project.write("content/01-first/03-dispatch.md", "---\ntitle: Dispatch\n---\nText.\n")
    with pytest.raises(BuildFailed) as failure:
        check(course_project.root)
    assert any("page id 'dispatch' is reserved" in d.message for d in failure.value.diagnostics)


def test_the_module_version_changes_with_its_text_only(course_project):
    before, _, _ = check(course_project.root)
    course_project.write("content/02-second/01-other.md", "---\ntitle: Other\n---\nChanged.\n")
    after, _, _ = check(course_project.root)
    assert before.modules[0].version == after.modules[0].version
    assert before.modules[1].version != after.modules[1].version


def test_package_dispatch_command_prints_what_each_zip_frames(course_project):
    run = learnmark("package", "--dispatch", "--base-url", "https://courses.example.nhs.uk/c", "--course",
                    "--scorm", "1.2", cwd=course_project.root)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("build/packages/scratch-scorm12.zip")
    assert lines[1:3] == ["  frames https://courses.example.nhs.uk/c/first/dispatch.html",
                          "  frames https://courses.example.nhs.uk/c/second/dispatch.html"]


def test_package_dispatch_command_refuses_plain_http_and_a_missing_address(course_project):
    plain = learnmark("package", "--dispatch", "--base-url", "http://courses.example.nhs.uk/", cwd=course_project.root)
    assert plain.returncode == 1 and plain.stderr.startswith("--base-url: error: 'http://courses.example.nhs.uk/' is not https://")
    missing = learnmark("package", "--dispatch", cwd=course_project.root)
    assert missing.returncode == 1 and "site.yaml:1:1: error: a dispatch package needs the address" in missing.stderr
    course_project.write("site.yaml", course_project.root.joinpath("site.yaml").read_text() + "base_url: http://example.org/\n")
    configured = learnmark("package", "--dispatch", cwd=course_project.root)
    assert configured.returncode == 1 and re.search(r"^site\.yaml:\d+:\d+: error: 'http://example.org/' is not https://",
                                                    configured.stderr, re.M)
    assert not (course_project.root / "build" / "packages").exists()
    alone = learnmark("package", "--base-url", "https://example.org/", cwd=course_project.root)
    assert alone.returncode == 2 and "--base-url is for --dispatch packages" in alone.stderr
