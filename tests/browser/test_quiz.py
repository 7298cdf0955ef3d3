"""The quiz and reflection components in a real browser, on a scratch course built for these tests.

The course (written to a temporary folder, built with ``python -m generator build`` and
served over http://127.0.0.1) has one page holding:

* quiz ``limited`` (pass=60, retries=1): a single-choice, a multiple-choice and a
  true/false question, every option with feedback, the first with an explanation;
* quiz ``drawn`` (draw=2, shuffle): five single-choice questions of four options each;
* reflection ``think``.

Each learner is a fresh browser context, so localStorage starts empty in every test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, serve_directory
from .test_axe import AXE_TAGS, RUN_AXE, format_violations

COURSE_ID = "quiztest"
STORE_KEY = f"learnmark:{COURSE_ID}:v1"
PAGE = "m/quiz.html"

# -- quiz "limited": question id -> (prompt, kind, [(choice id, label, correct, feedback)], explanation)
LIMITED = {
    "sky": (
        "Which colour is the sky on a clear day?",
        "single",
        [
            ("green", "Green", False, "Not green: grass is green, the sky is not."),
            ("blue", "Blue", True, "Right: the clear sky looks blue."),
            ("red", "Red", False, "Not red: the sky is red only at sunset."),
        ],
        "Sunlight scatters off the air, and blue light scatters the most.",
    ),
    "primes": (
        "Which of these are prime numbers?",
        "multiple",
        [
            ("two", "Two", True, "Yes: two is the only even prime."),
            ("three", "Three", True, "Yes: three has no divisors but one and itself."),
            ("four", "Four", False, "No: four is two times two."),
            ("nine", "Nine", False, "No: nine is three times three."),
        ],
        None,
    ),
    "boil": (
        "Water boils at 100 degrees Celsius at sea level.",
        "true-false",
        [
            ("true", "True", True, "Correct: at normal pressure it boils at 100 degrees."),
            ("false", "False", False, "Wrong: at sea level it does boil at 100 degrees."),
        ],
        None,
    ),
}
DRAWN_IDS = [f"bank-{n}" for n in range(1, 6)]
REFLECTION_PROMPT = "What is one thing you learned from these questions?"


def _course_markdown() -> str:
    lines = [
        "---",
        "title: Quiz page",
        "summary: Quizzes to test.",
        "---",
        "Some text before the quizzes.",
        "",
        '::: quiz id=limited pass=60 retries=1 title="Limited quiz"',
    ]
    for qid, (prompt, kind, choices, explanation) in LIMITED.items():
        # Only the multiple-choice question says its kind; the others are inferred.
        flags = f"{{multiple #{qid}}}" if kind == "multiple" else f"{{#{qid}}}"
        lines.append(f"### {prompt} {flags}")
        for _cid, label, correct, feedback in choices:
            lines += [f"- [{'x' if correct else ' '}] {label}", f"  > {feedback}"]
        lines.append("")
        if explanation:
            lines += [explanation, ""]
    lines += [":::", "", '::: quiz id=drawn draw=2 shuffle title="Drawn quiz"']
    for n, qid in enumerate(DRAWN_IDS, start=1):
        lines.append(f"### Bank question number {n} {{#{qid}}}")
        for i, letter in enumerate("ABCD"):
            lines += [f"- [{'x' if i == 0 else ' '}] Option {letter} of question {n}", f"  > Feedback {letter} for question {n}."]
        lines.append("")
    lines += [":::", "", "::: reflection id=think", REFLECTION_PROMPT, ":::", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def quiz_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("quizcourse")
    course, out = root / "course", root / "site"
    (course / "content" / "01-m").mkdir(parents=True)
    (course / "site.yaml").write_text(f"id: {COURSE_ID}\ntitle: Quiz test\n", encoding="utf-8")
    (course / "content" / "01-m" / "_module.md").write_text(
        "---\ntitle: Quiz module\nsummary: A module for testing quizzes and reflections.\n---\nIntro.\n", encoding="utf-8"
    )
    (course / "content" / "01-m" / "01-quiz.md").write_text(_course_markdown(), encoding="utf-8")
    cmd = [sys.executable, "-m", "generator", "build", "--project", str(course), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"build failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}\n{proc.stdout}"
    assert (out / PAGE).is_file(), f"the build wrote no {PAGE}; it wrote {sorted(p.name for p in out.rglob('*.html'))}"
    return out


@pytest.fixture(scope="module")
def quiz_url(quiz_site) -> str:
    with serve_directory(quiz_site) as url:
        yield url + PAGE


@pytest.fixture
def learner(new_context, quiz_url):
    """open(**context_options) -> a page of a new learner (fresh localStorage) on the quiz page."""

    def open_page(init_script: str | None = None, **options):
        ctx = new_context(**options)
        if init_script:
            ctx.add_init_script(init_script)
        pg = ctx.new_page()
        errors = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.js_errors = errors
        response = pg.goto(quiz_url)
        assert response is not None and response.ok
        return pg

    return open_page


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '<body>';
  return el.id ? '#' + el.id : '<' + el.tagName.toLowerCase() + ' class="' + el.className + '">';
}"""


def active(page) -> str:
    return page.evaluate(ACTIVE)


def press(page, key: str, expect: str) -> None:
    page.keyboard.press(key)
    assert active(page) == expect, f"after pressing {key} focus should be on {expect}, but it is on {active(page)}"


def limited(page):
    return page.locator("#quiz-limited")


def question(page, quiz: str, qid: str):
    return page.locator(f"#quiz-{quiz}-{qid}-question")


def choose(page, answers: dict[str, list[str]], quiz: str = "limited") -> None:
    """Tick the given choice ids (by mouse; the keyboard test does it by keyboard)."""
    for qid, ids in answers.items():
        for cid in ids:
            question(page, quiz, qid).locator(f'input[value="{cid}"]').check()


def result_text(page, quiz: str = "limited") -> str:
    return " ".join(page.locator(f"#quiz-{quiz}-result").inner_text().split())


def stored(page) -> dict:
    """The learner's record as saved in localStorage (see components/progress/README.md)."""
    raw = page.evaluate("k => { try { return localStorage.getItem(k); } catch (e) { return null; } }", STORE_KEY)
    return json.loads(raw) if raw else {}


def stored_quiz(page, quiz: str = "limited") -> dict | None:
    """The saved state of quiz m/<quiz> ({attempts, best, last}), or None."""
    return stored(page).get("modules", {}).get("m", {}).get("quizzes", {}).get(quiz)


ALL_WRONG = {"sky": ["red"], "primes": ["nine"], "boil": ["false"]}
ALL_RIGHT = {"sky": ["blue"], "primes": ["two", "three"], "boil": ["true"]}


# --------------------------------------------------------------------------
# 1. keyboard only
# --------------------------------------------------------------------------


def test_keyboard_only_attempt_is_marked_and_explained(learner):
    page = learner()
    # Tab from the top of the page to the quiz's first option (bounded, so a trap fails).
    for _ in range(40):
        page.keyboard.press("Tab")
        if active(page) == "#quiz-limited-sky":
            break
    else:
        pytest.fail(f"40 presses of Tab never reached the first option of the quiz; focus is on {active(page)}")

    ring = page.evaluate("() => { const cs = getComputedStyle(document.activeElement);"
                         " return {outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, shadow: cs.boxShadow}; }")
    assert (ring["outline"] != "none" and ring["width"] >= 2) or ring["shadow"] != "none", f"no visible focus indicator: {ring}"
    # Q1 (radios): arrow from Green to Blue -> right.
    press(page, "ArrowDown", "#quiz-limited-sky-2")
    # Q2 (checkboxes): tick Two and Four, leave Three -> wrong.
    press(page, "Tab", "#quiz-limited-primes")
    page.keyboard.press("Space")
    press(page, "Tab", "#quiz-limited-primes-2")
    press(page, "Tab", "#quiz-limited-primes-3")
    page.keyboard.press("Space")
    press(page, "Tab", "#quiz-limited-primes-4")
    press(page, "Shift+Tab", "#quiz-limited-primes-3")
    press(page, "Tab", "#quiz-limited-primes-4")
    # Q3 (true/false radios): down to False, back up to True -> right.
    press(page, "Tab", "#quiz-limited-boil")
    press(page, "ArrowDown", "#quiz-limited-boil-2")
    press(page, "ArrowUp", "#quiz-limited-boil")
    checked = page.evaluate("() => [...document.querySelectorAll('#quiz-limited input:checked')].map(i => i.value)")
    assert checked == ["blue", "two", "four", "true"], f"the keyboard left these options ticked: {checked}"

    page.keyboard.press("Tab")
    small = page.evaluate(
        "() => [...document.querySelectorAll('#quiz-limited .quiz__input, #quiz-limited button:not([hidden])')]"
        ".map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect()])"
        ".filter(([, r]) => r.width < 24 || r.height < 24).map(([n, r]) => `${n} ${r.width}x${r.height}`)"
    )
    assert small == [], f"targets smaller than 24x24 px: {small}"
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Check my answers", f"after the last question Tab should reach the submit button, not {active(page)}"
    page.keyboard.press("Enter")

    result = page.locator("#quiz-limited-result")
    result.locator("p").first.wait_for()
    assert active(page) == "#quiz-limited-result", f"after submitting focus should move to the result, not {active(page)}"
    assert result.get_attribute("role") == "status" or result.get_attribute("aria-live") == "polite"
    text = result_text(page)
    assert "You answered 2 of 3 correctly" in text and "you passed" in text, text
    assert "You can try again 1 more time" in text, text

    for qid, (_prompt, _kind, choices, explanation) in LIMITED.items():
        feedback = page.locator(f"#quiz-limited-{qid}-feedback")
        assert feedback.is_visible(), f"the feedback of question {qid} is not visible after submitting"
        ftext = " ".join(feedback.inner_text().split())
        for cid, _label, _correct, fb in choices:
            if cid in checked:
                assert fb in ftext, f"question {qid}: the feedback of the chosen option {cid!r} is missing: {ftext!r}"
            else:
                assert fb not in ftext, f"question {qid}: feedback of the unchosen option {cid!r} is shown: {ftext!r}"
        if explanation:
            assert explanation in ftext, f"question {qid}: the explanation is not shown: {ftext!r}"
        fieldset = question(page, "limited", qid).locator("fieldset")
        assert f"quiz-limited-{qid}-feedback" in fieldset.get_attribute("aria-describedby").split()

    sky = " ".join(page.locator("#quiz-limited-sky-feedback").inner_text().split())
    primes = " ".join(page.locator("#quiz-limited-primes-feedback").inner_text().split())
    assert sky.startswith("✓ Correct ") and "Correct answer:" not in sky, sky
    assert primes.startswith("✗ Not quite "), primes
    assert "Correct answers: Two, Three" in primes, f"the wrong question does not show its correct answers: {primes!r}"

    def label(qid, cid):
        return " ".join(question(page, "limited", qid).locator(f'.quiz__choice[data-choice-id="{cid}"] label').inner_text().split())

    assert label("primes", "two").endswith("Your answer: correct")
    assert label("primes", "four").endswith("Your answer: not correct")
    assert label("primes", "three").endswith("Correct answer")
    assert label("primes", "nine") == "Nine"
    assert label("sky", "blue").endswith("Your answer: correct")
    assert page.locator("#quiz-limited .quiz__input:disabled").count() == 9
    assert not page.js_errors, page.js_errors


# --------------------------------------------------------------------------
# 2. failing, retry limit, reload
# --------------------------------------------------------------------------


def test_retry_limit_survives_a_reload(learner):
    page = learner()
    form = limited(page)
    retry = form.get_by_role("button", name="Try again")
    submit = form.get_by_role("button", name="Check my answers")
    assert "You can try 1 more time" in page.locator("#quiz-limited").locator("xpath=..").inner_text()

    choose(page, ALL_WRONG)
    submit.click()
    text = result_text(page)
    assert "You answered 0 of 3 correctly" in text and "you did not reach the pass mark of 60%" in text, text
    assert "You can try again 1 more time" in text, text
    assert retry.is_visible() and not submit.is_visible()

    # One attempt used and one left survives a reload, too.
    page.reload()
    assert "You answered 0 of 3 correctly" in result_text(page)
    assert retry.is_visible(), "after a reload with one attempt left, 'Try again' should still be offered"

    retry.click()
    assert active(page) == "#quiz-limited-sky", f"'Try again' should move focus to the first option, not {active(page)}"
    assert result_text(page) == "" and submit.is_visible() and not retry.is_visible()
    assert page.locator("#quiz-limited input:checked").count() == 0
    assert page.locator("#quiz-limited .quiz__tag").count() == 0
    assert page.locator("#quiz-limited .quiz__feedback:visible").count() == 0

    second = {"sky": ["blue"], "primes": ["two"], "boil": ["false"]}  # 1 of 3: fails again
    choose(page, second)
    submit.click()
    text = result_text(page)
    assert "You answered 1 of 3 correctly" in text and "You have used all your attempts." in text, text
    assert not retry.is_visible() and not submit.is_visible()
    assert (stored_quiz(page) or {}).get("attempts") == 2, f"saved quiz state: {stored_quiz(page)}"

    page.reload()
    text = result_text(page)
    assert "You answered 1 of 3 correctly" in text and "You have used all your attempts." in text, (
        f"after a reload the last attempt should be shown again: {text!r}"
    )
    assert not retry.is_visible(), "'Try again' came back after a reload although no attempts are left"
    assert not submit.is_visible(), "'Check my answers' came back after a reload although no attempts are left"
    checked = page.evaluate("() => [...document.querySelectorAll('#quiz-limited input:checked')].map(i => i.value)")
    assert checked == ["blue", "two", "false"], f"the reloaded page shows these answers ticked: {checked}"
    assert page.locator("#quiz-limited .quiz__input:enabled").count() == 0
    assert page.locator("#quiz-limited-sky-feedback").is_visible()
    # Focus is not stolen on load.
    assert active(page) == "<body>", f"loading the page moved focus to {active(page)}"
    assert not page.js_errors, page.js_errors


# --------------------------------------------------------------------------
# 3. unanswered questions
# --------------------------------------------------------------------------


def test_a_marked_quiz_is_compact_summary_first_and_its_feedback_reached_by_tab(learner):
    page = learner(viewport={"width": 320, "height": 640})
    choose(page, {"sky": ["blue"], "primes": ["two", "four"], "boil": ["true"]})  # 2 of 3
    limited(page).get_by_role("button", name="Check my answers").click()
    result = page.locator("#quiz-limited-result")
    result.locator("p").first.wait_for()

    # The summary comes first, then "Try again", then the questions.
    retry = limited(page).get_by_role("button", name="Try again")
    r, t, q = (x.bounding_box() for x in (result, retry, question(page, "limited", "sky")))
    assert r["y"] + r["height"] <= t["y"] < q["y"], f"result {r}, 'Try again' {t}, first question {q}"
    score = result.locator("p").first.bounding_box()
    assert 0 <= score["y"] and score["y"] + score["height"] <= 640, f"the score is not on screen after submitting: {score}"

    # Each question's verdict is a link in the summary that takes focus to that question's feedback.
    assert "Question 1" not in result.inner_text(), "the live region should announce the result only"
    links = limited(page).locator(".quiz__summary .quiz__verdict-link")
    assert [" ".join(a.split()) for a in links.all_inner_texts()] == [
        "✓ Question 1: correct", "✗ Question 2: not correct", "✓ Question 3: correct"]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "✓ Question 1: correct"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert active(page) == "#quiz-limited-primes-feedback", f"the verdict link did not move focus to the feedback: {active(page)}"

    # Compact: only the learner's own answers stay in a marked question, without the (disabled) boxes,
    # and the feedback names neither the verdict nor the option twice.
    assert page.locator("#quiz-limited .quiz__input:visible").count() == 0
    shown = [" ".join(c.split()) for c in question(page, "limited", "primes").locator(".quiz__choice:visible").all_inner_texts()]
    assert shown == ["Two✓ Your answer: correct", "Four✗ Your answer: not correct"], shown  # the tag has a margin, not a space
    primes = page.locator("#quiz-limited-primes-feedback").inner_text()
    assert primes.count("Not quite") == 1 and "(not correct)" not in primes, primes
    # A tag stays on the line of its (short) answer, in one piece.
    for tag in question(page, "limited", "primes").locator(".quiz__tag:visible").all():
        label = tag.locator("xpath=..").bounding_box()
        box = tag.bounding_box()
        assert tag.evaluate("t => t.getClientRects().length") == 1 and box["x"] > label["x"] + 10, f"a tag wrapped: {box} in {label}"
    assert not page.js_errors, page.js_errors


def test_no_try_again_after_a_full_score(learner):
    page = learner()
    choose(page, ALL_RIGHT)
    limited(page).get_by_role("button", name="Check my answers").click()
    text = result_text(page)
    assert "You answered 3 of 3 correctly" in text and "try again" not in text.lower(), text
    assert not limited(page).get_by_role("button", name="Try again").is_visible()
    page.reload()
    assert "You answered 3 of 3 correctly" in result_text(page)
    assert not limited(page).get_by_role("button", name="Try again").is_visible(), "'Try again' came back after a full score"


def test_unanswered_questions_show_an_error_summary(learner):
    page = learner()
    choose(page, {"sky": ["green"]})
    limited(page).get_by_role("button", name="Check my answers").click()

    summary = page.locator("#quiz-limited-errors")
    assert summary.is_visible(), "submitting with unanswered questions showed no error summary"
    assert summary.locator('[role="alert"]').count() == 1
    assert active(page) == "#quiz-limited-errors", f"focus should move to the error summary, not {active(page)}"
    links = summary.locator("a")
    assert links.all_inner_texts() == ["Answer question 2", "Answer question 3"]
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["#quiz-limited-primes", "#quiz-limited-boil"]
    assert page.locator("#quiz-limited-sky-error").is_hidden()
    assert page.locator("#quiz-limited-primes-error").is_visible()
    assert page.locator("#quiz-limited-boil-error").is_visible()
    assert "quiz-limited-primes-error" in question(page, "limited", "primes").locator("fieldset").get_attribute("aria-describedby")
    assert result_text(page) == "", "an incomplete attempt was marked"
    assert not (stored_quiz(page) or {}).get("attempts"), f"an incomplete attempt was counted: {stored_quiz(page)}"

    # Following a link (by keyboard) focuses that question's first option.
    press(page, "Tab", "<a class=\"\">")
    page.keyboard.press("Enter")
    assert active(page) == "#quiz-limited-primes", f"the first link should focus question 2's first option, not {active(page)}"
    links.nth(1).click()
    assert active(page) == "#quiz-limited-boil", f"the second link should focus question 3's first option, not {active(page)}"

    # Completing the attempt clears the errors and uses the first attempt only.
    choose(page, {"primes": ["two", "three"], "boil": ["true"]})
    limited(page).get_by_role("button", name="Check my answers").click()
    assert summary.is_hidden()
    assert page.locator("#quiz-limited .quiz__error:visible").count() == 0
    text = result_text(page)
    assert "You answered 2 of 3 correctly" in text and "You can try again 1 more time" in text, text


# --------------------------------------------------------------------------
# 4. the learnmark:quiz event
# --------------------------------------------------------------------------


def test_submitting_dispatches_the_result_event(learner):
    page = learner()
    page.evaluate(
        "() => { window.__quizEvents = [];"
        " document.addEventListener('learnmark:quiz', e => window.__quizEvents.push("
        "   {target: e.target.id, bubbles: e.bubbles, detail: JSON.parse(JSON.stringify(e.detail))})); }"
    )
    choose(page, {"sky": ["blue"], "primes": ["three", "two"], "boil": ["false"]})
    limited(page).get_by_role("button", name="Check my answers").click()
    events = page.evaluate("() => window.__quizEvents")
    assert len(events) == 1, f"expected one learnmark:quiz event, got {len(events)}"
    event = events[0]
    assert event["target"] == "quiz-limited" and event["bubbles"] is True
    d = event["detail"]
    assert d["quizId"] == "limited"
    assert d["key"] == "m/limited"
    assert d["attempt"] == 1
    assert d["score"]["raw"] == 2 and d["score"]["max"] == 3 and d["score"]["min"] == 0
    assert d["score"]["scaled"] == pytest.approx(2 / 3)
    assert d["passMark"] == 60 and d["passed"] is True
    questions = [(q["id"], q["kind"], sorted(q["response"]), q["correct"]) for q in d["questions"]]
    assert questions == [
        ("sky", "single", ["blue"], True),
        ("primes", "multiple", ["three", "two"], True),
        ("boil", "true-false", ["false"], False),
    ], questions
    assert isinstance(d["timestamp"], str) and d["timestamp"].endswith("Z")

    # A second attempt is numbered 2 and can fail.
    limited(page).get_by_role("button", name="Try again").click()
    choose(page, ALL_WRONG)
    limited(page).get_by_role("button", name="Check my answers").click()
    events = page.evaluate("() => window.__quizEvents")
    assert [e["detail"]["attempt"] for e in events] == [1, 2]
    assert events[1]["detail"]["passed"] is False and events[1]["detail"]["score"]["raw"] == 0
    assert events[1]["detail"]["score"]["scaled"] == 0


# --------------------------------------------------------------------------
# 5. drawn and shuffled questions are stable per learner and seeded
# --------------------------------------------------------------------------

DRAW_STATE = """() => [...document.querySelectorAll('#quiz-drawn .quiz__question')]
  .filter(q => !q.hidden && q.getClientRects().length > 0)
  .map(q => ({id: q.dataset.questionId,
              number: q.querySelector('.quiz__number').textContent,
              options: [...q.querySelectorAll('.quiz__choice')].map(c => c.dataset.choiceId)}))"""


def _draw(page) -> tuple:
    state = page.evaluate(DRAW_STATE)
    return tuple((q["id"], tuple(q["options"])) for q in state)


def test_drawn_questions_and_shuffled_options_are_stable_and_seeded(learner):
    page = learner()
    state = page.evaluate(DRAW_STATE)
    assert len(state) == 2, f"draw=2 should show exactly 2 questions, it shows {[q['id'] for q in state]}"
    assert [q["number"] for q in state] == ["Question 1 of 2:", "Question 2 of 2:"]
    assert all(q["id"] in DRAWN_IDS for q in state)
    for q in state:
        n = q["id"].split("-")[1]
        assert sorted(q["options"]) == sorted(f"option-{x}-of-question-{n}" for x in "abcd"), q
    assert page.locator("#quiz-drawn .quiz__question[hidden] input:enabled").count() == 0
    first = _draw(page)
    seed = stored(page).get("seed")
    assert isinstance(seed, int), f"no learner seed was stored: {stored(page)}"

    page.reload()
    assert _draw(page) == first, "the drawn questions or their option order changed on reload"

    # Learners with chosen seeds: the same seed always gives the same draw; different seeds differ.
    draws = {}
    for n in (1, 2, 3, 4, 5, 6):
        script = f"localStorage.setItem({json.dumps(STORE_KEY)}, JSON.stringify({{seed: {n}}}));"
        pg = learner(init_script=script)
        draws[n] = _draw(pg)
        assert len(draws[n]) == 2
        assert stored(pg)["seed"] == n, "the quiz did not use the learner's stored seed"
        if n <= 2:
            again = learner(init_script=script)
            assert _draw(again) == draws[n], f"seed {n} gave different draws in two browser contexts"
            again.context.close()
        pg.context.close()
    assert len(set(draws.values())) > 1, f"six different seeds all gave the same draw and order: {draws[1]}"
    orders = {opts for d in draws.values() for _qid, opts in d}
    assert any(list(o) != sorted(o) for o in orders), "options are never shuffled away from the authored order"
    drawn_sets = {tuple(sorted(q for q, _ in d)) for d in draws.values()}
    assert len(drawn_sets) > 1, f"six different seeds all drew the same questions: {drawn_sets}"


# --------------------------------------------------------------------------
# 6. axe-core in every state, light and dark
# --------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiz_page_has_no_axe_violations(learner, axe_path, scheme):
    page = learner(bypass_csp=True, color_scheme=scheme)
    page.add_script_tag(path=str(axe_path))
    found = {}

    def run(state):
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        if violations:
            found[f"{scheme}/{state}"] = violations

    run("before answering")
    limited(page).get_by_role("button", name="Check my answers").click()
    page.locator("#quiz-drawn").get_by_role("button", name="Check my answers").click()
    assert page.locator("#quiz-limited-errors").is_visible() and page.locator("#quiz-drawn-errors").is_visible()
    run("error summary shown")
    choose(page, {"sky": ["red"], "primes": ["two", "four"], "boil": ["true"]})
    limited(page).get_by_role("button", name="Check my answers").click()
    for q in page.locator("#quiz-drawn .quiz__question:not([hidden])").all():
        q.locator(".quiz__input").last.check()
    page.locator("#quiz-drawn").get_by_role("button", name="Check my answers").click()
    assert page.locator(".quiz__feedback:visible").count() == 5
    run("feedback shown")
    if found:
        pytest.fail("axe found WCAG A/AA violations on the quiz page:\n" + format_violations(found), pytrace=False)


# --------------------------------------------------------------------------
# 7. JavaScript off
# --------------------------------------------------------------------------


def test_without_javascript_every_answer_is_available(new_context, quiz_url):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(quiz_url)
    bank = {
        qid: (
            f"Bank question number {n}",
            "single",
            [(f"option-{x.lower()}-of-question-{n}", f"Option {x} of question {n}", x == "A", f"Feedback {x} for question {n}.")
             for x in "ABCD"],
            None,
        )
        for n, qid in enumerate(DRAWN_IDS, start=1)
    }
    for quiz, questions in (("limited", LIMITED), ("drawn", bank)):
        for qid, (prompt, _kind, choices, explanation) in questions.items():
            q = question(page, quiz, qid)
            assert q.is_visible(), f"{quiz}/{qid} is not visible without JavaScript"
            assert prompt in q.locator("legend").inner_text()
            for cid, label, _correct, _fb in choices:
                choice = q.locator(f'.quiz__choice[data-choice-id="{cid}"]')
                assert choice.locator("input").is_visible() and choice.locator("label").inner_text().strip() == label
            details = q.locator("details.quiz__answer")
            assert details.count() == 1
            summary = details.locator("summary")
            assert summary.is_visible() and summary.inner_text().startswith("Show answer and explanation"), summary.inner_text()
            answer = details.locator(".quiz__correct-answer")
            assert answer.is_hidden(), f"{quiz}/{qid}: the answer shows before the expander is opened"
            summary.click()
            assert details.get_attribute("open") is not None
            text = " ".join(answer.inner_text().split())
            heading, _, listed = text.partition(": ")
            expected = [label for _cid, label, correct, _fb in choices if correct]
            assert heading == ("Correct answers" if len(expected) > 1 else "Correct answer"), text
            assert listed.split(", ") == expected, f"{quiz}/{qid}: the expander lists {listed!r}, expected {expected}"
            body = " ".join(details.inner_text().split())
            for _cid, label, correct, fb in choices:
                assert f"{label} ({'correct' if correct else 'not correct'}) {fb}" in body, f"{quiz}/{qid}: {fb!r} missing in {body!r}"
            if explanation:
                assert explanation in body
    assert page.locator(".quiz__submit").count() == 2
    visible_buttons = [b.inner_text() for b in page.locator(".quiz__submit, .quiz__retry").all() if b.is_visible()]
    assert visible_buttons == [], f"without JavaScript these quiz buttons are visible but do nothing: {visible_buttons}"
    reflection = page.locator(".reflection")
    assert reflection.locator(".reflection__prompt").is_visible()
    assert REFLECTION_PROMPT in reflection.inner_text()
    assert reflection.locator(".reflection__nojs").is_visible()
    assert page.locator("textarea:visible").count() == 0, "a text box that cannot save is shown without JavaScript"
    assert reflection.get_by_role("button", name="Download my reflections").is_hidden()


def _meta(page, quiz: str) -> str:
    """The visible text of the quiz's summary line(s) above its form."""
    section = page.locator(f"#quiz-{quiz}").locator("xpath=..")
    return " ".join(" ".join(m.inner_text().split()) for m in section.locator(".quiz__meta").all() if m.is_visible())


def test_a_drawn_quiz_says_what_it_shows_with_and_without_javascript(new_context, learner, quiz_url):
    # Without JavaScript every question of the bank is shown, unmarked: the text says so, and no
    # number of questions, pass mark or attempts that only JavaScript could honour.
    page = new_context(java_script_enabled=False).new_page()
    page.goto(quiz_url)
    assert page.locator("#quiz-drawn .quiz__question:visible").count() == len(DRAWN_IDS)
    text = _meta(page, "drawn")
    assert text.startswith(f"{len(DRAWN_IDS)} questions to practise on"), text
    assert "would be given 2 of them, drawn at random" in text, text
    assert "not marked or saved" in text and "Show answer and explanation" in text, text
    assert "2 questions" not in text and "Pass mark" not in text, text
    limited_text = _meta(page, "limited")
    assert limited_text.startswith(f"{len(LIMITED)} questions to practise on") and "drawn" not in limited_text, limited_text
    assert "You can try" not in limited_text, limited_text

    # With JavaScript the learner is given 2, and told they come from a bank of 5.
    page = learner()
    assert page.locator("#quiz-drawn .quiz__question:visible").count() == 2
    text = _meta(page, "drawn")
    assert text == f"2 questions, drawn at random from {len(DRAWN_IDS)}. Pass mark: 80%.", text
    assert _meta(page, "limited") == f"{len(LIMITED)} questions. Pass mark: 60%. You can try 1 more time."
    assert not page.js_errors, page.js_errors


# --------------------------------------------------------------------------
# 8. reflection: saved, restored, downloaded
# --------------------------------------------------------------------------


def test_reflection_is_saved_restored_and_downloaded(learner):
    page = learner()
    box = page.get_by_role("textbox", name="Your reflection")
    assert box.get_attribute("aria-describedby") == "reflection-think-prompt reflection-think-hint"
    status = page.locator(".reflection__status")
    assert status.get_attribute("role") == "status"
    answer = "Nine is not prime.\nThe sky is blue & the grass is <green>."
    box.click()
    page.keyboard.type(answer)
    status.filter(has_text="Saved on this device").wait_for()
    assert active(page) == "#reflection-think", "saving moved focus away from the text box"
    # A slow typist (or a loaded machine) saves part-way through: wait for the whole answer.
    page.wait_for_function(
        "([k, a]) => { const r = JSON.parse(localStorage.getItem(k) || '{}');"
        " return !!(r.reflections && r.reflections['m/think'] && r.reflections['m/think'].answer === a); }",
        arg=[STORE_KEY, answer],
    )

    page.reload()
    assert box.input_value() == answer, "the reflection was not restored after a reload"

    with page.expect_download() as info:
        page.get_by_role("button", name="Download my reflections").click()
    download = info.value
    assert download.suggested_filename.endswith(".md"), download.suggested_filename
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("# My reflections: Quiz test\n"), text
    assert "## Quiz page" in text, text
    assert f"> {REFLECTION_PROMPT}" in text, text
    assert answer in text, text


def test_reflection_typed_just_before_leaving_is_kept(learner):
    page = learner()
    page.get_by_role("textbox", name="Your reflection").fill("Written in a hurry.")
    page.reload()  # well within the save delay: the page-hide save must catch it
    assert page.get_by_role("textbox", name="Your reflection").input_value() == "Written in a hurry."


def test_editing_a_restored_reflection_and_downloading_at_once_saves_the_edit(learner):
    page = learner()
    box = page.get_by_role("textbox", name="Your reflection")
    box.fill("First thought.")
    page.locator(".reflection__status").filter(has_text="Saved on this device").wait_for()
    box.fill("Second thought, downloaded before the save delay.")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my reflections").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Second thought, downloaded before the save delay." in text and "First thought." not in text, text


# --------------------------------------------------------------------------
# 9. storage that throws
# --------------------------------------------------------------------------

NO_STORAGE = """Object.defineProperty(window, 'localStorage', {
  configurable: true,
  get() { throw new DOMException('denied', 'SecurityError'); },
});"""


def test_quiz_and_reflection_work_without_storage(learner):
    page = learner(init_script=NO_STORAGE)
    assert page.evaluate("() => { try { localStorage; return 'storage readable'; } catch (e) { return e.name; } }") == "SecurityError"
    assert page.evaluate("() => document.body.classList.contains('js-enabled') && window.Learnmark.tracker.saved") is False
    notice = page.locator("[data-storage-notice]")
    assert notice.is_visible() and "not letting the course save" in notice.inner_text(), "no notice that progress cannot be saved"
    assert page.locator("#quiz-drawn .quiz__question:visible").count() == 2, "the draw did not run without storage"

    choose(page, ALL_WRONG)  # not a full score, so "Try again" is offered
    limited(page).get_by_role("button", name="Check my answers").click()
    text = result_text(page)
    assert "You answered 0 of 3 correctly" in text and "you did not reach" in text, text
    assert active(page) == "#quiz-limited-result"
    limited(page).get_by_role("button", name="Try again").click()
    choose(page, ALL_RIGHT)
    limited(page).get_by_role("button", name="Check my answers").click()
    assert "You have used all your attempts." in result_text(page), "attempts are not counted in memory"

    box = page.get_by_role("textbox", name="Your reflection")
    box.fill("Something to keep.")
    status = page.locator(".reflection__status")
    status.filter(has_text="cannot save").wait_for()
    assert "Download it" in status.inner_text()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my reflections").click()
    assert "Something to keep." in Path(info.value.path()).read_text(encoding="utf-8")
    assert not page.js_errors, page.js_errors
