"""Fill-in, matching and ordering questions in a real Moodle 4.5: what its SCORM API takes and stores.

The question-types fixture course's module (tests/answering.py) is uploaded once per version with the form's
defaults. A learner fails the quiz of every kind (typed text with Welsh letters and an emoji, each item given
the wrong target, the steps in reverse), leaves, comes back to find those answers restored from suspend_data,
tries again and passes, and passes the part-marks quiz. Moodle must store each answer as an interaction of
its type (fill-in, matching, sequencing) with the response and correct-response patterns its 2004 datamodel
validates (mod/scorm/datamodels/scorm_13.js answers anything else with error 406 and stores nothing), and
its JS API must report no error for any SetValue. The score, status, grade and completion follow.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests import answering

from .harness import COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS, Moodle
from .test_lms_fidelity import REPO_ROOT, VERSIONS, learner  # noqa: F401 (learner: the fixture)

# Moodle's API objects are set on the player's window (window.API, window.API_1484_11) by its init code; this
# wraps each as it is set so every SetValue Moodle refuses is kept with its error code and diagnostic.
WATCH_API = """
(() => {
  if (!/\\/mod\\/scorm\\/player\\.php/.test(location.pathname)) return;
  const watched = window.__lmWatched = {sets: 0, refused: []};
  for (const name of ['API', 'API_1484_11']) {
    let held;
    Object.defineProperty(window, name, {configurable: true, get: () => held, set: (api) => {
      held = api;
      const v12 = name === 'API', set = v12 ? 'LMSSetValue' : 'SetValue';
      const original = api[set];
      api[set] = function (element, value) {
        const result = original.apply(this, arguments);
        watched.sets++;
        if (String(result) !== 'true') {
          watched.refused.push([element, String(value), String(api[v12 ? 'LMSGetLastError' : 'GetLastError']()),
                                   String(api[v12 ? 'LMSGetDiagnostic' : 'GetDiagnostic'](''))]);
        }
        return result;
      };
    }});
  }
})();
"""


@pytest.fixture(scope="module")
def kinds_activities(moodle: Moodle, tmp_path_factory):
    """{version: activity} for the question-types module: one upload per version."""
    out = tmp_path_factory.mktemp("kinds")
    run = subprocess.run([sys.executable, "-m", "generator", "package", "--project", str(answering.COURSE), "--out",
                          str(out), "--module", "roles", *(f"--scorm={version}" for version in VERSIONS)],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return {version: moodle.add_scorm(out / f"qtypes-roles-{suffix}.zip", name=f"Question kinds {version}")
            for version, suffix in VERSIONS.items()}


def stored_interactions(tracks: dict[str, str], v12: bool) -> list[tuple[str, str, str, list[str], str]]:
    """(id, type, response, patterns, result) of each interaction in Moodle's tracks, in order.

    Moodle stores cmi.interactions.N.* elements as cmi.interactions_N.* (and correct_responses likewise)."""
    found: dict[int, dict] = {}
    for key, value in tracks.items():
        match = re.fullmatch(r"cmi\.interactions[._](\d+)\.(.+)", key)
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = value
    out = []
    for n in sorted(found):
        fields = found[n]
        patterns = [fields[k] for k in sorted((k for k in fields if re.fullmatch(r"correct_responses[._]\d+\.pattern", k)),
                                              key=lambda k: int(re.search(r"\d+", k)[0]))]
        out.append((fields.get("id"), fields.get("type"), fields.get("student_response" if v12 else "learner_response"),
                    patterns, fields.get("result")))
    return out


def refused(learner) -> list:
    """Every SetValue Moodle's API refused on this page: [element, value, error code, diagnostic]."""
    watched = learner.page.evaluate("window.__lmWatched || null")
    assert watched and watched["sets"] > 0, "Moodle's API was not watched"
    return watched["refused"]


def read_until(moodle, activity, student, v12, count):
    """Moodle's tracks once `count` interactions are stored whole (it stores a commit row by row)."""
    def complete(tracks):
        got = stored_interactions(tracks, v12)
        return len(got) == count and all(None not in row and row[3] for row in got)
    return moodle.wait_for(lambda: moodle.tracks(activity, student).get(1, {}), complete)


def go_to(learner, title: str) -> None:
    """The page `title` of the module, through its navigation unless it is open."""
    if not learner.h1().endswith(title):
        learner.content.locator(".module-nav a", has_text=title).click()
        learner.content.locator("h1", has_text=title).wait_for()


@pytest.mark.parametrize("version", list(VERSIONS))
def test_moodle_stores_fill_in_matching_and_sequencing_interactions_and_resumes_the_answers(
        moodle, kinds_activities, student, learner, version):
    activity = kinds_activities[version]
    v12 = learner.v12
    learner.page.context.add_init_script(WATCH_API)
    status = "cmi.core.lesson_status" if v12 else "cmi.completion_status"
    score = "cmi.core.score.raw" if v12 else "cmi.score.raw"

    # 1. A wrong answer of every kind. Moodle stores each with its type, in the version's vocabulary.
    learner.enter(activity)
    learner.next()
    assert learner.h1().endswith("Check")
    answering.answer_types(learner.content, right=False)
    tracks = read_until(moodle, activity, student, v12, 4)
    assert stored_interactions(tracks, v12) == answering.expected_interactions(v12, right=False)
    assert refused(learner) == []
    learner.leave()
    tracks = moodle.tracks(activity, student)[1]
    assert (tracks[status], tracks[score]) == ("incomplete", "0")

    # 2. Back in the same attempt: the answers come back from suspend_data, typed text and all.
    learner.again(activity)
    assert learner.mode() == ("normal", "resume", "credit")
    assert learner.h1().endswith("Check")
    assert answering.shown(learner.content) == answering.shown_after(right=False)
    assert learner.content.locator("#quiz-types .quiz__result").inner_text().startswith("You answered 0 of 4 correctly")

    # 3. Try again and pass; then the part-marks quiz (matching right, steps reversed: half marks, a pass).
    learner.content.locator("#quiz-types .quiz__retry").click()
    answering.answer_types(learner.content, right=True)
    learner.next()
    answering.answer_partial(learner.content)
    assert learner.content.locator("#quiz-partial .quiz__result").inner_text().startswith("You scored 1 out of 2")
    tracks = read_until(moodle, activity, student, v12, 10)
    assert refused(learner) == []
    learner.leave()

    tracks = moodle.tracks(activity, student)
    assert list(tracks) == [1], "one attempt throughout"
    got = stored_interactions(tracks[1], v12)
    assert got[:8] == answering.expected_interactions(v12, right=False) + answering.expected_interactions(v12, right=True)
    wrong = "wrong" if v12 else "incorrect"
    assert [(g[0], g[1], g[4]) for g in got[8:]] == [("partial.roles", "matching", "correct"),
                                                     ("partial.conversation", "sequencing", wrong)]
    assert got[8][2:4] == got[5][2:4] and got[9][3] == got[6][3] and got[9][2] == got[2][2], \
        "the part-marks quiz's answers are written as the first quiz's"
    if v12:
        assert tracks[1]["cmi.core.lesson_status"] == "passed"
    else:
        assert (tracks[1]["cmi.completion_status"], tracks[1]["cmi.success_status"]) == ("completed", "passed")
        assert tracks[1]["cmi.score.scaled"] == "0.8333"
    assert tracks[1][score] == "83", "5 of the 6 marks: 4 of 4, then 1 of 2"
    assert moodle.grade(activity, student) == 83.0
    assert moodle.completion(activity, student) in (COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS)

    # 4. Relaunched without a new attempt, Moodle reopens the finished attempt for review, and nothing is written.
    # SCORM 1.2: the last answers of both quizzes are shown. 2004: after cmi.exit "normal" Moodle hands back no
    # data at all, as the standard says (RTE 4.2.8), so there is nothing to show.
    learner.again(activity)
    assert learner.mode()[0] == "review"
    if v12:
        go_to(learner, "Part marks")
        assert [answering.matches(answering.question(learner.content, "roles", "partial")),
                answering.steps(answering.question(learner.content, "conversation", "partial"))] == \
            [answering.TARGETS, answering.STEPS[::-1]]
        go_to(learner, "Check")
        assert answering.shown(learner.content) == answering.shown_after(right=True)
    else:
        assert (learner.cmi("cmi.entry"), learner.cmi("cmi.suspend_data")) == ("ab-initio", "")
    assert learner.page.evaluate("window.__lmWatched") == {"sets": 0, "refused": []}, "review: nothing written"
    learner.leave()
    assert moodle.tracks(activity, student) == tracks
