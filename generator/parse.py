"""Parse one source file: front matter, Markdown tokens, and what they refer to.

Every heading, link and image is recorded with its file line and column so
later checks can point at it without parsing again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .discover import SourceFile
from .errors import Diagnostic, SourceLocation, collect, did_you_mean
from .markdown import BLOCK_NAMES
from .mdplugins.callouts import DETAILS, container_title
from .mdplugins.deferred import prerender
from .quiz import Quiz, Reflection, read_quiz, read_reflection
from .schema import Field, load_mapping, validate


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    location: SourceLocation


@dataclass(frozen=True)
class Reference:
    """A link or image target written by the author."""

    target: str
    location: SourceLocation
    kind: str = "link"
    """``link`` or ``image``."""
    alt: str = ""
    """Alt text (images only)."""
    decorative: bool = False
    """The author marked the image ``{.decorative}``: empty alt is intended."""
    text: str = ""
    """Link text (links only)."""


@dataclass(frozen=True)
class ParsedDocument:
    """A source file after parsing, its body already rendered but for what the course decides."""

    source: SourceFile
    meta: dict[str, Any]
    """Validated front matter, defaults filled in."""
    html: str = field(repr=False)
    """The body's HTML, with markers where ``deferred`` tokens go (see mdplugins/deferred.py)."""
    deferred: tuple[Token, ...] = field(repr=False)
    """Links, images, quizzes and reflections, rendered once the course is known."""
    headings: tuple[Heading, ...]
    references: tuple[Reference, ...]
    words: int
    quizzes: tuple[Quiz, ...] = ()
    reflections: tuple[Reflection, ...] = ()

    @property
    def location(self) -> SourceLocation:
        return self.source.location

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Ids of the page's headings: what ``#fragment`` links may point at."""
        return frozenset(h.id for h in self.headings)


def parse(source: SourceFile, md: MarkdownIt, fields: Mapping[str, Field], what: str
          ) -> tuple[ParsedDocument | None, list[Diagnostic]]:
    """Parse ``source``; front matter is checked against ``fields``."""
    env: dict = {}
    tokens = md.parse(source.text, env)
    meta, problems = _front_matter(source, tokens, fields, what)
    if meta is None:
        return None, problems
    lines = source.text.splitlines()
    headings, references, words, quizzes, reflections = [], [], 0, [], []
    for index, token in enumerate(tokens):
        at = source.location.at(token.map[0] + 1) if token.map else source.location
        if token.type == "heading_open":
            headings.append(Heading(int(token.tag[1]), tokens[index + 1].content, str(token.attrGet("id")), at))
        elif token.type == "inline":
            references += _references(token, source.location, lines)
            words += len(token.content.split())
        elif token.type == "quiz":
            quizzes.append(collect(read_quiz(token, source.location), problems))
        elif token.type == "reflection":
            reflections.append(collect(read_reflection(token, source.location), problems))
        elif token.type == f"container_{DETAILS}_open" and not container_title(token.info):
            problems.append(Diagnostic(at, "expander has no summary",
                                       "write the text the learner clicks after the name: '::: details Read more about mentoring'"))
        elif token.type == "paragraph_open" and tokens[index + 1].content.startswith(":::"):
            name = tokens[index + 1].content[3:].strip().split(None, 1)
            if name and name[0] not in BLOCK_NAMES:
                problems.append(Diagnostic(at, f"unknown block '::: {name[0]}'", did_you_mean(name[0], BLOCK_NAMES)))
    problems += _heading_problems(headings)
    html, deferred = prerender(md, tokens, env)
    document = ParsedDocument(source, meta, html, deferred, tuple(headings), tuple(references), words,
                              tuple(quizzes), tuple(reflections))
    return document, problems


def _front_matter(source: SourceFile, tokens: list[Token], fields: Mapping[str, Field], what: str
                  ) -> tuple[dict | None, list[Diagnostic]]:
    token = next((t for t in tokens[:1] if t.type == "front_matter"), None)
    if token is None:
        return None, [Diagnostic(source.location, f"{what} has no front matter",
                                 "start the file with a '---' line, then 'title: ...', then another '---' line")]
    first = token.map[0] + 2  # 1-based line of the first line inside the '---' fence
    locate = lambda mark: source.location.at(first + mark.line, mark.column + 1)  # noqa: E731
    node, problems = load_mapping(token.content, locate, "front matter")
    if problems:
        return None, problems
    meta, problems = validate(node, fields, locate, source.location, "front matter")
    return (None if problems else meta), problems


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
