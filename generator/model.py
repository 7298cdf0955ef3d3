"""The course as typed, immutable data: Course ▸ Module ▸ Page.

Navigation (previous/next, "page N of M") is derived from the ordered tuples
rather than stored, so it can never disagree with the order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Union

from .config import SiteConfig
from .errors import SourceLocation
from .media.items import MediaItem
from .parse import ParsedDocument
from .quiz import Quiz, Reflection


@dataclass(frozen=True, eq=False)  # identity equality: tokens are costly to compare
class Page:
    """One content page of a module."""

    id: str
    """Stable id: from the file name without its number, or front matter ``id``."""
    title: str
    summary: str
    minutes: int
    """Estimated reading time: front matter ``minutes`` or derived from the word count."""
    url: str
    """Site-relative output path, e.g. ``leadership/behaviours.html``."""
    document: ParsedDocument
    quizzes: tuple[Quiz, ...] = ()
    """The page's quizzes, ids settled (unique in the module)."""

    @property
    def location(self) -> SourceLocation:
        return self.document.location


@dataclass(frozen=True, eq=False)  # identity equality: tokens are costly to compare
class Module:
    """A module: a landing page (``_module.md``) and its ordered pages."""

    id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    minutes: int
    """Front matter ``minutes``, or the sum of its pages' minutes."""
    content_note: str
    """Warns learners before distressing material; empty when none."""
    url: str
    document: ParsedDocument
    pages: tuple[Page, ...]
    folder: str
    """The module's folder relative to the project, e.g. ``content/02-leadership``."""
    quizzes: tuple[Quiz, ...] = ()
    """Quizzes on the landing page itself."""
    completion: str = "all-pages"
    """How the module is completed: ``all-pages``, ``quiz`` or ``all-pages+quiz``."""
    scorm_failed_status: str = "failed"
    """What an LMS is told when the learner's attempts are used up without a pass: ``failed`` or ``incomplete``."""

    @property
    def location(self) -> SourceLocation:
        return self.document.location

    @property
    def all_quizzes(self) -> tuple[Quiz, ...]:
        return self.quizzes + tuple(q for page in self.pages for q in page.quizzes)

    @property
    def all_reflections(self) -> tuple[Reflection, ...]:
        return tuple(r for doc in (self, *self.pages) for r in doc.document.reflections)

    @property
    def all_media(self) -> tuple[MediaItem, ...]:
        """Every video and audio item of the module, in reading order."""
        return tuple(m for doc in (self, *self.pages) for m in doc.document.media)

    @cached_property
    def version(self) -> str:
        """A short hash of everything the learner reads in this module: a learner's record saved in an
        LMS names the version that wrote it, so they can be told when the module has changed since."""
        digest = hashlib.sha256(self.id.encode())
        for doc in (self, *self.pages):
            digest.update(doc.document.source.rel.encode() + b"\0" + doc.document.source.text.encode() + b"\0")
        return digest.hexdigest()[:8]

    def position(self, page: Page) -> int:
        """1-based number of ``page`` among the module's pages (the landing page not counted)."""
        return self.pages.index(page) + 1

    @property
    def page_count(self) -> int:
        """How many pages learners are told the module has: the landing page is page 1, as in its
        contents list, on the progress page and in the tracker's "pages seen"."""
        return len(self.pages) + 1

    def page_number(self, page: Page) -> int:
        """The number of ``page`` in "Page N of page_count": the landing page is 1, so its first page is 2."""
        return self.position(page) + 1


Document = Union[Module, Page]
"""Anything rendered from a Markdown file."""


@dataclass(frozen=True, eq=False)  # identity equality: tokens are costly to compare
class Course:
    config: SiteConfig
    modules: tuple[Module, ...]
    unlisted: tuple[Module, ...] = ()
    """Modules found but left out of the course (a duplicate id, or missing from ``modules:``), an error saying
    why. Links to their pages still resolve, so that error is not followed by one for every link to them."""
    support: Page | None = None
    """The support page (``support:`` in site.yaml), which belongs to no module; None when there is none."""
    translations: tuple[Course, ...] = ()
    """A bilingual course's other languages, each its own Course with the same ids (see i18n/translations.py)."""

    @property
    def title(self) -> str:
        return self.config.title

    @cached_property
    def sequence(self) -> tuple[Document, ...]:
        """Every document in reading order: each module's landing page, then its pages."""
        return tuple(doc for module in self.modules for doc in (module, *module.pages))

    @property
    def extra_documents(self) -> tuple[Page, ...]:
        """Documents of no module, checked like pages: the support page, when there is one."""
        return (self.support,) if self.support is not None else ()

    @cached_property
    def by_source(self) -> dict[str, Document]:
        """Documents by their source path, for resolving authors' ``.md`` links (to unlisted modules too)."""
        found = {doc.document.source.rel: doc for module in self.unlisted for doc in (module, *module.pages)}
        found.update({doc.document.source.rel: doc for doc in self.extra_documents})
        return {**found, **{doc.document.source.rel: doc for doc in self.sequence}}

    @cached_property
    def _module_of(self) -> dict[Document, Module]:
        return {doc: module for module in self.modules for doc in (module, *module.pages)}

    @cached_property
    def _position(self) -> dict[Document, int]:
        return {doc: index for index, doc in enumerate(self.sequence)}

    def module_of(self, doc: Document) -> Module:
        return self._module_of[doc]

    def neighbours(self, doc: Document) -> tuple[Document | None, Document | None]:
        """The previous and next documents in reading order."""
        index = self._position[doc]
        previous = self.sequence[index - 1] if index > 0 else None
        following = self.sequence[index + 1] if index + 1 < len(self.sequence) else None
        return previous, following

    @cached_property
    def version(self) -> str:
        """A short hash of everything the learner reads: shown on certificates, stamped on packages.

        Cached because every page's course script and every package's manifest use it.
        """
        digest = hashlib.sha256(json.dumps([self.config.id, self.config.title]).encode())
        for doc in self.sequence:
            digest.update(doc.document.source.rel.encode() + b"\0" + doc.document.source.text.encode() + b"\0")
        return digest.hexdigest()[:10]

    @cached_property
    def content_prefix(self) -> str:
        """The content folder relative to the project, e.g. ``content``."""
        return self.config.content_dir.relative_to(self.config.root).as_posix()

    @cached_property
    def module_folders(self) -> dict[str, str]:
        """Module folder (relative to the project) → module id."""
        return {m.folder: m.id for m in (*self.unlisted, *self.modules)}

    @cached_property
    def resolved(self) -> dict:
        """Link targets already resolved, filled by ``links.resolve``."""
        return {}

    @cached_property
    def targets(self) -> dict:
        """What each document's references resolve to, filled by ``links.targets``."""
        return {}

    @property
    def page_count(self) -> int:
        return sum(len(m.pages) for m in self.modules)
