"""The accessibility statement's facts: what the build itself found, and what the course's author told it.

UK public sector sites must publish a statement in the structure of the
GOV.UK model statement (themes/default/templates/accessibility.html words
it). What is known not to be accessible is not written by hand: each build
collects it again (``findings``), so the statement cannot drift from the
course it describes.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import weakref
from dataclasses import dataclass

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from . import __version__
from .accessibility import AccessibilityConfig
from .i18n import ENGLISH, N_, Messages
from .links import targets
from .media import PUBLISHED
from .media.items import SERVICES
from .model import Course, Document

DOCUMENT_TYPES = tuple(t for t in PUBLISHED["documents"] if t not in ("txt", "csv"))
"""Linked files a browser hands to another program, whose accessibility Learnmark cannot check
(plain text and CSV are read as they are)."""

CHECKS = (
    N_("every image has alt text, or is marked as decorative on purpose"),
    N_("each page has one level-1 heading and no heading skips a level"),
    N_("every link between pages, to a section of a page or to a file leads somewhere, and every link has text"),
    N_("only files that cannot run scripts are published"),
    N_("every quiz is well formed, and gives feedback on the answers"),
)
"""What every build of the course checks, as "How this website was tested" lists it."""
HTML_CHECK = N_("HTML written by authors is cleaned of anything that could run a script")
"""Checked too when the course allows HTML."""
SUITE = N_("Learnmark's own tests check its page templates with axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) "
           "in light and dark colour schemes, and check keyboard use, reflow at 320 pixels wide, reduced motion "
           "and use without JavaScript, on its sample course.")


@dataclass(frozen=True)
class Finding:
    """One thing known not to be accessible."""

    kind: str
    """``document`` (a linked PDF or office file), ``html`` (author HTML), ``media`` (no audio description)
    or ``exception`` (listed by the author)."""
    subject: str
    """The file, page or media item, or the author's own words for an exception."""
    pages: tuple[str, ...] = ()
    """Titles of the pages it is on."""


@dataclass(frozen=True)
class Statement:
    """Everything the statement template shows."""

    site: str
    organisation: str
    config: AccessibilityConfig
    findings: tuple[Finding, ...]
    prepared: datetime.date
    tested: datetime.date
    version: str
    checks: tuple[str, ...]
    suite: str

    def of_kind(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)


def statement(course: Course, today: datetime.date, messages: Messages = ENGLISH) -> Statement:
    """The statement for ``course`` built on ``today`` (see ``build_date``), its sentences in ``messages``' language."""
    config = course.config.accessibility
    checks = CHECKS + ((HTML_CHECK,) if course.config.allow_html else ())
    return Statement(course.title, course.config.organisation, config, tuple(findings(course, messages)),
                     config.prepared or today, today, __version__, tuple(map(messages.gettext, checks)),
                     messages.gettext(SUITE))


def build_date() -> datetime.date:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when it is set: the same input, the same statement."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.datetime.now(datetime.timezone.utc).date()


def findings(course: Course, messages: Messages = ENGLISH) -> list[Finding]:
    """Everything the build knows is not accessible, in course order."""
    return [*linked_documents(course), *author_html(course), *undescribed_media(course, messages),
            *(Finding("exception", text) for text in course.config.accessibility.exceptions)]


def _documents(course: Course) -> tuple[Document, ...]:
    return (*course.sequence, *course.extra_documents)


_last_linked: tuple[weakref.ref, tuple[Finding, ...]] | None = None
"""The last course's ``linked_documents``: packaging renders a statement per module of one course, and
resolving every link of the course each time was a tenth of it. Held weakly, so no course outlives its run."""


def linked_documents(course: Course) -> list[Finding]:
    """PDFs and office documents published with the course, each with the pages that link to it."""
    global _last_linked
    if _last_linked is not None and _last_linked[0]() is course:
        return list(_last_linked[1])
    found = _linked_documents(course)
    _last_linked = (weakref.ref(course), tuple(found))
    return found


def _linked_documents(course: Course) -> list[Finding]:
    found: dict[str, list[str]] = {}
    for doc in _documents(course):
        for target in targets(doc, course):
            if target is not None and target.media and _suffix(target.media) in DOCUMENT_TYPES:
                pages = found.setdefault(posixpath.basename(target.media), [])
                if doc.title not in pages:
                    pages.append(doc.title)
    return [Finding("document", name, tuple(pages)) for name, pages in found.items()]


def author_html(course: Course) -> list[Finding]:
    """Pages with HTML of their authors' own (``allow_html: true``), which the build cleans but cannot check."""
    if not course.config.allow_html:
        return []
    return [Finding("html", doc.title, (doc.title,)) for doc in _documents(course)
            if _has_html(doc.document.source.digest, doc.document.source.text)]


def undescribed_media(course: Course, messages: Messages = ENGLISH) -> list[Finding]:
    """Videos without an audio description (``descriptions=``): WCAG 1.2.5 asks for one where what is shown
    matters and is not said. External films are listed too: no description track can be added to their player."""
    found: dict[str, list[str]] = {}
    for doc in _documents(course):
        for item in doc.document.media:
            if item.kind == "video" and item.descriptions is None:
                name = item.title or posixpath.basename(item.src) or (
                    messages.gettext("%(service)s video %(id)s") % {"service": SERVICES[item.service][0],
                                                                   "id": item.external_id}
                    if item.service in SERVICES else messages.gettext("a video"))
                pages = found.setdefault(name, [])
                if doc.title not in pages:
                    pages.append(doc.title)
    return [Finding("media", name, tuple(pages)) for name, pages in found.items()]


_HTML_SEEN: dict[bytes, bool] = {}
"""Per source text (its digest): whether it holds raw HTML. A preview asks on every rebuild."""
_RAW = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin)


def _has_html(digest: bytes, text: str) -> bool:
    if digest not in _HTML_SEEN:
        if len(_HTML_SEEN) > 100_000:  # a long preview session: start again rather than grow for ever
            _HTML_SEEN.clear()
        tokens = _RAW.parse(text)
        _HTML_SEEN[digest] = any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or ())
                                 for t in tokens)
    return _HTML_SEEN[digest]


def _suffix(path: str) -> str:
    return path.rpartition(".")[2].lower()
