"""Answering fill-in, matching and ordering questions as a learner does, in any frame.

``answer_arranged`` answers any such question right or wrong, for tests that work through whole quizzes
(choice questions are answered by each test in its own way). The rest answers the question-types fixture
course's quiz `types` and says what an LMS should then hold: shared by the scorm-again tests
(tests/browser/test_scorm.py) and the Moodle ones (tests/moodle/test_moodle_question_kinds.py).

The quiz (tests/fixtures/question-types/content/01-roles/01-check.md) has a fill-in (#four-rs), a matching
(#roles), an ordering (#conversation) and a single-choice question (#who). A right attempt types an accepted
answer with stray spaces, capitals and punctuation, picks each item's target, and moves the steps up into
order; a wrong one types text with Welsh letters and an emoji, gives each item the next item's target, and
moves the steps down into reverse order.
"""

from __future__ import annotations

import json
from pathlib import Path

COURSE = Path(__file__).resolve().parent / "fixtures" / "question-types"
RIGHT_TYPED = "  Resisting   re-traumatisation! "
RIGHT_SENT = "Resisting re-traumatisation!"
"""What the quiz keeps of RIGHT_TYPED (spaces collapsed and trimmed) and an LMS is sent."""
WRONG_TYPED = "Ailadrodd ŵ ŷ 😀"
ITEMS = ["wellbeing-guardian", "wellbeing-champion", "mental-health-first-aider"]
TARGETS = ["seeks-assurance-at-board-level", "organises-informal-catch-ups-in", "spots-and-supports-someone-in"]
STEPS = ["agree-a-time-and-a-private-place", "ask-open-questions-and-listen", "agree-what-support-would-help",
         "record-a-personalised-plan"]
ACCEPTED = ["resist", "resisting re-traumatisation"]


WRONG_TEXT = "not one of the answers"


def answer_arranged(question, right: bool) -> bool:
    """Answer the question (a locator of a ``.quiz__question``) right or wrong if it is a fill-in, matching or
    ordering question; returns False, doing nothing, for a choice question."""
    kind = question.get_attribute("data-kind")
    if kind == "fill-in":
        box = question.locator(".quiz__text")
        answers = json.loads(box.get_attribute("data-answers"))
        box.fill(next(a["text"] for a in answers if a["correct"]) if right else WRONG_TEXT)
    elif kind == "matching":
        for select in question.locator(".quiz__select").all():
            correct = select.get_attribute("data-correct")
            values = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
            select.select_option(correct if right else next(v for v in values if v != correct))
    elif kind == "ordering":
        wanted = question.locator(".quiz__steps").get_attribute("data-order").split()
        arrange(question, wanted if right else wanted[1:] + wanted[:1])
    else:
        return False
    return True


def question(content, qid: str, quiz: str = "types"):
    return content.locator(f'#quiz-{quiz} .quiz__question[data-question-id="{qid}"]')


def steps(q) -> list[str]:
    """The ordering question's items in the order shown."""
    return q.locator(".quiz__step").evaluate_all("steps => steps.map(s => s.getAttribute('data-choice-id'))")


def arrange(q, order: list[str], down: bool = False) -> None:
    """Puts the steps in `order` with the "Move up" buttons (or, with down=True, the "Move down" ones)."""
    positions = range(len(order) - 1, -1, -1) if down else range(len(order))
    for place in positions:
        item = q.locator(f'.quiz__step[data-choice-id="{order[place]}"]')
        button = item.locator('[data-move="1"]' if down else '[data-move="-1"]')
        while steps(q).index(order[place]) != place:
            button.click()
    assert steps(q) == order


def matches(q) -> list[str]:
    return q.locator(".quiz__select").evaluate_all("selects => selects.map(s => s.value)")


def answer_types(content, right: bool) -> None:
    """Answers every question of quiz `types` rightly or wrongly, and submits."""
    question(content, "four-rs").locator(".quiz__text").fill(RIGHT_TYPED if right else WRONG_TYPED)
    selects = question(content, "roles").locator(".quiz__select")
    for i in range(selects.count()):
        selects.nth(i).select_option(TARGETS[i] if right else TARGETS[(i + 1) % len(TARGETS)])
    arrange(question(content, "conversation"), STEPS if right else STEPS[::-1], down=not right)
    question(content, "who").locator(f'input[value="{"anyone" if right else "managers-and-team-leaders"}"]').check()
    content.locator("#quiz-types .quiz__submit").click()
    content.locator("#quiz-types .quiz__result p").first.wait_for()


def answer_partial(content) -> None:
    """Answers quiz `partial` with the matching right and the steps reversed (no step in its place): half
    marks, a pass (pass=50), and submits."""
    for i, target in enumerate(TARGETS):
        question(content, "roles", "partial").locator(".quiz__select").nth(i).select_option(target)
    arrange(question(content, "conversation", "partial"), STEPS[::-1], down=True)
    content.locator("#quiz-partial .quiz__submit").click()
    content.locator("#quiz-partial .quiz__result p").first.wait_for()


def shown(content) -> tuple[str, list[str], list[str], list[str]]:
    """What the quiz shows: the typed text, each select's value, the steps' order and the chosen options."""
    chosen = question(content, "who").locator(".quiz__input:checked")
    return (question(content, "four-rs").locator(".quiz__text").input_value(), matches(question(content, "roles")),
            steps(question(content, "conversation")), [chosen.nth(i).get_attribute("value") for i in range(chosen.count())])


def shown_after(right: bool) -> tuple[str, list[str], list[str], list[str]]:
    """What shown() gives once an attempt answered by answer_types(right) is restored."""
    if right:
        return RIGHT_SENT, TARGETS, STEPS, ["anyone"]
    return WRONG_TYPED, TARGETS[1:] + TARGETS[:1], STEPS[::-1], ["managers-and-team-leaders"]


def expected_interactions(v12: bool, right: bool) -> list[tuple[str, str, str, list[str], str]]:
    """(id, type, response, correct_responses patterns, result) for each question of an attempt, as SCORM 1.2
    (one character per item or target: its place in the author's list) or 2004 (short identifiers) has them."""
    result = "correct" if right else ("wrong" if v12 else "incorrect")
    if v12:
        letters = "abcd"
        pairs = [f"{letters[i]}.{letters[i if right else (i + 1) % 3]}" for i in range(3)]
        order = letters if right else letters[::-1]
        return [("types.four-rs", "fill-in", RIGHT_SENT if right else WRONG_TYPED, ACCEPTED, result),
                ("types.roles", "matching", ",".join(pairs), ["a.a,b.b,c.c"], result),
                ("types.conversation", "sequencing", ",".join(order), ["a,b,c,d"], result),
                ("types.who", "choice", "b" if right else "a", ["b"], result)]
    word = lambda text: text.replace("-", "_")  # noqa: E731
    key = "[,]".join(f"{word(i)}[.]{word(t)}" for i, t in zip(ITEMS, TARGETS))
    given = key if right else "[,]".join(f"{word(i)}[.]{word(TARGETS[(n + 1) % 3])}" for n, i in enumerate(ITEMS))
    sequence = "[,]".join(word(s) for s in STEPS)
    return [("types.four-rs", "fill-in", RIGHT_SENT if right else WRONG_TYPED, ACCEPTED, result),
            ("types.roles", "matching", given, [key], result),
            ("types.conversation", "sequencing", sequence if right else "[,]".join(word(s) for s in STEPS[::-1]),
             [sequence], result),
            ("types.who", "choice", "anyone" if right else "managers_and_team_leaders", ["anyone"], result)]
