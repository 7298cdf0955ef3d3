"""The standalone tracker records fill-in, matching and ordering answers as SCORM-style interactions of
type fill-in, matching and sequencing, with part marks kept as fractions of the score."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.answering import arrange
from tests.conftest import REPO

from .conftest import serve_directory

FIXTURE = REPO / "tests" / "fixtures" / "question-types"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("question-types")
    subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(FIXTURE), "--out", str(out), "--quiet"],
                   cwd=REPO, check=True, timeout=300)
    with serve_directory(out) as url:
        yield url


RIGHT_ORDER = ["agree-a-time-and-a-private-place", "ask-open-questions-and-listen", "agree-what-support-would-help",
               "record-a-personalised-plan"]
PAIRS = {"wellbeing-guardian": "seeks-assurance-at-board-level", "wellbeing-champion": "organises-informal-catch-ups-in",
         "mental-health-first-aider": "spots-and-supports-someone-in"}


def order(page, quiz: str, ids: list[str]) -> None:
    arrange(page.locator(f"#quiz-{quiz} .quiz__question[data-kind='ordering']"), ids)


def match(page, quiz: str, pairs: dict[str, str]) -> None:
    for item, target in pairs.items():
        page.locator(f"#quiz-{quiz} .quiz__pair[data-choice-id='{item}'] select").select_option(target)


def test_each_kind_is_an_interaction_of_its_scorm_type(page, served):
    page.goto(served + "roles/check.html")
    page.fill("#quiz-types .quiz__text", " Resisting re-traumatisation. ")
    match(page, "types", {**PAIRS, "wellbeing-champion": "spots-and-supports-someone-in"})
    order(page, "types", RIGHT_ORDER)
    page.check("#quiz-types input[value='anyone']")
    page.click("#quiz-types .quiz__submit")
    status = page.evaluate("Learnmark.tracker.status('roles')")
    found = {i["id"]: (i["type"], i["learner_response"], i["result"]) for i in status["interactions"]}
    assert found == {
        "types.four-rs": ("fill-in", ["Resisting re-traumatisation."], "correct"),
        "types.roles": ("matching", ["wellbeing-guardian.seeks-assurance-at-board-level",
                                     "wellbeing-champion.spots-and-supports-someone-in",
                                     "mental-health-first-aider.spots-and-supports-someone-in"], "incorrect"),
        "types.conversation": ("sequencing", RIGHT_ORDER, "correct"),
        "types.who": ("choice", ["anyone"], "correct"),
    }
    assert (status["score"]["raw"], status["score"]["max"]) == (3, 6), "the unattempted part-marks quiz counts"


def test_part_marks_are_a_fraction_of_the_score_and_survive_a_reload(page, served):
    page.goto(served + "roles/partial.html")
    match(page, "partial", {**PAIRS, "wellbeing-champion": "spots-and-supports-someone-in"})
    order(page, "partial", RIGHT_ORDER[:2] + RIGHT_ORDER[3:] + RIGHT_ORDER[2:3])
    page.click("#quiz-partial .quiz__submit")
    best = page.evaluate("Learnmark.tracker.quiz('roles/partial').best")
    assert (best["raw"], best["max"], best["passed"]) == (1.17, 2, True), "2/3 of the pairs and 2/4 of the places"
    page.reload()
    assert page.evaluate("Learnmark.tracker.quiz('roles/partial').best.raw") == 1.17
    assert "1.17" in page.locator("#quiz-partial .quiz__result").inner_text()


def answer_types_rightly(page, served) -> None:
    page.goto(served + "roles/check.html")
    page.fill("#quiz-types .quiz__text", "resist")
    match(page, "types", PAIRS)
    order(page, "types", RIGHT_ORDER)
    page.check("#quiz-types input[value='anyone']")
    page.click("#quiz-types .quiz__submit")


def test_a_module_score_counts_the_quizzes_not_yet_attempted_as_nothing(page, served):
    """An LMS is told 4 of 6 after the first of two quizzes, not 100%; the score rises as quizzes are done."""
    answer_types_rightly(page, served)
    score = page.evaluate("Learnmark.tracker.status('roles').score")
    assert (score["raw"], score["max"]) == (4, 6), "the part-marks quiz's 2 questions count, unattempted"


def test_a_fill_in_answer_an_lms_kept_without_its_text_keeps_its_verdict(page, served):
    """suspend_data leaves out typed text that would not fit the LMS's limit; the quiz still shows the attempt."""
    answer_types_rightly(page, served)
    page.evaluate("""() => {
        const key = Learnmark.tracker.key, record = JSON.parse(localStorage.getItem(key));
        const answer = record.modules.roles.quizzes.types.last.questions.find(q => q.kind === 'fill-in');
        answer.response = []; delete answer.expected;   // as suspend.js decodes a record without the text
        localStorage.setItem(key, JSON.stringify(record));
    }""")
    page.reload()
    result = page.locator("#quiz-types .quiz__result").inner_text()
    assert result.startswith("You answered 4 of 4 correctly"), result
    assert page.locator("#quiz-types [data-question-id='four-rs'] .quiz__tag").inner_text() == "✓ Your answer: correct"


def test_a_marked_matching_question_shows_each_chosen_target_in_full_on_a_phone(new_context, served):
    """A select cuts a long target short at 320 px; once marked, the learner reads what they chose, whole."""
    page = new_context(viewport={"width": 320, "height": 800}).new_page()
    answer_types_rightly(page, served)
    chosen = page.locator("#quiz-types .quiz__pair .quiz__chosen")
    assert [text.split(" ✓")[0] for text in chosen.all_inner_texts()] == [
        "Seeks assurance at board level", "Organises informal catch-ups in the team", "Spots and supports someone in crisis"]
    assert not page.locator("#quiz-types .quiz__select").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
