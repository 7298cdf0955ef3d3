"""The stages before rendering: config → discover → parse → model → check.

Each stage runs on whatever the stages before it could make of the course,
even when they found errors, and adds what it finds to the problems: nothing
here raises, and build.py reports every problem at once. ``modelled`` stops
before the check stage, so that ``package`` can check the course while its
workers package (``build.check_later``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable

from .cache import ParseCache
from .checks import course_checks
from .config import load_config
from .course import MODULE_FIELDS, PAGE_FIELDS, ParsedModule, build_course
from .discover import SourceFile, discover
from .errors import Diagnostic, SourceLocation, collect, has_errors
from .i18n.translations import folder_clashes, other_languages, translation_jobs
from .links import LinkMemo, check_references
from .markdown import make_markdown
from .memory import collector_paused
from .model import Course
from .parallel import fork_map, worker_count
from .parse import ParsedDocument, parse
from .support import load_support
from .timing import Progress


FIELDS = {"module": MODULE_FIELDS, "page": PAGE_FIELDS}


@dataclass
class Loaded:
    """What the stages before rendering made of the course, and every problem they found."""

    course: Course | None
    """None only when there is no site.yaml."""
    media: dict[str, str]
    """The content files pages use: {output path: source path}."""
    problems: list[Diagnostic]
    translated_media: dict[str, dict[str, str]] = field(default_factory=dict)
    """A bilingual course's other languages' ``media``, by language."""
    later: Callable[[], list[Diagnostic]] | None = None
    """The course-wide checks, when ``load`` was asked to leave them to the caller: their problems."""


def load(root: Path, progress: Progress, cache: ParseCache | None, links: LinkMemo | None,
         later: bool = False) -> Loaded:
    """The stages before rendering: config, discover, parse, model and check. Raises nothing: a stage
    that finds errors hands on what it could make, so the stages after it can still look for theirs.
    ``later``: the course-wide checks (``checks.course_checks``) are left in ``Loaded.later``, for a build
    to run beside its pages."""
    loaded = modelled(root, progress, cache)
    if loaded.course is not None:
        check_course(loaded, progress, links, later)
    return loaded


def modelled(root: Path, progress: Progress, cache: ParseCache | None) -> Loaded:
    """``load`` but the check stage: config, discover, parse and model."""
    problems: list[Diagnostic] = []
    with progress.stage("config"):
        config = collect(load_config(root), problems)
    if config is None:  # no site.yaml: nothing here is a course
        return Loaded(None, {}, problems)
    with progress.stage("discover"):
        sources = collect(discover(root, config.content_dir), problems)
    with progress.stage("parse"):
        jobs = [(file, what) for source in sources
                for file, what in ((source.index, "module"), *((page, "page") for page in source.pages))]
        with collector_paused():  # what parsing makes is long-lived and acyclic: see memory.py
            parsed_files = parse_all(jobs + translation_jobs(sources), config.allow_html, cache)
        support = collect(load_support(config), problems)
        parsed, done = [], 0
        for source in sources:
            index = collect(parsed_files[source.index.rel], problems)
            pages = tuple(page for page in (collect(parsed_files[p.rel], problems) for p in source.pages) if page)
            if index is not None:
                parsed.append(ParsedModule(source.folder.relative_to(root).as_posix(), index, pages))
            done += 1 + len(source.pages)
            progress.step(done, len(jobs))
    with progress.stage("model"):
        course = collect(build_course(config, parsed, support), problems)
        if any(source.translations for source in sources) or len(config.languages) > 1:
            course = replace(course, translations=tuple(
                collect(build_course(language.config, language.modules, collect(load_support(language.config), problems)),
                        problems)
                for language in collect(other_languages(config, sources, parsed, parsed_files), problems)))
            problems += folder_clashes(course)
    if not course.modules and not has_errors(problems):
        problems.append(Diagnostic(SourceLocation("content/"), "the course has no modules",
                                   "add a folder content/01-introduction/ with a _module.md"))
    return Loaded(course, {}, problems)


def check_course(loaded: Loaded, progress: Progress, links: LinkMemo | None, later: bool = False) -> None:
    """The check stage: every link, image and course-wide rule (those left in ``loaded.later`` if ``later``);
    fills in ``loaded``'s content files."""
    course, problems = loaded.course, loaded.problems
    with progress.stage("check"):
        if links is not None:
            links.lend(course)
        media = _references(course, problems)
        translated = {other.config.language: _references(other, problems) for other in course.translations}
        # a file a translation alone shows is used
        used = {**media, **{path: source for found in translated.values() for path, source in found.items()}}
        checks = partial(_course_checks, (course, *course.translations), used)
        if later:
            loaded.later = checks
        else:
            problems += checks()
        if links is not None:
            links.keep(course)
    loaded.media, loaded.translated_media = media, translated


def _course_checks(courses: tuple[Course, ...], used: dict[str, str]) -> list[Diagnostic]:
    return [problem for each in courses for problem in course_checks(each, used)]


def _references(course: Course, problems: list[Diagnostic]) -> dict[str, str]:
    """Check every link and image of ``course``; the content files its pages use."""
    # Pages of modules left out of the course are checked too: their problems are as real.
    unlisted = tuple(doc for module in course.unlisted for doc in (module, *module.pages))
    return collect(check_references(course, (*course.sequence, *course.extra_documents, *unlisted)
                                    if unlisted else None), problems)


def parse_all(jobs: list[tuple[SourceFile, str]], allow_html: bool, cache: ParseCache | None
              ) -> dict[str, tuple[ParsedDocument | None, list[Diagnostic]]]:
    """Every file's ``(document, problems)``: from the cache, or parsed (by workers, for many files)."""
    results = {file.rel: cache.get(file, allow_html, what) for file, what in jobs} if cache else {}
    missing = [(file, what) for file, what in jobs if results.get(file.rel) is None]
    md = make_markdown(allow_html)

    def parse_one(job):
        file, what = job
        doc, problems = parse(file, md, FIELDS[what], what)
        # Without its file, which we have: a worker's parse comes back a third smaller, and is not
        # unpickled here into a copy of the text that is dropped at once (memory at 5,000 pages).
        return (doc.with_source(None) if doc is not None else None), problems
    for (file, what), (doc, problems) in zip(missing, fork_map(parse_one, missing, worker_count(len(missing)))):
        if doc is not None:
            doc = doc.with_source(file)
        result = results[file.rel] = (doc, problems)
        if cache is not None:
            cache.put(file, allow_html, what, result)
    if cache is not None:
        cache.keep_only(set(results))
    return results
