"""SCORM packages in a real LMS runtime: scorm-again's API in Chromium, the package framed as an LMS would.

This is the fast path; tests/moodle/ plays the same kind of package in a real Moodle. tests/browser/lms.html
wraps every API call and records violations: what scorm-again refuses, and what Moodle 4.5 enforces or
mishandles although scorm-again accepts it (writes in review mode, statuses that move back, an exit
changed after "normal", 2004 responses with hyphens, a call without the "" argument, a second
Initialize, SetValue after Terminate, 1.2 suspend_data over 4096, a session_time Moodle would reject).
Each test launches, learns, leaves, reads the CMI the LMS holds, and relaunches with it.
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

import pytest

from tests import answering
from tests.answering import answer_arranged

from .conftest import REPO_ROOT, serve_directory

SCORM_AGAIN = REPO_ROOT / "tests" / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
MODULE = "---\ntitle: Safety culture\nsummary: A module for tests.\n---\nWelcome.\n"
PAGES = {
    "01-speak-up.md": "---\ntitle: Speaking up\n---\n## Why\n\nSpeak up early.\n",
    "02-listen.md": "---\ntitle: Listening\n---\n## How\n\nListen well.\n\n::: reflection id=listening\nWho listened to you?\n:::\n",
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

        ### Speaking up early is safe.
        - [x] True
          > Yes.
        - [ ] False
          > No.
        :::
        """),
}
QUIET = {  # a module whose learners are never reported "failed"
    "_module.md": "---\ntitle: Quiet\nsummary: S.\nscorm_failed_status: incomplete\n---\nHi.\n",
    "01-check.md": "---\ntitle: Quiet check\n---\n::: quiz id=quiet retries=0\n### Pick\n- [x] Right\n- [ ] Wrong\n  > No.\n:::\n",
}
VERSIONS = {"1.2": ("scorm12", "1.2"), "2004-4": ("scorm2004-4", "2004"), "2004-3": ("scorm2004-3", "2004")}


def _package(course, out):
    run = subprocess.run([sys.executable, "-m", "generator", "package", "--project", str(course), "--out", str(out),
                          "--scorm", "1.2", "--scorm", "2004-3", "--scorm", "2004-4"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="module")
def lms_site(tmp_path_factory):
    """Packages of a small course, unzipped beside the test LMS page.

    <version>/ holds the safety module as first published; <version>-v2/ the same module republished with a
    page added before the quiz; <version>-quiet/ the quiet module (each package has its own course.js);
    <version>-roles/ the question-types fixture course's module (tests/answering.py)."""
    if not SCORM_AGAIN.is_file():
        pytest.fail(f"{SCORM_AGAIN} is missing: run tests/run, which installs scorm-again from npm")
    root = tmp_path_factory.mktemp("scorm")
    course = root / "course"
    (course / "content" / "01-safety").mkdir(parents=True)
    (course / "content" / "02-quiet").mkdir(parents=True)
    (course / "site.yaml").write_text("id: lmstest\ntitle: LMS test\n")
    (course / "content" / "01-safety" / "_module.md").write_text(MODULE)
    for name, text in PAGES.items():
        (course / "content" / "01-safety" / name).write_text(text)
    for name, text in QUIET.items():
        (course / "content" / "02-quiet" / name).write_text(text)
    _package(course, root / "zips")
    _package(answering.COURSE, root / "zips-kinds")
    (course / "content" / "01-safety" / "02b-extra.md").write_text("---\ntitle: Extra\n---\n## More\n\nNew page.\n")
    _package(course, root / "zips-v2")
    site = root / "lms"
    site.mkdir()
    shutil.copy(REPO_ROOT / "tests" / "browser" / "lms.html", site)
    shutil.copy(SCORM_AGAIN, site)
    for version, (suffix, _) in VERSIONS.items():
        zipfile.ZipFile(root / "zips" / f"lmstest-safety-{suffix}.zip").extractall(site / version)
        zipfile.ZipFile(root / "zips" / f"lmstest-quiet-{suffix}.zip").extractall(site / f"{version}-quiet")
        zipfile.ZipFile(root / "zips-v2" / f"lmstest-safety-{suffix}.zip").extractall(site / f"{version}-v2")
        zipfile.ZipFile(root / "zips-kinds" / f"qtypes-roles-{suffix}.zip").extractall(site / f"{version}-roles")
    return site


@pytest.fixture(scope="module")
def lms(lms_site):
    """The test LMS and its packages over http://127.0.0.1."""
    with serve_directory(lms_site) as base:
        yield base


class Launch:
    """One launch of the SCO inside the test LMS page."""

    FRAMES = ("#lm-content",)
    """From the launch page to the module's pages."""

    def __init__(self, browser, base, version, cmi=None, module="safety", context=None, wait=True, **extra):
        self.v12 = version.startswith("1.2")
        self.own_context = context is None
        self.context = context or browser.new_context()
        self.page = self.context.new_page()
        self.errors, self.console = [], []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        folder = version if module == "safety" else f"{version}-{module}"
        launch = extra.pop("launch", f"{folder}/{module}/launch.html")
        setup = {"version": VERSIONS[version.split("-v")[0]][1], "launch": launch, "cmi": cmi, **extra}
        self.page.add_init_script(f"window.lmsSetup = {json.dumps(setup)};")
        self.page.goto(base + "lms.html")
        self.sco = self.page.frame_locator("#sco")
        self.content = self.sco
        for selector in self.FRAMES:
            self.content = self.content.frame_locator(selector)
        if wait:
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
            if answer_arranged(questions.nth(i), right):
                continue
            inputs = questions.nth(i).locator("input[data-correct]" if right else "input:not([data-correct])")
            for j in range(inputs.count()):
                inputs.nth(j).check()
        self.content.locator(".quiz__submit").click()
        self.content.locator(".quiz__result p").first.wait_for()

    def log(self):
        return self.page.evaluate("({violations: lms.violations, initialized: lms.initialized, terminated: lms.terminated,"
                                  " calls: lms.calls, commits: lms.commits, committed: lms.committed})")

    def leave(self, terminates=True):
        self.page.evaluate("lmsLeave()")
        if terminates:
            self.page.wait_for_function("lms.terminated > 0")
        else:
            self.page.wait_for_function("document.getElementById('sco').contentDocument.URL === 'about:blank'")
        cmi = self.page.evaluate("lmsCMI()")
        log = self.log()
        self.page.close()
        if self.own_context:
            self.context.close()
        assert log["violations"] == [], log["violations"]
        assert (log["initialized"], log["terminated"]) == (1, int(terminates))
        assert self.errors == []
        assert not [text for kind, text in self.console if kind == "error"]
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
    held = cmi["core"] if v12 else cmi
    held["entry"] = "resume"
    for key in ("session_time", "exit"):
        held.pop(key, None)
    return cmi


def interactions(cmi, v12):
    field = "student_response" if v12 else "learner_response"
    return [(i["id"], i["type"], i[field], [p["pattern"] for p in i["correct_responses"].values()], i["result"])
            for i in cmi["interactions"].values()]


def statuses_set(log, v12):
    """Every status the runtime set, with the commits between them, in order."""
    names = {"cmi.core.lesson_status"} if v12 else {"cmi.completion_status", "cmi.success_status"}
    return [c[2] if c[0].endswith("SetValue") else "commit" for c in log["calls"]
            if (c[0].endswith("SetValue") and c[1] in names) or c[0].endswith("Commit")]


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
        assert interactions(cmi, True) == [("check.who-can-raise-a-concern", "choice", "b", ["b"], "correct"),
                                           ("check.which-help", "choice", "a,b", ["a,b"], "correct"),
                                           ("check.speaking-up-early-is-safe", "true-false", "t", ["t"], "correct")]
        sets = [c[1] for c in log["calls"] if c[0] == "LMSSetValue"]
        assert sets.index("cmi.core.score.raw") < len(sets) - 1 - sets[::-1].index("cmi.core.lesson_status")
        # Moodle's default completion rule matches "completed" exactly: it is committed on the way to "passed".
        statuses = statuses_set(log, True)
        assert statuses[statuses.index("completed"):statuses.index("passed") + 1] == ["completed", "commit", "passed"]
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert (cmi["score"]["scaled"], cmi["score"]["raw"]) == ("1", "100")
        assert cmi["progress_measure"] == "1" and cmi["location"] == "check" and cmi["exit"] == "normal"
        (sent,) = [call[2] for call in log["calls"] if call[:2] == ["SetValue", "cmi.session_time"]]
        assert re.match(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$", sent)
        # Short identifiers: Moodle refuses hyphens in choice responses.
        assert interactions(cmi, False) == [
            ("check.who-can-raise-a-concern", "choice", "anyone", ["anyone"], "correct"),
            ("check.which-help", "choice", "listening[,]thanking", ["listening[,]thanking"], "correct"),
            ("check.speaking-up-early-is-safe", "true-false", "true", ["true"], "correct")]
        sets = [c[1] for c in log["calls"] if c[0] == "SetValue"]
        first_interaction = sets.index("cmi.interactions.0.id")
        assert sets[first_interaction + 1] == "cmi.interactions.0.type"
        assert sets.index("cmi.score.scaled") < sets.index("cmi.success_status")
        assert [c[2] for c in log["calls"] if c[:2] == ["SetValue", "cmi.exit"]] == ["suspend", "normal"]


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_reaching_the_quiz_page_is_not_completing_the_module(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    cmi, log = launch.leave()
    if launch.v12:
        assert (cmi["core"]["lesson_status"], cmi["core"]["exit"]) == ("incomplete", "suspend")
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("incomplete", "unknown", "suspend")
        assert cmi["progress_measure"] == "1"
    assert set(statuses_set(log, launch.v12)) <= {"incomplete", "commit"}


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_a_failed_attempt_with_a_retry_left_stays_open_then_resumes_to_a_pass(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    launch.answer(right=False)
    cmi, _ = launch.leave()
    c = core(cmi, launch.v12)
    if launch.v12:
        assert (c["lesson_status"], c["score"]["raw"], c["exit"]) == ("incomplete", "0", "suspend")
        assert [i[-1] for i in interactions(cmi, True)] == ["wrong", "wrong", "wrong"]
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("incomplete", "unknown", "suspend")
        assert [i[-1] for i in interactions(cmi, False)] == ["incorrect", "incorrect", "incorrect"]
    assert len(c["suspend_data"] if not launch.v12 else cmi["suspend_data"]) < 120

    again = Launch(browser, lms, version, resume_cmi(cmi, launch.v12))
    assert again.h1().endswith("Check"), "the learner resumes on the page they left"
    checked = again.content.locator(".quiz__input:checked")
    assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == ["only-managers", "ignoring", "false"]
    assert again.content.locator(".quiz__result").inner_text().startswith("You answered 0 of 3 correctly")
    again.content.locator(".quiz__retry").click()        # retries=1: one more attempt
    again.answer(right=True)
    assert again.content.locator(".quiz__retry").is_hidden()
    cmi2, _ = again.leave()
    if launch.v12:
        assert (cmi2["core"]["lesson_status"], cmi2["core"]["score"]["raw"], cmi2["core"]["exit"]) == ("passed", "100", "")
        assert len(cmi2["interactions"]) == 6, "each attempt adds its answers"
    else:
        assert (cmi2["completion_status"], cmi2["success_status"], cmi2["score"]["scaled"]) == ("completed", "passed", "1")


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_failing_the_last_attempt_finishes_the_module_as_failed(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    launch.answer(right=False)
    launch.content.locator(".quiz__retry").click()
    launch.answer(right=False)
    assert launch.content.locator(".quiz__result").inner_text().endswith("You have used all your attempts.")
    cmi, log = launch.leave()
    if launch.v12:
        assert (cmi["core"]["lesson_status"], cmi["core"]["exit"]) == ("failed", "")
        assert "completed" in statuses_set(log, True), "the activity completes in Moodle's default rule"
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("completed", "failed", "normal")


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_scorm_failed_status_incomplete_never_reports_failed(browser, lms, version):
    launch = Launch(browser, lms, version, module="quiet")
    launch.content.locator('a[rel="next"]').click()
    launch.content.locator(".quiz__question").wait_for()
    launch.answer(right=False)
    cmi, log = launch.leave()
    if launch.v12:
        assert (cmi["core"]["lesson_status"], cmi["core"]["exit"]) == ("incomplete", "suspend")
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("incomplete", "unknown", "suspend")
    assert "failed" not in statuses_set(log, launch.v12)


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_location_and_suspend_data_are_committed_as_the_learner_moves(browser, lms, version):
    launch = Launch(browser, lms, version)
    for _ in range(2):
        launch.next()
    assert launch.h1().endswith("Listening")
    location = "cmi.core.lesson_location" if launch.v12 else "cmi.location"
    launch.page.wait_for_function(f"lms.committed.length && lms.committed[lms.committed.length - 1]"
                                  f"{''.join(f'[{json.dumps(p)}]' for p in location.split('.')[1:])} === 'listen'",
                                  timeout=10_000)
    log = launch.log()
    assert log["committed"][-1]["suspend_data"].startswith("2|")
    assert log["commits"] <= 3, "routine commits are throttled, not one per page"
    launch.leave()


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
    assert again.sco.locator("#lm-notice").is_hidden(), "the same version: nothing to tell"
    nav = again.content.locator(".module-nav .visited-mark")
    assert nav.count() == 2, "the landing page and 'Speaking up' are marked as seen after resuming"
    again.leave()


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_republishing_with_a_page_added_keeps_pages_answers_and_location(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    launch.answer(right=False)
    cmi, _ = launch.leave()
    again = Launch(browser, lms, f"{version}-v2", resume_cmi(cmi, launch.v12))
    assert "module has been updated" in again.sco.locator("#lm-notice").inner_text()
    assert again.h1().endswith("Check"), "resumed on the same page, although a page now comes before it"
    assert again.content.locator(".module-nav .visited-mark").count() == 4, "the 4 pages seen stay seen; 'Extra' is new"
    checked = again.content.locator(".quiz__input:checked")
    assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == ["only-managers", "ignoring", "false"]
    again.leave()


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_try_again_and_an_unsubmitted_tick_keep_the_submitted_answers(browser, lms, version):
    launch = Launch(browser, lms, version)
    visit_all(launch)
    launch.answer(right=False)
    launch.content.locator(".quiz__retry").click()
    launch.content.locator(".quiz__input[value='anyone']").check()
    cmi, _ = launch.leave()
    again = Launch(browser, lms, version, resume_cmi(cmi, launch.v12))
    assert again.content.locator(".quiz__result").inner_text().startswith("You answered 0 of 3 correctly")
    again.leave()


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_review_mode_writes_nothing_and_tells_the_learner(browser, lms, version):
    held = {"lesson_status": "passed", "lesson_mode": "review"} if version == "1.2" else \
        {"completion_status": "completed", "success_status": "passed", "mode": "review"}
    launch = Launch(browser, lms, version, {"core": held} if version == "1.2" else held)
    notice = launch.sco.locator("#lm-notice")
    assert notice.is_visible() and "not recorded" in notice.inner_text()
    visit_all(launch)
    launch.answer(right=False)
    # The wrapper flags any SetValue in review mode. A 2004 review visit is not terminated: Moodle's
    # Terminate would store a total_time of "P" over the learner's real one.
    cmi, log = launch.leave(terminates=launch.v12)
    assert core(cmi, launch.v12).get("lesson_status", cmi.get("completion_status")) in ("passed", "completed")
    assert not [c for c in log["calls"] if c[0].endswith("SetValue")]


@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_initialize_waits_for_an_lms_still_swapping_its_api(browser, lms, version):
    launch = Launch(browser, lms, version, stale=1200)
    launch.next()
    assert launch.sco.locator("#lm-notice").is_hidden()
    assert any("succeeded at try" in text for _, text in launch.console), launch.console
    cmi, _ = launch.leave()
    assert core(cmi, launch.v12)["lesson_location" if launch.v12 else "location"] == "speak-up"


def test_a_launch_from_another_origin_says_progress_is_not_recorded(browser, lms, lms_site):
    with serve_directory(lms_site, host="127.0.0.2") as elsewhere:
        launch = Launch(browser, lms, "1.2", launch=elsewhere + "1.2/safety/launch.html")
        notice = launch.sco.locator("#lm-notice")
        assert "not being recorded" in notice.inner_text() and "different web address" in notice.inner_text()
        assert any("another origin" in text for _, text in launch.console), launch.console
        assert launch.h1().endswith("Safety culture"), "the module can still be read"
        assert launch.log()["initialized"] == 0
        launch.page.close()
        launch.context.close()


def test_reflections_stay_on_the_device_inside_a_package(browser, lms):
    context = browser.new_context()
    launch = Launch(browser, lms, "2004-4", context=context)
    launch.next()
    launch.next()
    box = launch.content.locator(".reflection textarea")
    box.fill("My manager listened.")
    box.blur()
    launch.content.locator(".reflection__status").filter(has_text="Saved on this device").wait_for()
    cmi, _ = launch.leave()
    assert "listened" not in json.dumps(cmi), "reflections are never sent to the LMS"
    again = Launch(browser, lms, "2004-4", resume_cmi(cmi, False), context=context)
    assert again.content.locator(".reflection textarea").input_value() == "My manager listened."
    again.leave()
    context.close()


def test_reflections_say_so_when_the_device_cannot_keep_them(browser, lms):
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('blocked', 'SecurityError'); }});")
    launch = Launch(browser, lms, "2004-4", context=context)
    launch.next()
    launch.next()
    assert "cannot save your reflection" in launch.content.locator(".reflection__status").inner_text()
    launch.leave()
    context.close()


def test_without_an_lms_the_package_runs_on_its_own(browser, lms):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lms + "1.2/safety/launch.html")
    content = page.frame_locator("#lm-content")
    content.locator("h1").wait_for()
    assert content.locator("h1").inner_text().endswith("Safety culture")
    assert page.evaluate("'LearnmarkSCO' in window") is False
    assert page.locator("#lm-notice").is_hidden()
    assert errors == []
    page.close()


@pytest.mark.parametrize("version", ["1.2", "2004-4", "2004-3"])
def test_fill_in_matching_and_ordering_answers_are_recorded_in_each_version_and_restored(browser, lms, version):
    """A wrong then a right attempt at a quiz of every kind: each answer is an interaction of its type, in the
    version's vocabulary (lms.html checks it as Moodle does), and the last answers come back on relaunch."""
    launch = Launch(browser, lms, version, module="roles")
    launch.next()
    assert launch.h1().endswith("Check")
    answering.answer_types(launch.content, right=False)
    assert launch.content.locator("#quiz-types .quiz__result").inner_text().startswith("You answered 0 of 4 correctly")
    launch.content.locator("#quiz-types .quiz__retry").click()
    answering.answer_types(launch.content, right=True)
    assert launch.content.locator("#quiz-types .quiz__result").inner_text().startswith("You answered 4 of 4 correctly")
    # The part-marks quiz: the matching right, the steps in reverse (no step in its place): half marks, a pass.
    launch.next()
    answering.answer_partial(launch.content)
    assert launch.content.locator("#quiz-partial .quiz__result").inner_text().startswith("You scored 1 out of 2")
    cmi, log = launch.leave()

    v12 = launch.v12
    got = interactions(cmi, v12)
    assert got[:8] == answering.expected_interactions(v12, right=False) + answering.expected_interactions(v12, right=True)
    wrong = "wrong" if v12 else "incorrect"
    if v12:
        assert got[8:] == [("partial.roles", "matching", "a.a,b.b,c.c", ["a.a,b.b,c.c"], "correct"),
                           ("partial.conversation", "sequencing", "d,c,b,a", ["a,b,c,d"], wrong)]
        assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]) == ("passed", "83"), "5 of the 6 marks"
    else:
        sequence = "[,]".join(s.replace("-", "_") for s in answering.STEPS)
        reverse = "[,]".join(s.replace("-", "_") for s in answering.STEPS[::-1])
        assert [g[:2] + g[3:] for g in got[8:]] == [("partial.roles", "matching", [got[5][3][0]], "correct"),
                                                    ("partial.conversation", "sequencing", [sequence], wrong)]
        assert got[9][2] == reverse
        assert (cmi["completion_status"], cmi["success_status"], cmi["score"]["raw"]) == ("completed", "passed", "83")

    again = Launch(browser, lms, version, resume_cmi(cmi, v12), module="roles")
    assert again.h1().endswith("Part marks")
    assert [answering.matches(answering.question(again.content, "roles", "partial")),
            answering.steps(answering.question(again.content, "conversation", "partial"))] == \
        [answering.TARGETS, answering.STEPS[::-1]]
    assert again.content.locator("#quiz-partial .quiz__result").inner_text().startswith("You scored 1 out of 2")
    again.content.locator(".module-nav a", has_text="Check").click()
    again.content.locator("h1", has_text="Check").wait_for()
    assert answering.shown(again.content) == answering.shown_after(right=True)
    assert again.content.locator("#quiz-types .quiz__result").inner_text().startswith("You answered 4 of 4 correctly")
    _, relaunched = again.leave()
    assert not [c for c in relaunched["calls"] if c[0].endswith("SetValue") and ".interactions." in c[1]], \
        "restored answers are not reported again"
