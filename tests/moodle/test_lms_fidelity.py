"""Learnmark packages in a real Moodle 4.5, with the "Add SCORM package" form's default settings.

What Moodle records is the truth for an L&D team, so each test plays a package as a student in Moodle's
own player (Chromium), leaves the way learners do, comes back, and reads what Moodle stored: the attempt's
tracks, the gradebook and activity completion. Every test runs for SCORM 1.2 and 2004 4th edition.
The defaults matter: review mode once an attempt is "finished", mastery override, "Highest grade",
completion "require status: Completed", and no forced new attempt (harness.add_scorm).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.answering import answer_arranged

from .harness import COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS, Moodle

REPO_ROOT = Path(__file__).resolve().parents[2]
VERSIONS = {"1.2": "scorm12", "2004-4": "scorm2004-4"}
QUIZ = textwrap.dedent("""\
    ---
    title: Check
    ---
    ::: quiz id=check pass=100 retries=1
    ### Who can raise a concern?
    - [ ] Only managers
      > No: anyone can.
    - [x] Anyone at all
      > Yes.

    ### Which help someone speak up? {multiple}
    - [x] Listening with attention
      > Yes.
    - [x] Thanking them
      > Yes.
    - [ ] Ignoring it
      > No.

    ### Speaking up early keeps patients safe.
    - [x] True
      > Yes.
    - [ ] False
      > No: early concerns prevent harm.
    :::
    """)
SAFETY = {
    "_module.md": "---\ntitle: Safety culture\nsummary: For tests.\n---\nWelcome.\n",
    "01-speak-up.md": "---\ntitle: Speaking up\n---\n## Why\n\nSpeak up early.\n",
    "02-listen.md": "---\ntitle: Listening\n---\n## How\n\nListen well.\n",
    "03-escalate.md": "---\ntitle: Escalating\n---\n## When\n\nEscalate when unsure.\n",
    "04-check.md": QUIZ,
}
FEEDBACK = {
    "_module.md": "---\ntitle: Giving feedback\nsummary: For tests.\n---\nWelcome.\n",
    "01-timely.md": "---\ntitle: Timely feedback\n---\n## Soon\n\nSoon, not later.\n",
    "02-kind.md": "---\ntitle: Kind feedback\n---\n## Kind\n\nKind and clear.\n",
}
PAGES = ["Safety culture", "Speaking up", "Listening", "Escalating", "Check"]


def write_course(root: Path, extra_page: bool = False) -> Path:
    course = root / "course"
    for folder, files in (("01-safety", SAFETY), ("02-feedback", FEEDBACK)):
        (course / "content" / folder).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (course / "content" / folder / name).write_text(text)
    if extra_page:
        (course / "content" / "01-safety" / "02b-extra.md").write_text("---\ntitle: Extra\n---\n## More\n\nNew page.\n")
    (course / "site.yaml").write_text("id: fidelity\ntitle: Fidelity\n")
    return course


def package(course: Path, out: Path, *args: str) -> Path:
    run = subprocess.run([sys.executable, "-m", "generator", "package", "--project", str(course), "--out", str(out), *args],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    (zip_path,) = out.glob("*.zip")
    return zip_path


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    """{(version, kind): zip}: kind is "module" (safety), "v2" (safety with a page added) or "course"."""
    root = tmp_path_factory.mktemp("fidelity")
    v1, v2 = write_course(root / "v1"), write_course(root / "v2", extra_page=True)
    out = {}
    for version in VERSIONS:
        out[version, "module"] = package(v1, root / f"{version}-module", "--scorm", version, "--module", "safety")
        out[version, "v2"] = package(v2, root / f"{version}-v2", "--scorm", version, "--module", "safety")
        out[version, "course"] = package(v1, root / f"{version}-course", "--scorm", version, "--course")
    return out


@pytest.fixture(scope="module")
def activities(moodle: Moodle, zips):
    """One activity per version for the module package, one per version for the course package."""
    return {(version, kind): moodle.add_scorm(zips[version, kind], name=f"Safety {kind} {version}")
            for version in VERSIONS for kind in ("module", "course")}


class Learner:
    """A student in Moodle's player, watching for anything our code says is wrong."""

    def __init__(self, moodle: Moodle, page, version: str):
        self.moodle, self.page, self.v12 = moodle, page, version == "1.2"
        self.problems: list[str] = []
        self.sco = None
        self.watch(page)

    def watch(self, page):
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

        def console(message):
            ours = "/mod_scorm/content/" in (message.location or {}).get("url", "")
            if message.type in ("error", "warning") and (ours or message.text.startswith("Learnmark SCORM")):
                self.problems.append(f"console {message.type}: {message.text}")
        page.on("console", console)

    def enter(self, activity):
        self.sco = self.moodle.enter(self.page, activity)
        self.content.locator("h1").wait_for()
        return self

    def next_sco(self):
        """Moodle's ">" button. A 2004 SCO reopens Moodle's player at itself (its API cannot start again
        once a SCO has terminated: see runtime.js), so the SCO's frame is found again if it went."""
        self.sco = self.moodle.next_sco(self.page)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.content.locator("h1").wait_for(timeout=5000)
                return
            except PlaywrightError:
                if time.monotonic() > deadline:
                    raise
                self.page.wait_for_load_state()
                self.sco = self.moodle.sco_frame(self.page)

    @property
    def content(self):
        return self.sco.frame_locator("#lm-content")

    def h1(self) -> str:
        return self.content.locator("h1").inner_text()

    def next(self):
        before = self.h1()
        self.content.locator('a[rel="next"]').first.click()
        deadline = time.monotonic() + 15
        while self.h1() == before:
            assert time.monotonic() < deadline, f"still on {before!r} after following rel=next"
            time.sleep(0.05)

    def cmi(self, element: str) -> str:
        """What Moodle's API in the player holds for element (read-only)."""
        api = "API.LMSGetValue" if self.v12 else "API_1484_11.GetValue"
        return self.page.evaluate(f"{api}({element!r})")

    def mode(self):
        if self.v12:
            return self.cmi("cmi.core.lesson_mode"), self.cmi("cmi.core.entry"), self.cmi("cmi.core.credit")
        return self.cmi("cmi.mode"), self.cmi("cmi.entry"), self.cmi("cmi.credit")

    def answer(self, right: bool):
        questions = self.content.locator(".quiz__question")
        for i in range(questions.count()):
            if answer_arranged(questions.nth(i), right):
                continue
            choices = questions.nth(i).locator("input[data-correct]" if right else "input:not([data-correct])")
            for j in range(choices.count()):
                choices.nth(j).check()
        self.content.locator(".quiz__submit").click()
        self.content.locator(".quiz__result p").first.wait_for()

    def notice(self) -> str:
        notice = self.sco.locator("#lm-notice")
        return notice.inner_text() if notice.is_visible() else ""

    def leave(self, how: str = "exit"):
        """Leaves the activity: by the player's "Exit activity", by going elsewhere in Moodle, or by closing the tab."""
        if how == "exit":
            self.moodle.exit_activity(self.page)
        elif how == "navigate":
            with self.moodle._commits(self.page):
                self.page.goto(f"{self.moodle.url}/my/courses.php")
        else:
            context = self.page.context
            with self.moodle._commits(self.page):
                self.page.close(run_before_unload=True)
            self.page = context.new_page()
            self.watch(self.page)
        self.sco = None

    def again(self, activity):
        if self.page.is_closed():
            self.page = self.page.context.new_page()
            self.watch(self.page)
        return self.enter(activity)


def location_element(v12):
    return "cmi.core.lesson_location" if v12 else "cmi.location"


def assert_passed(moodle: Moodle, activity, student, v12: bool, sco: int | None = None) -> dict:
    """What Moodle holds once the learner passed, all in the first attempt: the status, a score of 100, the grade
    and activity completion. Returns the tracks."""
    tracks = moodle.tracks(activity, student, sco=sco)
    assert list(tracks) == [1], "all in the first attempt: no 'Start a new attempt' needed"
    if v12:
        assert tracks[1]["cmi.core.lesson_status"] == "passed"
    else:
        assert (tracks[1]["cmi.completion_status"], tracks[1]["cmi.success_status"]) == ("completed", "passed")
    assert tracks[1]["cmi.core.score.raw" if v12 else "cmi.score.raw"] == "100"
    assert moodle.grade(activity, student) == 100.0
    assert moodle.completion(activity, student) in (COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS)
    return tracks


@pytest.fixture
def learner(moodle, student, student_page, request):
    version = request.node.callspec.params["version"]
    made = Learner(moodle, student_page, version)
    yield made
    assert made.problems == [], made.problems


@pytest.mark.parametrize("kind, how", [("module", "exit"), ("module", "navigate"), ("module", "close"), ("course", "exit")])
@pytest.mark.parametrize("version", list(VERSIONS))
def test_reading_three_pages_is_in_moodle_before_the_learner_leaves(moodle, activities, student, learner, version, kind, how):
    activity = activities[version, kind]
    learner.enter(activity)
    for _ in range(3):
        learner.next()
    assert learner.h1().endswith("Escalating")
    location = location_element(learner.v12)
    # Committed as the learner moved, so it is stored before any leaving (Moodle stores a commit one row at a
    # time, so wait for every element read here).
    first = moodle.sco_ids(activity)[0]
    stored = moodle.wait_for(lambda: moodle.tracks(activity, student, sco=first).get(1, {}),
                             lambda t: t.get(location) == "escalate" and "cmi.suspend_data" in t)
    assert stored["cmi.suspend_data"].startswith("2|")
    learner.leave(how)

    learner.again(activity)
    assert learner.h1().endswith("Escalating"), "resumed on the page left"
    assert learner.mode() == ("normal", "resume", "credit")
    assert learner.notice() == ""
    assert learner.content.locator(".module-nav .visited-mark").count() == 4
    learner.leave()
    assert moodle.attempts(activity, student) == [1]


@pytest.mark.parametrize("kind", ["module", "course"])
@pytest.mark.parametrize("version", list(VERSIONS))
def test_quiz_page_then_a_fail_then_a_pass_is_recorded_without_a_new_attempt(moodle, activities, student, learner, version,
                                                                            kind):
    activity = activities[version, kind]
    sco = moodle.sco_ids(activity)[0]   # the safety module, with the quiz
    v12 = learner.v12
    status = "cmi.core.lesson_status" if v12 else "cmi.completion_status"
    score = "cmi.core.score.raw" if v12 else "cmi.score.raw"

    # 1. Reach the quiz page, answer nothing, leave: still open, not complete.
    learner.enter(activity)
    for _ in range(4):
        learner.next()
    assert learner.h1().endswith("Check")
    learner.leave()
    tracks = moodle.tracks(activity, student, sco=sco)[1]
    assert tracks[status] == "incomplete" and tracks[location_element(v12)] == "check"
    assert moodle.completion(activity, student) in (None, 0)

    # 2. Come back: normal mode. Fail once (a retry is left), leave: still open, not failed, not complete.
    learner.again(activity)
    assert learner.mode() == ("normal", "resume", "credit")
    assert learner.h1().endswith("Check")
    learner.answer(right=False)
    learner.leave()
    tracks = moodle.tracks(activity, student, sco=sco)[1]
    assert tracks[status] == "incomplete", "mastery override and 'failed' would lock the learner in review mode"
    assert tracks.get("cmi.success_status", "unknown") == "unknown"
    assert tracks[score] == "0"
    assert moodle.completion(activity, student) in (None, 0)

    # 3. Come back: normal mode, the submitted answers and the result shown. Retry, pass, leave.
    learner.again(activity)
    assert learner.mode() == ("normal", "resume", "credit")
    assert learner.content.locator(".quiz__result").inner_text().startswith("You answered 0 of 3 correctly")
    assert learner.content.locator(".quiz__input:checked").count() == 3
    learner.content.locator(".quiz__retry").click()
    learner.answer(right=True)
    learner.leave()

    tracks = assert_passed(moodle, activity, student, v12, sco)

    # Every answer of both attempts, for every question kind, was stored (none refused).
    kinds = {value for key, value in tracks[1].items() if key.endswith(".type")}
    responses = [key for key in tracks[1] if key.endswith(".student_response" if v12 else ".learner_response")]
    assert kinds == {"choice", "true-false"} and len(responses) == 6, sorted(tracks[1])
    patterns = [key for key in tracks[1] if ".correct_responses" in key]
    assert len(patterns) == 6, sorted(tracks[1])

    # 4. A module package's attempt is finished: Moodle reopens it in review mode, which the learner is told,
    # and nothing changes. A course package's attempt is not (the second module is not done): the module
    # reopens in normal mode, and its finished record never moves back.
    learner.again(activity)
    if kind == "module":
        assert learner.mode()[0] == "review"
        assert "not recorded" in learner.notice()
    else:
        assert learner.mode()[0] == "normal" and learner.notice() == ""
    learner.leave()
    after = moodle.tracks(activity, student, sco=sco)
    if kind == "module":
        assert after == tracks
    else:
        kept = ("cmi.core.lesson_status", "cmi.completion_status", "cmi.success_status", score)
        assert {k: v for k, v in after[1].items() if k in kept} == {k: v for k, v in tracks[1].items() if k in kept}


@pytest.mark.parametrize("version", list(VERSIONS))
def test_completion_by_passed_completes_when_the_learner_passes(moodle, zips, student, learner, version):
    """docs/lms.md recommends "Require status: Passed" for a module with a quiz: it must work."""
    activity = moodle.add_scorm(zips[version, "module"], name=f"Passed rule {version}",
                                settings={"completionstatusrequired": {"2": 1}})
    assert activity.completion["completionstatusrequired"] == "2"
    learner.enter(activity)
    for _ in range(4):
        learner.next()
    learner.answer(right=False)
    learner.leave()
    assert moodle.completion(activity, student) in (None, 0)
    learner.again(activity)
    learner.content.locator(".quiz__retry").click()
    learner.answer(right=True)
    learner.leave()
    assert moodle.completion(activity, student) in (COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS)
    assert moodle.grade(activity, student) == 100.0


@pytest.mark.parametrize("version", list(VERSIONS))
def test_republishing_with_a_page_added_keeps_pages_answers_and_location(moodle, zips, student, learner, version):
    activity = moodle.add_scorm(zips[version, "module"], name=f"Republished {version}")
    learner.enter(activity)
    for _ in range(4):
        learner.next()
    learner.answer(right=False)
    learner.leave()

    updated = moodle.update_package(activity, zips[version, "v2"])
    learner.again(updated)
    assert f"/mod_scorm/content/{updated.revision}/" in learner.sco.url
    assert learner.h1().endswith("Check"), "the location survives a page added before it"
    assert learner.content.locator(".module-nav .visited-mark").count() == 5, "5 pages seen; 'Extra' is new"
    assert learner.content.locator(".quiz__input:checked").count() == 3, "the submitted answers survive"
    assert learner.mode() == ("normal", "resume", "credit")
    learner.leave()


@pytest.mark.parametrize("version", list(VERSIONS))
def test_the_next_sco_button_opens_a_second_sco_that_records_and_resumes(moodle, activities, student, learner, version):
    activity = activities[version, "course"]
    first_id, second_id = moodle.sco_ids(activity)
    learner.enter(activity)
    learner.next()
    learner.next_sco()
    assert learner.h1().endswith("Giving feedback")
    assert learner.notice() == "", "SCO 2 initialised with Moodle"
    learner.next()
    location = location_element(learner.v12)
    moodle.wait_for(lambda: moodle.tracks(activity, student, sco=second_id).get(1, {}),
                    lambda t: t.get(location) == "timely")
    learner.leave()
    assert moodle.tracks(activity, student, sco=first_id)[1][location] == "speak-up"

    learner.again(activity)
    if not learner.h1().endswith("Timely feedback"):   # Moodle opened SCO 1: go on to SCO 2 as a learner would
        learner.next_sco()
    assert learner.h1().endswith("Timely feedback"), "SCO 2 resumes on the page left"
    assert learner.mode() == ("normal", "resume", "credit")
    learner.leave()
