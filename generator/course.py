"""Gather parsed documents into the Course model: ids, order, urls, minutes.

The whole course is modelled before anything is rendered, so every later
stage can see every page (for links, navigation and checks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .config import COMPLETION_RULES, FAILED_STATUSES, MASTERY_REMOVED, SiteConfig
from .discover import slug_of
from .errors import Diagnostic, did_you_mean
from .model import Course, Module, Page
from .parse import ParsedDocument
from .quiz import Quiz
from .render import EXTRA_PAGES
from .schema import Field
from .scorm.names import DISPATCH_PAGE, HOSTED, LAUNCH, MANIFEST, RELAY, RUNTIME
from .theme import SCRIPT, STYLESHEET
from .tracking import COURSE_SCRIPT
from .urls import PRINT, SEARCH, SHARED_MEDIA, STATEMENT, SUPPORT

WORDS_PER_MINUTE = 200
MODULE_INDEX = "index.html"
"""A module's landing page, in its folder: ``<module-id>/index.html``."""


def _reserved(paths: list[str]) -> dict[str, str]:
    """{id: what it would clash with} for files and folders the site or a package writes: ``assets/x.css``
    reserves ``assets`` (the folder), ``404.html`` reserves ``404`` (servers that drop '.html' mix them up)."""
    reserved = {}
    for path in paths:
        name, slash, _ = path.partition("/")
        reserved.setdefault(name if slash else name.rsplit(".", 1)[0], f"{name}/ folder" if slash else name)
    return reserved


RESERVED_MODULE_IDS = _reserved([*(path for path, _ in EXTRA_PAGES), SEARCH, STYLESHEET, SCRIPT, COURSE_SCRIPT,
                                 *RUNTIME, *HOSTED, *RELAY, MANIFEST, f"{SHARED_MEDIA}/", SUPPORT, STATEMENT])
"""A module's id names its folder at the top of the site, beside the site's own pages and files."""
RESERVED_PAGE_IDS = _reserved([MODULE_INDEX, LAUNCH, DISPATCH_PAGE, PRINT])
"""A page's id names its file in its module's folder, beside the landing page, the launch pages and the print page."""

MODULE_FIELDS = {
    "title": Field("text", required=True),
    "summary": Field("text", required=True),
    "objectives": Field("list of text", default=[]),
    "minutes": Field("integer", minimum=1),
    "content_note": Field("text", default=""),
    "id": Field("text", slug=True),
    "completion": Field("text", choices=COMPLETION_RULES),
    "scorm_mastery": Field("integer", removed=MASTERY_REMOVED),
    "scorm_failed_status": Field("text", choices=FAILED_STATUSES),
}
PAGE_FIELDS = {
    "title": Field("text", required=True),
    "summary": Field("text", default=""),
    "minutes": Field("integer", minimum=1),
    "id": Field("text", slug=True),
}


@dataclass(frozen=True)
class ParsedModule:
    """A module folder after parsing, before ids and order are settled."""

    folder: str
    index: ParsedDocument
    pages: tuple[ParsedDocument, ...]


def build_course(config: SiteConfig, parsed: list[ParsedModule], support: Page | None = None
                 ) -> tuple[Course, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    modules = [_module(p, config, problems) for p in parsed]
    _reject_duplicates(modules, "module", problems)
    for module in modules:
        _reject_duplicates(module.pages, "page", problems)
        _reject_duplicates(module.all_quizzes, "quiz", problems)
        _reject_duplicates(module.all_reflections, "reflection", problems)
        # A required item's id names it in the learner's record (see tracking.py).
        _reject_duplicates([m for m in module.all_media if m.required], "video or audio", problems)
    ordered = _ordered(config, modules, problems)
    # Modules left out have an error saying why; links to them still resolve, so no link error follows from it.
    unlisted = tuple(m for m in modules if not any(m is o for o in ordered))
    return Course(config, tuple(ordered), unlisted, support), problems


def _module(parsed: ParsedModule, config: SiteConfig, problems: list[Diagnostic]) -> Module:
    meta = parsed.index.meta
    module_id = meta["id"] or slug_of(parsed.folder.rsplit("/", 1)[-1])
    pages = tuple(_page(doc, module_id) for doc in parsed.pages)
    module = Module(
        id=module_id,
        title=meta["title"] or module_id,  # None only when the front matter has an error: the build fails anyway
        summary=meta["summary"] or "",
        objectives=tuple(meta["objectives"]),
        minutes=meta["minutes"] or sum(p.minutes for p in pages) or _reading_minutes(parsed.index),
        content_note=meta["content_note"],
        url=f"{module_id}/{MODULE_INDEX}",
        document=parsed.index,
        pages=pages,
        folder=parsed.folder,
        quizzes=_quizzes(parsed.index, module_id),
        completion=meta["completion"] or config.completion or
        ("all-pages+quiz" if any(_quizzes_of(parsed)) else "all-pages"),
        scorm_failed_status=meta["scorm_failed_status"] or config.scorm_failed_status,
    )
    if "quiz" in module.completion and not module.all_quizzes:
        where = "front matter" if meta["completion"] else f"site.yaml (line {config.location_of('completion').line})"
        problems.append(Diagnostic(module.location, f"completion rule '{module.completion}' needs a quiz, but the module has none",
                                   f"add a '::: quiz' to one of its pages, or set 'completion: all-pages' in its {where}"))
    return module


def _quizzes_of(parsed: ParsedModule):
    return (quiz for doc in (parsed.index, *parsed.pages) for quiz in doc.quizzes)


def _page(doc: ParsedDocument, module_id: str) -> Page:
    page_id = doc.meta["id"] or slug_of(doc.source.name)
    return Page(
        id=page_id,
        title=doc.meta["title"] or page_id,  # None only when the front matter has an error
        summary=doc.meta["summary"] or "",
        minutes=doc.meta["minutes"] or _reading_minutes(doc),
        url=f"{module_id}/{page_id}.html",
        document=doc,
        quizzes=_quizzes(doc, page_id),
    )


def _quizzes(doc: ParsedDocument, doc_id: str) -> tuple[Quiz, ...]:
    """The document's quizzes, each with an id: its own, or one from the page's id."""
    defaults = [f"{doc_id}-quiz"] + [f"{doc_id}-quiz-{n}" for n in range(2, len(doc.quizzes) + 1)]
    return tuple(quiz if quiz.id else replace(quiz, id=default) for quiz, default in zip(doc.quizzes, defaults))


def _reading_minutes(doc: ParsedDocument) -> int:
    return max(1, math.ceil(doc.words / WORDS_PER_MINUTE))


def _reject_duplicates(items, kind: str, problems: list[Diagnostic]) -> None:
    """Ids name output files and learners' saved progress, so they must be unique, and clear of the site's own files."""
    seen: dict = {}
    reserved = {"module": RESERVED_MODULE_IDS, "page": RESERVED_PAGE_IDS}.get(kind, {})
    for item in items:
        if item.id in reserved:
            where = ("the site's own" if kind == "module" else "the module's own") + f" {reserved[item.id]}"
            hint = ("rename the folder, or set another 'id:' in its _module.md" if kind == "module"
                    else "rename the file, or set another 'id:' in its front matter")
            problems.append(Diagnostic(item.location, f"{kind} id '{item.id}' is reserved for {where}", hint))
        elif item.id in seen:
            first = seen[item.id].location
            hint = {"module": "rename the folder, or set a different 'id:' in its _module.md",
                    "page": "rename the file, or set a different 'id:' in its front matter"
                    }.get(kind, f"give one of them another id=... after '::: {kind}'")
            problems.append(Diagnostic(item.location, f"{kind} id '{item.id}' is already used at {first.path}:{first.line}", hint))
        else:
            seen[item.id] = item


def _ordered(config: SiteConfig, modules: list[Module], problems: list[Diagnostic]) -> list[Module]:
    """Folder order, unless ``site.yaml`` lists the modules."""
    if config.modules is None:
        return modules
    by_id = {m.id: m for m in modules}
    at = config.location_of("modules")
    for module_id in config.modules:
        if module_id not in by_id:
            problems.append(Diagnostic(at, f"'modules' lists '{module_id}', but there is no such module",
                                       did_you_mean(module_id, by_id)))
    for module in modules:
        if module.id not in config.modules:
            problems.append(Diagnostic(at, f"module '{module.id}' ({module.folder}) is missing from 'modules'",
                                       "add it to the list, or delete the list to use folder order"))
    return [by_id[i] for i in config.modules if i in by_id]
