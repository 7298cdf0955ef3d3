"""The whole build, stage by stage: config → discover → parse → model → check → render → write.

Each stage is a plain function that returns its result and the problems it
found; problems are gathered and raised together, so an author sees every
error of a build at once and a failed build writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from .cache import BuildCache, LastBuild, ParseCache, input_stamp, listing, user_folder
from .checks import course_checks
from .config import load_config
from .course import MODULE_FIELDS, PAGE_FIELDS, ParsedModule, build_course
from .discover import SourceFile, discover
from .errors import BuildFailed, Diagnostic, SourceLocation, as_errors, collect, has_errors
from .links import LinkMemo, check_references
from .markdown import make_markdown
from .memory import collector_paused
from .model import Course
from .parallel import fork_map, worker_count
from .parse import ParsedDocument, parse
from .render import EXTRA_PAGES, RenderedSite, page_signatures, render_page, render_site, site_extras
from .theme import Theme, load_theme, template_problem, theme_stamp
from .timing import Progress
from .write import SiteWriter


FIELDS = {"module": MODULE_FIELDS, "page": PAGE_FIELDS}


@dataclass(frozen=True)
class BuildResult:
    course: Course | None
    """None when the site was already up to date."""
    warnings: list[Diagnostic]
    counts: tuple[int, int, int]
    """HTML pages, modules and lesson pages in the site."""
    site: RenderedSite | None = None
    """The site in memory, when it was not written out."""
    up_to_date: bool = False
    """Nothing had changed since the last build, so nothing was written."""


def check(root: Path, strict: bool = False, progress: Progress = Progress(), cache: ParseCache | None = None,
          links: LinkMemo | None = None) -> tuple[Course, dict[str, str], list[Diagnostic]]:
    """Load and check the whole course without rendering it.

    Returns the course, the content files it uses ({output path: source path})
    and its warnings; raises BuildFailed on errors (and on warnings, if strict).
    Files whose parse is in ``cache`` are not parsed again; when many are
    left, worker processes parse them. ``links`` (the preview's) carries link
    targets over from the last check while no page moved.
    """
    problems: list[Diagnostic] = []

    def stop() -> None:
        if has_errors(problems) or (strict and problems):
            raise BuildFailed(as_errors(problems) if strict else problems)

    with progress.stage("config"):
        config = collect(load_config(root), problems)
    stop()
    with progress.stage("discover"):
        sources = collect(discover(root, config.content_dir), problems)
    with progress.stage("parse"):
        jobs = [(file, what) for source in sources
                for file, what in ((source.index, "module"), *((page, "page") for page in source.pages))]
        with collector_paused():  # what parsing makes is long-lived and acyclic: see memory.py
            parsed_files = _parse_all(jobs, config.allow_html, cache)
        parsed, done = [], 0
        for source in sources:
            index = collect(parsed_files[source.index.rel], problems)
            pages = tuple(collect(parsed_files[page.rel], problems) for page in source.pages)
            if index and all(pages):
                parsed.append(ParsedModule(source.folder.relative_to(root).as_posix(), index, pages))
            done += 1 + len(source.pages)
            progress.step(done, len(jobs))
    stop()
    with progress.stage("model"):
        course = collect(build_course(config, parsed), problems)
    if not course.modules and not has_errors(problems):
        problems.append(Diagnostic(SourceLocation("content/"), "the course has no modules",
                                   "add a folder content/01-introduction/ with a _module.md"))
    with progress.stage("check"):
        if links is not None:
            links.lend(course)
        media = collect(check_references(course), problems)
        problems += course_checks(course, media)
        if links is not None:
            links.keep(course)
    stop()
    return course, media, problems


def _parse_all(jobs: list[tuple[SourceFile, str]], allow_html: bool, cache: ParseCache | None
               ) -> dict[str, tuple[ParsedDocument | None, list[Diagnostic]]]:
    """Every file's ``(document, problems)``: from the cache, or parsed (by workers, for many files)."""
    results = {file.rel: cache.get(file, allow_html, what) for file, what in jobs} if cache else {}
    missing = [(file, what) for file, what in jobs if results.get(file.rel) is None]
    md = make_markdown(allow_html)

    def parse_one(job):
        file, what = job
        return parse(file, md, FIELDS[what], what)
    for (file, what), (doc, problems) in zip(missing, fork_map(parse_one, missing, worker_count(len(missing)))):
        if doc is not None and doc.source is not file:  # parsed by a worker: drop its copy of the text
            doc = replace(doc, source=file)
        result = results[file.rel] = (doc, problems)
        if cache is not None:
            cache.put(file, allow_html, what, result)
    if cache is not None:
        cache.keep_only(set(results))
    return results


def build(root: Path, out: Path | None = None, strict: bool = False, progress: Progress = Progress(),
          cache: BuildCache | None = None) -> BuildResult:
    """Build the course in ``root`` and write it to ``out``; without ``out``, keep the site in memory.

    With a ``cache``, unchanged files are not parsed again, pages whose
    inputs are unchanged are taken from the last site, and when no input
    changed and the last site is intact, nothing is done at all.
    """
    stamp = _stamp(root, out, strict) if cache is not None and out is not None else None
    previous = cache.last_build(out) if stamp else None
    if previous is not None and previous.stamp == stamp and previous.untouched:
        return BuildResult(None, previous.warnings, previous.counts, up_to_date=True)
    last = None
    try:
        course, media, warnings = check(root, strict, progress, cache.parse if cache else None)
        # Compiled templates are code, so they are kept in the user's own cache folder, never in the course.
        theme = load_theme(course.config.theme_dir, user_folder() / "templates" if cache else None)
        md = make_markdown(course.config.allow_html)
        counts = (len(course.sequence) + len(EXTRA_PAGES), len(course.modules), course.page_count)
        with progress.stage("render"):
            if out is None:
                return BuildResult(course, warnings, counts, render_site(course, theme, md, media, progress=progress))
            signatures = page_signatures(course, theme, course.sequence) if stamp else {}
            _write(course, theme, md, media, out, _reusable(previous, signatures))
        last = LastBuild(stamp, listing(out), warnings, counts, signatures) if stamp else None
        return BuildResult(course, warnings, counts)
    except jinja2.TemplateError as error:
        raise BuildFailed([template_problem(error, course.config.root)]) from None
    finally:
        if cache is not None:
            cache.save(last)


def _stamp(root: Path, out: Path, strict: bool) -> str | None:
    """The digest of the build's inputs (see cache.input_stamp); None if the config cannot be read."""
    config, problems = load_config(root)
    if has_errors(problems):
        return None
    return input_stamp(root, config.content_dir, theme_stamp(config.theme_dir), (strict, str(out.resolve())))


def _reusable(previous: LastBuild | None, signatures: dict[str, str]) -> set[str]:
    """Pages of the last site with the same signature now, and still in it as it wrote them."""
    if previous is None:
        return set()
    return {url for url, signature in previous.signatures.items()
            if url in previous.intact and signatures.get(url) == signature}


def _write(course: Course, theme: Theme, md: MarkdownIt, media: dict[str, str], out: Path, reusable: set[str]) -> None:
    """Render every page into ``out``; big courses in worker processes, each writing its own share.

    Pages in ``reusable`` are linked from the site being replaced instead.
    """
    with SiteWriter(out) as writer:
        writer.write_all(site_extras(course, theme, media))
        for name in ("page.html", "module.html"):  # compiled once here, not in every worker
            theme.env.get_template(name)

        def write_page(doc):
            if doc.url in reusable:
                return writer.link(doc.url, out / doc.url)
            try:
                writer.write(doc.url, render_page(course, theme, md, doc))
            except jinja2.TemplateError as error:  # located here, where the traceback is
                return template_problem(error, course.config.root)
        mistakes = [m for m in fork_map(write_page, course.sequence, worker_count(len(course.sequence) - len(reusable)))
                    if m]
        if mistakes:
            raise BuildFailed(mistakes[:1])
