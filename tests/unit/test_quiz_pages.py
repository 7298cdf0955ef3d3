"""Quizzes and reflections inside a course: ids, module-wide checks, and the markup learners get."""

from bs4 import BeautifulSoup

from generator.build import build

from .helpers import errors_of
from .test_cli import learnmark

PAGE = "content/01-first/01-one.md"
QUIZ = """\
---
title: One
---
Intro.

::: quiz pass=60
### Which one is right?
- [ ] Wrong
  > Not this one.
- [x] Right
  > Yes, this one.

Because it is.

### Pick two {#two}
- [x] First
  > Yes.
- [x] Second
  > Yes.
- [ ] Third
  > No.
:::

::: reflection id=think
What will you *do* differently?
:::
"""


def page(project, text=QUIZ):
    project.write(PAGE, text)
    return BeautifulSoup(build(project.root).site.files["first/one.html"], "html.parser")


def test_quiz_id_defaults_to_the_page_id(project):
    project.write(PAGE, QUIZ)
    (quiz,) = build(project.root).course.modules[0].pages[0].quizzes
    assert quiz.id == "one-quiz"


def test_quiz_markup_is_a_form_of_fieldsets_with_labels(project):
    soup = page(project)
    form = soup.select_one("section.quiz form.quiz__form")
    assert form["data-quiz-key"] == "first/one-quiz" and form["data-pass"] == "60"
    assert soup.select_one("section.quiz")["aria-labelledby"] == soup.select_one(".quiz__title")["id"]
    fieldsets = form.select("fieldset")
    assert [f.legend.get_text(" ", strip=True) for f in fieldsets] == [
        "Question 1 of 2 : Which one is right?", "Question 2 of 2 : Pick two"]
    radios = fieldsets[0].select("input")
    assert [(i["type"], i["id"], i["value"]) for i in radios] == [
        ("radio", "quiz-one-quiz-which-one-is-right", "wrong"), ("radio", "quiz-one-quiz-which-one-is-right-2", "right")]
    assert all(soup.select_one(f'label[for="{i["id"]}"]') for i in form.select("input"))
    assert [i["type"] for i in fieldsets[1].select("input")] == ["checkbox"] * 3
    assert form.select_one('button[type="submit"]').get_text() == "Check my answers"
    result = form.select_one(".quiz__result")
    assert (result["role"], result["aria-live"], result.get_text()) == ("status", "polite", "")


def test_every_question_has_a_no_javascript_answer(project):
    soup = page(project)
    answers = soup.select(".quiz__question details.quiz__answer")
    assert len(answers) == 2
    assert "Show answer and explanation" in answers[0].summary.get_text()
    assert answers[0].select_one(".quiz__correct-answer").get_text(" ", strip=True) == "Correct answer: Right"
    assert answers[1].select_one(".quiz__correct-answer").get_text(" ", strip=True) == "Correct answers: First, Second"
    assert [li.p.get_text(" ", strip=True) for li in answers[0].select("li")] == ["Wrong (not correct)", "Right (correct)"]
    assert answers[0].select_one(".quiz__explanation").get_text(strip=True) == "Because it is."


def test_reflection_markup(project):
    soup = page(project)
    box = soup.select_one(".reflection")
    assert box["data-reflection-key"] == "first/think"
    textarea = box.select_one("textarea")
    assert soup.select_one(f'label[for="{textarea["id"]}"]').get_text() == "Your reflection"
    assert textarea["aria-describedby"].split() == ["reflection-think-prompt", "reflection-think-hint"]
    assert box.select_one(".reflection__prompt em").get_text() == "do"


def test_quiz_survives_sanitising_when_html_is_allowed(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nallow_html: true\n")
    soup = page(project, QUIZ.replace("Because it is.", "Because <b onclick='x()'>it is</b>."))
    assert len(soup.select(".quiz__form input")) == 5
    assert soup.select_one(".quiz__explanation b").attrs == {}


def test_duplicate_quiz_ids_in_a_module(project):
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n"
                  "::: quiz id=one-quiz\n### Q\n- [x] A\n- [ ] B\n  > b\n:::\n")
    project.write(PAGE, QUIZ)
    assert errors_of(project.root) == [
        "content/01-first/02-two.md:6:1: error: quiz id 'one-quiz' is already used at content/01-first/01-one.md:6"]


def test_duplicate_reflection_ids_in_a_module(project):
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\n"
                  "::: reflection id=think\nAgain?\n:::\n")
    project.write(PAGE, QUIZ)
    assert errors_of(project.root) == [
        "content/01-first/02-two.md:6:1: error: reflection id 'think' is already used at content/01-first/01-one.md:24"]


def test_warnings_print_but_pass_and_strict_makes_them_fail(project):
    project.write(PAGE, "---\ntitle: One\n---\n::: quiz\n### Q\n- [x] A\n- [ ] B\n:::\n")
    relaxed = learnmark("build", cwd=project.root)
    assert relaxed.returncode == 0
    assert relaxed.stderr.splitlines()[0] == f"{PAGE}:7:1: warning: wrong option has no feedback"
    strict = learnmark("build", "--strict", cwd=project.root)
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == f"{PAGE}:7:1: error: wrong option has no feedback"


def test_every_shipped_module_has_a_knowledge_check_and_a_reflection():
    from tests.conftest import REPO
    course = build(REPO).course
    for module in course.modules:
        quizzes = module.all_quizzes
        assert len(quizzes) == 1 and 3 <= len(quizzes[0].questions) <= 6, module.id
        # Every option has feedback, and every anticipated wrong fill-in answer (matching and ordering
        # questions explain their answer as a whole).
        assert all(c.feedback for q in quizzes[0].questions if q.kind not in ("matching", "ordering")
                   for c in q.choices if q.kind != "fill-in" or not c.correct), module.id
        assert module.all_reflections, module.id


def test_completion_rule_from_site_and_module(project):
    project.write("site.yaml", "id: scratch\ntitle: T\ncompletion: all-pages+quiz\n")
    project.write(PAGE, QUIZ)
    project.write("content/01-first/_module.md", "---\ntitle: M\nsummary: S.\ncompletion: quiz\n---\n")
    result = build(project.root)
    assert result.course.modules[0].completion == "quiz"
    assert '"completion":"quiz"' in result.site.files["assets/course.js"]


def test_unknown_completion_rule_suggests_one(project):
    project.write("site.yaml", "id: scratch\ntitle: T\ncompletion: all-page\n")
    assert errors_of(project.root) == ["site.yaml:3:13: error: 'all-page' is not a valid 'completion'"]


def test_quiz_completion_needs_a_quiz(project):
    project.write("site.yaml", "id: scratch\ntitle: T\ncompletion: quiz\n")
    assert errors_of(project.root) == [
        "content/01-first/_module.md:1:1: error: completion rule 'quiz' needs a quiz, but the module has none"]


def test_course_script_lists_ids_in_order_with_a_content_version(project):
    import json
    project.write(PAGE, QUIZ)
    script = build(project.root).site.files["assets/course.js"]
    data = json.loads(script.split("window.LearnmarkCourse = ", 1)[1].rstrip().rstrip(";"))
    (module,) = data["modules"]
    assert [p["id"] for p in module["pages"]] == ["index", "one", "two"]
    # Every page loads it, so it says how many questions a quiz has, not their ids, which only SCORM launch pages read.
    assert module["quizzes"] == [{"id": "one-quiz", "passMark": 60, "retries": None, "draw": None, "count": 2}]
    hosted = build(project.root).site.files["first/dispatch-course.js"]
    (full,) = json.loads(hosted.split("window.LearnmarkCourse = ", 1)[1].split(";\n", 1)[0])["modules"]
    assert full["quizzes"] == [{"id": "one-quiz", "passMark": 60, "retries": None, "draw": None, "count": 2,
                                "key": "first/one-quiz",
                                "questions": [{"id": "which-one-is-right", "kind": "single", "choices": ["wrong", "right"]},
                                              {"id": "two", "kind": "multiple", "choices": ["first", "second", "third"]}]}]
    assert len(data["version"]) == 10
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n## Details of two\n\nChanged.\n")
    assert json.loads(build(project.root).site.files["assets/course.js"].split(" = ", 1)[1].rstrip().rstrip(";"))["version"] != data["version"]
