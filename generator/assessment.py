"""Assessment-quality lint: ways a knowledge check lets learners score without knowing the answer.

Every finding is a warning (an error with ``--strict``) with a hint, because a
fair question is a judgement the author makes; see "Fair questions" in
docs/authoring.md for each rule. Rules work at three scopes: one question or
quiz, one module's knowledge checks, and the whole course (a bias a learner
learns over several modules, such as "the longest answer is right").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .errors import Diagnostic
from .model import Course, Module
from .quiz import CHOICE_KINDS, SCENARIO, Choice, Question, Quiz

PATTERN_MIN_QUESTIONS = 3
"""A quiz needs this many single-choice questions before the correct answers' positions form a pattern."""
LONG_CORRECT_MIN = 40
"""A correct option this long (characters) or longer ..."""
LONG_CORRECT_RATIO = 2
"""... and more than this many times as long as the longest wrong option stands out."""
TRUE_FALSE_MAX = 1
"""True/false questions a module's checks may hold: each is a coin toss."""
SCENARIO_MIN = 2
"""Scenario questions a module's checks need ..."""
SCENARIO_MIN_QUESTIONS = 4
"""... counting the quizzes of at least this many questions (a quick check of one to three on a page is exempt)."""
COURSE_MIN_QUESTIONS = 6
"""Single-answer questions a course needs before the correct options' positions and lengths form a bias."""
POSITION_SHARE = 1 / 2
"""Warn when the correct option sits at one position in more than this share of single-answer questions ..."""
LONGEST_SHARE = 1 / 3
"""... or is the longest option in more than this share."""
_ABOVE = re.compile(r"\b(all|none|both|neither)\s+(of\s+)?the\s+above\b", re.IGNORECASE)
_WHERE = r"(the|this)\s+(module|course|page|section|lesson|text|reading|video)"
_RECALL = re.compile(
    rf"\baccording\s+to\s+{_WHERE}\b"
    rf"|\b(does|did|do)\s+{_WHERE}\s+(say|state|describe|mention|name|list|call|suggest|warn|recommend|define)\b"
    rf"|\b(in|from|named\s+in|listed\s+in|mentioned\s+in|described\s+in)\s+{_WHERE}\b",
    re.IGNORECASE)
"""Stems that ask what the text said, not what it means: "What does the module say ...?"."""
_ABSOLUTE = re.compile(r"\b(only|always|never|all|none|must|every|everyone|everything|nobody|no\s+one|nothing)\b",
                       re.IGNORECASE)
"""Words that make a wrong option easy to rule out without knowing the subject."""


def assessment_checks(course: Course) -> list[Diagnostic]:
    """Every assessment-quality warning of the course: per quiz, per module, then course-wide."""
    quizzes = [quiz for module in course.modules for quiz in module.all_quizzes]
    return [*(p for quiz in quizzes for p in quiz_quality(quiz)),
            *(p for module in course.modules for p in module_quality(module)),
            *position_bias(quizzes), *longest_bias(quizzes)]


def quiz_quality(quiz: Quiz) -> list[Diagnostic]:
    """Ways one quiz lets learners score without knowing the answer."""
    return [*answer_pattern(quiz),
            *(p for question in quiz.questions
              for check in (above_options, long_correct_option, recall_stem, absolute_distractors)
              if question.kind in CHOICE_KINDS or check is recall_stem  # the option checks are about choosing
              for p in check(question))]


def module_quality(module: Module) -> list[Diagnostic]:
    """The balance of a module's knowledge checks taken together."""
    questions = [q for quiz in module.all_quizzes for q in quiz.questions]
    return [*too_many_true_false(questions), *too_few_scenarios(module.all_quizzes)]


# -- one quiz, one question ----------------------------------------------------------------------------------


def answer_pattern(quiz: Quiz) -> list[Diagnostic]:
    """The correct option is at the same position in every single-choice question."""
    if quiz.shuffle:
        return []
    single = _single(quiz.questions)
    positions = {q.choices.index(q.correct[0]) for q in single}
    if len(single) < PATTERN_MIN_QUESTIONS or len(positions) != 1:
        return []
    position = positions.pop() + 1
    return [Diagnostic(quiz.location, f"the correct answer is option {position} in every question of this quiz",
                       "learners can guess the pattern: put the correct option in different places, "
                       "or add 'shuffle' after '::: quiz'", severity="warning")]


def above_options(question: Question) -> list[Diagnostic]:
    """Options such as "All of the above", which depend on the others' order and invite guessing."""
    return [Diagnostic(choice.location, f"option '{choice.text}' refers to the other options",
                       "learners can pick it by elimination, and it reads wrongly when options are shuffled; "
                       "name the options it means, or make the question {multiple}", severity="warning")
            for choice in question.choices if _ABOVE.search(choice.text)]


def long_correct_option(question: Question) -> list[Diagnostic]:
    """A correct option much longer than every wrong one gives itself away."""
    wrong = [c for c in question.choices if not c.correct]
    if not wrong:
        return []
    longest_wrong = max(len(c.text) for c in wrong)
    return [Diagnostic(choice.location,
                       f"correct option is much longer than the wrong ones ({len(choice.text)} characters, "
                       f"the longest wrong one {longest_wrong})",
                       "the longest answer is often guessed to be right: shorten it, "
                       "or make the wrong options as detailed", severity="warning")
            for choice in question.choices if _stands_out(choice, longest_wrong)]


def recall_stem(question: Question) -> list[Diagnostic]:
    """A stem that asks what the text said ("What does the module say ...?") tests memory of wording, not understanding."""
    match = _RECALL.search(question.text)
    if not match:
        return []
    return [Diagnostic(question.location, f"question asks what the text says ('{match.group(0)}')",
                       "ask about the idea itself, or set a situation where the learner applies it "
                       "(mark it {scenario}); feedback can explain without pointing back to the page",
                       severity="warning")]


def absolute_distractors(question: Question) -> list[Diagnostic]:
    """Wrong options with "only", "always", "never"...: learners rule them out without knowing the subject.

    A word the correct option also uses gives nothing away, so it is not reported. A true/false
    statement that is false is, in effect, a wrong option: its absolutes are reported at the question.
    """
    right = {w.lower() for c in question.correct for w in _absolutes(c.text)}
    found = [(c.location, "wrong answer", c.text, words) for c in question.choices if not c.correct
             if (words := [w for w in _absolutes(c.text) if w.lower() not in right])]
    if question.kind == "true-false" and [c.text.lower() for c in question.correct] == ["false"]:
        found += [(question.location, "false statement", question.text, words)
                  for words in [_absolutes(question.text)] if words]
    return [Diagnostic(at, f"{what} '{text}' uses the absolute '{words[0]}'",
                       "absolutes such as only, always, never, all, none and must mark an answer as wrong to a "
                       "learner who skimmed: make the wrong answer plausible without them", severity="warning")
            for at, what, text, words in found]


# -- one module ----------------------------------------------------------------------------------------------


def too_many_true_false(questions: list[Question]) -> list[Diagnostic]:
    """More than one true/false question in a module: half the marks can come from coin tosses."""
    true_false = [q for q in questions if q.kind == "true-false"]
    return [Diagnostic(q.location, f"true/false question {n} in this module (at most {TRUE_FALSE_MAX})",
                       "a learner guesses a true/false question right half the time: turn it into a single-choice "
                       "question with plausible wrong options", severity="warning")
            for n, q in enumerate(true_false[TRUE_FALSE_MAX:], TRUE_FALSE_MAX + 1)]


def too_few_scenarios(quizzes: tuple[Quiz, ...]) -> list[Diagnostic]:
    """A module's checks with fewer than two scenario questions test recall, not whether the learner can apply the idea.

    A module's knowledge checks are its quizzes of four or more questions; a quick check of
    one to three questions on a page is exempt.
    """
    checks = [quiz for quiz in quizzes if len(quiz.questions) >= SCENARIO_MIN_QUESTIONS]
    questions = [q for quiz in checks for q in quiz.questions]
    scenarios = sum(q.scenario for q in questions)
    if not checks or scenarios >= SCENARIO_MIN:
        return []
    return [Diagnostic(checks[0].location,
                       f"this module's knowledge checks have {scenarios} scenario question"
                       f"{'' if scenarios == 1 else 's'} of {len(questions)} (at least {SCENARIO_MIN})",
                       "set a situation on a ward or in a team and ask what the learner would do or which idea "
                       f"applies, and mark the question {{{SCENARIO}}} after its heading", severity="warning")]


# -- the whole course ----------------------------------------------------------------------------------------


def position_bias(quizzes: Iterable[Quiz]) -> list[Diagnostic]:
    """The correct option sits at one position in most of the course's single-answer questions (shuffled quizzes aside)."""
    single = [q for quiz in quizzes if not quiz.shuffle for q in _single(quiz.questions)]
    if len(single) < COURSE_MIN_QUESTIONS:
        return []
    position, count = Counter(q.choices.index(q.correct[0]) for q in single).most_common(1)[0]
    if count <= POSITION_SHARE * len(single):
        return []
    at = [q.location for q in single if q.choices.index(q.correct[0]) == position]
    return [Diagnostic(at[0], f"the correct answer is option {position + 1} in {count} of the course's "
                       f"{len(single)} single-answer questions", "learners notice where the right answer usually "
                       f"is: move some of them ({_places(at[1:])}), or add 'shuffle' after '::: quiz'",
                       severity="warning")]


def longest_bias(quizzes: Iterable[Quiz]) -> list[Diagnostic]:
    """The correct option is the longest in too many of the course's single-answer questions."""
    single = [q for quiz in quizzes for q in _single(quiz.questions)]
    if len(single) < COURSE_MIN_QUESTIONS:
        return []
    longest = [q for q in single if all(len(q.correct[0].text) > len(c.text) for c in q.choices if not c.correct)]
    if len(longest) <= LONGEST_SHARE * len(single):
        return []
    return [Diagnostic(longest[0].location, f"the correct option is the longest in {len(longest)} of the course's "
                       f"{len(single)} single-answer questions", "learners learn to pick the longest answer: "
                       f"shorten the correct option or lengthen a wrong one in some of them ({_places([q.location for q in longest[1:]])})",
                       severity="warning")]


def _single(questions: Iterable[Question]) -> list[Question]:
    return [q for q in questions if q.kind == "single" and len(q.correct) == 1]


def _stands_out(choice: Choice, longest_wrong: int) -> bool:
    length = len(choice.text)
    return choice.correct and length >= LONG_CORRECT_MIN and length > LONG_CORRECT_RATIO * longest_wrong


def _absolutes(text: str) -> list[str]:
    """The absolutes in ``text``, leaving out "None of the above" and the like (``above_options`` reports those)."""
    return [m.group(0) for m in _ABSOLUTE.finditer(_ABOVE.sub("", text))]


def _places(locations: list, limit: int = 4) -> str:
    shown = ", ".join(str(at) for at in locations[:limit])
    return f"{shown}, and {len(locations) - limit} more" if len(locations) > limit else shown or "this one"
