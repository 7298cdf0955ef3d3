"""The whole build, stage by stage: config → discover → parse → model → check → render → write.

Each stage is a plain function that returns its result and the problems it
found; those before rendering are in load.py. Every stage runs on whatever the stages before it could make of the
course, even when they found errors (a page whose front matter is wrong is
still checked for broken links), and the problems of all of them are raised
together at the end: an author sees every error of a build at once, and a
failed build writes nothing.

``check`` is a build that stops short of writing: the same stages, render
included (in memory), so it finds every problem ``build`` would, and
``build`` reports exactly what ``check`` does.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2

from . import search
from .cache import BuildCache, LastBuild, ParseCache, input_stamp, listing, user_folder
from .config import load_config
from .errors import BuildFailed, Diagnostic, SourceLocation, as_errors, has_errors
from .links import LinkMemo
from .load import Loaded, check_course, load, modelled
from .markdown import make_markdown
from .model import Course
from .parallel import fork_map, worker_count
from .printable import PrintPage, print_pages, print_signatures, render_print_page
from .render import (Prefilled, RenderCache, RenderedSite, clashing_ids, course_pages, guarded, page_signatures,
                     prefill, render_page, search_index, site_extras)
from .i18n import CatalogueError, catalogue_problems
from .i18n.sites import FolderWriter, LanguageSwitch, in_folder, joined
from .theme import DEFAULT_THEME, Theme, load_course_theme, template_problem, theme_stamp
from .timing import Progress
from .write import SiteWriter, UnsafeOutput, checked


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
          links: LinkMemo | None = None, pages: bool = True) -> tuple[Course, dict[str, str], list[Diagnostic]]:
    """Run every stage of a build but writing: the pages are rendered, in memory, and dropped.

    Returns the course, the content files it uses ({output path: source path})
    and its warnings; raises BuildFailed on errors (and on warnings, if strict)
    with every problem ``build`` would report. Files whose parse is in
    ``cache`` are not parsed again; when many are left, worker processes parse
    them. ``links`` (the preview's) carries link targets over from the last
    check while no page moved. ``pages=False`` stops before rendering: for
    ``package``, which renders (and checks) every page it packages itself.
    """
    course, media, warnings, _, _ = _checked(root, strict, progress, cache, links, keep=False, pages=pages)
    return course, media, warnings


def check_site(root: Path, strict: bool = False, progress: Progress = Progress(), cache: ParseCache | None = None,
               links: LinkMemo | None = None, renders: RenderCache | None = None, theme: Theme | None = None
               ) -> tuple[Course, dict[str, str], list[Diagnostic], RenderedSite, Theme]:
    """``check``, keeping the site it rendered, and the theme: the preview's build.

    ``renders`` keeps rendered pages from one call to the next, so only pages
    whose inputs changed are rendered again; ``theme`` is used again while
    its files are unchanged.
    """
    return _checked(root, strict, progress, cache, links, keep=True, renders=renders, theme=theme)


def _checked(root: Path, strict: bool, progress: Progress, cache: ParseCache | None, links: LinkMemo | None,
             keep: bool, renders: RenderCache | None = None, theme: Theme | None = None, pages: bool = True):
    loaded = load(root, progress, cache, links)
    course, problems = loaded.course, loaded.problems
    if course is None:
        raise BuildFailed(problems)
    theme = _theme(course, problems, theme=theme)
    site = None
    if theme is not None and pages:
        with progress.stage("render"):
            site = _render_languages(course, theme, loaded, problems, progress, keep=keep, renders=renders)
    return course, loaded.media, _finish(problems, strict), site, theme


def _languages(course: Course, theme: Theme, loaded: Loaded, problems: list[Diagnostic], bytecode: Path | None = None,
               renders: RenderCache | None = None) -> tuple[list[tuple[Course, Theme, dict[str, str]]], str]:
    """Each language's course, theme and content files (just the course's own, for a course in one language),
    each theme given the language switch; and a digest of which pages are translated, for page signatures."""
    if not course.translations:
        theme.env.globals.pop("language_versions", None)  # the preview's theme, if the course was bilingual
        return [(course, theme, loaded.media)], ""
    found = [(course, theme, loaded.media)]
    for other in course.translations:
        tag = other.config.language
        kept = renders.languages.get(tag) if renders is not None else None
        other_theme = _theme(other, problems, bytecode, kept.theme if kept is not None else None)
        if other_theme is not None:
            found.append((other, other_theme, loaded.translated_media[tag]))
    switch = LanguageSwitch([course, *course.translations])
    for each, each_theme, _ in found:
        switch.install(each, each_theme)
    return found, switch.digest


def _render_languages(course: Course, theme: Theme, loaded: Loaded, problems: list[Diagnostic], progress: Progress,
                      keep: bool = False, renders: RenderCache | None = None) -> RenderedSite | None:
    """``_render`` for every language of the course, the sites joined (see i18n/sites.py)."""
    languages, digest = _languages(course, theme, loaded, problems, renders=renders)
    sites = []
    for each, each_theme, media in languages:
        cache = renders
        if renders is not None and each is not course:
            cache = renders.languages.setdefault(each.config.language, RenderCache())
            cache.theme = each_theme
        site = _render(each, each_theme, media, problems, progress, keep=keep, renders=cache, salt=digest)
        if site is not None:
            sites.append(in_folder(site, each.config.folder, each_theme))
    return joined(sites) if sites else None


def check_later(root: Path, strict: bool = False, progress: Progress = Progress(), cache: ParseCache | None = None
                ) -> tuple[Course, Callable[[], list[Diagnostic]]]:
    """``check(pages=False)`` in two halves, for ``package``: the course as modelled, and a function that
    runs the course checks and returns the warnings, raising BuildFailed with every problem as ``check``
    does; so the checks can run while workers package (``parallel.fork_map``'s ``meanwhile``). A course
    that could not be modelled without errors is checked here at once, and fails."""
    loaded = modelled(root, progress, cache)

    def rest() -> list[Diagnostic]:
        check_course(loaded, progress, None)
        return _finish(loaded.problems, strict)
    if loaded.course is None:
        raise BuildFailed(loaded.problems)
    if has_errors(loaded.problems):
        rest()
    return loaded.course, rest


def _fails(problems: list[Diagnostic], strict: bool) -> bool:
    return has_errors(problems) or (strict and bool(problems))


def _finish(problems: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """The warnings of a build that succeeded; raises BuildFailed with every problem when it did not."""
    problems = list(dict.fromkeys(problems))  # a theme's mistake is found once per page: report it once
    if _fails(problems, strict):
        raise BuildFailed(as_errors(problems) if strict else problems)
    return problems


def _theme(course: Course, problems: list[Diagnostic], bytecode: Path | None = None,
           theme: Theme | None = None) -> Theme | None:
    """The course's theme (``theme`` again if its files are unchanged), or None and the problem with it."""
    try:
        language = course.config.language
        if (theme is not None and theme.folder == course.config.theme_dir and theme.messages.language.tag == language
                and theme.overrides == course.config.overrides_dir and theme.branding == course.config.branding
                and theme.stamp == theme_stamp(theme.folder, theme.overrides)):
            return theme
        theme = load_course_theme(course.config, language, bytecode)
        problems += catalogue_problems((theme.folder, DEFAULT_THEME), language, course.config.location_of("language"))
        return theme
    except jinja2.TemplateError as error:
        problems.append(template_problem(error, course.config.root))
    except CatalogueError as error:
        problems.append(Diagnostic(SourceLocation(_shown(error.path, course.config.root), error.line),
                                   f"cannot read the theme's message catalogue: {error.reason}",
                                   "fix the .po file at that line (see docs/languages.md)"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Diagnostic(course.config.location_of("theme"), f"cannot read the theme: {error}",
                                   "check the theme's files: they must be readable UTF-8 text"))
    return None


def _shown(path: Path, root: Path) -> str:
    """``path`` as an author sees it: relative to the course when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _render(course: Course, theme: Theme, media: dict[str, str], problems: list[Diagnostic], progress: Progress,
            keep: bool = False, renders: RenderCache | None = None, writer: SiteWriter | None = None,
            reusable: set[str] = frozenset(), salt: str = "",
            checks: Callable[[], list[Diagnostic]] | None = None) -> RenderedSite | None:
    """Render every page and the site's own files, adding every problem found to ``problems``; ``checks``
    (the course-wide ones, see ``load.load``) run beside them.

    Where the pages go is all that differs between ``check`` and ``build``:
    dropped, kept in memory (``keep``), or written by ``writer`` (pages in
    ``reusable``, and content files, are then taken from the site being replaced). Names the
    writer would refuse are found before the files they name are written (``_SiteFiles``).
    """
    md = make_markdown(course.config.allow_html)
    root = course.config.root
    # Where pages are written as they render and no cache keeps the index (a worker's would be lost), it is a job
    # beside them (``_IndexJob``), and so is making and writing the site's own files (``_SiteFiles``); else those
    # are made now, and written now rather than held while pages render (the index is among them: 20 MB at 5,000
    # pages). Content files unchanged since the last site are linked from it, not copied again.
    beside = writer is not None and search.INDEXES.known is None
    own = _SiteFiles(course, theme, media, {path for path in media if path in reusable}, index=not beside)
    extras = None
    if writer is None:
        extras = own.made(problems)
    elif not beside:
        problems += own.write(writer)
    for name in ("page.html", "module.html"):  # compiled once here, not in every worker
        guarded(lambda: theme.env.get_template(name), course.config.location_of("theme"), root, problems)
    # A module's pages and its print page are one job, so the bodies are filled once for both (``render.prefill``);
    # the site's own files' and the index's jobs first, so workers do them while the others start on the pages.
    printing = {page.module: page for page in print_pages(course, theme)}
    groups = [*(((_Checks(checks),),) if checks else ()), *(((own,), (_IndexJob(course, theme),)) if beside else ()),
              *((module, *module.pages, *((printing[module],) if module in printing else ())) for module in course.modules)]
    docs = [doc for group in groups for doc in group]
    signatures = _signatures(course, theme, salt) if renders is not None else {}

    def cached(doc) -> str | None:
        found = renders.pages.get(doc.url) if renders is not None else None
        return found[1] if found and found[0] == signatures[doc.url] else None

    def render(doc, bodies: dict[str, Prefilled]) -> tuple[str | None, list[Diagnostic]]:
        if isinstance(doc, _Job):
            return None, doc.write(writer)
        if doc.url in reusable:
            writer.keep(doc.url)
            return None, []
        if (html := cached(doc)) is not None:
            return html, []
        found = []
        printed = isinstance(doc, PrintPage)
        html = guarded(lambda: render_print_page(course, theme, md, doc.module, bodies=bodies) if printed
                       else render_page(course, theme, md, doc, body=bodies.get(doc.url)), doc.location, root, found)
        if html is not None and not printed and (doc.document.quizzes or doc.document.reflections):
            found += clashing_ids(doc, html)
        if html is not None and writer is not None:
            writer.write(doc.url, html)
        return (html if keep or renders is not None else None), found

    def render_group(group) -> list[tuple[str | None, list[Diagnostic]]]:
        printed = group[-1] if isinstance(group[-1], PrintPage) else None
        bodies = {}
        if printed is not None and printed.url not in reusable and cached(printed) is None:
            bodies = {doc.url: body for doc in group[:-1] if (body := _prefilled(course, theme, md, doc)) is not None}
        return [render(doc, bodies) for doc in group]

    pages = {}
    workers = 0 if keep or renders is not None else worker_count(sum(doc.url not in reusable for doc in docs))
    if workers > 1:  # every page asks it: asked here, what Babel loads to answer (25 ms) is loaded once, not per worker
        theme.messages.language.direction  # noqa: B018
    results = (result for done in fork_map(render_group, groups, workers, batch=1) for result in done)
    for done, (doc, (html, found)) in enumerate(zip(docs, results), 1):
        problems += found
        if html is not None:
            pages[doc.url] = html
        progress.step(done, len(docs))
    if renders is not None:
        renders.pages = {url: (signatures[url], html) for url, html in pages.items()}
    if not keep or extras is None:
        return None
    return RenderedSite({**pages, **extras.files}, extras.copies)


def _prefilled(course: Course, theme: Theme, md, doc) -> Prefilled | None:
    """``doc``'s body filled for its page and its module's print page; None if that fails, which the page's
    own render then reports at its file (render.guarded)."""
    try:
        return prefill(course, theme, md, doc)
    except Exception:  # noqa: BLE001 - reported where the page renders
        return None


class _Job:
    """Work of a build that writes, done as a page is rendered (by a worker when there are workers) rather than
    before the pages: while one worker does it, the others render. ``url``: what it counts as among the pages."""

    url = ""

    def write(self, writer: SiteWriter) -> list[Diagnostic]:
        """Do it, writing with ``writer``: its problems."""
        raise NotImplementedError


@dataclass(frozen=True)
class _Checks(_Job):
    """The course-wide checks: a serial tenth of the check stage's time at 1,000 pages, more at 5,000. Their
    problems fail the build as the check stage's would: nothing is written to the site until every job is done
    and the build has no errors."""

    run: Callable[[], list[Diagnostic]]

    def write(self, writer: SiteWriter) -> list[Diagnostic]:
        return self.run()


@dataclass(frozen=True)
class _SiteFiles(_Job):
    """Making and writing the site's own files (``render.site_extras``) and its content files: creating some 300
    files took a serial 0.3-0.5 s of a 1,000-page build while a core waited. Names the writer would refuse are
    found before any of them is written."""

    course: Course
    theme: Theme
    media: dict[str, str]
    linked: set[str]
    """Content files unchanged since the last site: linked from it."""
    index: bool
    """The search index among them (see ``_IndexJob``)."""

    def made(self, problems: list[Diagnostic]) -> RenderedSite | None:
        """The files, or None, with their problems added to ``problems``."""
        config = self.course.config
        extras = guarded(lambda: site_extras(self.course, self.theme, self.media, index=self.index),
                         config.location_of("theme"), config.root, problems)
        problems += _unsafe_names(self.course, self.theme, self.media, extras)
        return extras

    def write(self, writer: SiteWriter) -> list[Diagnostic]:
        """Make and write them: their problems. A content file that cannot be read now is one, as it is when a
        page is."""
        problems: list[Diagnostic] = []
        site = self.made(problems)
        if site is None or _fails(problems, strict=False):
            return problems
        try:
            writer.write_all(RenderedSite(site.files, {p: s for p, s in site.copies.items() if p not in self.linked}))
            for path in self.linked:
                writer.keep(path)
        except BuildFailed as failure:
            problems += failure.diagnostics
        return problems


@dataclass(frozen=True)
class _IndexJob(_Job):
    """Making and writing the site's search index (it was a serial tenth of a 1,000-page build)."""

    course: Course
    theme: Theme
    url = search.SEARCH_INDEX

    def write(self, writer: SiteWriter) -> list[Diagnostic]:
        problems: list[Diagnostic] = []
        config = self.course.config
        index = guarded(lambda: search_index(self.course, self.theme), config.location_of("theme"), config.root,
                        problems)
        if index is not None:
            writer.write(search.SEARCH_INDEX, index)
        return problems


def _signatures(course: Course, theme: Theme, salt: str = "") -> dict[str, str]:
    """Every page's signature (see ``render.page_signatures``), the modules' print pages' too; ``salt``
    (which pages a bilingual course has translated, that its language switch shows) is mixed into each."""
    signatures = page_signatures(course, theme, course.sequence)
    signatures = {**signatures, **print_signatures(course, signatures)}
    if salt:
        signatures = {url: hashlib.sha256((signature + salt).encode()).hexdigest() for url, signature in signatures.items()}
    return signatures


def _file_signatures(course: Course, media: dict[str, str]) -> dict[str, str]:
    """Each content file's signature, by output path: its source and that file's size and time, as the
    build's stamp counts content files (see cache.input_stamp), so one unchanged is linked from the last site."""
    signatures = {}
    for path, source in media.items():
        try:
            found = os.stat(course.config.root / source)
        except OSError:
            continue  # gone since the check: the copy reports it
        signatures[path] = f"file\0{source}\0{found.st_size}:{found.st_mtime_ns}:{found.st_ino}"
    return signatures


def _unsafe_names(course: Course, theme: Theme, media: dict[str, str], extras: RenderedSite | None) -> list[Diagnostic]:
    """Output paths the writer would refuse (see write.checked), each at the file it would come from.

    Pages are not looked at: their paths are made of ids, which are checked (or made) to be safe.
    """
    at = course.config.location_of("theme")
    outputs = {path: SourceLocation(source) for path, source in media.items()}
    if extras is not None:
        outputs.update({path: at for path in (*extras.files, *extras.copies) if path not in outputs})
    problems = []
    for path, where in outputs.items():
        try:
            checked(path)
        except UnsafeOutput as error:
            problems.append(Diagnostic(where, f"cannot publish this file: {error}",
                                       "rename it with letters, digits, hyphens and dots"))
    return problems


def build(root: Path, out: Path | None = None, strict: bool = False, progress: Progress = Progress(),
          cache: BuildCache | None = None) -> BuildResult:
    """Build the course in ``root`` and write it to ``out``; without ``out``, keep the site in memory.

    The stages are ``check``'s, so a build fails with exactly the problems
    ``check`` reports; a failed build writes nothing. With a ``cache``,
    unchanged files are not parsed again, pages whose inputs are unchanged are
    taken from the last site, and when no input changed and the last site is
    intact, nothing is done at all.
    """
    stamp = _stamp(root, out, strict, cache.digests) if cache is not None and out is not None else None
    previous = cache.last_build(out) if stamp else None
    if previous is not None and previous.stamp == stamp and previous.untouched:
        cache.save()  # the pages' digests the stamp has learnt
        return BuildResult(None, previous.warnings, previous.counts, up_to_date=True)
    last = None
    try:
        # A build to write runs the course-wide checks beside its pages (``_Checks``).
        loaded = load(root, progress, cache.parse if cache else None, cache.links if cache else None,
                      later=out is not None)
        course, problems, checks = loaded.course, loaded.problems, loaded.later
        if course is None:
            raise BuildFailed(problems)
        # Compiled templates are code, so they are kept in the user's own cache folder, never in the course;
        # kept by the template's source, which Jinja2 checks, so a build without the course's cache uses
        # them too: every worker compiled the theme's templates again, a tenth of a 1,000-page build's CPU.
        bytecode = user_folder() / "templates"
        theme = _theme(course, problems, bytecode)
        prints = len(print_pages(course, theme)) if theme else 0
        languages = (course, *course.translations)  # the root's 404 page serves them all
        counts = (sum(len(c.sequence) + prints + len(course_pages(c)) for c in languages)
                  - len(course.translations), len(course.modules), course.page_count)
        with progress.stage("render"):
            if out is None or theme is None or _fails(problems, strict):  # check's path: nothing is written
                problems += checks() if checks else []
                site = (_render_languages(course, theme, loaded, problems, progress, keep=out is None)
                        if theme else None)
                warnings = _finish(problems, strict)
                assert out is None, "a build to write fails before it gets here"
                return BuildResult(course, warnings, counts, site)
            signatures = {}
            with SiteWriter(out, previous.intact if previous else frozenset()) as writer:
                rendered, digest = _languages(course, theme, loaded, problems, bytecode)
                for each, each_theme, media in rendered:
                    folder = each.config.folder
                    own = {folder + url: signature for url, signature in
                           ({**_signatures(each, each_theme, digest), **_file_signatures(each, media)}
                            if stamp else {}).items()}
                    signatures.update(own)
                    _render(each, each_theme, media, problems, progress,
                            writer=FolderWriter(writer, each, each_theme) if folder else writer, checks=checks,
                            reusable={url[len(folder):] for url in _reusable(previous, own)})
                    checks = None  # they are every language's: run once
                warnings = _finish(problems, strict)  # raising here drops the staging folder: out is untouched
        last = LastBuild(stamp, listing(out), warnings, counts, signatures) if stamp else None
        return BuildResult(course, warnings, counts)
    finally:
        if cache is not None:
            cache.save(last)


def _stamp(root: Path, out: Path, strict: bool, digests: dict) -> str | None:
    """The digest of the build's inputs (see cache.input_stamp); None if the config cannot be read."""
    config, problems = load_config(root)
    if has_errors(problems):
        return None
    return input_stamp(root, config.content_dir, theme_stamp(config.theme_dir, config.overrides_dir),
                       (strict, str(out.resolve())), digests)


def _reusable(previous: LastBuild | None, signatures: dict[str, str]) -> set[str]:
    """Pages of the last site with the same signature now, and still in it as it wrote them."""
    if previous is None:
        return set()
    return {url for url, signature in previous.signatures.items()
            if url in previous.intact and signatures.get(url) == signature}
