"""Course-wide checks that need the whole course: accessibility, housekeeping, SCORM budget, quiz quality.

``learnmark check`` (and every build) runs these after links are resolved.
Each check is a small pure function from the course to its diagnostics, so
each can be tested on its own; ``course_checks`` runs them all.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from .discover import is_digest_id, is_ignored, slug_of
from .errors import Diagnostic, SourceLocation
from .media.checks import media_checks
from .model import Course
from .quiz import Choice, Question, Quiz
from .scorm.suspend import over_budget

PATTERN_MIN_QUESTIONS = 3
"""A quiz needs this many single-choice questions before the correct answers' positions form a pattern."""
LONG_CORRECT_MIN = 40
"""A correct option this long (characters) or longer ..."""
LONG_CORRECT_RATIO = 2
"""... and more than this many times as long as the longest wrong option stands out."""
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
"""A link with a scheme (https:, mailto: ...) points at no content file."""
_ABOVE = re.compile(r"\b(all|none|both|neither)\s+(of\s+)?the\s+above\b", re.IGNORECASE)


def course_checks(course: Course, media: dict[str, str]) -> list[Diagnostic]:
    """Every problem the checks below find, in file order.

    ``media`` is what ``check_references`` returned: {output path: source path} of the files pages use.
    """
    problems = [
        *empty_link_text(course),
        *unreadable_ids(course),
        *unused_files(course, media),
        *suspend_budget(course),
        *media_checks(course),
        *(p for quiz in _quizzes(course) for p in quiz_quality(quiz)),
    ]
    return sorted(problems, key=lambda d: d.location)


def empty_link_text(course: Course) -> list[Diagnostic]:
    """Links with nothing to read out: ``[](page.md)``."""
    return [Diagnostic(ref.location, "link has no text",
                       "write what the link leads to inside the brackets, e.g. [mentoring](03-mentoring.md); "
                       "screen readers announce an empty link as just 'link'")
            for doc in (*course.sequence, *course.extra_documents) for ref in doc.document.references
            if ref.kind == "link" and not ref.text]


def unreadable_ids(course: Course) -> list[Diagnostic]:
    """Modules and pages whose id is a digest of a name with no letters a-z (discover.slug_of), not one the author set."""
    found = []
    for doc in course.sequence:
        module = doc is course.module_of(doc)
        name = doc.folder.rsplit("/", 1)[-1] if module else doc.document.source.path.name
        if not doc.document.meta.get("id") and is_digest_id(doc.id) and slug_of(name) == doc.id:
            what, where = ("module", f"{name}/_module.md") if module else ("page", name)
            found.append(Diagnostic(doc.location, f"{what} id '{doc.id}' is a digest: the name '{name}' has no letters a-z "
                                    "or digits to make one from", f"set a readable id in the front matter of {where}, "
                                    f"e.g. 'id: welcome'; it names the address {doc.url}", severity="warning"))
    return found


def unused_files(course: Course, media: dict[str, str]) -> list[Diagnostic]:
    """Files in content/ that are not Markdown and that no page links to or shows.

    A file a page does point at is not reported, even when it cannot be published: the
    link's own error says why, and "not used by any page" would only mislead.
    """
    root, content = course.config.root, course.config.content_dir
    used = set(media.values())
    unused = [rel for rel in _content_files(root, content) if not rel.endswith(".md") and rel not in used]
    if unused:  # rare, so only then is every reference looked at
        pointed_at = _pointed_at(course)
        unused = [rel for rel in unused if rel not in pointed_at]
    return [Diagnostic(SourceLocation(rel), "file is not used by any page",
                       "link to it or show it from a page, or delete it; it is not published",
                       severity="warning")
            for rel in unused]


def suspend_budget(course: Course) -> list[Diagnostic]:
    """Modules whose saved progress could overflow the SCORM version's ``suspend_data``."""
    version = course.config.scorm_version
    if version == "1.2":
        hint = ("learnmark package will refuse it: split the module, use fewer questions, "
                "or set scorm_version: 2004-4 in site.yaml (64000 characters)")
    else:
        hint = "learnmark package will refuse it: split the module or use fewer questions"
    found = (over_budget(module, version, hint, "warning") for module in course.modules)
    return [problem for problem in found if problem]


def quiz_quality(quiz: Quiz) -> list[Diagnostic]:
    """Ways a quiz lets learners score without knowing the answer."""
    return [*answer_pattern(quiz),
            *(p for question in quiz.questions for p in above_options(question)),
            *(p for question in quiz.questions for p in long_correct_option(question))]


def answer_pattern(quiz: Quiz) -> list[Diagnostic]:
    """The correct option is at the same position in every single-choice question."""
    if quiz.shuffle:
        return []
    single = [q for q in quiz.questions if q.kind == "single" and len(q.correct) == 1]
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


def _stands_out(choice: Choice, longest_wrong: int) -> bool:
    length = len(choice.text)
    return choice.correct and length >= LONG_CORRECT_MIN and length > LONG_CORRECT_RATIO * longest_wrong


def _pointed_at(course: Course) -> set[str]:
    """Every file (relative to the project) that a link or image in a page points at, whether it resolved or not."""
    found = set()
    for doc in (*course.sequence, *course.extra_documents, *(d for m in course.unlisted for d in (m, *m.pages))):
        folder = posixpath.dirname(doc.document.source.rel)
        for ref in doc.document.references:
            path = ref.target.partition("#")[0]
            if path and not path.startswith("/") and not _SCHEME.match(path):
                found.add(posixpath.normpath(posixpath.join(folder, unquote(path))))
    return found


def _quizzes(course: Course) -> Iterable[Quiz]:
    return (quiz for module in course.modules for quiz in module.all_quizzes)


def _content_files(root: Path, content: Path) -> list[str]:
    """Every file under ``content`` (relative to ``root``, forward slashes), skipping hidden and temporary ones."""
    found = []
    for folder, folders, files in os.walk(content):
        folders[:] = sorted(name for name in folders if not is_ignored(name))
        prefix = Path(folder).relative_to(root).as_posix() + "/"
        found += (prefix + name for name in sorted(files) if not is_ignored(name))
    return found
