"""Fill-in, matching and ordering questions in Chromium, on the fixture course tests/fixtures/question-types.

Its page ``roles/check.html`` holds quiz ``types`` (pass mark 80%, no part marks): a fill-in (#four-rs), a
matching (#roles), an ordering (#conversation) and a single-choice question (#who); ``roles/partial.html``
holds quiz ``partial`` (``partial pass=50``): the same matching and ordering questions with part marks.

Each learner is a fresh browser context (empty localStorage). A page opened at ``...html?seed=N`` starts with
a record holding only the learner seed N (a reload in the same tab keeps the record), so shuffles can be
tried for chosen seeds.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.build import build
from generator.urls import PRINT

from .conftest import serve_directory
from .test_axe import AXE_TAGS, RUN_AXE, format_violations
from .test_reflow import MEASURE

COURSE = Path(__file__).parent.parent / "fixtures" / "question-types"
STORE_KEY = "learnmark:qtypes:v1"
CHECK = "roles/check.html"
PARTIAL = "roles/partial.html"
PRINT_PAGE = f"roles/{PRINT}"

FILL_PROMPT = "The four Rs: realise, recognise, respond and ... ?"
MATCH_PROMPT = "Match each role to what it does"
ORDER_PROMPT = "Put these in the order a wellbeing conversation usually takes"
ACCEPTED = ["resist", "resisting re-traumatisation"]
REPEAT_FEEDBACK = "Not quite: the fourth R is about not causing harm again."
MATCHES = {
    "Wellbeing guardian": "Seeks assurance at board level",
    "Wellbeing champion": "Organises informal catch-ups in the team",
    "Mental Health First Aider": "Spots and supports someone in crisis",
}
MATCH_EXPLANATION = "The guardian works at board level; champions work in their own teams."
RIGHT_ORDER = [
    "Agree a time and a private place",
    "Ask open questions and listen",
    "Agree what support would help",
    "Record a personalised plan",
]

# A page opened with ?seed=N starts with a record holding only that learner seed (see record.js); reloading
# it in the same tab keeps the learner's record.
SEED_SCRIPT = """(() => {
  const m = /[?&]seed=(\\d+)/.exec(location.search);
  if (!m || sessionStorage.getItem('test-seed') === m[1]) return;
  sessionStorage.setItem('test-seed', m[1]);
  localStorage.setItem(%s, JSON.stringify({seed: Number(m[1])}));
})();""" % json.dumps(STORE_KEY)


@pytest.fixture(scope="module")
def qt_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("question-types") / "course"
    shutil.copytree(COURSE, root)
    build(root, root / "site")
    for page in (CHECK, PARTIAL, PRINT_PAGE):
        assert (root / "site" / page).is_file(), f"the fixture course's build wrote no {page}"
    return root / "site"


@pytest.fixture(scope="module")
def qt_url(qt_site) -> str:
    with serve_directory(qt_site) as url:
        yield url


@pytest.fixture
def learner(new_context, qt_url):
    """open(page=CHECK, seed=None, **context_options) -> a new learner's page (fresh localStorage)."""

    def open_page(page: str = CHECK, seed: int | None = None, **options):
        ctx = new_context(**options)
        ctx.add_init_script(SEED_SCRIPT)
        pg = ctx.new_page()
        errors = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.js_errors = errors
        response = pg.goto(qt_url + page + (f"?seed={seed}" if seed is not None else ""))
        assert response is not None and response.ok
        return pg

    return open_page


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '<body>';
  if (el.id && el.tagName !== 'BUTTON') return '#' + el.id;
  return el.tagName.toLowerCase() + ': ' + el.textContent.replace(/\\s+/g, ' ').trim();
}"""
"""Where focus is: '#id' for a field, 'button: <its text>' for a button (a move button's text names its item)."""

FOCUS_IS_BEFORE = """(text) => {
  const target = [...document.querySelectorAll('button')].find(b => b.textContent.replace(/\\s+/g, ' ').trim() === text);
  if (!target) throw new Error('no button ' + text);
  return !!(document.activeElement.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def focused(page) -> str:
    return page.evaluate(FOCUSED)


RING = """() => { const cs = getComputedStyle(document.activeElement);
  return {outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, shadow: cs.boxShadow}; }"""


def assert_ring(page) -> None:
    """The focused control shows a focus indicator (an outline of 2 px or more, or a box shadow)."""
    ring = page.evaluate(RING)
    assert (ring["outline"] != "none" and ring["width"] >= 2) or ring["shadow"] != "none", \
        f"no visible focus indicator on {focused(page)}: {ring}"


def press(page, key: str, expect_focus: str) -> None:
    page.keyboard.press(key)
    assert focused(page) == expect_focus, f"after {key} focus should be on {expect_focus}, but it is on {focused(page)}"


def tab_to(page, target: str, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab, for a button before focus) until focus is on ``target`` (as ``focused`` names it)."""
    for _ in range(limit):
        if focused(page) == target:
            return
        back = target.startswith("button: ") and not page.evaluate(FOCUS_IS_BEFORE, target[len("button: "):])
        page.keyboard.press("Shift+Tab" if back else "Tab")
    pytest.fail(f"{limit} presses of Tab never reached {target}; focus is on {focused(page)}")


def q(page, qid: str, quiz: str = "types"):
    return page.locator(f"#quiz-{quiz}-{qid}-question")


def steps(page, quiz: str = "types") -> list[str]:
    """The ordering question's items, top to bottom (their text only, without any tag)."""
    return q(page, "conversation", quiz).locator(".quiz__step").evaluate_all(
        "els => els.map(li => li.querySelector('.quiz__step-text').firstChild.textContent.trim())")


def targets(page, select: str) -> list[str]:
    """A matching select's targets, in the order it lists them (after 'Choose a match')."""
    return page.locator(select).evaluate("s => [...s.options].slice(1).map(o => o.text)")


def selects(page, quiz: str = "types"):
    return q(page, "roles", quiz).locator(".quiz__select")


def clean(text: str) -> str:
    return " ".join(text.split())


def result_text(page, quiz: str = "types") -> str:
    return clean(page.locator(f"#quiz-{quiz}-result").inner_text())


def feedback(page, qid: str, quiz: str = "types") -> str:
    return clean(page.locator(f"#quiz-{quiz}-{qid}-feedback").inner_text())


def announced(page, quiz: str = "types") -> str:
    return clean(q(page, "conversation", quiz).get_by_role("status").text_content())


def stored(page) -> dict:
    raw = page.evaluate("k => localStorage.getItem(k)", STORE_KEY)
    return json.loads(raw) if raw else {}


def stored_last(page, quiz: str = "types") -> dict | None:
    return (stored(page).get("modules", {}).get("roles", {}).get("quizzes", {}).get(quiz) or {}).get("last")


def arrange(page, order: list[str], quiz: str = "types") -> None:
    """Put the ordering question's items in ``order`` with its "Move up" buttons (clicked)."""
    for i, item in enumerate(order):
        while steps(page, quiz).index(item) > i:
            q(page, "conversation", quiz).locator(".quiz__step", has_text=item).locator('[data-move="-1"]').click()
    assert steps(page, quiz) == order


def match(page, chosen: dict[str, str], quiz: str = "types") -> None:
    """Choose a target (by its text) for each item of the matching question (with the mouse)."""
    for item, target in chosen.items():
        q(page, "roles", quiz).get_by_role("combobox", name=item, exact=True).select_option(label=target)


def answer(page, fill: str = "resist", chosen: dict | None = None, order: list | None = None, who: str = "Anyone") -> None:
    """Answer quiz ``types`` (right unless told otherwise) and submit it."""
    q(page, "four-rs").get_by_role("textbox").fill(fill)
    match(page, chosen or MATCHES)
    arrange(page, order or RIGHT_ORDER)
    q(page, "who").get_by_label(who, exact=True).check()
    page.locator("#quiz-types").get_by_role("button", name="Check my answers").click()
    page.locator("#quiz-types-result p").first.wait_for()


def retry(page, quiz: str = "types") -> None:
    page.locator(f"#quiz-{quiz}").get_by_role("button", name="Try again").click()
    expect(page.locator(f"#quiz-{quiz}-result")).to_be_empty()


WRONG_MATCHES = {  # two of three right: the champion is given the guardian's target
    "Wellbeing guardian": "Seeks assurance at board level",
    "Wellbeing champion": "Seeks assurance at board level",
    "Mental Health First Aider": "Spots and supports someone in crisis",
}
SWAPPED_ORDER = [RIGHT_ORDER[1], RIGHT_ORDER[0], RIGHT_ORDER[2], RIGHT_ORDER[3]]  # two of four in place


# --------------------------------------------------------------------------
# 1. keyboard only
# --------------------------------------------------------------------------


def _choose_by_keyboard(page, select_id: str, target: str) -> None:
    """With focus on a closed select, press ArrowDown until ``target`` is chosen (no popup, no mouse)."""
    options = ["", *targets(page, f"#{select_id}")]
    for _ in range(options.index(target)):
        page.keyboard.press("ArrowDown")
    chosen = page.locator(f"#{select_id}").evaluate("s => s.options[s.selectedIndex].text")
    assert chosen == target, f"#{select_id}: ArrowDown chose {chosen!r}, not {target!r}"


def _move(page, item: str, direction: str, key: str, n: int, total: int = 4) -> None:
    """Press the focused "Move <direction>: <item>" button with ``key``; it lands at position ``n``."""
    name = f"button: Move {direction}: {item}"
    assert focused(page) == name, f"focus should be on {name}, but it is on {focused(page)}"
    page.keyboard.press(key)
    assert steps(page).index(item) == n - 1, f"{key} on {name} left the items as {steps(page)}"
    assert announced(page) == f"“{item}” moved to position {n} of {total}.", announced(page)
    # Focus stays on the button pressed; at the top or the bottom, it goes to the other one.
    at_end = (direction == "up" and n == 1) or (direction == "down" and n == total)
    other = "down" if direction == "up" else "up"
    stays = f"button: Move {other if at_end else direction}: {item}"
    assert focused(page) == stays, f"after moving {item!r} to {n}, focus should be on {stays}, not {focused(page)}"
    assert_ring(page)


def test_keyboard_only_answers_every_kind_and_reorders_with_focus_kept(learner):
    page = learner(seed=7)
    tab_to(page, "#quiz-types-four-rs")
    assert_ring(page)
    page.keyboard.type("  Resist! ")

    # Matching: each select is chosen with the arrow keys, one after another by Tab.
    ids = ["quiz-types-roles", "quiz-types-roles-2", "quiz-types-roles-3"]
    press(page, "Tab", "#" + ids[0])
    assert_ring(page)
    for i, (select_id, target) in enumerate(zip(ids, MATCHES.values())):
        if i:
            press(page, "Tab", "#" + select_id)
        _choose_by_keyboard(page, select_id, target)

    # Ordering: Tab reaches the top item's "Move down" (its "Move up" is disabled).
    start = steps(page)
    assert start != RIGHT_ORDER
    press(page, "Tab", f"button: Move down: {start[0]}")
    assert_ring(page)
    expect(q(page, "conversation").get_by_role("button", name=re.compile(r"^Move up\s*: " + re.escape(start[0])))).to_be_disabled()
    # The top item down to the bottom with Enter and Space: focus stays, then goes to its "Move up".
    for n, key in zip((2, 3, 4), ("Enter", "Space", "Enter")):
        _move(page, start[0], "down", key, n)
    # The bottom item (now start[0]) back up to the top: focus stays, then goes to its "Move down".
    tab_to(page, f"button: Move up: {start[0]}")
    for n, key in zip((3, 2, 1), ("Space", "Enter", "Space")):
        _move(page, start[0], "up", key, n)
    assert steps(page) == start
    # Then into the right order, moving each item up to its place (Tab and Shift+Tab between buttons).
    for place, item in enumerate(RIGHT_ORDER):
        at = steps(page).index(item)
        if at > place:
            tab_to(page, f"button: Move up: {item}")
            for n in range(at, place, -1):
                _move(page, item, "up", "Enter" if n % 2 else "Space", n)
    assert steps(page) == RIGHT_ORDER

    tab_to(page, "#quiz-types-who")
    press(page, "ArrowDown", "#quiz-types-who-2")
    press(page, "Tab", "button: Check my answers")
    page.keyboard.press("Enter")
    result = page.locator("#quiz-types-result")
    result.locator("p").first.wait_for()
    assert focused(page) == "#quiz-types-result"
    assert "You answered 4 of 4 correctly — you passed." in result_text(page), result_text(page)
    assert feedback(page, "four-rs").startswith("✓ Correct"), feedback(page, "four-rs")
    assert clean(q(page, "four-rs").locator(".quiz__field").inner_text()).endswith("Your answer: correct")
    tags = [clean(t) for t in q(page, "roles").locator(".quiz__pair .quiz__tag").all_inner_texts()]
    assert tags == ["✓ Your match: correct"] * 3, tags
    tags = [clean(t) for t in q(page, "conversation").locator(".quiz__step .quiz__tag").all_inner_texts()]
    assert tags == ["✓ In the right place"] * 4, tags
    assert not page.js_errors, page.js_errors


def test_the_error_summary_links_to_an_empty_fill_in_and_an_unchosen_match(learner):
    page = learner()
    tab_to(page, "#quiz-types-four-rs")
    press(page, "Tab", "#quiz-types-roles")
    page.keyboard.press("ArrowDown")  # the first item matched, the other two left unchosen
    press(page, "Tab", "#quiz-types-roles-2")
    press(page, "Shift+Tab", "#quiz-types-roles")
    press(page, "Shift+Tab", "#quiz-types-four-rs")
    page.keyboard.press("Enter")  # submits the form from its (empty) text box

    summary = page.locator("#quiz-types-errors")
    expect(summary).to_be_visible()
    assert focused(page) == "#quiz-types-errors"
    assert summary.get_by_role("alert").count() == 1
    links = summary.get_by_role("link")
    assert [clean(t) for t in links.all_inner_texts()] == ["Answer question 1", "Answer question 2", "Answer question 4"]
    assert [links.nth(i).get_attribute("href") for i in range(3)] == ["#quiz-types-four-rs", "#quiz-types-roles",
                                                                      "#quiz-types-who"]
    for qid, message in (("four-rs", "Type an answer to this question."), ("roles", "Choose a match for every item.")):
        error = page.locator(f"#quiz-types-{qid}-error")
        expect(error).to_be_visible()
        assert clean(error.inner_text()) == f"Error: {message}"
        assert f"quiz-types-{qid}-error" in q(page, qid).locator("fieldset").get_attribute("aria-describedby").split()
    expect(page.locator("#quiz-types-conversation-error")).to_be_hidden()  # an ordering is always answered

    press(page, "Tab", "a: Answer question 1")
    press(page, "Enter", "#quiz-types-four-rs")
    page.keyboard.type("resist")
    page.keyboard.press("Enter")
    assert focused(page) == "#quiz-types-errors"
    assert [clean(t) for t in links.all_inner_texts()] == ["Answer question 2", "Answer question 4"]
    expect(page.locator("#quiz-types-four-rs-error")).to_be_hidden()
    press(page, "Tab", "a: Answer question 2")
    press(page, "Enter", "#quiz-types-roles")
    assert result_text(page) == "", "an attempt with unanswered questions was marked"
    assert stored_last(page) is None, "an attempt with unanswered questions was recorded"
    assert not page.js_errors, page.js_errors


# --------------------------------------------------------------------------
# 2. names in the accessibility tree
# --------------------------------------------------------------------------


def test_screen_readers_get_each_control_named_by_its_question_or_item(learner):
    page = learner()
    form = page.locator("#quiz-types")
    for number, prompt in ((1, FILL_PROMPT), (2, MATCH_PROMPT), (3, ORDER_PROMPT)):
        # Chromium puts a space before the colon that follows the visually hidden "of 4".
        expect(form.get_by_role("group", name=re.compile(rf"^Question {number} of 4\s*: {re.escape(prompt)}$"))).to_have_count(1)

    box = form.get_by_role("textbox")
    expect(box).to_have_count(1)
    expect(box).to_have_accessible_name(re.compile(rf"^Question 1 of 4\s*: {re.escape(FILL_PROMPT)} Your answer$"))

    group = form.get_by_role("group", name=re.compile(re.escape(MATCH_PROMPT)))
    expect(group.get_by_role("combobox")).to_have_count(3)
    for item, target in MATCHES.items():
        combo = group.get_by_role("combobox", name=item, exact=True)
        expect(combo).to_have_count(1)
        expect(combo.get_by_role("option", name=target, exact=True)).to_have_count(1)
        expect(combo.get_by_role("option", name="Choose a match", exact=True)).to_have_count(1)

    group = form.get_by_role("group", name=re.compile(re.escape(ORDER_PROMPT)))
    expect(group.get_by_role("list")).to_have_count(1)
    expect(group.get_by_role("listitem")).to_have_count(4)
    expect(group.get_by_role("button")).to_have_count(8)
    for item in RIGHT_ORDER:
        for direction in ("up", "down"):
            button = group.get_by_role("button", name=re.compile(rf"^Move {direction}\s*: {re.escape(item)}$"))
            expect(button).to_have_count(1)
    expect(group.get_by_role("status")).to_have_count(1)

    # The same, as the accessibility tree gives it.
    tree = form.aria_snapshot()
    for item in MATCHES:
        assert f'combobox "{item}"' in tree, tree
    for item in RIGHT_ORDER:
        assert re.search(rf'button "Move up\s*: {re.escape(item)}"', tree), tree
    assert re.search(rf'textbox "Question 1 of 4\s*: {re.escape(FILL_PROMPT)} Your answer"', tree), tree


# --------------------------------------------------------------------------
# 3. marking
# --------------------------------------------------------------------------


@pytest.mark.parametrize("typed, right", [
    ("  Resist! ", True),
    ("RESISTING re-traumatisation.", True),
    ("“resist”", True),
    ("repeat", False),
    ("Repeat?", False),
    ("resistance", False),
])
def test_a_fill_in_is_marked_ignoring_case_spaces_and_end_punctuation(learner, typed, right):
    page = learner()
    answer(page, fill=typed)
    text = feedback(page, "four-rs")
    field = clean(q(page, "four-rs").locator(".quiz__field").inner_text())
    if right:
        assert "You answered 4 of 4 correctly — you passed." in result_text(page), result_text(page)
        assert text.startswith("✓ Correct") and "Accepted answers" not in text, text
        assert field.endswith("✓ Your answer: correct"), field
    else:
        assert "You answered 3 of 4 correctly — you did not reach the pass mark of 80%." in result_text(page)
        assert text.startswith("✗ Not quite"), text
        assert "Accepted answers: resist, resisting re-traumatisation" in text, text
        assert field.endswith("✗ Your answer: not correct"), field
        # The anticipated wrong answer's feedback, and only for it.
        assert (REPEAT_FEEDBACK in text) == typed.lower().startswith("repeat"), text
    assert page.locator("#quiz-types-four-rs").input_value() == typed
    assert stored_last(page)["questions"][0]["response"] == [typed.strip()]
    assert not page.js_errors, page.js_errors


def test_matching_and_ordering_are_right_only_when_wholly_right_without_part_marks(learner):
    page = learner()
    answer(page)
    assert "You answered 4 of 4 correctly" in result_text(page)
    assert feedback(page, "roles").startswith("✓ Correct"), feedback(page, "roles")
    assert feedback(page, "conversation").startswith("✓ Correct"), feedback(page, "conversation")
    assert MATCH_EXPLANATION in feedback(page, "roles")

    page = learner()
    answer(page, chosen=WRONG_MATCHES, order=SWAPPED_ORDER)
    assert "You answered 2 of 4 correctly — you did not reach the pass mark of 80%." in result_text(page), result_text(page)
    verdicts = [clean(v) for v in page.locator("#quiz-types .quiz__verdict-link").all_inner_texts()]
    assert verdicts == ["✓ Question 1: correct", "✗ Question 2: not correct", "✗ Question 3: not correct",
                        "✓ Question 4: correct"], verdicts
    roles = feedback(page, "roles")
    assert roles.startswith("✗ Not quite") and "Partly right" not in roles, roles
    assert "Correct matches:" in roles and MATCH_EXPLANATION in roles, roles
    for item, target in MATCHES.items():
        assert f"{item} → matches {target}" in roles, roles
    tags = [clean(t) for t in q(page, "roles").locator(".quiz__pair .quiz__tag").all_inner_texts()]
    assert tags == ["✓ Your match: correct", "✗ Your match: not correct", "✓ Your match: correct"], tags
    conversation = feedback(page, "conversation")
    assert conversation.startswith("✗ Not quite") and "Correct order:" in conversation, conversation
    assert " ".join(RIGHT_ORDER) in conversation, conversation
    tags = [clean(t) for t in q(page, "conversation").locator(".quiz__step .quiz__tag").all_inner_texts()]
    assert tags == ["✗ Not in the right place"] * 2 + ["✓ In the right place"] * 2, tags
    last = stored_last(page)
    assert [m["correct"] for m in last["questions"]] == [True, False, False, True]
    assert last["score"]["raw"] == 2
    assert not page.js_errors, page.js_errors


def test_part_marks_count_what_is_partly_right_with_partial(learner):
    page = learner(PARTIAL)
    form = page.locator("#quiz-partial")
    match(page, WRONG_MATCHES, quiz="partial")
    arrange(page, SWAPPED_ORDER, quiz="partial")
    form.get_by_role("button", name="Check my answers").click()
    text = result_text(page, "partial")
    # 2 of 3 matches (0.67) and 2 of 4 steps in place (0.5): 1.17 of 2, over the pass mark of 50%.
    assert "You scored 1.17 out of 2, with part marks for answers partly right — you passed." in text, text
    verdicts = [clean(v) for v in form.locator(".quiz__verdict-link").all_inner_texts()]
    assert verdicts == ["✗ Question 1: partly right", "✗ Question 2: partly right"], verdicts
    assert feedback(page, "roles", "partial").startswith("✗ Partly right")
    assert feedback(page, "conversation", "partial").startswith("✗ Partly right")
    last = stored_last(page, "partial")
    assert last["score"]["raw"] == 1.17 and last["passed"] is True, last
    assert [m.get("credit") for m in last["questions"]] == [0.67, 0.5], last["questions"]

    retry(page, "partial")
    match(page, {item: "Seeks assurance at board level" for item in MATCHES}, quiz="partial")
    arrange(page, [RIGHT_ORDER[3], RIGHT_ORDER[2], RIGHT_ORDER[0], RIGHT_ORDER[1]], quiz="partial")
    form.get_by_role("button", name="Check my answers").click()
    text = result_text(page, "partial")
    # 1 of 3 (0.33) and none in place: 0.33 of 2, under 50%.
    assert "You scored 0.33 out of 2, with part marks for answers partly right — you did not reach the pass mark of 50%." \
        in text, text

    retry(page, "partial")
    match(page, MATCHES, quiz="partial")
    arrange(page, RIGHT_ORDER, quiz="partial")
    form.get_by_role("button", name="Check my answers").click()
    assert "You scored 2 out of 2, with part marks for answers partly right — you passed." in result_text(page, "partial")
    assert not page.js_errors, page.js_errors


# --------------------------------------------------------------------------
# 4. stable, seeded shuffles
# --------------------------------------------------------------------------


def _order(page) -> tuple:
    lists = [tuple(targets(page, f"#{s}")) for s in ("quiz-types-roles", "quiz-types-roles-2", "quiz-types-roles-3")]
    assert len(set(lists)) == 1, f"the matching selects list their targets in different orders: {lists}"
    assert sorted(lists[0]) == sorted(MATCHES.values())
    return lists[0], tuple(steps(page))


def test_targets_and_steps_keep_each_learners_order(learner, qt_url):
    page = learner()
    first = _order(page)
    seed = stored(page).get("seed")
    assert isinstance(seed, int), f"no learner seed was stored: {stored(page)}"
    page.reload()
    assert _order(page) == first, "the targets or steps changed order on reload"
    assert _order(learner(seed=seed)) == first, "the same seed, in another browser, gave another order"

    orders = {}
    for n in range(1, 9):
        page.goto(f"{qt_url}{CHECK}?seed={n}")
        assert stored(page)["seed"] == n
        orders[n] = _order(page)
        assert list(orders[n][1]) != RIGHT_ORDER, f"seed {n}: the ordering question starts in the right order"
    assert len({o[0] for o in orders.values()}) > 1, f"eight seeds gave the same order of targets: {orders}"
    assert len({o[1] for o in orders.values()}) > 1, f"eight seeds gave the same order of steps: {orders}"
    assert not page.js_errors, page.js_errors


FIND_RIGHT_SHUFFLES = """([key, ids, limit]) => {
  const found = [];
  for (let seed = 0; seed < limit && found.length < 4; seed++) {
    const order = Learnmark.quizShuffle(ids.slice(), Learnmark.random(seed, key));
    if (order.join(' ') === ids.join(' ')) found.push(seed);
  }
  return found;
}"""


@pytest.mark.parametrize("page_name, quiz", [(CHECK, "types"), (PARTIAL, "partial")])
def test_an_ordering_question_never_starts_in_the_right_order(learner, qt_url, page_name, quiz):
    """Seeds whose plain shuffle is the right order (found with the page's own generator) still start wrong."""
    page = learner(page_name)
    ids = page.locator(f"#quiz-{quiz}-conversation-question .quiz__steps").get_attribute("data-order").split()
    seeds = page.evaluate(FIND_RIGHT_SHUFFLES, [f"roles/{quiz}:conversation", ids, 5000])
    assert len(seeds) >= 2, f"no seed below 5000 shuffles the steps into the right order: {seeds}"
    for seed in seeds:
        page.goto(f"{qt_url}{page_name}?seed={seed}")
        assert stored(page)["seed"] == seed
        assert steps(page, quiz) != RIGHT_ORDER, f"seed {seed}: the ordering question starts in the right order"
        assert sorted(steps(page, quiz)) == sorted(RIGHT_ORDER)
    assert not page.js_errors, page.js_errors


# --------------------------------------------------------------------------
# 5. the last attempt after a reload, and "Try again"
# --------------------------------------------------------------------------


def _state(page) -> dict:
    return {
        "typed": page.locator("#quiz-types-four-rs").input_value(),
        "matches": selects(page).evaluate_all("ss => ss.map(s => s.value)"),
        "steps": steps(page),
        "who": q(page, "who").locator("input:checked").evaluate_all("is => is.map(i => i.value)"),
    }


def test_the_last_attempt_is_shown_again_after_a_reload(learner):
    page = learner(seed=11)
    start = steps(page)
    order = [RIGHT_ORDER[2], RIGHT_ORDER[0], RIGHT_ORDER[1], RIGHT_ORDER[3]]
    answer(page, fill="  Resisting RE-traumatisation ", chosen=WRONG_MATCHES, order=order, who="Managers and team leaders")
    before = {"result": result_text(page), "roles": feedback(page, "roles"), "conversation": feedback(page, "conversation")}
    state = _state(page)
    assert state["typed"] == "  Resisting RE-traumatisation "

    # The recorded answers, in the forms the tracker and the LMS runtimes read (answers.js's header).
    last = stored_last(page)
    assert [(a["id"], a["kind"]) for a in last["questions"]] == [
        ("four-rs", "fill-in"), ("roles", "matching"), ("conversation", "ordering"), ("who", "single")]
    assert last["questions"][0]["response"] == ["Resisting RE-traumatisation"]
    assert last["questions"][1]["response"] == [
        "wellbeing-guardian.seeks-assurance-at-board-level", "wellbeing-champion.seeks-assurance-at-board-level",
        "mental-health-first-aider.spots-and-supports-someone-in"]
    ids = page.locator("#quiz-types-conversation-question .quiz__steps").get_attribute("data-order").split()
    assert last["questions"][2]["response"] == [ids[2], ids[0], ids[1], ids[3]]

    page.reload()
    page.locator("#quiz-types-result p").first.wait_for()
    assert result_text(page) == before["result"], "the result changed on reload"
    assert "You answered 1 of 4 correctly" in before["result"], before["result"]
    assert feedback(page, "roles") == before["roles"] and feedback(page, "conversation") == before["conversation"]
    after = _state(page)
    assert after == {**state, "typed": "Resisting RE-traumatisation"}, f"restored {after}, answered {state}"
    assert page.locator("#quiz-types .quiz__text:disabled, #quiz-types .quiz__select:disabled").count() == 4
    tags = [clean(t) for t in q(page, "roles").locator(".quiz__pair .quiz__tag").all_inner_texts()]
    assert tags == ["✓ Your match: correct", "✗ Your match: not correct", "✓ Your match: correct"], tags
    expect(q(page, "conversation").get_by_role("button", name=re.compile("^Move"))).to_have_count(0)

    # "Try again" starts afresh: nothing typed or chosen, the steps back in the learner's starting order.
    retry(page)
    assert focused(page) == "#quiz-types-four-rs"
    assert _state(page) == {"typed": "", "matches": ["", "", ""], "steps": start, "who": []}
    expect(q(page, "conversation").get_by_role("button", name=re.compile("^Move"))).to_have_count(8)
    expect(q(page, "conversation").get_by_role("button", name=re.compile(r"^Move up\s*: " + re.escape(start[0])))).to_be_disabled()
    assert page.locator("#quiz-types .quiz__tag").count() == 0
    assert not page.js_errors, page.js_errors


def test_try_again_never_starts_an_ordering_in_the_right_order(learner):
    page = learner(seed=5)
    start = steps(page)
    answer(page, fill="repeat")  # the ordering right, the quiz failed: "Try again" is offered
    assert "You answered 3 of 4 correctly" in result_text(page)
    retry(page)
    assert steps(page) == start != RIGHT_ORDER
    page.reload()
    retry(page)
    assert steps(page) == start
    assert not page.js_errors, page.js_errors


STEPS_FIRST = """\
---
title: Steps
---
::: quiz id=steps
### Put these in the order a wellbeing conversation usually takes {ordering #conversation}
1. Agree a time and a private place
2. Ask open questions and listen
3. Agree what support would help
4. Record a personalised plan

### Who can raise a concern? {#who}
- [ ] Managers and team leaders
- [x] Anyone
:::
"""


def test_try_again_focuses_an_ordering_questions_first_enabled_button(new_context, tmp_path):
    """A quiz opening with an ordering question: its first control (the top item's "Move up") is disabled."""
    root = tmp_path / "course"
    shutil.copytree(COURSE, root)
    shutil.rmtree(root / "content" / "01-roles")
    (root / "content" / "01-roles").mkdir()
    shutil.copy(COURSE / "content" / "01-roles" / "_module.md", root / "content" / "01-roles" / "_module.md")
    (root / "content" / "01-roles" / "01-steps.md").write_text(STEPS_FIRST, encoding="utf-8")
    build(root, root / "site")
    with serve_directory(root / "site") as url:
        page = new_context().new_page()
        page.goto(url + "roles/steps.html")
        page.locator("#quiz-steps").get_by_label("Managers and team leaders").check()
        page.locator("#quiz-steps").get_by_role("button", name="Check my answers").click()
        retry(page, "steps")
        top = steps(page, "steps")[0]
        assert focused(page) == f"button: Move down: {top}", f"after Try again focus is on {focused(page)}"


# --------------------------------------------------------------------------
# 6. JavaScript off
# --------------------------------------------------------------------------


def test_without_javascript_the_answers_are_in_the_expanders(new_context, qt_url, qt_site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(qt_url + CHECK)
    html = (qt_site / CHECK).read_text(encoding="utf-8")

    # The build-time order: the targets as the page's HTML lists them, the same in every select.
    written = re.findall(r'<option value="[^"]+">([^<]+)</option>', html)
    assert len(written) == 9
    for i in range(3):
        combo = q(page, "roles").get_by_role("combobox", name=list(MATCHES)[i], exact=True)
        assert combo.locator("option").all_text_contents()[1:] == written[:3]
    shown = steps(page)
    assert sorted(shown) == sorted(RIGHT_ORDER) and shown != RIGHT_ORDER, shown
    assert shown == re.findall(r'<span class="quiz__step-text">([^<]+)</span>', html)

    # No move buttons, no "Check my answers": the hint says how to check instead.
    expect(page.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)
    expect(page.get_by_role("button", name="Check my answers")).to_have_count(0)
    hint = clean(q(page, "conversation").locator(".quiz__hint").inner_text())
    assert hint == "The items are jumbled: work out their right order, then check it under “Show answer and explanation”."
    expect(q(page, "four-rs").get_by_role("textbox")).to_be_editable()

    def expander(qid: str, number: int) -> str:
        summary = q(page, qid).get_by_text(f"Show answer and explanation for question {number}")
        summary.click()
        body = q(page, qid).locator(".quiz__answer .details__text")
        expect(body).to_be_visible()
        return clean(body.inner_text())

    fill = expander("four-rs", 1)
    assert "Accepted answers: resist, resisting re-traumatisation" in fill, fill
    assert f"repeat (not accepted) {REPEAT_FEEDBACK}" in fill, fill
    roles = expander("roles", 2)
    assert roles.startswith("Correct matches:") and MATCH_EXPLANATION in roles, roles
    pairs = [clean(t) for t in q(page, "roles").locator(".quiz__key li").all_text_contents()]
    assert pairs == [f"{item} → matches {target}" for item, target in MATCHES.items()], pairs
    conversation = expander("conversation", 3)
    assert conversation.startswith("Correct order:"), conversation
    assert q(page, "conversation").locator(".quiz__key li").all_inner_texts() == RIGHT_ORDER


# --------------------------------------------------------------------------
# 7. axe-core, and reflow at 320 px
# --------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_question_kinds_have_no_axe_violations(learner, axe_path, scheme):
    page = learner(bypass_csp=True, color_scheme=scheme)
    found = {}

    def run(state):
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(axe_path))
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        if violations:
            found[f"{scheme}/{state}"] = violations

    run("before answering")
    page.locator("#quiz-types").get_by_role("button", name="Check my answers").click()
    expect(page.locator("#quiz-types-errors")).to_be_visible()
    run("error summary")
    q(page, "conversation").locator(".quiz__move:not([disabled])").first.click()
    run("after a move")
    answer(page, fill="repeat", chosen=WRONG_MATCHES, order=SWAPPED_ORDER)
    run("marked, wrong")
    page.goto(page.url.replace(CHECK, PARTIAL))
    match(page, WRONG_MATCHES, quiz="partial")
    page.locator("#quiz-partial").get_by_role("button", name="Check my answers").click()
    page.locator("#quiz-partial-result p").first.wait_for()
    run("part marks")
    if found:
        pytest.fail("axe found WCAG A/AA violations:\n" + format_violations(found), pytrace=False)


def _without_scripts(route):
    """The page as a browser with JavaScript off gets it: every <script> gone (axe needs JS, so the context has it)."""
    response = route.fetch()
    body = re.sub(r"<script\b.*?</script>", "", response.text(), flags=re.S | re.I)
    route.fulfill(response=response, body=body)


def test_question_kinds_have_no_axe_violations_without_javascript_or_in_print(new_context, qt_url, axe_path):
    page = new_context(bypass_csp=True).new_page()
    found = {}
    for name in (CHECK, PARTIAL):
        page.route(qt_url + name, _without_scripts)
        page.goto(qt_url + name)
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
        expect(page.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)
        for summary in page.locator(".quiz__answer summary").all():
            summary.click()
        page.add_script_tag(path=str(axe_path))
        if violations := page.evaluate(RUN_AXE, AXE_TAGS):
            found[f"{name} (no JavaScript, answers open)"] = violations
    page.goto(qt_url + PRINT_PAGE)
    page.add_script_tag(path=str(axe_path))
    if violations := page.evaluate(RUN_AXE, AXE_TAGS):
        found[PRINT_PAGE] = violations
    if found:
        pytest.fail("axe found WCAG A/AA violations:\n" + format_violations(found), pytrace=False)


def _assert_reflows(page, state: str) -> None:
    m = page.evaluate(MEASURE)
    assert m["scrollWidth"] <= m["innerWidth"], (
        f"{state}: at 320 px the page scrolls sideways ({m['scrollWidth']} > {m['innerWidth']}); too wide: {m['wide']}")


def test_the_new_controls_reflow_at_320px(learner, new_context, qt_url):
    page = learner(viewport={"width": 320, "height": 640})
    _assert_reflows(page, "before answering")
    for control in (page.locator("#quiz-types-four-rs"), *selects(page).all(), *q(page, "conversation").locator(".quiz__move").all()):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, f"{control} sticks out at 320 px: {box}"
        assert box["height"] >= 24 and box["width"] >= 24, f"{control} is a target under 24 px: {box}"
    answer(page, fill="repeat", chosen=WRONG_MATCHES, order=SWAPPED_ORDER)
    _assert_reflows(page, "marked")
    nojs = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}).new_page()
    nojs.goto(qt_url + CHECK)
    for summary in nojs.locator(".quiz__answer summary").all():
        summary.click()
    _assert_reflows(nojs, "without JavaScript, answers open")


# --------------------------------------------------------------------------
# 8. the print page
# --------------------------------------------------------------------------


def test_the_print_page_prints_each_kind_and_its_answer(new_context, qt_url):
    page = new_context().new_page()
    page.goto(qt_url + PRINT_PAGE)
    questions = page.locator(".print-quiz__question")
    expect(questions).to_have_count(6)

    fill = questions.nth(0)
    assert clean(fill.locator("h3, h4").inner_text()) == f"Question 1: {FILL_PROMPT}"
    assert clean(fill.locator(".print-quiz__hint").inner_text()) == "Write your answer on the line."
    assert fill.locator(".print-reflection__line").count() == 1

    for question, number in ((questions.nth(1), 2), (questions.nth(4), 5)):
        assert clean(question.locator("h3, h4").inner_text()) == f"Question {number}: {MATCH_PROMPT}"
        assert clean(question.locator(".print-quiz__hint").inner_text()) == "Write the letter of its match beside each item."
        assert question.locator(".print-quiz__option").all_inner_texts() == list(MATCHES)
        targets = question.locator(".print-quiz__targets li").all_inner_texts()
        assert [t[:3] for t in targets] == ["A. ", "B. ", "C. "], targets
        assert sorted(t[3:] for t in targets) == sorted(MATCHES.values())

    for question, number in ((questions.nth(2), 3), (questions.nth(5), 6)):
        assert clean(question.locator("h3, h4").inner_text()) == f"Question {number}: {ORDER_PROMPT}"
        assert clean(question.locator(".print-quiz__hint").inner_text()) == "Number the items in their right order."
        items = question.locator(".print-quiz__option").all_inner_texts()
        assert sorted(items) == sorted(RIGHT_ORDER) and items != RIGHT_ORDER, items

    answers = page.locator(".print-answers__item")
    expect(answers).to_have_count(6)
    assert clean(answers.nth(0).inner_text()) == "Question 1: Accepted answers: resist, resisting re-traumatisation"
    for i in (1, 4):
        text = clean(answers.nth(i).inner_text())
        assert text.startswith(f"Question {i + 1}: Correct matches:"), text
        pairs = [clean(t) for t in answers.nth(i).locator(".quiz__key li").all_text_contents()]
        assert pairs == [f"{item} → matches {target}" for item, target in MATCHES.items()], pairs
    assert MATCH_EXPLANATION in clean(answers.nth(1).inner_text())
    for i in (2, 5):
        assert clean(answers.nth(i).inner_text()).startswith(f"Question {i + 1}: Correct order:")
        assert answers.nth(i).locator(".quiz__key li").all_inner_texts() == RIGHT_ORDER
    assert clean(answers.nth(3).inner_text()) == "Question 4: Correct answer: Anyone"
