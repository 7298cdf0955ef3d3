"""SCORM packages in a real LMS runtime: scorm-again's API in Chromium, the package framed as an LMS would.

tests/browser/lms.html wraps every API call and records violations (a call without the ""
argument, a second Initialize, SetValue after Terminate, 1.2 suspend_data over 4096, a
session_time Moodle would reject, "completed" after "passed"/"failed", "incorrect" as a 1.2
result, and any SetValue the runtime refuses). Each test launches, learns, leaves, reads the
CMI the LMS holds, and relaunches with it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, serve_directory

SCORM_AGAIN = REPO_ROOT / "tests" / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
MODULE = "---\ntitle: Safety culture\nsummary: A module for tests.\n---\nWelcome.\n"
PAGES = {
    "01-speak-up.md": "---\ntitle: Speaking up\n---\n## Why\n\nSpeak up early.\n",
    "02-listen.md": "---\ntitle: Listening\n---\n## How\n\nListen well.\n",
    "03-check.md": textwrap.dedent("""\
        ---
        title: Check
        ---
        ::: quiz id=check pass=50 retries=1
        ### Who can raise a concern?
        - [ ] Only managers
          > No: anyone can.
        - [x] Anyone
          > Yes.

        ### Which help? {multiple}
        - [x] Listening
          > Yes.
        - [x] Thanking
          > Yes.
        - [ ] Ignoring
          > No.
        :::
        """),
}
VERSIONS = {"1.2": ("scorm12", "1.2"), "2004-4": ("scorm2004-4", "2004"), "2004-3": ("scorm2004-3", "2004")}


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """Packages of a small course, unzipped beside the test LMS page and served over http."""
    if not SCORM_AGAIN.is_file():
        pytest.fail(f"{SCORM_AGAIN} is missing: run tests/run, which installs scorm-again from npm")
    root = tmp_path_factory.mktemp("scorm")
    course = root / "course"
    (course / "content" / "01-safety").mkdir(parents=True)
    (course / "site.yaml").write_text("id: lmstest\ntitle: LMS test\n")
    (course / "content" / "01-safety" / "_module.md").write_text(MODULE)
    for name, text in PAGES.items():
        (course / "content" / "01-safety" / name).write_text(text)
    run = subprocess.run([sys.executable, "-m", "generator", "package", "--project", str(course), "--out", str(root / "zips"),
                          "--scorm", "1.2", "--scorm", "2004-3", "--scorm", "2004-4"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    site = root / "lms"
    site.mkdir()
    shutil.copy(REPO_ROOT / "tests" / "browser" / "lms.html", site)
    shutil.copy(SCORM_AGAIN, site)
    for version, (suffix, _) in VERSIONS.items():
        zipfile.ZipFile(root / "zips" / f"lmstest-safety-{suffix}.zip").extractall(site / version)
    with serve_directory(site) as base:
        yield base


class Launch:
    """One launch of the SCO inside the test LMS page."""

    def __init__(self, browser, base, version, cmi=None):
        self.v12 = version == "1.2"
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        setup = {"version": VERSIONS[version][1], "launch": f"{version}/safety/launch.html", "cmi": cmi}
        self.page.add_init_script(f"window.lmsSetup = {json.dumps(setup)};")
        self.page.goto(base + "lms.html")
        self.content = self.page.frame_locator("#sco").frame_locator("#lm-content")
        self.content.locator("h1").wait_for()

    def h1(self):
        return self.content.locator("h1").inner_text()

    def next(self):
        """Follow the page's next link and wait for the next page (its h1 changes)."""
        before = self.h1()
        self.content.locator('a[rel="next"]').click()
        deadline = time.monotonic() + 15
        while self.content.locator("h1").inner_text() == before:
            assert time.monotonic() < deadline, f"still on '{before}' after following the next link"
            time.sleep(0.05)

    def answer(self, right: bool):
        questions = self.content.locator(".quiz__question")
        for i in range(questions.count()):
            inputs = questions.nth(i).locator("input[data-correct]" if right else "input:not([data-correct])")
            for j in range(inputs.count()):
                inputs.nth(j).check()
        self.content.locator(".quiz__submit").click()
        self.content.locator(".quiz__result").wait_for()

    def leave(self):
        self.page.evaluate("lmsLeave()")
        self.page.wait_for_function("lms.terminated > 0")
        cmi = self.page.evaluate("lmsCMI()")
        log = self.page.evaluate("({violations: lms.violations, initialized: lms.initialized, terminated: lms.terminated,"
                                 " calls: lms.calls})")
        self.context.close()
        assert log["violations"] == [], log["violations"]
        assert (log["initialized"], log["terminated"]) == (1, 1)
        assert self.errors == []
        return cmi, log


def core(cmi, v12):
    return cmi["core"] if v12 else cmi


def visit_all(launch):
    assert launch.h1().endswith("Safety culture")
    for _ in range(3):
        launch.next()
    assert launch.h1().endswith("Check")


def resume_cmi(cmi, v12):
    """What an LMS hands back on the next launch after a suspended exit."""
    cmi = json.loads(json.dumps(cmi))
    if v12:
        cmi["core"]["entry"] = "resume"
        for key in ("session_time", "exit"):
            cmi["core"].pop(key, None)
    else:
        cmi["entry"] = "resume"
        for key in ("session_time", "exit"):
            cmi.pop(key, None)
    return cmi


@pytest.mark.parametrize("version", ["1.2", "2004-4", "2004-3"])
def test_pass_run_reports_completion_score_and_interactions(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    launch.answer(right=True)
    cmi, log = launch.leave()
    if launch.v12:
        c = cmi["core"]
        assert (c["lesson_status"], c["score"]["raw"], c["score"]["min"], c["score"]["max"]) == ("passed", "100", "0", "100")
        assert c["lesson_location"] == "check" and c["exit"] == ""
        (sent,) = [call[2] for call in log["calls"] if call[:2] == ["LMSSetValue", "cmi.core.session_time"]]
        assert re.match(r"^\d{4}:\d{2}:\d{2}\.\d{2}$", sent) and c["session_time"] != "00:00:00"
        results = [(i["id"], i["type"], i["student_response"], i["result"]) for i in cmi["interactions"].values()]
        assert results == [("check.who-can-raise-a-concern", "choice", "b", "correct"),
                           ("check.which-help", "choice", "a,b", "correct")]
        sets = [c[1] for c in log["calls"] if c[0] == "LMSSetValue"]
        assert sets.index("cmi.core.score.raw") < len(sets) - 1 - sets[::-1].index("cmi.core.lesson_status")
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert (cmi["score"]["scaled"], cmi["score"]["raw"]) == ("1", "100")
        assert cmi["progress_measure"] == "1" and cmi["location"] == "check" and cmi["exit"] == "normal"
        (sent,) = [call[2] for call in log["calls"] if call[:2] == ["SetValue", "cmi.session_time"]]
        assert re.match(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$", sent)
        results = [(i["id"], i["type"], i["learner_response"], i["result"]) for i in cmi["interactions"].values()]
        assert results == [("check.who-can-raise-a-concern", "choice", "anyone", "correct"),
                           ("check.which-help", "choice", "listening[,]thanking", "correct")]
        sets = [c[1] for c in log["calls"] if c[0] == "SetValue"]
        first_interaction = sets.index("cmi.interactions.0.id")
        assert sets[first_interaction + 1] == "cmi.interactions.0.type"
        assert sets.index("cmi.score.scaled") < sets.index("cmi.success_status")


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_fail_run_then_resume_restores_page_answers_and_attempts(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    launch.answer(right=False)
    cmi, _ = launch.leave()
    c = core(cmi, launch.v12)
    if launch.v12:
        assert (c["lesson_status"], c["score"]["raw"], c["exit"]) == ("failed", "0", "suspend")
        assert [i["result"] for i in cmi["interactions"].values()] == ["wrong", "wrong"]
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("completed", "failed", "suspend")
        assert [i["result"] for i in cmi["interactions"].values()] == ["incorrect", "incorrect"]
    assert len(cmi["suspend_data"]) < 100

    again = Launch(browser, lms, version, resume_cmi(cmi, launch.v12))
    assert again.h1().endswith("Check"), "the learner resumes on the page they left"
    checked = again.content.locator(".quiz__input:checked")
    assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == ["only-managers", "ignoring"]
    assert again.content.locator(".quiz__result").inner_text().startswith("You answered 0 of 2 correctly")
    again.content.locator(".quiz__retry").click()        # retries=1: one more attempt
    again.answer(right=True)
    assert again.content.locator(".quiz__retry").is_hidden()
    cmi2, _ = again.leave()
    if launch.v12:
        assert (cmi2["core"]["lesson_status"], cmi2["core"]["score"]["raw"]) == ("passed", "100")
        assert len(cmi2["interactions"]) == 4, "each attempt adds its answers"
    else:
        assert (cmi2["success_status"], cmi2["score"]["scaled"]) == ("passed", "1")


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_leaving_half_way_suspends_and_resumes_at_the_page(browser, lms, version):
    launch = Launch(browser, lms, version)
    launch.next()
    assert launch.h1().endswith("Speaking up")
    cmi, _ = launch.leave()
    c = core(cmi, launch.v12)
    if launch.v12:
        assert (c["lesson_status"], c["lesson_location"], c["exit"]) == ("incomplete", "speak-up", "suspend")
    else:
        assert (cmi["completion_status"], cmi["location"], cmi["exit"]) == ("incomplete", "speak-up", "suspend")
        assert float(cmi["progress_measure"]) == 0.5
    again = Launch(browser, lms, version, resume_cmi(cmi, launch.v12))
    assert again.h1().endswith("Speaking up")
    nav = again.content.locator(".module-nav .visited-mark")
    assert nav.count() == 2, "the landing page and 'Speaking up' are marked as seen after resuming"
    again.leave()


def test_review_mode_never_changes_status(browser, lms):
    cmi = {"core": {"lesson_status": "incomplete", "lesson_mode": "review"}}
    launch = Launch(browser, lms, "1.2", cmi)
    visit_all(launch)
    launch.answer(right=True)
    result, log = launch.leave()
    assert result["core"]["lesson_status"] == "incomplete"
    assert not [c for c in log["calls"] if c[0] == "LMSSetValue" and c[1] == "cmi.core.lesson_status"]


def test_without_an_lms_the_package_runs_on_its_own(browser, lms):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lms + "1.2/safety/launch.html")
    content = page.frame_locator("#lm-content")
    content.locator("h1").wait_for()
    assert content.locator("h1").inner_text().endswith("Safety culture")
    assert page.evaluate("'LearnmarkSCO' in window") is False
    assert errors == []
    page.close()
