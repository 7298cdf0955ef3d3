"""``learnmark check``: golden output for a course with one of every problem, and each course-wide check.

The golden files are the exact stdout (text, and ``--format json``) of
``learnmark check`` on tests/fixtures/check-course/ and tests/fixtures/check-course-parse/
(see tests/fixtures/check-course/README.md for what each holds). After an intended change
to a message, regenerate them and review the diff:

    LEARNMARK_REGENERATE=1 .venv/bin/python -m pytest tests/unit/test_check.py
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from generator.build import check
from generator.assessment import above_options, answer_pattern, long_correct_option
from generator.checks import course_checks, empty_link_text, suspend_budget, unused_files
from generator.errors import BuildFailed, SourceLocation
from generator.quiz import Choice, Question, Quiz
from generator.scorm.suspend import LIMITS, worst_case_size
from tests.conftest import CONTACT, REPO

FIXTURES = REPO / "tests" / "fixtures"
REGENERATE = os.environ.get("LEARNMARK_REGENERATE") == "1"


def learnmark(*args, cwd):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def matches_golden(actual: str, golden) -> None:
    if REGENERATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), f"output differs from {golden.relative_to(REPO)}"


# -- golden output -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["check-course", "check-course-parse"])
def test_check_reports_every_problem_of_the_fixture_as_text(name):
    course = FIXTURES / name
    run = learnmark("check", "--project", str(course), cwd=course)
    assert run.returncode == 1  # the fixtures have errors
    assert run.stderr == ""  # the report is the output: `learnmark check > report.txt` holds all of it
    matches_golden(run.stdout, FIXTURES / f"{name}.expected.txt")


@pytest.mark.parametrize("name", ["check-course", "check-course-parse"])
def test_check_reports_every_problem_of_the_fixture_as_json(name):
    course = FIXTURES / name
    run = learnmark("check", "--project", str(course), "--format", "json", cwd=course)
    assert run.returncode == 1
    assert run.stderr == ""
    matches_golden(run.stdout, FIXTURES / f"{name}.expected.json")


def test_the_fixture_has_exactly_one_of_each_problem():
    lines = (FIXTURES / "check-course.expected.txt").read_text().splitlines()
    messages = [line.split(": ", 2)[2] for line in lines if ": error: " in line or ": warning: " in line]
    assert len(messages) == len(set(messages)) == 18
    assert lines[-1] == "5 errors, 13 warnings."


def test_warnings_only_exit_0_but_1_with_strict(project):
    project.write("content/01-first/notes.txt", "nobody links to this\n")
    run = learnmark("check", cwd=project.root)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines() == [
        "content/01-first/notes.txt:1:1: warning: file is not used by any page",
        "  hint: link to it or show it from a page, or delete it; it is not published",
        "0 errors, 1 warning.",
    ]
    strict = learnmark("check", "--strict", cwd=project.root)
    assert (strict.returncode, strict.stderr) == (1, "")
    assert strict.stdout.startswith("content/01-first/notes.txt:1:1: error: file is not used by any page\n")


def test_the_report_can_be_redirected_to_a_file(project, tmp_path):
    """`learnmark check > report.txt` used to leave the file empty: the report went to stderr."""
    project.write("content/01-first/01-one.md", "---\ntitle: One\n---\n[x](nope.md)\n")
    report = tmp_path / "report.txt"
    with report.open("w") as out:
        run = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=project.root, stdout=out,
                             stderr=subprocess.PIPE, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert (run.returncode, run.stderr) == (1, "")
    assert report.read_text().splitlines() == ["content/01-first/01-one.md:4:1: error: link to a missing page 'nope.md'",
                                               "  hint: did you mean '01-one.md'?", "1 error, 0 warnings."]


def test_the_test_course_is_clean(project):
    run = learnmark("check", "--strict", cwd=project.root)
    assert (run.returncode, run.stdout, run.stderr) == (0, "0 errors, 0 warnings.\n", "")


# -- each check, through the whole pipeline ----------------------------------------------------------------


def problems_of(root) -> list[str]:
    """The first line of every diagnostic ``check`` reports, errors or warnings."""
    try:
        _, _, problems = check(root)
    except BuildFailed as failure:
        problems = failure.diagnostics
    return [d.format().splitlines()[0] for d in problems]


def test_empty_link_text_is_an_error_at_the_link(project):
    project.write("content/01-first/01-one.md", "---\ntitle: One\n---\n## Start here\n\nSee [](02-two.md) and [two](02-two.md).\n")
    assert problems_of(project.root) == ["content/01-first/01-one.md:6:5: error: link has no text"]


def test_a_link_around_an_image_takes_its_text_from_the_alt_text(project):
    project.write("content/01-first/images/two.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write("content/01-first/01-one.md",
                  "---\ntitle: One\n---\n## Start here\n\n[![Page two](images/two.svg)](02-two.md)\n")
    assert problems_of(project.root) == []
    course, media, _ = check(project.root)
    assert empty_link_text(course) == []


def test_unused_file_is_a_warning_at_the_file(project):
    project.write("content/01-first/images/used.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write("content/01-first/images/old.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write("content/handout.pdf", "%PDF")
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n![A box](images/used.svg)\n")
    assert problems_of(project.root) == [
        "content/01-first/images/old.svg:1:1: warning: file is not used by any page",
        "content/handout.pdf:1:1: warning: file is not used by any page",
    ]


def test_linked_markdown_hidden_and_temporary_files_are_not_unused(project):
    project.write("content/01-first/images/used.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n[The picture](images/used.svg)\n")
    project.write("content/01-first/images/notes.md", "Markdown is never a media file.\n")
    for name in (".DS_Store", "01-one.md~", "#01-one.md#", ".01-one.md.swp", "draft.tmp", ".git/config"):
        project.write(f"content/01-first/{name}", "x")
    course, media, problems = check(project.root)
    assert problems == []
    assert unused_files(course, media) == []
    assert unused_files(course, {}) == []  # a page points at it: that is enough, even if it could not be published


def test_the_suspend_budget_works_out_a_modules_token_length_only_when_the_longest_tokens_would_not_fit(
        project, monkeypatch):
    from generator.scorm import suspend
    lengths = []
    real = suspend.token_length
    monkeypatch.setattr(suspend, "token_length", lambda module: lengths.append(module.id) or real(module))
    course, _, _ = check(project.root)
    assert suspend_budget(course) == [] and lengths == []
    # Questions enough that six-character tokens would overflow SCORM 1.2, but the module's own four fit.
    bank = "".join(f"::: quiz id=q{n}\n### Question {n}\n- [x] Yes\n- [x] Also yes\n:::\n" for n in range(1, 131))
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n" + bank)
    course, _, _ = check(project.root)
    module = course.modules[0]
    assert len(suspend.worst_case(module, suspend.MAX_TOKEN)) > LIMITS["1.2"] >= worst_case_size(module)
    lengths.clear()
    assert suspend_budget(course) == [] and lengths == ["first"]


def test_suspend_budget_warns_at_the_module_for_its_scorm_version(project):
    bank = "".join(f"::: quiz id=q{n}\n### Question {n}\n- [x] Yes\n- [x] Also yes\n:::\n" for n in range(1, 411))
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n" + bank)
    course, _, problems = check(project.root)
    size = worst_case_size(course.modules[0])
    assert LIMITS["1.2"] < size < LIMITS["2004-4"]
    assert [d.format().splitlines()[0] for d in problems] == [
        f"content/01-first/_module.md:1:1: warning: module 'first' may need {size} characters of suspend_data, "
        f"more than SCORM 1.2 allows (4096)"]
    assert "scorm_version: 2004-4" in problems[0].hint
    project.write("site.yaml", "id: scratch\ntitle: Scratch course\nscorm_version: 2004-4\n" + CONTACT)
    course, _, problems = check(project.root)
    assert problems == [] and suspend_budget(course) == []


def test_small_modules_are_within_the_suspend_budget(project):
    course, _, _ = check(project.root)
    assert suspend_budget(course) == []


QUIZ_PAGE = "---\ntitle: Two\n---\n## Details of two\n\n::: quiz{options}\n{questions}:::\n"


def question(n: int, correct: int, options: int = 3, text: str = "Option") -> str:
    lines = [f"### Question {n}?"]
    for i in range(1, options + 1):
        lines.append(f"- [x] {text} {i}" if i == correct else f"- [ ] {text} {i}\n  > Not this one.")
    return "\n".join(lines) + "\n\n"


def test_correct_answer_at_the_same_position_is_a_warning_at_the_quiz(project):
    project.write("content/01-first/02-two.md",
                  QUIZ_PAGE.format(options="", questions="".join(question(n, 2) for n in range(1, 4))))
    assert problems_of(project.root) == [
        "content/01-first/02-two.md:6:1: warning: the correct answer is option 2 in every question of this quiz"]


@pytest.mark.parametrize("options, positions", [
    (" shuffle", (2, 2, 2)),  # every learner sees its own order
    ("", (2, 2)),             # two questions are no pattern yet
    ("", (1, 2, 1)),          # varied
])
def test_no_pattern_warning_when_shuffled_short_or_varied(project, options, positions):
    questions = "".join(question(n, p) for n, p in enumerate(positions, 1))
    project.write("content/01-first/02-two.md", QUIZ_PAGE.format(options=options, questions=questions))
    assert problems_of(project.root) == []


def test_all_of_the_above_is_a_warning_at_the_option(project):
    questions = ("### Which help?\n- [ ] Mentors\n  > Not only mentors.\n- [ ] Peers\n  > Not only peers.\n"
                 "- [x] All of the above\n")
    project.write("content/01-first/02-two.md", QUIZ_PAGE.format(options="", questions=questions))
    assert problems_of(project.root) == [
        "content/01-first/02-two.md:12:1: warning: option 'All of the above' refers to the other options"]


def test_long_correct_option_is_a_warning_at_the_option(project):
    questions = ("### Why?\n- [x] Because compassionate leaders listen with fascination to their staff\n"
                 "- [ ] Money\n  > No.\n- [ ] Habit\n  > No.\n")
    project.write("content/01-first/02-two.md", QUIZ_PAGE.format(options="", questions=questions))
    assert problems_of(project.root) == [
        "content/01-first/02-two.md:8:1: warning: correct option is much longer than the wrong ones "
        "(68 characters, the longest wrong one 5)"]


# -- quiz checks on their own --------------------------------------------------------------------------------


HERE = SourceLocation("content/01-m/01-p.md", 5)


def make_question(*options: tuple[str, bool], kind: str = "single", line: int = 10) -> Question:
    choices = tuple(Choice(f"c{i}", text, (), correct, (), HERE.at(line + i + 1))
                    for i, (text, correct) in enumerate(options))
    return Question(f"q{line}", kind, "Question?", (), choices, (), HERE.at(line))


def make_quiz(*questions: Question, shuffle: bool = False) -> Quiz:
    return Quiz("quiz", "Check", 80, None, shuffle, None, (), questions, HERE)


def test_answer_pattern_counts_only_single_choice_questions():
    same = [make_question(("Right", True), ("Wrong", False), line=n * 10) for n in range(1, 4)]
    assert [d.location for d in answer_pattern(make_quiz(*same))] == [HERE]
    assert answer_pattern(make_quiz(*same, shuffle=True)) == []
    true_false = make_question(("True", True), ("False", False), kind="true-false", line=40)
    multiple = make_question(("A", True), ("B", True), ("C", False), kind="multiple", line=50)
    assert answer_pattern(make_quiz(*same[:2], true_false, multiple)) == []
    assert answer_pattern(make_quiz(*same, make_question(("Wrong", False), ("Right", True), line=60))) == []


@pytest.mark.parametrize("text", ["All of the above", "none of the above.", "Both of the above", "NONE OF THE ABOVE"])
def test_above_options_are_found_in_any_case(text):
    found = above_options(make_question(("Mentors", False), ("Peers", False), (text, True)))
    assert [(d.location.line, d.severity) for d in found] == [(13, "warning")]


def test_ordinary_options_mentioning_above_are_fine():
    assert above_options(make_question(("The plan above", True), ("Allowance", False), ("Nothing", False))) == []


def test_long_correct_option_needs_both_twice_the_longest_wrong_and_40_characters():
    long = "x" * 41
    assert len(long_correct_option(make_question((long, True), ("y" * 20, False)))) == 1
    assert long_correct_option(make_question((long, True), ("y" * 21, False))) == []   # not more than twice
    assert long_correct_option(make_question(("x" * 39, True), ("y" * 5, False))) == []  # short
    assert long_correct_option(make_question((long, False), ("y", True))) == []          # the long one is wrong
    assert long_correct_option(make_question((long, True), ("y", True), kind="multiple")) == []  # nothing wrong


def test_course_checks_are_in_file_order(project):
    project.write("content/01-first/z.txt", "unused")
    project.write("content/01-first/a.txt", "unused")
    project.write("content/01-first/02-two.md",
                  QUIZ_PAGE.format(options="", questions="".join(question(n, 1) for n in range(1, 4))))
    course, media, problems = check(project.root)
    found = course_checks(course, media)
    assert found == problems
    assert [str(d.location) for d in found] == [
        "content/01-first/02-two.md:6:1", "content/01-first/a.txt:1:1", "content/01-first/z.txt:1:1"]
