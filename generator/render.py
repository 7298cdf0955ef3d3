"""Render the Course with a Theme into files held in memory.

Nothing here touches the disk except reading templates, so tests can render a
course and inspect the HTML without writing a site.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from .branding import brand_links
from .errors import Diagnostic, SourceLocation
from .i18n import N_
from .images import image_size
from .links import Target, resolve, targets
from .markdown import make_markdown
from .mdplugins.deferred import Deferred, fill
from .media.view import media_view
from .model import Course, Document, Module, Page
from .navigation import module_nav
from .on_demand import with_components
from .parse import Reference
from .quiz import DEFAULT_TITLE
from .sanitise import sanitise
from .scorm.dispatch import hosted_files
from .search import SEARCH_INDEX, search_script
from .theme import SCRIPT, STYLESHEET, Theme, component_files, template_problem
from .statement import build_date, statement
from .support import LINK_TEXT
from .tracking import COURSE_SCRIPT, COURSE_TITLES, course_script, titles_script
from .urls import CERTIFICATE, HOME, NOT_FOUND, PROGRESS, SEARCH, STATEMENT, SUPPORT, print_url, relative_url

EXTRA_PAGES = ((HOME, ""), (NOT_FOUND, N_("Page not found")), (PROGRESS, N_("Your progress")),
               (CERTIFICATE, N_("Certificate")))
"""Course-wide pages: (output path, heading, in English: each is shown in the course's language)."""
STATEMENT_HEADING = N_("Accessibility statement")
SEARCH_HEADING = N_("Search the course")
CONTENTS_MIN_HEADINGS = 3
"""Pages with at least this many sections get an "On this page" list."""


@dataclass(frozen=True)
class RenderedSite:
    files: dict[str, str | bytes]
    """Output path → text (HTML, CSS, JS); the search index as UTF-8 bytes (see search.search_script)."""
    copies: dict[str, Path]
    """Output path → source file to copy (images, theme files)."""


class RenderCache:
    """Rendered pages kept between builds (``learnmark serve``), each under its signature
    (``page_signatures``), so an edit re-renders only the pages it affects."""

    def __init__(self):
        self.pages: dict[str, tuple[str, str]] = {}
        self.languages: dict[str, RenderCache] = {}
        """A bilingual course's other languages' pages, each with its ``theme`` (see build._render_languages)."""
        self.theme = None


@dataclass(frozen=True)
class Prefilled:
    """A body with every hole filled but its quizzes' and reflections': a package fills its links, images
    and media once for both the page and its module's print page, which draws those two for paper."""

    html: str
    deferred: Deferred


def render_page(course: Course, theme: Theme, md: MarkdownIt, doc: Document, scope: Module | None = None,
                body: Prefilled | None = None) -> str:
    """One module landing page or content page (from ``body``, ``prefill``'s, when given)."""
    return _render(theme, "module.html" if isinstance(doc, Module) else "page.html",
                   doc.url, course, doc, _body(doc, course, md, theme, scope, body=body), scope=scope)


def prefill(course: Course, theme: Theme, md: MarkdownIt, doc: Document, scope: Module | None = None) -> Prefilled:
    """``doc``'s body with all but its quizzes and reflections filled, for ``render_page`` and
    ``printable.render_print_page`` to finish each its own way (the same HTML as filling it whole)."""
    deferred = doc.document.deferred
    start = Prefilled(sanitise(doc.document.html) if course.config.allow_html else doc.document.html, deferred)
    return Prefilled(_body(doc, course, md, theme, scope, body=start,
                           only=lambda token: token.type not in ("quiz", "reflection")), deferred)


def site_extras(course: Course, theme: Theme, media: dict[str, str], scope: Module | None = None,
                index: bool = True) -> RenderedSite:
    """Everything but the module and content pages: course-wide pages, assets and media; the search index
    too, unless not ``index`` (see ``search_index``)."""
    files = {}
    if scope is None:
        files[HOME] = _render(theme, "home.html", HOME, course, None, "")
        for template, heading in EXTRA_PAGES[1:]:
            files[template] = _render(theme, template, template, course, None, "",
                                      heading=theme.messages.gettext(heading))
        files.update(hosted_files(course, theme))  # what a dispatch package frames
    files.update(_own_pages(course, theme, scope))
    files[STYLESHEET] = theme.stylesheet
    files[SCRIPT] = theme.script
    files.update(component_files(theme))
    # The site's own, without what only SCORM launch pages read: a package writes its own (scorm/package.py).
    files[COURSE_SCRIPT] = course_script(course, None if scope is None else (scope,), theme.messages.browser(),
                                         scorm=False)
    files[COURSE_TITLES] = titles_script(course, None if scope is None else (scope,))
    files.update(search_files(course, theme, scope, index=index))
    copies = {**theme.files, **{out: course.config.root / src for out, src in media.items()}}
    return RenderedSite(files, copies)


def search_files(course: Course, theme: Theme, scope: Module | None = None,
                 modules: tuple[Module, ...] | None = None, index: bool = True) -> dict[str, str | bytes]:
    """The search page and its index (unless not ``index``), of the course or of a package's ``modules``
    (``scope``'s, by default)."""
    page = _render(theme, "search.html", SEARCH, course, None, "", heading=theme.messages.gettext(SEARCH_HEADING),
                   scope=scope)
    return {SEARCH: page, **({SEARCH_INDEX: search_index(course, theme, modules or (None if scope is None else (scope,)))}
                             if index else {})}


def search_index(course: Course, theme: Theme, modules: tuple[Module, ...] | None = None) -> bytes:
    """The search index's script (see search.search_script): a build makes it in a worker while pages render,
    being the largest of the site's own files (a tenth of a 1,000-page build's CPU)."""
    return search_script(course, theme.env.loader.get_source(theme.env, "search.js")[0], modules)


def course_pages(course: Course) -> tuple[str, ...]:
    """The course-wide pages of a language's site, as ``learnmark build`` counts them: ``EXTRA_PAGES``, the
    search page and the course's own pages (module launch pages for dispatch packages are not counted)."""
    return (*(path for path, _ in EXTRA_PAGES), SEARCH, *own_pages(course))


def own_pages(course: Course) -> tuple[str, ...]:
    """The support page and the accessibility statement, those the course has: in the site and in every package."""
    return ((SUPPORT,) if course.support is not None else ()) + ((STATEMENT,) if course.config.accessibility.statement
                                                                  else ())


def _own_pages(course: Course, theme: Theme, scope: Module | None) -> dict[str, str]:
    pages = {}
    if course.support is not None:
        body = _body(course.support, course, make_markdown(course.config.allow_html), theme, scope)
        support = course.support
        if not support.document.meta.get("title"):  # the author gave it none
            support = replace(support, title=theme.messages.gettext(LINK_TEXT))
        pages[SUPPORT] = _render(theme, "support.html", SUPPORT, course, None, body, heading=support.title,
                                 scope=scope, support=support)
    if course.config.accessibility.statement:
        pages[STATEMENT] = _render(theme, "accessibility.html", STATEMENT, course, None, "",
                                   heading=theme.messages.gettext(STATEMENT_HEADING), scope=scope,
                                   statement=statement(course, build_date(), theme.messages))
    return pages


def page_signatures(course: Course, theme: Theme, docs, scope: Module | None = None) -> dict[str, str]:
    """A digest of everything each page's HTML depends on, by its url: while it is
    unchanged, the page rendered last time can be used again.

    Course-wide: the config, the theme's files and the list of modules. Per
    page: its source, its module's contents, its neighbours, where each of its
    links points, and the files its images show (their size and time).
    """
    shared = hashlib.sha256(repr((course.config, theme.stamp, scope is not None,
                                  tuple((m.id, m.title, m.url, m.minutes, len(m.pages)) for m in course.modules))).encode())
    root, stats = course.config.root, {}  # a file many pages show is looked at once

    def link(ref: Reference, target: Target | None):
        if target is None:
            return ref.target, ref.kind
        if target.media and target.media not in stats:
            stats[target.media] = _stat(os.path.join(root, target.media))
        return target.href, target.site_relative, target.media, target.media and stats[target.media]

    signatures, navs = {}, {}
    for doc in docs:
        module = course.module_of(doc)
        neighbours = tuple((d.title, d.url) if d else None for d in course.neighbours(doc))
        if module not in navs:  # the same for every page of the module
            navs[module] = repr(tuple((d.title, d.url) for d in (module, *module.pages))).encode()
        links = tuple(map(link, doc.document.references, targets(doc, course)))
        own = (module.summary, module.objectives, module.content_note, module.completion) if doc is module else ()
        signature = shared.copy()
        signature.update(navs[module])
        signature.update(repr((doc.document.source.rel, doc.document.source.digest, doc.url, neighbours, links, own)
                              ).encode())
        signatures[doc.url] = signature.hexdigest()
    return signatures


def _stat(path: str) -> tuple[int, int] | None:
    """Size and time of a file, or None if it went away since the course was checked (reported when copied)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _body(doc: Document, course: Course, md: MarkdownIt, theme: Theme, scope: Module | None = None,
          draw: Callable[..., str] | None = None, body: Prefilled | None = None,
          only: Callable[..., bool] = lambda token: True) -> str:
    """The document's HTML, holes filled (those ``only`` accepts; from ``body`` when given, which is
    sanitised already); ``draw(name, **params)`` draws its quizzes and reflections (by default the
    theme's components; the print page draws them for paper, see printable.py)."""
    module = course.module_of(doc) if doc is not course.support else None  # the support page has no quizzes
    draw = draw or (lambda name, **params: _component(theme, name, **params))
    base_url = _base_url(course)

    def rewrite_url(target: str, kind: str) -> str | None:
        resolved, _ = resolve(Reference(target, doc.location, kind), doc, course)
        if resolved is None:  # already reported by check_references
            return target
        if not resolved.site_relative:
            return resolved.href
        if (scope is not None and kind == "link" and not resolved.media and not resolved.href.startswith(scope.id + "/")
                and resolved.href.partition("#")[0] not in own_pages(course)):  # packages hold those too
            return base_url + resolved.href if base_url else None
        href = relative_url(doc.url, resolved.href)
        if kind == "image" and resolved.media:
            source = course.config.root / resolved.media
            try:
                size = image_size(source, source.stat().st_mtime_ns)
            except OSError:  # gone since the check: reported when it is copied
                size = None
            if size:
                return href, {"width": str(size[0]), "height": str(size[1])}
        return href

    clean = sanitise if course.config.allow_html else str

    def inline(tokens) -> Markup:
        return Markup(clean(md.renderer.renderInline(list(tokens), md.options, env)))

    def blocks(tokens) -> Markup:
        return Markup(clean(md.renderer.render(list(tokens), md.options, env)))

    def render_block(token) -> str:
        """Draw a quiz, reflection, video or audio with the theme's component (see mdplugins/blocks.py).

        The component's markup is trusted, so it is filled in after the page is
        sanitised; the author's text inside it was sanitised piece by piece by
        ``inline`` and ``blocks``.
        """
        if module is None:  # a quiz on the support page: an error already (support.py)
            return ""
        line = token.map[0] + 1
        if token.type == "quiz":
            quiz = next(q for q in doc.quizzes if q.location.line == line)
            if quiz.title == DEFAULT_TITLE:  # the title of a quiz its author gave none, in the course's language
                quiz = replace(quiz, title=theme.messages.gettext(DEFAULT_TITLE))
            return draw("quiz", quiz=quiz, key=f"{module.id}/{quiz.id}", inline=inline, blocks=blocks)
        if token.type == "reflection":
            reflection = next(r for r in doc.document.reflections if r.location.line == line)
            return draw("reflection", reflection=reflection, key=f"{module.id}/{reflection.id}", title=doc.title,
                        blocks=blocks)
        # Video and audio: the same on paper, where the stylesheet leaves the player out and opens the transcript.
        item = next(m for m in doc.document.media if m.location.line == line)
        return _component(theme, "media", item=item, key=f"{module.id}/{item.id}", blocks=blocks,
                          view=media_view(item, media_file, theme.messages))

    def media_file(target: str, kind: str) -> tuple[str, Path | None]:
        """A file a media item names: its address from this page, and its source."""
        resolved, _ = resolve(Reference(target, doc.location, kind), doc, course)
        source = course.config.root / resolved.media if resolved is not None and resolved.media else None
        return rewrite_url(target, kind), source

    # Author HTML is sanitised before the holes are filled, never after: what fills them is
    # Learnmark's own markup, and is never parsed together with the author's.
    env = {"rewrite_url": rewrite_url, "render_block": render_block, "gettext": theme.messages.gettext}
    if body is None:
        body = Prefilled(clean(doc.document.html), doc.document.deferred)
    return fill(md, body.html, body.deferred, env, only)


def _component(theme: Theme, name: str, macro: str = "", **params) -> str:
    """The theme's component ``name`` drawn with ``params``: its macro of that name, or ``macro``."""
    macro = getattr(theme.env.get_template(f"components/{name}/macro.html").module, macro or name)
    return str(macro(**params)) + "\n"


def _base_url(course: Course) -> str:
    return course.config.base_url.rstrip("/") + "/" if course.config.base_url else ""


def _render(theme: Theme, template: str, url: str, course: Course, doc: Document | None, body: str,
            heading: str = "", scope: Module | None = None, **context) -> str:
    """A page from ``template``; ``context`` adds template variables, or overrides the ones set here."""
    module = course.module_of(doc) if doc is not None else scope  # a package's own pages belong to its module
    previous, following = course.neighbours(doc) if doc is not None else (None, None)
    if scope is not None:  # stay inside the packaged module
        previous = previous if previous is not None and course.module_of(previous) is scope else None
        following = following if following is not None and course.module_of(following) is scope else None
    base_url = _base_url(course)

    def link(target: str) -> str:
        # The 404 page is served at any depth, so it links absolutely when it can.
        if url == NOT_FOUND and base_url:
            return base_url + target
        return relative_url(url, target)

    shared = "../" * course.config.folder.count("/")  # a bilingual course's languages share the root's assets
    titles = [heading] if heading else [d.title for d in dict.fromkeys((doc, module)) if d is not None]
    values = dict(
        site=course.config,
        course=course,
        module=module,
        doc=doc,
        page=doc if isinstance(doc, Page) else None,
        body=Markup(body),
        title=" – ".join([*titles, course.title]),
        url=link,
        current_url=url,
        canonical=base_url + course.config.folder + url if base_url else "",
        previous=previous,
        next=following,
        contents=_contents(doc),
        stylesheet=shared + link(STYLESHEET),
        script=shared + link(SCRIPT),
        course_script=link(COURSE_SCRIPT),
        root=link(HOME)[: -len(HOME)],
        page_key=f"{module.id}/{'index' if doc is module else doc.id}" if module and doc is not None else "",
        packaged=scope is not None,
        print_url=link(print_url(module)) if module else "",
        brand=brand_links(course.config.branding, lambda path: shared + link(path)),
        module_nav=module_nav(theme.env, url),  # the component's macro, drawn once per module (navigation.py)
    )
    page = theme.env.get_template(template)
    return with_components(page.render({**values, **context}), theme, lambda path: shared + link(path), page.filename)


def _contents(doc: Document | None):
    """The page's sections for an "On this page" list, when it is long enough to need one."""
    if not isinstance(doc, Page):
        return ()
    sections = tuple(h for h in doc.document.headings if h.level == 2)
    return sections if len(sections) >= CONTENTS_MIN_HEADINGS else ()


def guarded(make, where: SourceLocation, root: Path, problems: list[Diagnostic]):
    """``make()``, or None with the problem: a theme's template mistake, or a crash rendering ``where``,
    which is a bug in Learnmark but must still not end a build with a traceback."""
    try:
        return make()
    except jinja2.TemplateError as error:
        problems.append(template_problem(error, root))
    except Exception as error:  # noqa: BLE001
        if os.environ.get("LEARNMARK_DEBUG"):
            raise
        problems.append(Diagnostic(where, f"internal error while rendering this file: {type(error).__name__}: {error}",
                                   "this is a bug in Learnmark, not a mistake in the course: please report it with "
                                   "this file (LEARNMARK_DEBUG=1 shows where it happened)"))
    return None


_HTML_ID = re.compile(r'\sid="([^"]+)"')


def clashing_ids(doc, html: str) -> list[Diagnostic]:
    """Element ids used twice in a page with quizzes or reflections, whose components name their parts from
    the authors' ids (``quiz-<quiz>-<question>-2`` is also the first answer of a question ``<question>-2``)."""
    seen, clashes = set(), {}
    for match in _HTML_ID.finditer(html):
        if match.group(1) in seen:
            clashes.setdefault(match.group(1))
        seen.add(match.group(1))
    problems = []
    for clash in clashes:
        quiz = max((q for q in doc.document.quizzes if clash.startswith(f"quiz-{q.id}-")), default=None,
                   key=lambda q: len(q.id))
        problems.append(Diagnostic(quiz.location if quiz else doc.location,
                                   f"two parts of this page would have the HTML id '{clash}'",
                                   "the theme names each part of a quiz from the quiz's and the question's ids: give a "
                                   "question another id with {#another-id} at the end of its heading, or the quiz "
                                   "another id=..."))
    return problems
