"""suspend_data format 2: the browser's codec (scorm/suspend.js, run in Node) and the build's budget agree,
and a republished module keeps every page, quiz, question and option that still exists."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from generator.build import check
from generator.scorm import suspend
from generator.tracking import course_data
from tests.conftest import REPO

CODEC = REPO / "themes" / "default" / "scorm" / "suspend.js"
RUN = """
const fs = require('fs'); const vm = require('vm');
const window = {}; vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), {window, Math, JSON, parseInt, String, BigInt});
const calls = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(calls.map(([name, ...args]) => window.LearnmarkSuspend[name](...args))));
"""


def js(*calls):
    """Results of LearnmarkSuspend calls, e.g. js(["token", "intro", 4])."""
    node = shutil.which("node")
    if not node:
        pytest.fail("node is missing: bash tests/run installs it with npm")
    run = subprocess.run([node, "-e", RUN, str(CODEC)], input=json.dumps(calls), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


QUIZ = """\
---
title: Check
---
::: quiz id=check pass=50 retries=2
### Who can raise a concern? {#who}
- [ ] Only managers
  > No.
- [x] Anyone
  > Yes.

### Which help? {multiple #help}
- [x] Listening
  > Yes.
- [x] Thanking
  > Yes.
- [ ] Ignoring
  > No.
:::
"""


@pytest.fixture
def module_data(project):
    project.write("content/01-first/03-check.md", QUIZ)
    course, _, _ = check(project.root)
    return course, course_data(course)["modules"][0]


def record(module, seed=7):
    """A learner who has seen every page and failed the quiz twice with every wrong option."""
    quiz = module["quizzes"][0]
    questions = [{"id": q["id"], "kind": q["kind"], "correct": False,
                  "response": [c for c in q["choices"] if c not in ("anyone", "listening", "thanking")] or q["choices"][:1]}
                 for q in quiz["questions"]]
    return {"seed": seed, "modules": {module["id"]: {
        "visited": {p["id"]: 1 for p in module["pages"]}, "location": module["pages"][-1]["id"],
        "quizzes": {quiz["id"]: {"attempts": 2, "best": {"raw": 1, "max": 2, "passed": True},
                                 "last": {"questions": questions}}}}}}


def test_tokens_and_their_length_match_between_browser_and_build(module_data):
    course, module = module_data
    ids = ["index", "one", "who", "über-ids", "a" * 300, "😀"]
    assert js(*[["token", i, 4] for i in ids]) == [suspend.token(i, 4) for i in ids]
    assert js(["tokenLength", module]) == [suspend.token_length(course.modules[0])] == [4]


def test_the_build_budget_is_never_less_than_what_the_browser_writes(module_data):
    course, module = module_data
    (text,) = js(["encode", record(module, seed=2 ** 32 - 1), module])
    assert text.startswith("2|4|")
    assert len(text) <= suspend.worst_case_size(course.modules[0])


def test_a_republished_module_keeps_what_still_exists(module_data):
    _, module = module_data
    (text,) = js(["encode", record(module), module])
    # The next version: a page added in the middle, the questions and options reordered,
    # one option removed, one question added.
    quiz = module["quizzes"][0]
    who, help_ = quiz["questions"]
    changed = json.loads(json.dumps(module))
    changed["pages"].insert(1, {"id": "new-page", "title": "New"})
    changed["quizzes"][0]["questions"] = [
        {**help_, "choices": ["thanking", "ignoring", "listening"]},
        {"id": "added", "kind": "single", "choices": ["x", "y"]},
        {**who, "choices": ["anyone", "only-managers"]},
    ]
    (resumed,) = js(["decode", text, changed, "scratch"])
    m = resumed["modules"]["first"]
    assert set(m["visited"]) == {p["id"] for p in module["pages"]}
    assert m["location"] == "check" and resumed["seed"] == 7
    state = m["quizzes"]["check"]
    assert state["attempts"] == 2 and state["best"]["raw"] == 1 and state["best"]["passed"] is True
    answers = {a["id"]: (a["response"], a["correct"]) for a in state["last"]["questions"]}
    assert answers == {"who": (["only-managers"], False), "help": (["ignoring"], False)}


def test_ids_that_are_gone_are_dropped_not_misread(module_data):
    _, module = module_data
    (text,) = js(["encode", record(module), module])
    other = {"id": "first", "pages": [{"id": "index"}, {"id": "elsewhere"}], "quizzes": []}
    (resumed,) = js(["decode", text, other, "scratch"])
    assert resumed["modules"]["first"]["visited"] == {"index": 1}
    assert resumed["modules"]["first"]["location"] is None and resumed["modules"]["first"]["quizzes"] == {}


def test_format_1_records_from_older_packages_are_still_read(module_data):
    _, module = module_data
    # Written by the format 1 runtime for this exact module: pages 0-3 seen, on page 3, seed 7,
    # two attempts, best 1 (passed), answers 'only-managers' (wrong) and 'ignoring' (wrong).
    (resumed,) = js(["decode", "1|" + _fingerprint_v1(module) + "|3|f|7|2.1.1.1!-4!", module, "scratch"])
    m = resumed["modules"]["first"]
    assert set(m["visited"]) == {"index", "one", "two", "check"} and m["location"] == "check"
    answers = {a["id"]: a["response"] for a in m["quizzes"]["check"]["last"]["questions"]}
    assert answers == {"who": ["only-managers"], "help": ["ignoring"]}


def test_garbage_decodes_to_nothing(module_data):
    _, module = module_data
    broken, nonsense, empty = js(["decode", "2|4|%%%|x|y|z", module, "c"], ["decode", "nonsense", module, "c"],
                                 ["decode", "", module, "c"])
    m = broken["modules"]["first"]
    assert (m["visited"], m["location"], m["quizzes"]) == ({}, None, {})
    assert nonsense is None and empty is None


def _fingerprint_v1(module) -> str:
    """The structure fingerprint format 1 was keyed by (FNV-1a of the ids as JSON, base 36)."""
    text = json.dumps([[p["id"] for p in module["pages"]],
                       [[q["id"], [[x["id"], x["choices"]] for x in q["questions"]]] for q in module["quizzes"]]],
                      separators=(",", ":"))
    return suspend.base36(suspend.fnv1a(text)).rjust(6, "0")[-6:]
