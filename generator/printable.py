"""Each module's print page: its landing text and every page in order, on one page, for paper.

Learners on wards print modules, or save them as PDFs to read later. The print page
(``<module-id>/print.html``) is rendered from the same bodies as the module's pages, so its
links, images and media are theirs, but drawn for paper: expanders open, each quiz as its
numbered questions with the answers gathered at the end, each reflection as its prompt with
lines to write on. It is no page of the module for progress: it has no ``data-page``.

One page holds many bodies, and ids unique in each (a "Summary" section, the first
footnote) need not be unique across them, so each body's ids, and the references to them,
take its document's id as a prefix (``four-behaviours--summary``; ids never hold ``--``).
Each document's title is a ``<h2>`` on this page, so its own headings go one level down.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from .compiled import by_crate
from .errors import SourceLocation
from .model import Course, Document, Module
from .render import Prefilled, _body, _component, _render
from .theme import Theme
from .urls import print_url

SHORT_NOTE_WORDS = 50
"""Feedback and explanations of at most this many words are printed with the answers; longer ones are left
for the module's own pages, so the answers stay a list to check against."""

_TAG = re.compile(r'<(/?)([hH][1-6]|[dD][eE][tT][aA][iI][lL][sS]|[a-zA-Z][a-zA-Z0-9-]*(?=\s))'
                  r'((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)(\s*/?)>')
"""The tags ``for_paper`` may change: headings, ``<details>`` and those with attributes (a ``<p>`` or ``</li>``,
most of a page's tags, is left as it is without a call for each)."""
_ATTRIBUTE = re.compile(r'(\s+)([^\s"\'>/=]+)(?:="([^"]*)")?')
_HEADING = re.compile(r"[hH]([1-6])")
_ID_REFERENCES = frozenset({"id", "for", "headers", "aria-labelledby", "aria-describedby", "aria-controls",
                            "aria-details", "aria-owns", "aria-flowto", "aria-activedescendant", "aria-errormessage"})
"""Attributes whose values are ids (or lists of ids) in the same page."""


@dataclass(frozen=True)
class PrintPage:
    """A module's print page, as the build renders it beside the module's own pages."""

    module: Module

    @property
    def url(self) -> str:
        return print_url(self.module)

    @property
    def location(self) -> SourceLocation:
        return self.module.location


@dataclass(frozen=True)
class Section:
    """One document of the module on its print page."""

    doc: Document
    body: Markup


def print_pages(course: Course, theme: Theme) -> tuple[PrintPage, ...]:
    """The print page of every module; none if the theme has no ``print.html`` (a theme copied before
    there were print pages keeps building as it did)."""
    try:
        theme.env.get_template("print.html")
    except jinja2.TemplateNotFound:
        return ()
    except jinja2.TemplateError:
        pass  # rendering each print page reports the mistake at its line (render.guarded), not a traceback here
    return tuple(PrintPage(module) for module in course.modules)


def print_signatures(course: Course, signatures: dict[str, str]) -> dict[str, str]:
    """Each print page's signature (see ``render.page_signatures``) from its module's documents' signatures:
    it is rendered again whenever any of them would be."""
    return {print_url(module): hashlib.sha256(repr(("print", *(signatures[doc.url] for doc in (module, *module.pages))))
                                              .encode()).hexdigest()
            for module in course.modules}


def render_print_page(course: Course, theme: Theme, md: MarkdownIt, module: Module, scope: Module | None = None,
                      bodies: dict[str, Prefilled] | None = None) -> str:
    """The print page of ``module``; ``scope`` as for ``render.render_page`` (in a package, links stay inside it);
    ``bodies`` the documents' bodies by url as ``render.prefill`` made them for their pages, when at hand."""
    answers: list[str] = []
    numbered = [0]  # questions drawn so far: each quiz goes on from the one before

    def draw(name: str, **params) -> str:
        if name == "reflection":
            return _component(theme, "print", "print_reflection", reflection=params["reflection"],
                              blocks=params["blocks"])
        quiz, first = params["quiz"], numbered[0] + 1
        numbered[0] += len(quiz.questions)
        drawn = dict(quiz=quiz, first=first, inline=params["inline"], blocks=params["blocks"])
        answers.append(_component(theme, "print", "print_answers", short=_short, **drawn))
        return _component(theme, "print", "print_quiz", **drawn)

    here = {doc.url.rpartition("/")[2]: _key(module, doc) for doc in (module, *module.pages)}
    bodies = bodies or {}
    sections = [Section(doc, Markup(for_paper(_body(doc, course, md, theme, scope, draw, bodies.get(doc.url)),
                                              _key(module, doc), here)))
                for doc in (module, *module.pages)]
    return _render(theme, "print.html", print_url(module), course, module, "",
                   heading=theme.messages.gettext("%(module)s: the whole module to print or save")
                   % {"module": module.title}, scope=scope,
                   page_key="", previous=None, next=None, sections=sections, answers=Markup("".join(answers)))


def _key(module: Module, doc: Document) -> str:
    """What names ``doc``'s section on the print page (``lm-print-<key>``) and prefixes its ids (``<key>--``)."""
    return "index" if doc is module else doc.id


def _short(tokens) -> bool:
    """Whether block tokens (feedback, an explanation) are short enough to print with the answers."""
    return sum(len(token.content.split()) for token in tokens if token.type == "inline") <= SHORT_NOTE_WORDS


def for_paper(html: str, key: str, here: dict[str, str]) -> str:
    """A rendered body as the section ``key`` of the print page: ``<key>--`` before its ids and in what refers
    to them (``href="#..."``, ``for``, ``aria-labelledby``...), links to the other documents on the page
    (``here``: {file name: key}) made links to their sections, each heading one level down, and every
    ``<details>`` open.

    Reads tags with a regular expression, which is exact for what it is given: HTML written by
    markdown-it or the sanitiser (and Learnmark's own components), where every attribute value is
    double-quoted with its quotes escaped, and text holds no raw ``<``. An HTML parser did the same
    job forty times slower, once more for every page of the course. Where the compiled front end is
    built, it reads them the same way (native/src/paper.rs), five times quicker.
    """
    if (found := by_crate("for_paper", html, key, here)) is not None:
        return found

    def tag(match: re.Match) -> str:
        closing, element, attributes, end = match.groups()
        heading = _HEADING.fullmatch(element)
        if heading:
            element = f"h{min(int(heading.group(1)) + 1, 6)}"
        if closing:
            return f"</{element}>"

        def attribute(found: re.Match) -> str:
            space, name, value = found.groups()
            if value is None:
                return found.group(0)
            if name.lower() in _ID_REFERENCES:
                value = " ".join(f"{key}--{part}" for part in value.split())
            elif name.lower() == "href":
                value = _href(value, key, here)
            return f'{space}{name}="{value}"'
        attributes = _ATTRIBUTE.sub(attribute, attributes)
        if element.lower() == "details" and not any(a.group(2).lower() == "open" for a in _ATTRIBUTE.finditer(attributes)):
            attributes += " open"
        return f"<{element}{attributes}{end}>"
    return _TAG.sub(tag, html)


def _href(value: str, key: str, here: dict[str, str]) -> str:
    """A link in section ``key``, as it goes on the print page: to a section of it when its target is there."""
    path, _, fragment = value.partition("#")
    target = here.get(path) if path else key
    if target is None or not (path or fragment):
        return value
    return f"#{target}--{fragment}" if fragment else f"#lm-print-{target}"
