"""Course-wide checks that need the whole course: accessibility, housekeeping, SCORM budget, quiz quality.

The quiz-quality rules themselves live in assessment.py.

``learnmark check`` (and every build) runs these after links are resolved.
Each check is a small pure function from the course to its diagnostics, so
each can be tested on its own; ``course_checks`` runs them all.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from .assessment import assessment_checks
from .discover import content_files, is_digest_id, slug_of
from .errors import Diagnostic, SourceLocation
from .media.checks import media_checks
from .model import Course
from .scorm.suspend import over_budget

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
"""A link with a scheme (https:, mailto: ...) points at no content file."""


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
        *assessment_checks(course),
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
        name = doc.folder.rsplit("/", 1)[-1] if module else doc.document.source.name
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
    used = set(media.values()) | set(course.config.branding.files().values())  # the logo and favicon
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


def _content_files(root: Path, content: Path) -> list[str]:
    """Every file under ``content`` (relative to ``root``, forward slashes), skipping hidden and temporary ones."""
    prefix, start = content.relative_to(root).as_posix() + "/", len(os.fspath(content)) + 1
    return [prefix + path[start:].replace(os.sep, "/") for path in content_files(os.fspath(content))]
