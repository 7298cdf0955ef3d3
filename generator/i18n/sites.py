"""A bilingual site: each language's course rendered on its own, joined into one site.

The default language is at the root and every other under its folder
(``cy/``), so all share one origin, and so one saved progress record. Theme
assets (stylesheet, scripts, theme files) are written once at the root and
the 404 page is the root's; each language keeps its own ``assets/course.js``
(titles and interface strings differ). Every page gets the language switch
and ``hreflang`` alternates through the template global ``language_versions``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..model import Course
from ..render import RenderedSite
from ..theme import SCRIPT, STYLESHEET, Theme, component_files
from ..urls import CERTIFICATE, HOME, NOT_FOUND, PROGRESS, SEARCH, STATEMENT, SUPPORT, print_url, relative_url
from .language import CLDR, Language, language_of
from .names import translation_of

SHARED = (STYLESHEET, SCRIPT)
"""Files every language's pages load from the root, with the components' own (``theme.component_files``)."""


@dataclass(frozen=True)
class Version:
    """One language's version of a page, seen from that page: for the switch and the alternate links."""

    language: Language
    label: str
    """The language's name in the page's language (``Welsh`` on an English page)."""
    href: str
    """From the page: the same page in ``language``, else (``fallback``) its module or the home page."""
    alternate: str
    """``href``, absolute when the course has a ``base_url``."""
    current: bool
    available: bool
    """Whether the page is written in ``language`` (a page not translated is not, though the site shows it)."""
    fallback: str = ""
    """``module`` or ``home`` when not ``available``: where ``href`` goes instead."""


@dataclass(frozen=True)
class Versions:
    links: tuple[Version, ...]
    """Every language of the course, in ``languages`` order, the page's own included."""
    content: str = ""
    """The language of the page's text when it is not the page's own (a page shown untranslated), else ''."""

    @property
    def alternates(self) -> tuple[Version, ...]:
        return tuple(v for v in self.links if v.available)


class LanguageSwitch:
    """Which pages each language of a course has, and the versions of any page."""

    def __init__(self, courses: list[Course]):
        self.courses = courses
        self.default = courses[0].config.language
        self.written = {c.config.language: _written(c, c.config.language == self.default) for c in courses}

    @property
    def digest(self) -> str:
        """Changes whenever a page gains or loses a translation: every page's switch may change with it."""
        return hashlib.sha256(repr(sorted((tag, sorted(urls)) for tag, urls in self.written.items())).encode()
                              ).hexdigest()

    def install(self, course: Course, theme: Theme) -> None:
        """Give ``theme``'s templates ``language_versions(current_url)`` for the pages of ``course``."""
        theme.env.globals["language_versions"] = self.versions_for(course)

    def versions_for(self, course: Course) -> Callable[[str], Versions]:
        here = course.config.language
        page_language = language_of(here)
        base = course.config.base_url.rstrip("/") + "/" if course.config.base_url else ""

        def versions(url: str) -> Versions:
            if url == NOT_FOUND:  # the root's, for every language: its links work from any folder
                return Versions(())
            links = []
            for other in self.courses:
                tag, folder = other.config.language, other.config.folder
                target, fallback = url, ""
                if url not in self.written[tag]:
                    module = url.split("/")[0] if "/" in url else ""
                    target, fallback = ((f"{module}/index.html", "module") if f"{module}/index.html" in self.written[tag]
                                        else (HOME, "home"))
                href = relative_url(course.config.folder + url, folder + target)
                links.append(Version(language_of(tag), _name_in(tag, page_language), href,
                                     base + folder + target if base else href, tag == here, not fallback, fallback))
            shown = "" if url in self.written[here] or "/" not in url else self.default
            return Versions(tuple(links), shown)
        return versions


def _name_in(tag: str, page: Language) -> str:
    language = language_of(tag)
    if not language.known:
        return tag
    return CLDR.get((page.tag, "switch name", tag),
                    lambda: page.locale.languages.get(language.locale.language, language.name))


def _written(course: Course, default: bool) -> set[str]:
    """The pages of ``course`` written in its language: all the default's; a translation's where translated."""
    tag = course.config.language
    own = {doc.url for doc in course.sequence
           if default or (translation_of(Path(doc.document.source.rel).name) or ("", ""))[1] == tag}
    pages = {HOME, PROGRESS, CERTIFICATE, STATEMENT, SEARCH, *((SUPPORT,) if course.support else ())}
    return own | pages | {print_url(m) for m in course.modules if m.url in own}


def in_folder(site: RenderedSite, folder: str, theme: Theme) -> RenderedSite:
    """A language's site moved under its ``folder``, without what the root's site holds for every language."""
    if not folder:
        return site
    components = component_files(theme)
    kept = lambda path: (path not in SHARED and path != NOT_FOUND and path not in theme.files  # noqa: E731
                         and path not in components)
    return RenderedSite({folder + path: text for path, text in site.files.items() if kept(path)},
                        {folder + path: source for path, source in site.copies.items() if kept(path)})


def joined(sites: list[RenderedSite]) -> RenderedSite:
    files, copies = {}, {}
    for site in sites:
        files.update(site.files)
        copies.update(site.copies)
    return RenderedSite(files, copies)


class FolderWriter:
    """A ``SiteWriter`` seen from a language's folder: what a language's render writes goes under it,
    but for what the root's site already holds (see ``in_folder``)."""

    def __init__(self, writer, course: Course, theme: Theme):
        self.writer, self.folder, self.theme = writer, course.config.folder, theme

    def write(self, path: str, text: str) -> None:
        self.writer.write(self.folder + path, text)

    def keep(self, path: str) -> None:
        self.writer.keep(self.folder + path)

    def write_all(self, site: RenderedSite) -> None:
        moved = in_folder(site, self.folder, self.theme)
        for path, text in moved.files.items():
            self.writer.write(path, text)
        for path, source in moved.copies.items():
            self.writer.copy(path, source)

