"""The whole build, stage by stage: config → discover → parse → model → check → render → write.

Each stage is a plain function that returns its result and the problems it
found; problems are gathered and raised together, so an author sees every
error of a build at once and a failed build writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import load_config
from .course import MODULE_FIELDS, PAGE_FIELDS, ParsedModule, build_course
from .discover import discover
from .errors import BuildFailed, Diagnostic, SourceLocation, has_errors
from .links import check_references
from .markdown import make_markdown
from .model import Course
from .parse import parse
from .render import RenderedSite, render_site
from .theme import load_theme, template_problem
from .write import write_site


@dataclass(frozen=True)
class BuildResult:
    course: Course
    site: RenderedSite
    warnings: list[Diagnostic]


def load_course(root: Path) -> tuple[Course, list[Diagnostic]]:
    """Everything up to a checked Course; raises BuildFailed on errors."""
    config, problems = load_config(root)
    if config is None:
        raise BuildFailed(problems)
    sources, problems = discover(root, config.content_dir)
    md = make_markdown(config.allow_html)
    parsed = []
    for source in sources:
        index = _parse(parse(source.index, md, MODULE_FIELDS, "module"), problems)
        pages = tuple(_parse(parse(page, md, PAGE_FIELDS, "page"), problems) for page in source.pages)
        if index and all(pages):
            parsed.append(ParsedModule(source.folder.relative_to(root).as_posix(), index, pages))
    if has_errors(problems):
        raise BuildFailed(problems)
    course, found = build_course(config, parsed)
    problems += found
    if not course.modules and not has_errors(problems):
        problems.append(Diagnostic(SourceLocation("content/"), "the course has no modules",
                                   "add a folder content/01-introduction/ with a _module.md"))
    if has_errors(problems):
        raise BuildFailed(problems)
    return course, problems


def _parse(outcome, problems: list[Diagnostic]):
    """Keep a parse stage's result, adding its problems to the build's."""
    document, found = outcome
    problems += found
    return document


def build(root: Path, out: Path | None = None) -> BuildResult:
    """Build the course in ``root``; write it to ``out`` when given."""
    course, warnings = load_course(root)
    media, problems = check_references(course)
    if has_errors(problems):
        raise BuildFailed(warnings + problems)
    theme = load_theme(course.config.theme_dir)
    try:
        site = render_site(course, theme, make_markdown(course.config.allow_html), media)
    except jinja2.TemplateError as error:
        raise BuildFailed([template_problem(error, course.config.root)]) from None
    if out is not None:
        write_site(site, out)
    return BuildResult(course, site, warnings + problems)
