"""The progress tracker when things go wrong: storage it cannot read, damaged or newer records,
a republished quiz, two tabs at once, an import too large to keep.

A scratch course is written to a temporary folder, built with ``python -m generator build``
and served over http://127.0.0.1 (no-store, as in test_progress.py):

* module ``a`` (``01-a``): landing page + pages p1, p2;
* module ``b`` (``02-b``, ``completion: quiz``): landing page + page ``q`` holding quiz ``five``
  (pass=80, retries=1: two attempts) of five single-choice questions q1..q5 (options ``yes``
  and ``no``, ``yes`` right) and reflection ``think``.

``write_course(src, republished=True)`` writes the next version: q5 removed and q1's answer key
changed to ``no``.

Each learner is a fresh browser context. Where a test needs a record in storage before the
course's script runs, it opens a page, stores it, and only then adds the init script that
breaks storage, so the record itself is written by the real localStorage.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_progress import NOTICE_TEXT, Served, build, go, learners

COURSE_ID = "robust"
KEY = f"learnmark:{COURSE_ID}:v1"
QUESTIONS = ["q1", "q2", "q3", "q4", "q5"]
ALL_YES = {q: "yes" for q in QUESTIONS}


def quiz_page(republished: bool = False) -> str:
    lines = ["---", "title: Quiz page", "---", "Answer every question." if not republished else "Answer every question, again.", "",
             "::: quiz id=five pass=80 retries=1"]
    for n, qid in enumerate(QUESTIONS, start=1):
        if republished and qid == "q5":
            continue
        yes_right = not (republished and qid == "q1")
        lines += [f"### Question number {n}? {{#{qid}}}",
                  f"- [{'x' if yes_right else ' '}] Yes", f"  > Yes feedback {n}.",
                  f"- [{' ' if yes_right else 'x'}] No", f"  > No feedback {n}.", ""]
    lines += [":::", "", "::: reflection id=think", "What will you do differently?", ":::", ""]
    return "\n".join(lines)


def write_course(src: Path, republished: bool = False, text_only: bool = False) -> None:
    if src.exists():
        shutil.rmtree(src)
    a, b = src / "content" / "01-a", src / "content" / "02-b"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    (src / "site.yaml").write_text(f"id: {COURSE_ID}\ntitle: Robust course\n", encoding="utf-8")
    (a / "_module.md").write_text("---\ntitle: Module A\nsummary: Plain pages.\n---\nLanding page of A.\n", encoding="utf-8")
    for n in (1, 2):
        (a / f"0{n}-p{n}.md").write_text(f"---\ntitle: Page {n}\n---\nThe text of page {n}.\n", encoding="utf-8")
    (b / "_module.md").write_text(
        "---\ntitle: Module B\nsummary: A quiz.\ncompletion: quiz\n---\nLanding page of B"
        + (", edited." if text_only else ".") + "\n", encoding="utf-8")
    (b / "01-q.md").write_text(quiz_page(republished), encoding="utf-8")


def _serve(root: Path):
    write_course(root / "course")
    build(root / "course", root / "site")
    return Served(root / "course", root / "site")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = _serve(tmp_path_factory.mktemp("robust"))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def own_site(tmp_path):
    s = _serve(tmp_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def learner(new_context, site):
    return learners(new_context, site)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def raw(pg, suffix: str = ""):
    """The stored text, read past any broken getItem."""
    return pg.evaluate("k => (window.__rawGet || (x => localStorage.getItem(x)))(k)", KEY + suffix)


def stored(pg) -> dict:
    text = raw(pg)
    return json.loads(text) if text else {}


def put(pg, value, suffix: str = "") -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    pg.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY + suffix, text])


def seeded(learner, record, **kwargs):
    """A learner whose storage holds ``record`` (opened on the home page, which saves nothing)."""
    ctx = learner(**kwargs)
    pg = go(ctx, "index.html")
    put(pg, record)
    return ctx, pg


def status_text(pg, module_id: str) -> str:
    return pg.locator(f"[data-module-status='{module_id}']").first.inner_text().strip()


def result_text(pg) -> str:
    return " ".join(pg.locator("#quiz-five-result").inner_text().split())


def answer(pg, answers: dict[str, str]) -> None:
    for qid, choice in answers.items():
        pg.locator(f"#quiz-five-{qid}-question input[value='{choice}']").check()
    pg.locator(".quiz__submit").click()
    pg.locator("#quiz-five-result p").first.wait_for()


def no_errors(ctx) -> None:
    assert not ctx.errors, "page errors:\n" + "\n".join(ctx.errors)


def attempt(responses: dict[str, list[str]], expected: dict[str, list[str]] | None = None, correct=None) -> dict:
    """A stored last attempt of quiz five."""
    questions = []
    for qid, response in responses.items():
        q = {"id": qid, "kind": "single", "response": response,
             "correct": correct[qid] if correct else response == ["yes"]}
        if expected is not None:
            q["expected"] = expected[qid]
        questions.append(q)
    raw_score = sum(q["correct"] for q in questions)
    return {"questions": questions, "score": {"raw": raw_score, "min": 0, "max": len(questions)},
            "passMark": 80, "passed": raw_score * 100 >= 80 * len(questions), "timestamp": "2026-01-02T10:00:00.000Z"}


def record_with(last: dict, attempts: int = 1, **extra) -> dict:
    best = {"raw": last["score"]["raw"], "max": last["score"]["max"], "passed": last["passed"]}
    return {"schema": 1, "course": COURSE_ID, "seed": 11,
            "modules": {"b": {"visited": {"q": 1000}, "quizzes": {"five": {"attempts": attempts, "best": best, "last": last}}}},
            **extra}


REFLECTION = {"key": "b/think", "page": "Quiz page", "prompt": "What will you do differently?", "answer": "Mine.", "updated_at": 4000}
TWO_MODULES = {
    "schema": 1, "course": COURSE_ID, "seed": 7, "updated": 5000,
    "location": {"page": "a/p1", "at": 2000},
    "modules": {"a": {"visited": {"index": 1000, "p1": 2000}, "location": "p1", "updated": 2000},
                "b": {"visited": {"index": 3000}, "location": "index", "updated": 3000}},
    "reflections": {"b/think": REFLECTION},
}


# --------------------------------------------------------------------------
# 1. Never save over a stored record that could not be read
# --------------------------------------------------------------------------

GETITEM_THROWS = """(() => {
  const get = Storage.prototype.getItem;
  window.__rawGet = k => get.call(window.localStorage, k);
  Storage.prototype.getItem = function () { throw new DOMException('The user denied access.', 'SecurityError'); };
})();"""


def test_a_record_that_cannot_be_read_is_never_saved_over(learner):
    ctx, pg = seeded(learner, TWO_MODULES)
    before = raw(pg)
    ctx.add_init_script(GETITEM_THROWS)

    go(pg, "a/p2.html")
    assert pg.evaluate("() => { try { localStorage.getItem('x'); return 'read'; } catch (e) { return e.name; } }") == "SecurityError"
    assert raw(pg) == before, "the record that could not be read was saved over"
    assert pg.evaluate("Learnmark.tracker.saved") is False
    notice = pg.locator("[data-storage-notice]")
    expect(notice).to_be_visible()
    assert NOTICE_TEXT in notice.inner_text() and notice.get_attribute("role") == "status"
    assert status_text(pg, "a") == "In progress: 33% seen"  # this visit, kept in memory

    # A quiz, a reflection and the home page: still nothing written over it.
    go(pg, "b/q.html")
    answer(pg, ALL_YES)
    box = pg.get_by_role("textbox", name="Your reflection")
    box.fill("Written while storage cannot be read.")
    box.blur()
    expect(pg.locator(".reflection__status")).to_contain_text("cannot save")
    go(pg, "index.html")
    expect(pg.locator("[data-storage-notice]")).to_be_visible()
    assert raw(pg) == before
    no_errors(ctx)


CORRUPT_KEEP_FAILS = """(() => {
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(k).includes(':corrupt')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return set.call(this, k, v);
  };
})();"""


def test_an_unreadable_record_that_cannot_be_set_aside_is_left_alone(learner):
    ctx, pg = seeded(learner, "{not json")
    ctx.add_init_script(CORRUPT_KEEP_FAILS)
    go(pg, "a/p1.html")
    assert raw(pg) == "{not json", "an unreadable record was saved over without a copy kept"
    assert raw(pg, ":corrupt") is None
    expect(pg.locator("[data-storage-notice]")).to_be_visible()
    assert status_text(pg, "a") == "In progress: 33% seen"
    no_errors(ctx)


def test_an_earlier_unreadable_record_set_aside_is_never_replaced(learner):
    ctx, pg = seeded(learner, "{second")
    put(pg, "{first", ":corrupt")
    go(pg, "a/p1.html")
    assert raw(pg, ":corrupt") == "{first"
    assert raw(pg, ":corrupt:2") == "{second"
    assert set(stored(pg)["modules"]["a"]["visited"]) == {"p1"}
    expect(pg.locator("[data-storage-notice]")).to_be_hidden()
    no_errors(ctx)


# --------------------------------------------------------------------------
# 2. A damaged stored answer: no selector is built from it, and nothing else breaks
# --------------------------------------------------------------------------

DAMAGED_ANSWER = record_with(attempt({"q1": ['x"]'], "q2": ["yes"], "q3": ["yes"], "q4": ["yes"], "q5": ["yes"]},
                                     correct={q: True for q in QUESTIONS}))


@pytest.mark.parametrize("how", ["stored", "imported"])
def test_a_damaged_stored_answer_breaks_nothing_on_the_page(learner, tmp_path, how):
    if how == "stored":
        ctx, pg = seeded(learner, DAMAGED_ANSWER)
    else:
        ctx = learner()
        pg = go(ctx, "progress.html")
        path = tmp_path / "damaged.json"
        path.write_text(json.dumps({"learnmark": "progress", "course": COURSE_ID, "record": DAMAGED_ANSWER}), encoding="utf-8")
        pg.locator("#lm-import").set_input_files(str(path))
        expect(pg.locator("[data-progress-message]")).to_have_text("Your progress from damaged.json has been added.")

    go(pg, "b/q.html")
    no_errors(ctx)
    assert pg.locator("#quiz-five .quiz__tag").count() == 0, "an answer naming no option of the question was marked"
    assert "earlier version" in result_text(pg)
    # The reflection box on the same page still works.
    box = pg.get_by_role("textbox", name="Your reflection")
    box.fill("Still saved.")
    expect(pg.locator(".reflection__status")).to_have_text("Saved on this device.")
    # And the quiz can be answered (one attempt of two was used).
    answer(pg, ALL_YES)
    assert "You answered 5 of 5 correctly" in result_text(pg)
    assert "You have used all your attempts." in result_text(pg)
    no_errors(ctx)


# --------------------------------------------------------------------------
# 3. A reflection record without a prompt (or with odd parts)
# --------------------------------------------------------------------------


def test_reflections_missing_parts_still_download(learner):
    record = {"schema": 1, "course": COURSE_ID, "reflections": {
        "b/think": {"answer": "Only the answer was kept."},
        "a/gone": {"answer": "Odd parts.", "prompt": 5, "page": None, "updated_at": 1e20},
        "a/empty": {"prompt": "No answer at all."},
    }}
    ctx, pg = seeded(learner, record)
    go(pg, "b/q.html")
    assert pg.get_by_role("textbox", name="Your reflection").input_value() == "Only the answer was kept."
    with pg.expect_download() as info:
        pg.get_by_role("button", name="Download my reflections").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Only the answer was kept." in text and "Odd parts." in text, text
    assert "undefined" not in text and "null" not in text, text

    go(pg, "progress.html")
    with pg.expect_download() as info:
        pg.get_by_role("button", name="Download my reflections as text").click()
    assert "Only the answer was kept." in Path(info.value.path()).read_text(encoding="utf-8")
    no_errors(ctx)


# --------------------------------------------------------------------------
# 4. A result is shown only against the questions and key it was earned on
# --------------------------------------------------------------------------


def test_a_republished_quiz_does_not_mark_an_earlier_result(learner, own_site):
    ctx = learner(site=own_site)
    pg = go(ctx, "b/q.html")
    answer(pg, ALL_YES)
    assert "You answered 5 of 5 correctly" in result_text(pg)
    last = stored(pg)["modules"]["b"]["quizzes"]["five"]["last"]
    assert {q["id"]: q["expected"] for q in last["questions"]} == {q: ["yes"] for q in QUESTIONS}

    # A republish that leaves the quiz as it was still shows the result, marked.
    write_course(own_site.src, text_only=True)
    build(own_site.src, own_site.out)
    pg.reload()
    assert "You answered 5 of 5 correctly" in result_text(pg)
    assert pg.locator("#quiz-five .quiz__tag").count() == 5

    # q5 removed and q1's answer changed: the old result is said to be from an earlier version, not marked.
    write_course(own_site.src, republished=True)
    build(own_site.src, own_site.out)
    pg.reload()
    assert pg.locator("#quiz-five .quiz__question").count() == 4
    text = result_text(pg)
    assert "You answered 5 of 5" not in text and "earlier version of this quiz" in text, text
    assert "you have 1 attempt left" in text, text
    assert pg.locator("#quiz-five .quiz__tag").count() == 0
    assert pg.locator("#quiz-five .quiz__feedback:visible").count() == 0
    assert pg.locator("#quiz-five input:checked").count() == 0
    assert pg.locator(".quiz__submit").is_visible()

    answer(pg, {"q1": "no", "q2": "yes", "q3": "yes", "q4": "yes"})
    text = result_text(pg)
    assert "You answered 4 of 4 correctly" in text and "You have used all your attempts." in text, text
    assert stored(pg)["modules"]["b"]["quizzes"]["five"]["attempts"] == 2
    no_errors(ctx)


@pytest.mark.parametrize(
    "last, marked",
    [
        # Stored without `expected` (an older page, or rebuilt from an LMS's suspend_data): shown when its
        # verdicts are the ones the current key gives...
        pytest.param(attempt({q: ["yes"] for q in QUESTIONS}), True, id="no-key-verdicts-agree"),
        # ...and not when they are not (q1 was marked wrong under another key).
        pytest.param(attempt({q: ["yes"] for q in QUESTIONS}, correct={**{q: True for q in QUESTIONS}, "q1": False}),
                     False, id="no-key-verdicts-differ"),
        # Stored with a key that differs from the current one.
        pytest.param(attempt({q: ["no"] for q in QUESTIONS}, expected={**{q: ["yes"] for q in QUESTIONS}, "q2": ["no"]}),
                     False, id="another-key"),
        pytest.param({**attempt({q: ["yes"] for q in QUESTIONS}), "passMark": 50}, False, id="another-pass-mark"),
        pytest.param(attempt({q: ["yes"] for q in QUESTIONS[:4]}), False, id="fewer-questions"),
    ],
)
def test_a_stored_result_is_marked_only_against_its_own_key(learner, last, marked):
    ctx, pg = seeded(learner, record_with(last))
    go(pg, "b/q.html")
    text = result_text(pg)
    if marked:
        assert "You answered 5 of 5 correctly" in text, text
        assert pg.locator("#quiz-five .quiz__tag").count() == 5
    else:
        assert "earlier version" in text and "You answered" not in text, text
        assert pg.locator("#quiz-five .quiz__tag").count() == 0
    no_errors(ctx)


# --------------------------------------------------------------------------
# 5. Two tabs at the same moment
# --------------------------------------------------------------------------

# For one tab (page.add_init_script): __block() makes it miss other tabs' saves (their storage
# events), and __freeze(key) also makes it read the record as it is now for ever after: together,
# the two halves of a read-merge-write that races another tab's.
RACING_TAB = """(() => {
  const get = Storage.prototype.getItem;
  let blocked = false, frozen = null, stale = null;
  window.__missed = 0;
  window.__block = () => { blocked = true; };
  window.__freeze = key => { stale = get.call(window.localStorage, key); frozen = key; blocked = true; };
  Storage.prototype.getItem = function (k) { return k === frozen ? stale : get.call(this, k); };
  const add = window.addEventListener;
  window.addEventListener = function (type, listener, options) {
    if (type !== 'storage') return add.call(this, type, listener, options);
    return add.call(this, type, function (event) {
      if (blocked) { window.__missed++; return undefined; }
      return listener.call(this, event);
    }, options);
  };
})();"""


def racing_tab(ctx, path: str):
    pg = ctx.new_page()
    pg.site = ctx.site
    pg.add_init_script(RACING_TAB)
    return go(pg, path)


def test_visits_and_time_recorded_in_two_tabs_at_the_same_moment_are_all_kept(learner):
    ctx = learner()
    tab1, tab2 = go(ctx, "index.html"), racing_tab(ctx, "index.html")
    tab2.evaluate("k => __freeze(k)", KEY)
    tab1.evaluate("() => { Learnmark.tracker.visit('a/p1'); Learnmark.tracker.addTime('a', 5); }")
    tab2.wait_for_function("() => window.__missed >= 2")  # tab 1's saves reached the storage tab 2 shares
    tab2.evaluate("() => { Learnmark.tracker.visit('a/p2'); Learnmark.tracker.addTime('a', 7); }")
    # Tab 2 saved over tab 1's record without it; tab 1 sees that save lacks its own and saves the merge.
    tab1.wait_for_function(
        "k => { const r = JSON.parse(localStorage.getItem(k)); const v = r.modules.a.visited;"
        " return 'p1' in v && 'p2' in v && Math.abs(r.modules.a.total_time - 12) < 1e-9; }", arg=KEY, timeout=15000)
    assert tab1.evaluate("() => Learnmark.tracker.status('a').pages_seen") == 2
    no_errors(ctx)


@pytest.mark.parametrize("race", [False, True], ids=["one-after-the-other", "at-the-same-moment"])
def test_the_same_quiz_answered_in_two_tabs_counts_two_attempts(learner, race):
    ctx = learner()
    tab1, tab2 = go(ctx, "b/q.html"), racing_tab(ctx, "b/q.html")
    if race:
        tab2.evaluate("k => __freeze(k)", KEY)
    answer(tab1, {**ALL_YES, "q5": "no"})  # 4 of 5: passed, but not a full score, so a retry is offered
    assert "You can try again 1 more time" in result_text(tab1)
    if race:
        tab2.wait_for_function("() => window.__missed >= 1")
    answer(tab2, {**ALL_YES, "q1": "no"})
    tab1.wait_for_function(
        "k => JSON.parse(localStorage.getItem(k)).modules.b.quizzes.five.attempts === 2", arg=KEY, timeout=15000)
    # Tab 1 learns that the attempts are used up without a reload.
    expect(tab1.locator("#quiz-five-result")).to_contain_text("You have used all your attempts.")
    expect(tab1.locator(".quiz__retry")).to_be_hidden()
    assert tab1.evaluate("() => Learnmark.tracker.quiz('b/five').attempts") == 2
    if not race:
        assert "You have used all your attempts." in result_text(tab2)
    no_errors(ctx)


def test_a_tab_that_missed_a_reset_does_not_bring_the_old_progress_back(learner):
    ctx = learner()
    tab1 = go(ctx, "a/p1.html")
    tab2 = racing_tab(ctx, "index.html")
    tab2.evaluate("() => __block()")
    go(tab1, "progress.html")
    tab1.get_by_role("button", name="Reset my progress").click()
    tab1.get_by_role("button", name="Yes, reset my progress").click()
    expect(tab1.locator("[data-module-status='a']")).to_have_text("Not started")
    tab2.evaluate("() => Learnmark.tracker.visit('a/p2')")  # still holds p1 from before the reset
    assert set(stored(tab2)["modules"]["a"]["visited"]) == {"p2"}
    no_errors(ctx)


# --------------------------------------------------------------------------
# 6. An import too large to keep; a record from a newer version
# --------------------------------------------------------------------------

SMALL_QUOTA = """(() => {
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(v).length > 4000) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return set.call(this, k, v);
  };
})();"""


def test_an_import_too_large_to_store_says_so(learner, tmp_path):
    ctx = learner(SMALL_QUOTA)
    pg = go(ctx, "a/p1.html")
    go(pg, "progress.html")
    expect(pg.locator("[data-storage-notice]")).to_be_hidden()
    big = {"schema": 1, "course": COURSE_ID, "modules": {"a": {"visited": {"p2": 1000}}},
           "reflections": {"b/think": {**REFLECTION, "answer": "A long reflection. " * 400}}}
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"learnmark": "progress", "course": COURSE_ID, "record": big}), encoding="utf-8")
    pg.locator("#lm-import").set_input_files(str(path))
    message = pg.locator("[data-progress-message]")
    expect(message).to_contain_text("big.json")
    assert "has been added" not in message.inner_text()
    assert "did not let the course save it" in message.inner_text()
    assert message.get_attribute("role") == "status"
    expect(pg.locator("[data-storage-notice]")).to_be_visible()
    assert "b/think" not in stored(pg).get("reflections", {})
    no_errors(ctx)


NEWER = {
    "schema": 2, "course": COURSE_ID, "seed": 3, "updated": 9000, "future": {"kept": True},
    "modules": {"a": {"visited": {"index": 1000, "p1": 2000}, "visits": [["p1", 2000]], "updated": 2000}},
    "reflections": {"b/think": REFLECTION},
}


def test_a_record_from_a_newer_version_is_never_rewritten(learner, tmp_path):
    ctx, pg = seeded(learner, NEWER)
    before = raw(pg)
    go(pg, "a/p2.html")
    assert raw(pg) == before, "a newer record was rewritten by an older page"
    notice = pg.locator("[data-storage-notice]")
    expect(notice).to_be_visible()
    assert "newer version of this course" in notice.inner_text()
    assert status_text(pg, "a") == "Completed"  # what it could read, and this visit, in memory

    go(pg, "b/q.html")
    answer(pg, ALL_YES)
    box = pg.get_by_role("textbox", name="Your reflection")
    assert box.input_value() == "Mine."
    box.fill("Changed on an older page.")
    box.blur()
    expect(pg.locator(".reflection__status")).to_contain_text("newer version")
    assert raw(pg) == before

    # Importing a file from a newer version changes nothing either.
    go(pg, "progress.html")
    path = tmp_path / "newer.json"
    path.write_text(json.dumps({"learnmark": "progress", "course": COURSE_ID, "record": NEWER}), encoding="utf-8")
    pg.locator("#lm-import").set_input_files(str(path))
    expect(pg.locator("[data-progress-message]")).to_contain_text("newer version of this course, so nothing was changed")
    assert raw(pg) == before
    no_errors(ctx)


def test_fields_this_page_does_not_know_are_kept(learner):
    record = {**TWO_MODULES, "future": {"kept": True}}
    record["modules"] = {**TWO_MODULES["modules"], "a": {**TWO_MODULES["modules"]["a"], "future_module": [1, 2]}}
    ctx, pg = seeded(learner, record)
    go(pg, "a/p2.html")
    saved = stored(pg)
    assert saved["future"] == {"kept": True}
    assert saved["modules"]["a"]["future_module"] == [1, 2]
    assert set(saved["modules"]["a"]["visited"]) == {"index", "p1", "p2"}
    assert saved["reflections"]["b/think"]["answer"] == "Mine."
    no_errors(ctx)
