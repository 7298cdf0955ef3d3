"""Parse one source file: front matter, Markdown tokens, and what they refer to.

Every heading, link and image is recorded with its file line and column so
later checks can point at it without parsing again.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .compiled.page import compile_page
from .discover import SourceFile
from .errors import Diagnostic, SourceLocation, collect, did_you_mean, slot_setters, unpickled_location
from .markdown import BLOCK_NAMES
from .mdplugins.blocks import BLOCKS
from .mdplugins.callouts import DETAILS, container_title
from .mdplugins.deferred import Deferred, prerender
from .media.items import MediaItem, read_media
from .quiz import Quiz, Reflection, read_quiz, read_reflection
from .schema import Field, load_mapping, validate


@dataclass(frozen=True, slots=True)  # slots: a 5,000-page course holds 40,000 headings and references
class Heading:
    level: int
    text: str
    id: str
    location: SourceLocation

    def __reduce__(self):  # as SourceLocation's, with its location's fields: one call to unpickle both
        where = self.location
        return _heading, (self.level, self.text, self.id, where.path, where.line, where.column)


@dataclass(frozen=True, slots=True)
class Reference:
    """A link or image target written by the author."""

    target: str
    location: SourceLocation
    kind: str = "link"
    """``link`` or ``image``; or, for a file a media item plays, ``video``, ``audio``, ``captions``,
    ``descriptions`` or ``poster`` (see media/items.py)."""
    alt: str = ""
    """Alt text (images only)."""
    decorative: bool = False
    """The author marked the image ``{.decorative}``: empty alt is intended."""
    text: str = ""
    """Link text (links only)."""

    def __reduce__(self):  # as Heading's
        where = self.location
        return _reference, (self.target, where.path, where.line, where.column, self.kind, self.alt, self.decorative,
                            self.text)


_HEADING, _REFERENCE = slot_setters(Heading), slot_setters(Reference)


def _heading(level, text, id, path, line, column) -> Heading:
    """A heading and its location as unpickling makes them (see ``errors.slot_setters``): a parse cache holds more
    headings and references than anything else, and a call each for them and their locations took a third of
    the time to load it."""
    made, (set_level, set_text, set_id, set_location) = object.__new__(Heading), _HEADING
    set_level(made, level)
    set_text(made, text)
    set_id(made, id)
    set_location(made, unpickled_location(path, line, column))
    return made


def _reference(target, path, line, column, kind, alt, decorative, text) -> Reference:
    """A reference and its location as unpickling makes them (see ``_heading``)."""
    made, (set_target, set_location, set_kind, set_alt, set_decorative, set_text) = object.__new__(Reference), _REFERENCE
    set_target(made, target)
    set_location(made, unpickled_location(path, line, column))
    set_kind(made, kind)
    set_alt(made, alt)
    set_decorative(made, decorative)
    set_text(made, text)
    return made


@dataclass(frozen=True)
class ParsedDocument:
    """A source file after parsing, its body already rendered but for what the course decides."""

    source: SourceFile
    meta: dict[str, Any]
    """Validated front matter, defaults filled in."""
    packed_html: bytes = field(repr=False)
    """``html``, UTF-8 encoded (see ``pack``)."""
    packed_deferred: bytes = field(repr=False)
    """``deferred``, pickled (see ``pack``)."""
    headings: tuple[Heading, ...]
    references: tuple[Reference, ...]
    words: int
    quizzes: tuple[Quiz, ...] = ()
    reflections: tuple[Reflection, ...] = ()
    media: tuple[MediaItem, ...] = ()
    """The page's ``::: video`` and ``::: audio`` items, in page order."""

    @property
    def location(self) -> SourceLocation:
        return self.source.location

    @property
    def html(self) -> str:
        """The body's HTML, with markers where ``deferred`` tokens go (see mdplugins/deferred.py)."""
        return self.packed_html.decode()

    @property
    def deferred(self) -> Deferred:
        """Links, images, quizzes, reflections and media, rendered once the course is known."""
        return pickle.loads(self.packed_deferred)

    def with_source(self, source: SourceFile | None) -> ParsedDocument:
        """This parse of ``source`` (None: without it, as the cache and the workers hand parses over): a copy
        as ``dataclasses.replace`` makes, at a tenth of its cost, which a build paid for every page."""
        copy = object.__new__(ParsedDocument)
        copy.__dict__.update(self.__dict__, source=source)
        return copy

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Ids of the page's headings: what ``#fragment`` links may point at."""
        return frozenset(h.id for h in self.headings)


BOM = "\ufeff"
"""A byte-order mark: some editors start UTF-8 files with one. It is not part of the text."""


def parse(source: SourceFile, md: MarkdownIt, fields: Mapping[str, Field], what: str
          ) -> tuple[ParsedDocument | None, list[Diagnostic]]:
    """Parse ``source``; front matter is checked against ``fields``.

    A document is returned even when its front matter is missing or wrong
    (with defaults, and the problems saying why), so that the rest of the
    build can still check its body and the links to it in the same run.
    """
    text = source.text[len(BOM):] if source.text.startswith(BOM) else source.text
    lines = text.splitlines()
    file = source.location
    headings: list[Heading] = []
    references: list[Reference] = []
    problems: list[Diagnostic] = []
    compiled = compile_page(md, text, lines)
    if compiled is None:
        env: dict = {}
        # Parsed with a final newline, as a text file ends: mdit-py-plugins' container rule reads one character
        # past a last line that is empty inside a quote ("> ::: details" then "> " at the end) and crashes.
        tokens = md.parse(text if text.endswith("\n") else text + "\n", env)
        front = next((t for t in tokens[:1] if t.type == "front_matter"), None)
        words = _scan(tokens, None, file, lines, headings, references, problems)
        blocks = [token for token in tokens if token.type in BLOCKS]
        html, deferred = prerender(md, tokens, env)
    else:
        front, html, deferred, words = compiled.front, compiled.html, compiled.deferred, compiled.words
        blocks = _scan_items(compiled.items, deferred, file, lines, headings, references, problems)
    meta, found = _front_matter(source, front, fields, what, lines)
    problems[:0] = found
    quizzes, reflections, media = [], [], []
    for token in blocks:
        if token.type == "quiz":
            quizzes.append(collect(read_quiz(token, file), problems))
        elif token.type == "reflection":
            reflections.append(collect(read_reflection(token, file), problems))
        else:
            item, files, found = read_media(token, file, lines[token.map[0]])
            media.append(item)
            references += [Reference(f.target, f.location, f.kind) for f in files]
            problems += found
    problems += _heading_problems(headings)
    document = ParsedDocument(source, meta, *pack(html, deferred), tuple(headings), tuple(references), words,
                              tuple(quizzes), tuple(reflections), tuple(media))
    return document, problems


def pack(html: str, deferred: Deferred) -> tuple[bytes, bytes]:
    """A body as a parsed page keeps it until it is rendered: compact, for thousands of pages at once.

    The HTML's markers are private-use characters, so as a ``str`` it takes two bytes a character;
    the deferred tokens take about 600 bytes each as objects. UTF-8 and a pickle take about a third
    of that (bench/README.md, issue 18). A worker's parses are pickled to reach the parent anyway, so
    packing there costs nothing more: the parent no longer unpickles tokens it does not read until
    the page is rendered.
    """
    return html.encode(), pickle.dumps(deferred, pickle.HIGHEST_PROTOCOL)


def _front_matter(source: SourceFile, token: Token | None, fields: Mapping[str, Field], what: str, lines: list[str]
                  ) -> tuple[dict, list[Diagnostic]]:
    """The front matter's values (``token``'s), every field present (``None`` where a required one is missing or
    wrong)."""
    blank = {key: field.default for key, field in fields.items() if not field.removed}
    if token is None:
        return blank, [_no_front_matter(source, what, lines)]
    first = token.map[0] + 2  # 1-based line of the first line inside the '---' fence
    locate = lambda mark: source.location.at(first + mark.line, mark.column + 1)  # noqa: E731
    node, problems = load_mapping(token.content, locate, "front matter")
    if problems:
        return blank, problems
    meta, problems = validate(node, fields, locate, source.location, "front matter")
    return {**blank, **meta}, problems


_FENCE_LINE = re.compile(r"^-{3,}\s*$")


def _no_front_matter(source: SourceFile, what: str, lines: list[str]) -> Diagnostic:
    """Why the file has no front matter, naming what is in the way when something is."""
    start = "start the file with a '---' line, then 'title: ...', then another '---' line"
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Diagnostic(source.location, f"{what} is empty", start)
    line = lines[first]
    if _FENCE_LINE.match(line) and first == 0:
        return Diagnostic(source.location, "front matter has no closing '---'",
                          "add a line '---' after the last 'key: value' line")
    if _FENCE_LINE.match(line.strip()):
        if first > 0:
            return Diagnostic(source.location.at(first + 1), "front matter must start on the first line",
                              "delete the empty lines before '---'")
        return Diagnostic(source.location, "front matter must start at the beginning of the first line",
                          "delete the spaces before '---'")
    hidden = line[:len(line) - len(line.lstrip(_INVISIBLE))]
    if hidden and _FENCE_LINE.match(line[len(hidden):].strip()):
        names = ", ".join(dict.fromkeys(unicodedata.name(c, f"U+{ord(c):04X}") for c in hidden))
        return Diagnostic(source.location, f"{what} has no front matter: the first line has an invisible {names} before '---'",
                          "delete everything before '---' on the first line (your editor may not show it)")
    return Diagnostic(source.location, f"{what} has no front matter", start)


_INVISIBLE = "".join(chr(c) for c in (*range(0x00, 0x21), 0x7F, 0xA0, 0xAD, 0x034F, 0x061C, 0x180E, *range(0x2000, 0x2010),
                                      *range(0x2028, 0x2030), *range(0x205F, 0x2065), 0x3000, 0xFEFF))
"""Characters that show as nothing, or as a plain space: control, space, zero-width and direction characters."""


def _scan(tokens: list[Token], block: Token | None, file: SourceLocation, lines: list[str], headings: list[Heading],
          references: list[Reference], problems: list[Diagnostic]) -> int:
    """Collect the headings, links and images of ``tokens`` and what is wrong with their ``:::`` blocks and code
    blocks, going into quizzes and reflections (``block``: the one the tokens are in); return their words.

    One pass over every token of every page, so it only compares token types until one is of interest.
    """
    words = 0
    unknown: list[str] = []  # blocks opened with an unknown name: the next stray ':::' is theirs
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            references += _references(token, file, lines)
            if block is None:
                words += len(token.content.split())
            if ":::" in token.content and tokens[index - 1].type == "paragraph_open":
                problems += _colon_lines(token, file, unknown)
        elif kind == "heading_open" and block is None:
            headings.append(Heading(int(token.tag[1]), tokens[index + 1].content, str(token.attrGet("id")),
                                    file.at(token.map[0] + 1)))
        elif kind == "fence":
            if not _fence_closed(token, lines):
                problems.append(Diagnostic(file.at(token.map[0] + 1), f"code block ({token.markup}) is not closed",
                                           f"add a '{token.markup}' line where the code ends; inside a ':::' block, "
                                           "before its closing ':::'"))
        elif kind in BLOCKS or (kind.startswith("container_") and token.nesting == 1):
            problems += _block_problems(token, block, file)
            if kind in BLOCKS:
                _scan(token.meta["tokens"], token, file, lines, [], references, problems)
    return words


def _scan_items(items: list[tuple], deferred: Deferred, file: SourceLocation, lines: list[str], headings: list[Heading],
                references: list[Reference], problems: list[Diagnostic]) -> list[Token]:
    """``_scan`` for a page the compiled front end wrote: the same records, from the list it made of them
    (see native/src/body.rs); returns the page's quiz, reflection and media tokens."""
    unknown: list[str] = []
    blocks = []
    for item in items:
        kind = item[0]
        if kind == "heading":
            _, level, text, id_, line = item
            headings.append(Heading(level, text, id_, file.at(line)))
        elif kind == "link":
            _, href, line, text = item
            references.append(Reference(href, _locate(file, lines, line - 1, "](" + href, 0), text=text.strip()))
        elif kind == "image":
            _, src, line, label, index = item
            decorative = "decorative" in str(deferred[index].attrGet("class") or "").split()
            references.append(Reference(src, _locate(file, lines, line - 1, "](" + src, 0), "image",
                                        alt=label.strip(), decorative=decorative))
        elif kind == "colons":
            problems += _colon_line(file.at(item[1]), item[2], unknown)
        elif kind == "container":
            _, name, line, closed, info = item
            problems += _nesting_problems(name, file.at(line), closed, info)
        else:
            token = deferred[item[1]]
            blocks.append(token)
            problems += _block_problems(token, None, file)
            _scan(token.meta["tokens"], token, file, lines, [], references, problems)
    return blocks


def _block_problems(token: Token, block: Token | None, file: SourceLocation) -> list[Diagnostic]:
    """What is wrong with how a ``:::`` block is nested or closed."""
    at = file.at(token.map[0] + 1)
    kind = token.type if token.type in BLOCKS else token.type[len("container_"):-len("_open")]
    if kind in BLOCKS and block is not None:  # a quiz inside a quiz, a reflection inside a quiz ...
        article = "an" if kind[0] in "aeiou" else "a"  # an audio
        return [Diagnostic(at, f"{article} {kind} cannot be inside a {block.type} (the {block.type} starts on line {block.map[0] + 1})",
                           f"close the {block.type} with a ':::' line before this {kind} starts")]
    return _nesting_problems(kind, at, token.meta.get("closed", True), token.info)


def _nesting_problems(kind: str, at: SourceLocation, closed: bool, info: str) -> list[Diagnostic]:
    """What is wrong with how a ``:::`` block is closed, or what it lacks."""
    problems = []
    if not closed:
        problems.append(Diagnostic(at, f"'::: {kind}' is not closed",
                                   "add a ':::' line where it ends; to put one block inside another, give the outer "
                                   "one more colons: ':::: note' ... '::::'"))
    if kind == DETAILS and not container_title(info):
        problems.append(Diagnostic(at, "expander has no summary",
                                   "write the text the learner clicks after the name: '::: details Read more about mentoring'"))
    return problems


def _fence_closed(token: Token, lines: list[str]) -> bool:
    """Whether a fenced code block ends with its own closing fence (markdown-it silently closes it at the end
    of the page, or of the block around it)."""
    last = token.map[1] - 1
    if last <= token.map[0] or last >= len(lines):
        return False
    closing = lines[last].lstrip(" \t>")
    run = len(closing) - len(closing.lstrip(token.markup[0]))
    return run >= len(token.markup) and not closing[run:].strip()


def _colon_lines(inline: Token, file: SourceLocation, unknown: list[str]) -> list[Diagnostic]:
    """``:::`` lines of a paragraph that ended up as text (see ``_colon_line``)."""
    problems = []
    for offset, line in enumerate(inline.content.split("\n")):
        if line.startswith(":::"):
            problems += _colon_line(file.at(inline.map[0] + offset + 1), line, unknown)
    return problems


def _colon_line(at: SourceLocation, line: str, unknown: list[str]) -> list[Diagnostic]:
    """What is wrong with a ``:::`` line that is paragraph text: a closing ':::' with no block open, or an
    unknown block name. The ':::' that closes a block with an unknown name is not reported again."""
    name = line.lstrip(":").strip().split(None, 1)
    if not name and unknown:
        unknown.pop()
        return []
    if not name:
        return [Diagnostic(at, f"'{line.strip()}' closes no block",
                           "delete it, or open a block before it ('::: note'); to put one block inside "
                           "another, give the outer one more colons: ':::: note' ... '::::'")]
    if name[0] not in BLOCK_NAMES:
        unknown.append(name[0])
        return [Diagnostic(at, f"unknown block '::: {name[0]}'", did_you_mean(name[0], BLOCK_NAMES))]
    return []


def _references(inline: Token, file: SourceLocation, lines: list[str]) -> list[Reference]:
    """Links and images in one inline token, each at its own line and column."""
    found: list[Reference] = []
    line = inline.map[0] if inline.map else 0  # 0-based
    children = inline.children or []
    for index, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            text = _link_text(children, index)
            found.append(Reference(href, _locate(file, lines, line, "](" + href, 0), text=text))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            decorative = "decorative" in str(child.attrGet("class") or "").split()
            found.append(Reference(src, _locate(file, lines, line, "](" + src, 0), "image",
                                   alt=child.content.strip(), decorative=decorative))
    return found


def _link_text(children: list[Token], start: int) -> str:
    text = []
    for child in children[start + 1:]:
        if child.type == "link_close":
            break
        text.append(child.content)
    return "".join(text).strip()


def _locate(file: SourceLocation, lines: list[str], line: int, needle: str, fallback: int) -> SourceLocation:
    """The position of the ``[`` that opens a link or image whose target is ``needle``."""
    text = lines[line] if line < len(lines) else ""
    end = text.find(needle)
    column = text.rfind("[", 0, end) if end >= 0 else fallback
    if column > 0 and text[column - 1] == "!":
        column -= 1
    return file.at(line + 1, max(column, 0) + 1)


def _heading_problems(headings: list[Heading]) -> list[Diagnostic]:
    """The page title is the only h1; sections start at h2 and never skip a level."""
    problems = []
    previous = 1
    for heading in headings:
        if heading.level == 1:
            problems.append(Diagnostic(heading.location, f"level-1 heading '# {heading.text}' in a page body",
                                       "the title in the front matter is the page's only level-1 heading; use '##' here"))
        elif heading.level > previous + 1:
            problems.append(Diagnostic(heading.location, f"heading level skips from {previous} to {heading.level}",
                                       f"use '{'#' * (previous + 1)}' here, so screen-reader users do not think a section is missing"))
        previous = max(heading.level, 1)
    return problems
