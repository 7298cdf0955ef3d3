"""The assessment-quality lint (generator/assessment.py): each rule fires on a biased check and passes a fair one."""

from __future__ import annotations

import pytest

from generator.assessment import (absolute_distractors, longest_bias, position_bias, recall_stem, too_few_scenarios,
                                  too_many_true_false)
from generator.build import check
from generator.errors import BuildFailed, SourceLocation
from generator.quiz import Choice, Question, Quiz

HERE = SourceLocation("content/01-m/01-p.md", 5)


def make_question(*options: tuple[str, bool], text: str = "Question?", kind: str = "single", line: int = 10,
                  scenario: bool = False) -> Question:
    choices = tuple(Choice(f"c{i}", label, (), correct, (), HERE.at(line + i + 1))
                    for i, (label, correct) in enumerate(options))
    return Question(f"q{line}", kind, text, (), choices, (), HERE.at(line), scenario)


def make_quiz(*questions: Question, shuffle: bool = False, line: int = 5) -> Quiz:
    return Quiz("quiz", "Check", 80, None, shuffle, None, (), questions, HERE.at(line))


def at_position(position: int, line: int, options: int = 4) -> Question:
    """A single-answer question with equally long options, the correct one at ``position`` (0-based)."""
    return make_question(*((f"Option {n}", n == position) for n in range(options)), line=line)


def true_false(statement: str, answer: bool, line: int = 10) -> Question:
    return make_question(("True", answer), ("False", not answer), text=statement, kind="true-false", line=line)


# -- recall stems --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", [
    "What does the module say has made the return harder?",
    "According to the module, who counts as a leader?",
    "Which of these are physical responses named in the module?",
    "In this module, what does the word trauma describe?",
    "Why does the page warn against jumping to solutions?",
    "Which of these does the course describe as helping?",
])
def test_a_stem_that_asks_what_the_text_says_is_a_warning_at_the_question(stem):
    found = recall_stem(make_question(("A", True), ("B", False), text=stem, line=30))
    assert [(d.location.line, d.severity) for d in found] == [(30, "warning")]
    assert "asks what the text says" in found[0].message and "{scenario}" in found[0].hint


@pytest.mark.parametrize("stem", [
    "A nurse returns after a year away and looks lost at handover. What would help most first?",
    "Which behaviour is a manager showing when they put their phone away?",
    "Why can trauma be hard to spot at work?",
    "Which module covers mentoring?",  # names a module without asking what it said
])
def test_a_stem_about_the_idea_or_a_situation_is_fine(stem):
    assert recall_stem(make_question(("A", True), ("B", False), text=stem)) == []


# -- absolutes in wrong answers ------------------------------------------------------------------------------


@pytest.mark.parametrize("wrong, word", [
    ("Only senior leaders shape culture", "Only"),
    ("People affected by trauma always take time off", "always"),
    ("Staff must log a set number of hours", "must"),
    ("Mentors never give advice", "never"),
    ("To arrive with all the answers", "all"),
    ("No one can help without training", "No one"),
])
def test_an_absolute_in_a_wrong_answer_is_a_warning_at_that_answer(wrong, word):
    found = absolute_distractors(make_question(("Leaders at every level", False), (wrong, False),
                                               ("A compassionate culture", True), line=20))
    assert [(d.location.line, d.message) for d in found] == [
        (21, "wrong answer 'Leaders at every level' uses the absolute 'every'"),
        (22, f"wrong answer '{wrong}' uses the absolute '{word}'")]


def test_absolutes_in_the_correct_answer_or_inside_other_words_are_fine():
    fair = make_question(("It allows all staff to take part", True), ("It lets all managers decide", False),
                         ("It calls for a lonely effort", False), ("Something overall smaller", False))
    assert absolute_distractors(fair) == []  # 'all' is in the right answer too; 'allows', 'overall' are not absolutes


def test_none_of_the_above_is_left_to_its_own_warning():
    assert absolute_distractors(make_question(("Apple", True), ("None of the above", False))) == []


def test_an_absolute_in_a_false_true_false_statement_is_a_warning_at_the_question():
    found = absolute_distractors(true_false("Only leaders can shape culture.", False, line=40))
    assert [(d.location.line, d.message) for d in found] == [
        (40, "false statement 'Only leaders can shape culture.' uses the absolute 'Only'")]
    assert absolute_distractors(true_false("Only a non-executive director can check and challenge.", True)) == []


# -- one module: true/false count and scenario questions ------------------------------------------------------


def test_a_second_true_false_question_in_a_module_is_a_warning_at_it():
    questions = [true_false("One.", True, line=10), at_position(1, 20), true_false("Two.", False, line=30),
                 true_false("Three.", True, line=40)]
    found = too_many_true_false(questions)
    assert [(d.location.line, d.message) for d in found] == [
        (30, "true/false question 2 in this module (at most 1)"),
        (40, "true/false question 3 in this module (at most 1)")]


def test_one_true_false_question_in_a_module_is_fine():
    assert too_many_true_false([true_false("One.", True), at_position(0, 20), at_position(2, 30)]) == []


def test_a_module_check_with_fewer_than_two_scenario_questions_is_a_warning_at_the_quiz():
    questions = [at_position(n % 4, n * 10, options=4) for n in range(1, 5)]
    one_scenario = (make_question(("Right", True), ("Wrong", False), line=60, scenario=True), *questions)
    found = too_few_scenarios((make_quiz(*one_scenario, line=3),))
    assert [(d.location.line, d.message) for d in found] == [
        (3, "this module's knowledge checks have 1 scenario question of 5 (at least 2)")]
    assert len(too_few_scenarios((make_quiz(*questions),))) == 1


def test_two_scenario_questions_across_a_modules_checks_are_enough():
    scenario = [make_question(("Right", True), ("Wrong", False), line=n, scenario=True) for n in (60, 70)]
    plain = [at_position(n % 4, n * 10) for n in range(1, 5)]
    assert too_few_scenarios((make_quiz(*plain, scenario[0]), make_quiz(*plain, scenario[1]))) == []


def test_a_quick_check_of_three_questions_needs_no_scenarios():
    assert too_few_scenarios((make_quiz(*(at_position(n, n * 10) for n in range(3))),)) == []
    assert too_few_scenarios(()) == []


# -- the whole course: position and length bias --------------------------------------------------------------


def test_the_correct_answer_at_one_position_in_most_questions_of_the_course_is_a_warning():
    quizzes = [make_quiz(at_position(0, 10), at_position(0, 20), at_position(1, 30)),
               make_quiz(at_position(0, 40), at_position(2, 50), at_position(3, 60))]
    assert position_bias(quizzes) == []  # 3 of 6 is not more than half
    quizzes.append(make_quiz(at_position(0, 70)))
    found = position_bias(quizzes)
    assert [(d.location.line, d.message) for d in found] == [
        (10, "the correct answer is option 1 in 4 of the course's 7 single-answer questions")]
    assert "content/01-m/01-p.md:70:1" in found[0].hint


def test_position_bias_leaves_out_shuffled_quizzes_and_small_courses():
    biased = [at_position(1, n * 10) for n in range(1, 8)]
    assert position_bias([make_quiz(*biased, shuffle=True)]) == []
    assert position_bias([make_quiz(*biased[:5])]) == []  # fewer than 6 single-answer questions


def longest(correct_longest: bool, line: int) -> Question:
    right = "A fairly long right answer" if correct_longest else "Right answer"
    return make_question((right, True), ("A wrong answer here", False), ("Another wrong one", False), line=line)


def test_the_correct_option_longest_in_more_than_a_third_of_the_course_is_a_warning():
    fair = [longest(n < 2, n * 10) for n in range(6)]  # 2 of 6: a third, not more
    assert longest_bias([make_quiz(*fair)]) == []
    biased = [longest(n < 3, n * 10) for n in range(6)]
    found = longest_bias([make_quiz(*biased[:3]), make_quiz(*biased[3:], shuffle=True)])
    assert [(d.location.line, d.message) for d in found] == [
        (0, "the correct option is the longest in 3 of the course's 6 single-answer questions")]


def test_a_correct_option_tied_for_longest_is_not_the_longest():
    tied = [make_question(("Same length A", True), ("Same length B", False), line=n * 10) for n in range(6)]
    assert longest_bias([make_quiz(*tied)]) == []


# -- through the pipeline ------------------------------------------------------------------------------------


def problems_of(root) -> list[str]:
    try:
        _, _, problems = check(root)
    except BuildFailed as failure:
        problems = failure.diagnostics
    return [d.format().splitlines()[0] for d in problems]


def test_a_misspelt_scenario_flag_is_an_error_that_suggests_it(project):
    project.write("content/01-first/02-two.md", """\
        ---
        title: Two
        ---
        ## Details of two

        ::: quiz id=flags
        ### A colleague comes back after a long absence. What helps first? {scenario}
        - [x] A warm welcome
        - [ ] A test
          > Not first.

        ### Which of these help? {multiple scenario #helps}
        - [x] Mentors
        - [x] Peers
        - [ ] Noise
          > No.

        ### Plain one
        - [ ] No
          > No.
        - [x] Yes

        ### Which is right? {scenaro}
        - [x] This
        - [ ] That
          > No.
        :::
        """)
    assert problems_of(project.root) == ["content/01-first/02-two.md:23:1: error: unknown question marker '{scenaro}'"]
    with pytest.raises(BuildFailed) as failure:
        check(project.root)
    assert failure.value.diagnostics[0].hint == "did you mean 'scenario'?"


def test_scenario_flags_reach_the_model(project):
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n::: quiz id=flags\n"
                  "### A colleague is back. What helps? {scenario}\n- [x] A welcome\n- [ ] A test\n  > No.\n\n"
                  "### Which help? {multiple scenario}\n- [x] Mentors\n- [x] Peers\n- [ ] Noise\n  > No.\n\n"
                  "### Plain?\n- [x] Yes\n- [ ] No\n  > No.\n:::\n")
    course, _, _ = check(project.root)
    questions = course.modules[0].all_quizzes[0].questions
    assert [(q.kind, q.scenario) for q in questions] == [("single", True), ("multiple", True), ("single", False)]


def test_a_fair_module_check_has_no_warnings(project):
    project.write("content/01-first/02-two.md", """\
        ---
        title: Two
        ---
        ## Details of two

        ::: quiz id=fair
        ### A trainee returns to your ward after a year away and seems unsure at handover. What helps first? {scenario}
        - [ ] Leaving them to settle in by themselves
          > Settling in alone can leave a returning trainee feeling on the outside.
        - [x] Making time to welcome them and ask what would help
          > Feeling cared for and valued helps their confidence grow.
        - [ ] Giving them a written list of changes
          > A list helps later, but it does not show they are welcome.

        ### A manager puts their phone away and lets a colleague finish. Which behaviour is this? {scenario}
        - [x] Attending
          > Attending is listening closely, without judging.
        - [ ] Empathising
          > Empathising is about connecting with how the person feels.
        - [ ] Understanding
          > Understanding is reaching the real challenge through dialogue.

        ### Why can trauma be hard to spot at work?
        - [ ] Its effects show up on the first day
          > Its effects can take time to show, and may look like something else.
        - [ ] It affects first responders alone
          > An incident can affect any team.
        - [x] Staff may keep their struggles private
          > Many staff prefer their employer not to know.

        ### Anyone in a team helps to shape its culture.
        - [x] True
          > Every conversation and handover adds to how a team feels.
        - [ ] False
          > Leaders have a big influence, but so does everyone else.
        :::
        """)
    assert problems_of(project.root) == []
