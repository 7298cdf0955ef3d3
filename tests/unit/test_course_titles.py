"""Page titles are not in assets/course.js, which every page loads, but in assets/course-titles.js,
which the "Continue where you left off" link loads (tests/browser/test_progress.py shows the link); nor are
the ids only the SCORM runtime reads, which packages and the hosted launch pages carry."""

from __future__ import annotations

import json
import re
import zipfile

from generator.build import build, check
from generator.scorm.package import package_course
from generator.tracking import COURSE_SCRIPT, COURSE_TITLES
from tests.conftest import REPO


def _data(script: str, name: str):
    return json.loads(re.search(rf"window\.{name} = (.*?);\n", script).group(1))


def test_course_js_has_ids_only_and_the_titles_script_every_page_s_title():
    result = build(REPO)
    course = _data(result.site.files[COURSE_SCRIPT], "LearnmarkCourse")
    titles = _data(result.site.files[COURSE_TITLES], "LearnmarkTitles")
    expected = {}
    for module, listed in zip(result.course.modules, course["modules"]):
        assert listed["id"] == module.id and "title" not in listed  # the certificate reads course-titles.js
        assert all(set(page) == {"id"} for page in listed["pages"])
        expected.update({f"{module.id}/{'index' if doc is module else doc.id}": doc.title
                         for doc in (module, *module.pages)})
    assert titles == expected


def test_each_package_carries_its_own_modules_titles(tmp_path):
    course, _, _ = check(REPO)
    packages = package_course(course, tmp_path, versions=["1.2"])
    assert len(packages) == len(course.modules)
    for package in packages:
        with zipfile.ZipFile(package.path) as archive:
            titles = _data(archive.read(COURSE_TITLES).decode("utf-8"), "LearnmarkTitles")
        assert set(titles) == {f"{module.id}/{'index' if doc is module else doc.id}"
                               for module in package.modules for doc in (module, *module.pages)}


def test_course_js_leaves_the_scorm_runtime_s_ids_to_the_scripts_scorm_launch_pages_load(tmp_path):
    result = build(REPO)
    site = _data(result.site.files[COURSE_SCRIPT], "LearnmarkCourse")
    quizzes = [q for m in site["modules"] for q in m["quizzes"]]
    assert quizzes and all("questions" not in q and "key" not in q and q["count"] > 0 for q in quizzes)
    assert not any("version" in m for m in site["modules"])  # the course's version stays: the record's check
    for module, listed in zip(result.course.modules, site["modules"]):
        hosted = _data(result.site.files[f"{module.id}/dispatch-course.js"], "LearnmarkCourse")
        (full,) = hosted["modules"]
        assert full["pages"] == listed["pages"] and full["version"] == module.version
        assert [q["questions"] for q in full["quizzes"]] == [
            [{"id": q.id, "kind": q.kind, "choices": [c.id for c in q.choices],
              **({"targets": [t.id for t in q.targets]} if q.targets else {})} for q in quiz.questions]
            for quiz in module.all_quizzes]
        assert [q["key"] for q in full["quizzes"]] == [f"{module.id}/{quiz.id}" for quiz in module.all_quizzes]
    course, _, _ = check(REPO)
    for package in package_course(course, tmp_path, versions=["1.2"]):
        with zipfile.ZipFile(package.path) as archive:
            packaged = _data(archive.read(COURSE_SCRIPT).decode("utf-8"), "LearnmarkCourse")
        assert all("questions" in q and "key" in q for m in packaged["modules"] for q in m["quizzes"])
