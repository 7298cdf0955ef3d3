"""suspend_data format 2: the browser's codec (scorm/suspend.js, run in Node) and the build's budget agree,
and a republished module keeps every page, quiz, question and option that still exists."""

from __future__ import annotations

import json
import re
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


# ---- Fill-in, matching and ordering answers (the question-types fixture course) ----

TYPES_COURSE = REPO / "tests" / "fixtures" / "question-types"
TYPED = "Resisting  Re-traumatisation, ŵ ŷ 😀"
"""Spaces (two together), capitals, punctuation, Welsh ŵ/ŷ and an emoji (outside the BMP)."""


@pytest.fixture(scope="module")
def kinds_module():
    course, _, _ = check(TYPES_COURSE)
    return course.modules[0], course_data(course)["modules"][0]


def kinds_record(module, typed=TYPED, attempts=3, partial_best=1.67):
    """A learner who answered every kind: the fill-in with `typed`, the matching with each item given the next
    item's target (all wrong), the ordering in reverse; and got `partial_best` of 2 in the part-marks quiz."""
    types, partial = module["quizzes"]
    fill, matching, ordering, single = types["questions"]
    pairs = [f"{item}.{matching['targets'][(i + 1) % 3]}" for i, item in enumerate(matching["choices"])]
    questions = [{"id": fill["id"], "kind": "fill-in", "correct": False, "response": [typed]},
                 {"id": matching["id"], "kind": "matching", "correct": False, "response": pairs},
                 {"id": ordering["id"], "kind": "ordering", "correct": False, "response": ordering["choices"][::-1]},
                 {"id": single["id"], "kind": "single", "correct": True, "response": ["anyone"]}]
    right = [{"id": "roles", "kind": "matching", "correct": True,
              "response": [f"{item}.{target}" for item, target in zip(matching["choices"], matching["targets"])]},
             {"id": "conversation", "kind": "ordering", "correct": False, "response": ordering["choices"][1:] + ordering["choices"][:1]}]
    return {"seed": 11, "modules": {module["id"]: {
        "visited": {p["id"]: 1 for p in module["pages"]}, "location": "check",
        "quizzes": {"types": {"attempts": attempts, "best": {"raw": 1, "max": 4, "passed": False},
                              "last": {"questions": questions}},
                    "partial": {"attempts": 1, "best": {"raw": partial_best, "max": 2, "passed": True},
                                "last": {"questions": right}}}}}}


def answers_of(state):
    return {a["id"]: (a["response"], a["correct"]) for a in state["last"]["questions"]}


def test_answers_of_every_kind_round_trip(kinds_module):
    _, module = kinds_module
    data = kinds_record(module)
    (text,) = js(["encode", data, module, 4096])
    assert ":" in text, "the typed text fits, so it is kept"
    (resumed,) = js(["decode", text, module, "qtypes"])
    m = resumed["modules"]["roles"]
    assert m["location"] == "check" and set(m["visited"]) == {"index", "check", "partial"} and resumed["seed"] == 11
    for quiz in ("types", "partial"):
        assert answers_of(m["quizzes"][quiz]) == answers_of(data["modules"]["roles"]["quizzes"][quiz]), quiz
    assert answers_of(m["quizzes"]["types"])["four-rs"] == ([TYPED], False), "typed text comes back exactly"
    types, partial = m["quizzes"]["types"], m["quizzes"]["partial"]
    assert types["attempts"] == 3 and types["best"] == {"raw": 1, "max": 4, "scaled": 0.25, "passed": False}
    assert types["last"]["score"]["max"] == 4
    # Part marks are kept in hundredths.
    assert partial["best"]["raw"] == 1.67 and partial["best"]["max"] == 2 and partial["best"]["passed"] is True
    (again,) = js(["encode", resumed, module, 4096])
    assert again == text, "decoding and encoding again changes nothing"


@pytest.mark.parametrize("typed", ["resist", "RESIST", "a b", "x" * 100, "😀" * 50, "ŵŷ'_-.|~:!"])
def test_typed_text_of_any_characters_round_trips_in_the_records_alphabet(kinds_module, typed):
    _, module = kinds_module
    (text,) = js(["encode", kinds_record(module, typed=typed), module])
    assert re.fullmatch(r"[0-9a-z|~.\-!:_']+", text), text
    (resumed,) = js(["decode", text, module, "qtypes"])
    assert answers_of(resumed["modules"]["roles"]["quizzes"]["types"])["four-rs"] == ([typed], False)


def test_typed_text_is_left_out_over_the_limit_and_its_verdict_kept(kinds_module):
    _, module = kinds_module
    data = kinds_record(module)
    (full,) = js(["encode", data, module])
    (short,) = js(["encode", data, module, len(full) - 1])
    assert ":" in full and ":" not in short and len(short) < len(full)
    (resumed,) = js(["decode", short, module, "qtypes"])
    m = resumed["modules"]["roles"]
    answers = answers_of(m["quizzes"]["types"])
    assert answers["four-rs"] == ([], False), "the verdict stays, without the text"
    assert {k: v for k, v in answers.items() if k != "four-rs"} == \
        {k: v for k, v in answers_of(data["modules"]["roles"]["quizzes"]["types"]).items() if k != "four-rs"}
    assert m["quizzes"]["types"]["last"]["score"] == {"raw": 1, "min": 0, "max": 4, "scaled": 0.25}
    assert m["quizzes"]["partial"]["best"]["raw"] == 1.67
    (again,) = js(["encode", resumed, module, 4096])
    assert again == short, "a verdict without its text is saved again as it was"


def test_a_module_of_many_fill_ins_stays_inside_the_scorm_1_2_limit():
    quiz = {"id": "long", "questions": [{"id": f"q{i}", "kind": "fill-in", "choices": [f"a{i}"]} for i in range(20)]}
    module = {"id": "m", "pages": [{"id": "index"}], "quizzes": [quiz]}
    typed = "😀" * 50   # the input's maxlength is 100 UTF-16 units: 50 emoji, 5 characters each here
    data = {"seed": 1, "modules": {"m": {"visited": {"index": 1}, "location": "index", "quizzes": {"long": {
        "attempts": 1, "best": {"raw": 0, "max": 20, "passed": False},
        "last": {"questions": [{"id": q["id"], "kind": "fill-in", "correct": i % 2 == 0, "response": [typed]}
                               for i, q in enumerate(quiz["questions"])]}}}}}}
    full, limited = js(["encode", data, module], ["encode", data, module, 4096])
    assert len(full) > 4096 >= len(limited)
    (resumed,) = js(["decode", limited, module, "c"])
    verdicts = [(a["id"], a["correct"]) for a in resumed["modules"]["m"]["quizzes"]["long"]["last"]["questions"]]
    assert verdicts == [(f"q{i}", i % 2 == 0) for i in range(20)]


def test_the_build_budget_bounds_what_the_browser_writes_for_every_kind(kinds_module):
    built, module = kinds_module
    budget = suspend.worst_case_size(built)
    # The longest answers each kind allows: every pair and step named, every answer wrong, attempts past the cap,
    # the highest seed; and typed text as long as the input takes, of the characters that cost the most.
    data = kinds_record(module, typed="😀" * 50, attempts=5000, partial_best=2)
    data["seed"] = 2 ** 32 - 1
    for answer in data["modules"]["roles"]["quizzes"]["partial"]["last"]["questions"]:
        answer["correct"] = False
    data["modules"]["roles"]["quizzes"]["types"]["last"]["questions"][-1].update(correct=False)
    full, without_text, limited = js(["encode", data, module], ["encode", data, module, 1],
                                     ["encode", data, module, budget])
    assert ":" in full and ":" not in without_text
    assert len(without_text) <= budget, "the budget counts everything but typed text"
    assert len(limited) <= budget, "typed text is kept only while the record fits"
    assert budget - len(without_text) < 30, f"the budget is close to the real worst case: {budget} vs {without_text}"
