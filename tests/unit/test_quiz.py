"""The quiz parser, in markdown-it's fixture format: Markdown in, the model or its diagnostics out."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.utils import read_fixture_file

from generator.errors import SourceLocation
from generator.markdown import make_markdown
from generator.quiz import read_quiz, read_reflection

FIXTURES = read_fixture_file(Path(__file__).parent.parent / "fixtures" / "quiz.md")
MD = make_markdown()


def describe(text: str) -> str:
    """The quiz in ``text`` as the fixtures write it, or its diagnostics."""
    lines = []
    for token in MD.parse(text):
        if token.type != "quiz":
            continue
        quiz, problems = read_quiz(token, SourceLocation("page.md"))
        if problems:
            return "".join(p.format() + "\n" for p in problems)
        lines.append(f"quiz {quiz.id or '-'} pass={quiz.pass_mark} retries={quiz.retries or 'unlimited'} "
                     f"shuffle={quiz.shuffle} draw={quiz.draw} title='{quiz.title}'" + (" intro=yes" if quiz.intro else "")
                     + (" partial" if quiz.partial else ""))
        for question in quiz.questions:
            lines.append(f"  question {question.id} {question.kind} line={question.location.line} "
                         f"explanation={'yes' if question.explanation else 'no'}")
            for choice in question.choices:
                lines.append(f"    {choice.id} -> {choice.target}" if choice.target else
                             f"    {choice.id} {'correct' if choice.correct else 'wrong'} "
                             f"feedback={'yes' if choice.feedback else 'no'}")
    return "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("line,title,text,expected", FIXTURES, ids=[f"{f[0]}-{f[1]}" for f in FIXTURES])
def test_fixture(line, title, text, expected):
    assert describe(text) == expected


def test_retries_zero_means_one_attempt():
    (token,) = [t for t in MD.parse("::: quiz retries=0\n### Q\n- [x] A\n- [ ] B\n  > b\n:::\n") if t.type == "quiz"]
    assert read_quiz(token, SourceLocation("p.md"))[0].retries == 0


def test_reflection_id_from_its_prompt():
    (token,) = [t for t in MD.parse("::: reflection\nWhat helped you *most* when you returned?\n:::\n")
                if t.type == "reflection"]
    reflection, problems = read_reflection(token, SourceLocation("p.md"))
    assert (reflection.id, problems) == ("what-helped-you-most-when-you-returned", [])


def test_question_headings_stay_out_of_the_page_outline():
    tokens = MD.parse("## Section\n\n::: quiz\n### Q\n- [x] A\n- [ ] B\n  > b\n:::\n")
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h2"]


QUIZ_PIECES = st.sampled_from([
    "### ", "## ", "- [x] ", "- [ ] ", "- ", "  > ", "> ", "\n", "\n\n", "{multiple}", "{single}", "{#id}", "{",
    "}", "True", "False", "::: quiz", ":::", "1. [x] ", "**", "[a](b.md)", "`", "    code\n",
])


@settings(max_examples=300, deadline=None)
@given(body=st.lists(st.one_of(QUIZ_PIECES, st.text(max_size=8)), max_size=40).map("".join),
       info=st.text(max_size=30))
def test_parser_never_crashes_inside_a_quiz(body, info):
    for token in MD.parse(f"::: quiz {info}\n{body}\n:::\n"):
        if token.type == "quiz":
            quiz, problems = read_quiz(token, SourceLocation("p.md"))
            assert all(p.location.line >= 1 for p in problems)


def _question(source: str):
    (token,) = [t for t in MD.parse(source) if t.type == "quiz"]
    quiz, problems = read_quiz(token, SourceLocation("p.md"))
    assert problems == []
    return quiz.questions[0]


@pytest.mark.parametrize("count", [2, 3, 4, 6])
def test_without_javascript_an_ordering_question_is_never_listed_in_its_right_order(count):
    for n in range(60):
        items = "".join(f"{i + 1}. Step {i} of question {n}\n" for i in range(count))
        question = _question(f"::: quiz\n### Order {n} {{ordering}}\n{items}:::\n")
        shown = [item.id for item in question.scrambled]
        assert sorted(shown) == sorted(c.id for c in question.choices)
        assert shown != [c.id for c in question.choices]
        assert shown == [item.id for item in question.scrambled], "the same order every build"


def test_without_javascript_matching_targets_are_not_listed_beside_their_items():
    for n in range(40):
        pairs = "".join(f"- Item {i} -> Target {i} of {n}\n" for i in range(3))
        question = _question(f"::: quiz\n### Match {n} {{matching}}\n{pairs}:::\n")
        assert [t.id for t in question.scrambled] != [c.target for c in question.choices]


def test_matching_targets_that_begin_alike_stay_apart():
    question = _question("::: quiz\n### Match {matching}\n"
                         "- Aider -> Spots and supports someone in crisis at work\n"
                         "- Champion -> Spots and supports someone in distress at home\n"
                         "- Guardian -> Spots and supports someone in crisis at work\n:::\n")
    assert [t.text for t in question.targets] == ["Spots and supports someone in crisis at work",
                                                  "Spots and supports someone in distress at home"]
    assert len({t.id for t in question.targets}) == 2
    assert [c.target for c in question.choices] == [question.targets[0].id, question.targets[1].id, question.targets[0].id]
