"""A page through the compiled front end: what generator/parse.py would get from markdown-it-py, or None.

The crate (native/src/body.rs) writes the body's HTML with the deferred holes and lists what the parse stage
reads (headings, links, images, ``:::`` lines and blocks) in one pass; here the front matter is split as
mdit-py-plugins' rule splits it, and the deferred tokens are made as markdown-it-py makes them. Wherever the two
parsers could differ (the crate declines; raw HTML on; line ends Python and markdown-it-py count differently;
front matter closed by ``...``; a link markdown-it-py would refuse), the answer is None and markdown-it-py parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.token import Token

from . import native
from ..markdown import BLOCK_NAMES, heading_id
from ..mdplugins.blocks import BLOCKS
from ..mdplugins.callouts import LABEL
from ..mdplugins.deferred import Deferred, marker_ends, new_nonce

_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)
"""A link reference definition: markdown-it-py parses a block's lines on their own (see ``_block``), where the
definitions elsewhere on the page would be missing."""
_TABS_AND_BREAKS = re.compile(r"\\ *\n|\t")
"""What the two parsers read differently: a backslash at a line's end, spaces after it or not (a hard break, or,
where no line follows in the paragraph, a backslash, which pulldown-cmark 0.9 drops), and tabs (which count
towards a hard break in one and not the other, and expand differently in indentation and after list markers)."""


def _other_line_ends(text: str, lines: list[str]) -> bool:
    """Whether ``text`` has characters markdown-it-py rewrites (CR, NUL) or that end a line for Python's
    ``splitlines`` (its ``lines``) but not for markdown-it-py (form feed, U+2028...): the lines the parse stage
    reads must be the parser's lines. Compared rather than searched for: a search for ten characters, some
    beyond ASCII, took a tenth of the crate's time."""
    joined = "\n".join(lines)
    return "\0" in text or (text != joined and text != joined + "\n")


@dataclass(frozen=True)
class Compiled:
    """A page as generator/parse.py reads it: markdown-it-py's front matter token, the body's HTML with markers,
    the deferred tokens, what its scan records (see native/src/body.rs ``page``) and the body's words."""

    front: Token
    html: str
    deferred: Deferred
    items: list[tuple]
    words: int


def compile_page(md: MarkdownIt, text: str, lines: list[str]) -> Compiled | None:
    """``text`` (its ``lines``, as ``str.splitlines`` cuts them) through the crate, or None where markdown-it-py
    must parse it."""
    crate = native()
    if (crate is None or md.options["html"] or _other_line_ends(text, lines)
            or ("]:" in text and _DEFINITION.search(text))):
        return None
    front = _front_matter(lines)
    if front is None:
        return None
    close = front.map[1] - 1
    body = "\n".join(lines[close + 1:]) + "\n"
    if ("\t" in body or "\\" in body) and _TABS_AND_BREAKS.search(body):
        return None
    nonce = new_nonce()
    try:
        made = crate.page(body, close + 2, list(BLOCK_NAMES), list(BLOCKS), marker_ends(nonce), heading_id)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a panic in the crate (pyo3's PanicException): markdown-it-py parses it
        return None
    if made is None:
        return None
    html, raw, items, words = made
    deferred = []
    for entry in raw:
        token = _token(md, entry, lines)
        if token is None:
            return None
        deferred.append(token)
    items = [(item[0], _target(item[1]), *item[2:]) if item[0] in ("link", "image") else item for item in items]
    return Compiled(front, html, Deferred(deferred, nonce), items, words)


_PLAIN = re.compile(r"(?:https?://(?:[a-z0-9-]{1,63}\.){0,3}[a-z0-9-]{1,63}(?=[/?#]|\Z))?(?!//)"
                    r"[A-Za-z0-9;/?&=+$,\-_.!~*'()#]*\Z")
"""A target ``normalizeLink`` gives back as it is, and ``validateLink`` accepts: a path (with a query and a
fragment) of characters it never escapes, no ``%``, ``:`` or ``@``, not ``//`` (a host), after an ``http(s)://``
host of lower-case ASCII labels at most. Most of a course's targets; ``normalizeLink`` costs 25 µs each."""


@lru_cache(maxsize=4096)
def _target(written: str) -> str | None:
    """A link's or image's target as markdown-it-py's token holds it, or None where it refuses the target
    (``javascript:``, say). A course links to the same pages and images again and again."""
    if _PLAIN.match(written):
        return written
    target = normalizeLink(written)
    return target if validateLink(target) else None


def _token(md: MarkdownIt, entry: tuple, lines: list[str]) -> Token | None:
    """A deferred token as markdown-it-py makes it; None for a link target it would refuse."""
    kind = entry[0]
    if kind == "link_open":
        _, href, title, level = entry
        if (href := _target(href)) is None:
            return None
        token = Token("link_open", "a", 1, attrs={"href": href}, level=level)
        if title:
            token.attrSet("title", title)
        return token
    if kind == "link_close":
        return Token("link_close", "a", -1, level=entry[1])
    if kind == "image":
        _, src, title, alt, label, classes, level = entry
        if (src := _target(src)) is None:
            return None
        token = Token("image", "img", 0, attrs={"src": src, "alt": ""}, content=label, level=level,
                      children=[Token("text", "", 0, content=alt)] if alt else [])
        if title:
            token.attrSet("title", title)
        if classes:
            token.attrSet("class", classes)
        return token
    if kind == "label":
        return Token(LABEL, "", 0, meta={"label": entry[1]})
    return _block(md, *entry[1:], lines)


def _block(md: MarkdownIt, first: int, last: int, lines: list[str]) -> Token | None:
    """A quiz, reflection or media block on lines ``first`` to ``last`` (0: to the end) of the page, parsed by
    markdown-it-py on its own: the token (its inner tokens in ``meta["tokens"]``) the page's parse makes of it."""
    tokens = md.parse("\n".join(lines[first - 1:last or len(lines)]) + "\n", {})
    if len(tokens) != 1 or tokens[0].type not in BLOCKS:
        return None
    token = tokens[0]
    for each in (token, *token.meta["tokens"]):
        if each.map:
            each.map = [each.map[0] + first - 1, each.map[1] + first - 1]
    return token


def _front_matter(lines: list[str]) -> Token | None:
    """mdit-py-plugins' front matter token for a page starting with a ``---`` line, or None (no front matter,
    or one closed by ``...`` or opened by more than a plain ``---``: markdown-it-py decides those)."""
    if not lines or lines[0] != "---":
        return None
    for close in range(1, len(lines)):
        line = lines[close]
        rest = line.lstrip(" \t")
        indent = len(line) - len(rest)
        if "\t" in line[:indent]:
            return None
        if indent == 0 and rest.startswith("...") and not rest[3:].strip(" \t"):
            return None
        if not rest.startswith("-") or indent >= 4:
            continue
        dashes = len(rest) - len(rest.lstrip("-"))
        if dashes >= 3 and not rest[dashes:].strip(" \t"):
            return Token("front_matter", "", 0, content="\n".join(lines[1:close]), markup="---", block=True,
                         hidden=True, map=[0, close + 1])
    return None
