"""Render the Course with a Theme into files held in memory.

Nothing here touches the disk except reading templates, so tests can render a
course and inspect the HTML without writing a site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from .links import resolve
from .model import Course, Document, Module, Page
from .parse import Reference
from .sanitise import sanitise
from .theme import SCRIPT, STYLESHEET, Theme
from .urls import HOME, NOT_FOUND, relative_url

CONTENTS_MIN_HEADINGS = 3
"""Pages with at least this many sections get an "On this page" list."""


@dataclass(frozen=True)
class RenderedSite:
    files: dict[str, str]
    """Output path → text (HTML, CSS, JS)."""
    copies: dict[str, Path]
    """Output path → source file to copy (images, theme files)."""


def render_site(course: Course, theme: Theme, md: MarkdownIt, media: dict[str, str]) -> RenderedSite:
    files = {HOME: _render(theme, "home.html", HOME, course, None, "")}
    for doc in course.sequence:
        files[doc.url] = _render(theme, "module.html" if isinstance(doc, Module) else "page.html",
                                 doc.url, course, doc, _body(doc, course, md))
    files[NOT_FOUND] = _render(theme, "404.html", NOT_FOUND, course, None, "", heading="Page not found")
    files[STYLESHEET] = theme.stylesheet
    files[SCRIPT] = theme.script
    copies = {**theme.files, **{out: course.config.root / src for out, src in media.items()}}
    return RenderedSite(files, copies)


def _body(doc: Document, course: Course, md: MarkdownIt) -> str:
    def rewrite_url(target: str, kind: str) -> str:
        resolved, _ = resolve(Reference(target, doc.location, kind), doc, course)
        if resolved is None:  # already reported by check_references
            return target
        return relative_url(doc.url, resolved.href) if resolved.site_relative else resolved.href

    env = {**doc.document.env, "rewrite_url": rewrite_url}
    html = md.renderer.render(list(doc.document.tokens), md.options, env)
    return sanitise(html) if course.config.allow_html else html


def _render(theme: Theme, template: str, url: str, course: Course, doc: Document | None, body: str,
            heading: str = "") -> str:
    module = course.module_of(doc) if doc is not None else None
    previous, following = course.neighbours(doc) if doc is not None else (None, None)
    base_url = course.config.base_url.rstrip("/") + "/" if course.config.base_url else ""

    def link(target: str) -> str:
        # The 404 page is served at any depth, so it links absolutely when it can.
        if url == NOT_FOUND and base_url:
            return base_url + target
        return relative_url(url, target)

    titles = [heading] if heading else [d.title for d in dict.fromkeys((doc, module)) if d is not None]
    return theme.env.get_template(template).render(
        site=course.config,
        course=course,
        module=module,
        doc=doc,
        page=doc if isinstance(doc, Page) else None,
        body=Markup(body),
        title=" – ".join([*titles, course.title]),
        url=link,
        current_url=url,
        canonical=base_url + url if base_url else "",
        previous=previous,
        next=following,
        contents=_contents(doc),
        stylesheet=link(STYLESHEET),
        script=link(SCRIPT),
    )


def _contents(doc: Document | None):
    """The page's sections for an "On this page" list, when it is long enough to need one."""
    if not isinstance(doc, Page):
        return ()
    sections = tuple(h for h in doc.document.headings if h.level == 2)
    return sections if len(sections) >= CONTENTS_MIN_HEADINGS else ()
