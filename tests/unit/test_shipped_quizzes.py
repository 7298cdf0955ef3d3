"""The shipped course's knowledge checks: fair by the assessment lint, and answerable from the module's own pages.

The support check is deliberately simple: a quiz answer is supported when some
sentence of its module's pages (not the page that holds the quiz) shares enough
of the significant words of the correct option and its feedback. It cannot
prove a claim true, but it catches a quiz that grades something the pages never
say, which is how the course came to test claims its sources do not make.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from generator.assessment import assessment_checks
from generator.build import check
from generator.quiz import Choice, Question
from tests.conftest import REPO

STOP = set("""
a about above after again all also an and any are as at be because been before being both but by can could did do does
doing down during each few for from further had has have having he her here hers him his how i if in into is it its
itself just may me might more most my no nor not now of off on once only or other our out over own same she should so
some such than that the their them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yes right quite one two three four first
module course page staff people person someone something things thing part means mean way ways help helps
""".split())
"""Words that carry no claim; "staff", "people", "help" appear in nearly every sentence of this course."""


@pytest.fixture(scope="module")
def course():
    course, _, _ = check(REPO)
    return course


def stems(text: str) -> set[str]:
    """Significant words, cut to six letters so 'listening' meets 'listen' and 'empathising' meets 'empathy'."""
    return {w[:6] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in STOP}


def sentences(markdown: str) -> list[str]:
    """Sentences of a page's Markdown: list items, table rows and definitions each stand on their own."""
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    body = re.sub(r"\n(?=\s*(?:[-*] |\d+\. |\||: ))", "\n\n", body)
    chunks = (" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", body))
    return [s for chunk in chunks for s in re.split(r"(?<=[.!?])\s+", chunk) if s]


def feedback_text(choice: Choice) -> str:
    return " ".join(t.content for t in choice.feedback if t.type == "inline")


def claims(question: Question) -> list[tuple[str, str]]:
    """(answer, feedback) pairs the question grades as right; a true statement is its own answer."""
    if question.kind == "true-false":
        right = question.correct[0]
        return [(question.text if right.text.lower() == "true" else "", feedback_text(right))]
    if question.kind == "fill-in":  # the first accepted answer, with the sentence it completes; the rest are spellings
        return [(question.correct[0].text, question.text)]
    if question.kind == "matching":  # each pair, and what the explanation says of it
        targets = {t.id: t.text for t in question.targets}
        explanation = " ".join(t.content for t in question.explanation if t.type == "inline")
        return [(f"{c.text} {targets[c.target]}", explanation) for c in question.choices]
    return [(choice.text, feedback_text(choice)) for choice in question.correct]


def supported(answer: str, feedback: str, pool: list[set[str]]) -> bool:
    """Some sentence holds at least half the answer's words and three of the answer's and feedback's together."""
    answer_words, all_words = stems(answer), stems(answer) | stems(feedback)
    need_answer = math.ceil(len(answer_words) / 2)
    need_all = min(3, len(all_words))
    return any(len(s & answer_words) >= need_answer and len(s & all_words) >= need_all for s in pool)


def module_sentences(module, skip: set[Path]) -> list[set[str]]:
    files = [Path(doc.document.source.path) for doc in (module, *module.pages)]
    return [stems(s) for path in files if path not in skip for s in sentences(path.read_text(encoding="utf-8"))]


def quiz_pages(module) -> set[Path]:
    return {Path(page.document.source.path) for page in module.pages if page.quizzes}


def test_the_shipped_course_passes_the_assessment_lint_with_no_warnings(course):
    assert [d.format() for d in assessment_checks(course)] == []


def test_every_module_check_has_scenarios_and_at_most_one_true_false(course):
    for module in course.modules:
        questions = [q for quiz in module.all_quizzes for q in quiz.questions]
        assert sum(q.scenario for q in questions) >= 2, module.id
        assert sum(q.kind == "true-false" for q in questions) <= 1, module.id


def test_every_quiz_answer_is_supported_by_a_sentence_of_its_modules_pages(course):
    unsupported = []
    for module in course.modules:
        pool = module_sentences(module, skip=quiz_pages(module))
        for quiz in module.all_quizzes:
            for question in quiz.questions:
                unsupported += [f"{question.location}: {answer or feedback}"
                                for answer, feedback in claims(question) if not supported(answer, feedback, pool)]
    assert unsupported == []


@pytest.mark.parametrize("module_id, claim", [
    ("supportive-culture", "The mentee sets the agenda for the mentoring conversations"),
    ("supportive-culture", "A mentor does not take over or give instructions to the mentee"),
    ("compassionate-leadership", "The four behaviours build on each other: attending comes first, then the rest"),
    ("trauma-informed-practice", "You do not need to be a trauma expert to help a colleague"),
    ("wellbeing-roles", "What matters most in a guardian is the willingness to ask searching questions"),
])
def test_claims_the_sources_do_not_make_are_not_supported(course, module_id, claim):
    """The support check can fail: these claims, once in the course, find no sentence to stand on."""
    module = next(m for m in course.modules if m.id == module_id)
    assert not supported(claim, claim, module_sentences(module, skip=quiz_pages(module)))


# -- faithful to the sources ---------------------------------------------------------------------------------

DISTORTIONS = ["three layers", "build on each other", "at the centre", "what matters most", "has grown",
               "both sit within", "then executive director", "sets the agenda", "trauma expert",
               "people promise themes"]
ACRONYMS = {
    "SuppoRTT": "Supported Return to Training", "HEE": "Health Education England",
    "SAMHSA": "Substance Abuse and Mental Health Services Administration", "NWL": "North West London",
    "CIPD": "Chartered Institute of Personnel and Development", "AHP": "allied health professional",
    "QI": "Quality Improvement", "MHFA": "Mental Health First Aid",
}


def reading_order_text(module) -> str:
    """The module's Markdown in reading order, with each run of white space (line breaks too) as one space."""
    text = " ".join(Path(doc.document.source.path).read_text(encoding="utf-8") for doc in (module, *module.pages))
    return " ".join(text.split())


@pytest.mark.parametrize("phrase", DISTORTIONS)
def test_the_distortions_found_in_review_are_gone(course, phrase):
    for module in course.modules:
        assert phrase not in reading_order_text(module).lower(), module.id


def test_the_four_behaviours_diagram_has_no_arrows_or_sequence():
    svg = (REPO / "content/02-compassionate-leadership/images/four-behaviours.svg").read_text(encoding="utf-8")
    assert "marker" not in svg and "<line" not in svg and "then" not in svg.lower()
    page = (REPO / "content/02-compassionate-leadership/02-four-behaviours.md").read_text(encoding="utf-8")
    assert "no arrows or order" in page and "arrows:" not in page


def test_acronyms_are_spelled_out_at_first_use_in_each_module(course):
    for module in course.modules:
        text = reading_order_text(module)
        for acronym, expansion in ACRONYMS.items():
            first = re.search(rf"\b{acronym}\b", text)
            if first:
                spelled = text.lower().find(expansion.lower())
                assert 0 <= spelled < first.start(), f"{module.id}: {acronym} is used before '{expansion}'"


def test_every_module_ends_with_further_reading(course):
    for module in course.modules:
        last = Path(module.pages[-1].document.source.path).read_text(encoding="utf-8")
        headings = re.findall(r"^## (.+)$", last, flags=re.M)  # the page itself, lines intact
        assert headings[-1] == "Further reading", module.id
        assert len(re.findall(r"^- ", last.split("## Further reading")[1], flags=re.M)) >= 3, module.id


@pytest.mark.parametrize("fact", [
    "listening with fascination", "self-belief", "Dr Navina Evans", "Chief Executive of Health Education England",
    "Senior Fellow at The King's Fund", "Compassionate leadership: Sustaining wisdom", "more than 20 books",
    "over 200", "Building a More SuppoRTTive", "Professor Jim Barrie", "consultation to support teams",
    "free, and", "NHS login", "Keeping Well Academy", "NHS England runs the Culture and Leadership Programme",
    "What compassionate leadership means to", "70 million views", "complex problems", "100 leaders programme",
])
def test_facts_the_review_found_missing_are_covered(course, fact):
    everything = " ".join(reading_order_text(m) for m in course.modules)
    assert fact in everything
