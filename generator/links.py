"""Resolve the links and images authors wrote, and report the broken ones.

Authors link to Markdown files (``02-behaviours.md#attending``); learners get
the published page. ``resolve`` is pure and is used both by the check (to
report problems) and by the renderer (to rewrite hrefs).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import weakref
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote

from .discover import MODULE_FILE, inside_content
from .errors import Diagnostic, SourceLocation, did_you_mean
from .media import KIND_TYPES, PUBLISHED, content_problem, published_types, suffix_problem
from .model import Course, Document
from .parse import Reference
from .urls import media_url, path_url

_EXTERNAL = re.compile(r"^(https?:|mailto:|tel:|//)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_UNSAFE_NAME = re.compile(r"[\\\x00-\x1f\x7f]")
"""Characters no published file name may have: a backslash (a folder separator on Windows and in
many zip tools) and control characters."""


@dataclass(frozen=True)
class Target:
    """Where a reference points once published."""

    href: str
    """Site-relative URL (plus ``#fragment``), an external URL, or ``#fragment``."""
    site_relative: bool = True
    media: str = ""
    """For files copied from ``content/``: their source path relative to the project."""
    output: str = ""
    """For files copied from ``content/``: where they are written in the site (``href`` is its URL)."""


def resolve(ref: Reference, doc: Document, course: Course) -> tuple[Target | None, Diagnostic | None]:
    """The published target of ``ref`` written in ``doc``, or the problem with it.

    Targets are remembered on the course: the check, the renderer and the
    preview's render cache each ask for every link again.
    """
    key = (doc.document.source.rel, ref.target, ref.kind)
    known = course.resolved.get(key)
    if known is not None and (not known.media or _unchanged(known, ref, course)):
        return known, None
    target, problem = _resolve(ref, doc, course)
    if target is not None:
        course.resolved[key] = target
    return target, problem


def targets(doc: Document, course: Course) -> tuple[Target | None, ...]:
    """What each of ``doc``'s references resolves to (None where it is broken), worked out once: the check
    finds them (``check_references``), and the page signatures and the accessibility statement read them."""
    found = course.targets.get(doc)
    if found is None:
        found = course.targets[doc] = tuple(resolve(ref, doc, course)[0] for ref in doc.document.references)
    return found


class LinkMemo:
    """Link targets kept from one rebuild to the next: the preview's in memory, a build's in
    ``build/cache/`` (``cache.BuildCache.links``).

    A target depends on the linking file, the text of the link, and the
    course's "map": every page's source path, address and heading ids. While
    the map is unchanged (most edits change only a page's text), the last
    rebuild's targets still hold. A target that is a file (an image, a download)
    holds only while the file is there and may still be published: that is
    checked on every rebuild (``_unchanged``), once per file.
    """

    def __init__(self):
        self._map: bytes | None = None
        self._targets: dict[tuple, Target] = {}
        self.changed = False
        """Whether ``keep`` found other targets than the memo had: the build cache then writes it again."""

    def lend(self, course: Course) -> None:
        """Give ``course`` the last rebuild's targets, if its map is the same."""
        course_map = hashlib.sha256(repr((course.content_prefix, tuple(course.module_folders.items()), tuple(
            (d.document.source.rel, d.url, sorted(d.document.anchors)) for d in (*course.sequence, *course.extra_documents))
        )).encode()).digest()  # a digest, not hash(), of anchors in order, not a set's: the build cache keeps the
        # memo on disk, and a set's order changes from one process to the next with Python's string hashing
        if course_map == self._map:
            course.resolved.update(self._targets)
        self._map = course_map

    def keep(self, course: Course) -> None:
        """Remember ``course``'s targets for the next rebuild."""
        targets = dict(course.resolved)
        self.changed, self._targets = targets != self._targets, targets


def _resolve(ref: Reference, doc: Document, course: Course) -> tuple[Target | None, Diagnostic | None]:
    problem = lambda message, hint="": (None, Diagnostic(ref.location, message, hint))  # noqa: E731
    target = ref.target
    if _EXTERNAL.match(target):
        if ref.kind == "image":
            return problem("image is a web address", "save the image in the module's images/ folder so pages make no outside requests")
        return Target(target, site_relative=False), None
    if not target:
        return problem(f"empty {ref.kind} target", "write the file or page to link to inside the brackets ( )")
    path, _, fragment = target.partition("#")
    if not path:
        return _anchor(ref, doc, fragment, doc.url, same_page=True)
    if path.startswith("/") or _SCHEME.match(path):
        return problem(f"{ref.kind} target '{target}' is not a relative path",
                       "write the path relative to this file, e.g. ../02-leadership/01-why.md")
    source = doc.document.source.rel
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))
    if not resolved.startswith(course.content_prefix + "/"):
        return problem(f"{ref.kind} target '{target}' is outside the content folder", "keep linked files inside content/")
    linked = course.by_source.get(resolved) or course.by_source.get(resolved.rstrip("/") + "/" + MODULE_FILE)
    if linked is not None:
        if ref.kind == "image":
            return problem(f"image '{target}' is a Markdown page", "point the image at an image file")
        return _anchor(ref, linked, fragment, linked.url)
    if path.endswith(".md"):
        return problem(f"link to a missing page '{target}'", _nearby_pages(resolved, course))
    if path.endswith(".html"):
        return problem(f"link to '{target}': link to the page's Markdown file instead",
                       "for example [text](02-mentoring.md); Learnmark writes the .html address")
    if not os.path.isfile(os.path.join(course.config.root, resolved)):
        return problem(f"{ref.kind} file '{target}' does not exist", f"expected a file at {resolved}")
    return _media(ref, resolved, fragment, course)


_MEDIA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Per course: what ``_checked_file`` found for each file (many pages may show one image)."""


_FOLDERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Per course: the real path of each folder its files are in (see ``discover.inside_content``)."""


def _verdict(resolved: str, kind: str, course: Course):
    known = _MEDIA.get(course)  # setdefault makes a weak reference on every call: three for each link of a build
    if known is None:
        known = _MEDIA[course] = {}
    if (resolved, kind) not in known:
        known[resolved, kind] = _checked_file(resolved, kind, course)
    return known[resolved, kind]


def _unchanged(target: Target, ref: Reference, course: Course) -> bool:
    """Whether the content file a kept target points at may still be published as it is (a file is
    checked on every build, once however many pages show it; anything else is resolved again)."""
    found, problem = _verdict(target.media, ref.kind, course)
    return problem is None and found.output == target.output


def _media(ref: Reference, resolved: str, fragment: str, course: Course) -> tuple[Target | None, Diagnostic | None]:
    """A file from content/ that a page links to or shows, if it may be published (see media.py)."""
    target, problem = _verdict(resolved, ref.kind, course)
    if problem is not None:
        return None, problem(ref)
    return (Target(target.href + "#" + fragment, media=target.media, output=target.output) if fragment else target), None


def _checked_file(resolved: str, kind: str, course: Course) -> tuple[Target | None, Callable[[Reference], Diagnostic] | None]:
    """``_media``'s verdict on one file: its target, or the problem with it, for a given link to it."""
    def problem(message: str, hint: str, at: SourceLocation | None = None):
        return None, lambda ref: Diagnostic(at or ref.location, message.format(kind=kind, target=ref.target), hint)
    full = os.path.join(course.config.root, resolved)
    output = media_url(resolved, course.module_folders)
    name = posixpath.basename(resolved)
    if not inside_content(full, course.config.content_dir, _FOLDERS.setdefault(course, {})):
        return problem("{kind} file '{target}' is a symbolic link to a file outside the content folder",
                       "nothing outside content/ is published: copy the file into content/ instead of linking to it")
    unsafe = _UNSAFE_NAME.search(output)
    if unsafe:
        what = "a backslash (\\)" if unsafe.group(0) == "\\" else f"a control character (U+{ord(unsafe.group(0)):04X})"
        return problem(_literal(f"the name '{resolved}' has {what}, which no published file name may have"),
                       "rename the file (and the folders it is in), e.g. with letters, digits, hyphens and dots only")
    wrong_type = suffix_problem(name)
    if wrong_type:
        return problem("{kind} '{target}' is " + _literal(wrong_type),
                       "Learnmark publishes only files that cannot run a script on the course's address: "
                       + published_types())
    if kind == "image" and name.rpartition(".")[2].lower() not in PUBLISHED["images"]:
        return problem("image '{target}' is not an image file",
                       "show images of these types: " + ", ".join(PUBLISHED["images"]) + "; link to other files: [text](file)")
    if kind in KIND_TYPES and name.rpartition(".")[2].lower() not in KIND_TYPES[kind]:
        return problem("{kind} file '{target}' is not a type browsers accept as " + kind,
                       f"use one of these types for {kind}: " + ", ".join(KIND_TYPES[kind]))
    try:
        refused = content_problem(full)
    except OSError as error:
        return problem("cannot read the {kind} file '{target}': " + _literal((error.strerror or str(error)).lower()),
                       "check its permissions: the user running Learnmark must be able to read it")
    if refused:
        line, column, message, hint = refused
        return problem(_literal(message), hint, at=SourceLocation(resolved, line, column))
    return Target(path_url(output), media=resolved, output=output), None


def _literal(text: str) -> str:
    """``text`` to stand as itself in a ``str.format`` template."""
    return text.replace("{", "{{").replace("}", "}}")


def _anchor(ref: Reference, linked: Document, fragment: str, url: str, same_page: bool = False):
    if fragment and fragment not in linked.document.anchors:
        where = "on this page" if same_page else f"in {linked.document.source.rel}"
        hint = did_you_mean(fragment, linked.document.anchors) if linked.document.anchors else "that page has no section headings"
        return None, Diagnostic(ref.location, f"no heading with id '{fragment}' {where}", hint)
    if same_page:
        return Target("#" + fragment, site_relative=False), None
    return Target(url + ("#" + fragment if fragment else "")), None


def _nearby_pages(resolved: str, course: Course) -> str:
    folder, name = posixpath.split(resolved)
    siblings = [posixpath.basename(s) for s in course.by_source if posixpath.dirname(s) == folder]
    if not siblings:
        return "no module folder " + folder
    return did_you_mean(name, siblings)


def check_references(course: Course, docs=None) -> tuple[dict[str, str], list[Diagnostic]]:
    """Every broken link or image in the course (or in ``docs``), and the content files to copy.

    Returns ({output path: source path relative to the project}, problems).
    """
    media: dict[str, str] = {}
    problems: dict[Diagnostic, None] = {}  # a file refused for what is in it is reported once, however often it is used
    for doc in (*course.sequence, *course.extra_documents) if docs is None else docs:
        found = []
        for ref in doc.document.references:
            if ref.kind == "image" and not ref.alt and not ref.decorative:
                problems[Diagnostic(ref.location, "image has no alt text",
                                    "describe what the image shows: ![Diagram of ...](file.svg); "
                                    "if it is purely decorative write ![](file.svg){.decorative}")] = None
            target, problem = resolve(ref, doc, course)
            found.append(target)
            if problem:
                problems[problem] = None
            elif target.media:
                media[target.output] = target.media
        course.targets[doc] = tuple(found)
    return media, list(problems)
