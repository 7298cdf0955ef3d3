"""Dispatch packages in a real Moodle 4.5: the thin package is uploaded to Moodle (on 127.0.0.1), the course is
published on another origin (127.0.0.2), and what Moodle stores must be what it stores for an ordinary package
(tests/moodle/test_lms_fidelity.py). Then the site is republished with a page added, with no re-upload.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.browser.conftest import serve_directory

from .harness import Moodle
from .test_lms_fidelity import REPO_ROOT, VERSIONS, Learner, assert_passed, location_element, write_course


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """{"url": where the course is published, "site": its folder, "v1"/"v2": the two builds, "zips": {version: zip}}."""
    root = tmp_path_factory.mktemp("dispatch")
    builds = {}
    for name, extra in (("v1", False), ("v2", True)):
        course = write_course(root / name, extra_page=extra)
        run("build", "--project", str(course), "--out", str(root / f"{name}-site"))
        builds[name] = (course, root / f"{name}-site")
    site = root / "site"
    shutil.copytree(builds["v1"][1], site)
    with serve_directory(site, host="127.0.0.2", revalidate=True) as url:
        zips = {}
        for version, suffix in VERSIONS.items():
            out = root / f"zips-{version}"
            printed = run("package", "--project", str(builds["v1"][0]), "--out", str(out), "--dispatch",
                          "--base-url", url, "--scorm", version, "--module", "safety")
            assert f"frames {url}safety/dispatch.html" in printed
            (zips[version],) = out.glob("*.zip")
        yield {"url": url, "site": site, "v1": builds["v1"][1], "v2": builds["v2"][1], "zips": zips}


def publish(hosted, build: str) -> None:
    """Puts a build where the site is served, as files written now (a server answers "not modified" by time)."""
    shutil.rmtree(hosted["site"])
    shutil.copytree(hosted[build], hosted["site"], copy_function=shutil.copy)


class HostedLearner(Learner):
    """A learner in a dispatch package: Moodle's frame holds the launch page, which frames the hosted launch page."""

    @property
    def hosted(self):
        return self.sco.frame_locator("#lm-content")

    @property
    def content(self):
        return self.hosted.frame_locator("#lm-content")

    def notice(self) -> str:
        notice = self.hosted.locator("#lm-notice")
        return notice.inner_text() if notice.is_visible() else ""


@pytest.fixture
def learner(moodle, student, student_page, request):
    made = HostedLearner(moodle, student_page, request.node.callspec.params["version"])
    yield made
    assert made.problems == [], made.problems


@pytest.mark.parametrize("version", list(VERSIONS))
def test_a_dispatch_package_records_in_moodle_what_a_package_does(moodle: Moodle, hosted, student, learner, version):
    activity = moodle.add_scorm(hosted["zips"][version], name=f"Dispatch {version}")
    v12 = learner.v12
    status = "cmi.core.lesson_status" if v12 else "cmi.completion_status"
    score = "cmi.core.score.raw" if v12 else "cmi.score.raw"
    location = location_element(v12)

    # 1. Read three pages: committed as the learner moves, before leaving.
    learner.enter(activity)
    assert hosted["url"] in learner.page.frame_locator("#scorm_object").locator("#lm-content").get_attribute("src")
    for _ in range(3):
        learner.next()
    assert learner.h1().endswith("Escalating")
    # Moodle stores a commit's elements one row at a time, outside a transaction: wait for all those read here.
    stored = moodle.wait_for(lambda: moodle.tracks(activity, student).get(1, {}),
                             lambda t: t.get(location) == "escalate" and {"cmi.suspend_data", status} <= t.keys())
    assert stored["cmi.suspend_data"].startswith("2|") and stored[status] == "incomplete"
    learner.leave()

    # 2. Resume there, go on to the quiz, fail once (a retry is left): still open, not failed.
    learner.again(activity)
    assert learner.h1().endswith("Escalating"), "resumed on the page left"
    assert learner.mode() == ("normal", "resume", "credit")
    assert learner.notice() == ""
    learner.next()
    learner.answer(right=False)
    learner.leave()
    tracks = moodle.tracks(activity, student)[1]
    assert tracks[status] == "incomplete" and tracks[score] == "0" and tracks[location] == "check"
    assert tracks.get("cmi.success_status", "unknown") == "unknown"
    assert moodle.completion(activity, student) in (None, 0)

    # 3. Come back, retry and pass.
    learner.again(activity)
    assert learner.content.locator(".quiz__result").inner_text().startswith("You answered 0 of 3 correctly")
    learner.content.locator(".quiz__retry").click()
    learner.answer(right=True)
    learner.leave()
    tracks = assert_passed(moodle, activity, student, v12)
    responses = [k for k in tracks[1] if k.endswith(".student_response" if v12 else ".learner_response")]
    assert len(responses) == 6, sorted(tracks[1])

    # 4. The attempt is finished: review mode, said to the learner, and nothing changes.
    learner.again(activity)
    assert learner.mode()[0] == "review"
    assert "not recorded" in learner.notice()
    learner.leave()
    assert moodle.tracks(activity, student) == tracks


@pytest.mark.parametrize("version", list(VERSIONS))
def test_a_republished_site_reaches_moodle_with_no_upload_and_keeps_the_learners_record(moodle: Moodle, hosted, student,
                                                                                       learner, version):
    activity = moodle.add_scorm(hosted["zips"][version], name=f"Dispatch republished {version}")
    v12 = learner.v12
    status = "cmi.core.lesson_status" if v12 else "cmi.completion_status"
    learner.enter(activity)
    for _ in range(4):
        learner.next()
    learner.answer(right=False)
    learner.leave()
    before = moodle.tracks(activity, student)[1]

    publish(hosted, "v2")
    try:
        learner.again(activity)
        assert "module has been updated" in learner.notice()
        assert learner.h1().endswith("Check"), "the location survives a page added before it"
        assert learner.content.locator(".module-nav .visited-mark").count() == 5, "5 pages seen; 'Extra' is new"
        assert learner.content.locator(".quiz__input:checked").count() == 3, "the submitted answers survive"
        assert learner.mode() == ("normal", "resume", "credit")
        learner.leave()
        after = moodle.tracks(activity, student)
        assert list(after) == [1] and after[1][status] == "incomplete"
        assert after[1]["cmi.suspend_data"] != before["cmi.suspend_data"], "rewritten for the new version"
        # The activity itself was never touched: the same package revision.
        assert activity.revision == moodle.sql("SELECT revision FROM mdl_scorm WHERE id = :'id'",
                                               {"id": activity.instance})[0]["revision"]

        # Passing now needs the new page too, as the rule says: then Moodle records the pass.
        learner.again(activity)
        assert learner.notice() == "", "told once: the record now names the new version"
        for title in ("Extra", "Check"):
            learner.content.locator(".module-nav a", has_text=title).click()
            learner.content.locator("h1", has_text=title).wait_for()
        learner.content.locator(".quiz__retry").click()
        learner.answer(right=True)
        learner.leave()
        assert_passed(moodle, activity, student, v12)
    finally:
        publish(hosted, "v1")
