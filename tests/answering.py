"""Answering a quiz's fill-in, matching and ordering questions as a learner does, for tests that work
through whole quizzes (choice questions are answered by each test in its own way)."""

from __future__ import annotations

import json

WRONG_TEXT = "not one of the answers"


def answer_arranged(question, right: bool) -> bool:
    """Answer the question (a Playwright locator of a ``.quiz__question``) right or wrong if it is a fill-in,
    matching or ordering question; returns False, doing nothing, for a choice question."""
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
        put_in_order(question, wanted if right else wanted[1:] + wanted[:1])
    else:
        return False
    return True


def put_in_order(question, ids: list[str]) -> None:
    """Press an ordering question's "Move up" buttons until its steps are listed as ``ids``."""
    for place, wanted in enumerate(ids):
        now = question.locator(".quiz__step").evaluate_all("els => els.map(e => e.dataset.choiceId)")
        for _ in range(now.index(wanted) - place):
            question.locator(f".quiz__step[data-choice-id='{wanted}'] [data-move='-1']").click()
