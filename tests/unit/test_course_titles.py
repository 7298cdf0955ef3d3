"""Page titles are not in assets/course.js, which every page loads, but in assets/course-titles.js,
which the "Continue where you left off" link loads (tests/browser/test_progress.py shows the link)."""

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
        assert listed["title"] == module.title  # module titles stay: the progress page and certificate list them
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
