"""The whole build, stage by stage: config → discover → parse → model → check → render → write.

Each stage is a plain function that returns its result and the problems it
found; problems are gathered and raised together, so an author sees every
error of a build at once and a failed build writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .checks import course_checks
from .config import load_config
from .course import MODULE_FIELDS, PAGE_FIELDS, ParsedModule, build_course
from .discover import discover
from .errors import BuildFailed, Diagnostic, SourceLocation, as_errors, collect, has_errors
from .links import check_references
from .markdown import make_markdown
from .model import Course
from .parallel import Workers, worker_count
from .parse import parse
from .render import RenderedSite, render_site
from .theme import load_theme, template_problem
from .timing import Progress
from .write import write_site


FIELDS = {"module": MODULE_FIELDS, "page": PAGE_FIELDS}


@dataclass(frozen=True)
class BuildResult:
    course: Course
    site: RenderedSite
    warnings: list[Diagnostic]


def check(root: Path, strict: bool = False, progress: Progress = Progress(), cache: ParseCache | None = None
          ) -> tuple[Course, dict[str, str], list[Diagnostic]]:
    """Load and check the whole course without rendering it.

    Returns the course, the content files it uses ({output path: source path})
    and its warnings; raises BuildFailed on errors (and on warnings, if strict).
    """
    course, media, problems, workers = _check(root, strict, progress, cache, parallel=cache is None)
    if workers is not None:
        workers.close()
    return course, media, problems


def _check(root: Path, strict: bool, progress: Progress, cache: ParseCache | None, parallel: bool
           ) -> tuple[Course, dict[str, str], list[Diagnostic], Workers | None]:
    """``check``, keeping the build workers (if a big course started any) for rendering."""
    problems: list[Diagnostic] = []
    workers = None

    def stop() -> None:
        if has_errors(problems) or (strict and problems):
            if workers is not None:
                workers.close()
            raise BuildFailed(as_errors(problems) if strict else problems)

    with progress.stage("config"):
        config = collect(load_config(root), problems)
    stop()
    with progress.stage("discover"):
        sources = collect(discover(root, config.content_dir), problems)
    cache = ParseCache() if cache is None else cache
    with progress.stage("parse"):
        md = make_markdown(config.allow_html)
        total, done, parsed = sum(1 + len(s.pages) for s in sources), 0, []
        count = worker_count(total) if parallel else 0
        if count:
            workers = Workers(sources, config.allow_html, count, FIELDS, load_theme(config.theme_dir))
            results = workers.parsed()
            parse_file = lambda file, what: results[file.rel]  # noqa: E731
        else:
            parse_file = lambda file, what: cache.parse(file, md, FIELDS[what], what)  # noqa: E731
        for source in sources:
            index = collect(parse_file(source.index, "module"), problems)
            pages = tuple(collect(parse_file(page, "page"), problems) for page in source.pages)
            if index and all(pages):
                parsed.append(ParsedModule(source.folder.relative_to(root).as_posix(), index, pages))
            done += 1 + len(source.pages)
            progress.step(done, total)
    stop()
    with progress.stage("model"):
        course = collect(build_course(config, parsed), problems)
    if not course.modules and not has_errors(problems):
        problems.append(Diagnostic(SourceLocation("content/"), "the course has no modules",
                                   "add a folder content/01-introduction/ with a _module.md"))
    with progress.stage("check"):
        media = collect(check_references(course), problems)
        problems += course_checks(course, media)
    stop()
    return course, media, problems, workers


def build(root: Path, out: Path | None = None, strict: bool = False, progress: Progress = Progress(),
          cache: ParseCache | None = None) -> BuildResult:
    """Build the course in ``root``; write it to ``out`` when given."""
    course, media, warnings, workers = _check(root, strict, progress, cache, parallel=cache is None)
    with progress.stage("render"):
        theme = workers.theme if workers is not None else load_theme(course.config.theme_dir)
        try:
            pages = workers.render(course, media) if workers is not None else None
            site = render_site(course, theme, make_markdown(course.config.allow_html), media, progress=progress,
                               prerendered=pages)
        except jinja2.TemplateError as error:
            raise BuildFailed([template_problem(error, course.config.root)]) from None
    if out is not None:
        with progress.stage("write"):
            write_site(site, out)
    return BuildResult(course, site, warnings)


class ParseCache:
    """The last parse of each file, so a rebuild only parses what changed (``learnmark serve``).

    One entry per file, replaced when its text changes, so a long preview
    session does not keep every version an author saved.
    """

    def __init__(self):
        self._entries: dict[str, tuple[tuple, tuple]] = {}

    def parse(self, source, md, fields, what):
        key = (source.text, md.options["html"], what)
        entry = self._entries.get(source.rel)
        if entry is None or entry[0] != key:
            entry = self._entries[source.rel] = (key, parse(source, md, fields, what))
        return entry[1]
