"""Small helpers over markdown-it tokens, shared by the readers of every question kind."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from markdown_it.token import Token

from ..errors import Diagnostic, SourceLocation
from ..schema import SLUG

ID_HINT = "use lower-case letters a-z, digits and single hyphens"
MARKER = re.compile(r"^\[( |x|X)\]\s+")
"""``[x] `` or ``[ ] `` at the start of a list item: a choice's mark."""
_OPTION_ID = re.compile(r"\s*\{#([^{}\s]*)\}\s*$")


def option_id(label: tuple[Token, ...], at: SourceLocation, problems: list[Diagnostic]
               ) -> tuple[tuple[Token, ...], str]:
    """Split ``是 {#yes}`` into the option's inline tokens and the id its author gave it ('' if none)."""
    if not label or label[-1].type != "text" or not (match := _OPTION_ID.search(label[-1].content)):
        return label, ""
    option_id = match.group(1)
    if not SLUG.match(option_id):
        problems.append(Diagnostic(at, f"'{option_id}' is not a valid option id", ID_HINT))
        option_id = ""
    return (*label[:-1], label[-1].copy(content=label[-1].content[:match.start()])), option_id


def strip_marker(inline: Token, length: int) -> tuple[Token, ...]:
    children = list(inline.children or [])
    if children and children[0].type == "text" and len(children[0].content) >= length:
        children[0] = children[0].copy(content=children[0].content[length:])
    return tuple(children)


def close(tokens: list[Token], index: int) -> int:
    """Index of the token that closes ``tokens[index]`` (itself when it is not an opening token)."""
    if tokens[index].nesting != 1:
        return index
    level = tokens[index].level
    return next(i for i in range(index + 1, len(tokens)) if tokens[i].nesting == -1 and tokens[i].level == level)


def slug(text: str, limit: int = 48, kind: str = "item") -> str:
    """A short id from text: lower-case words joined by hyphens, cut at a word.

    Text with no letters a-z or digits (a question in Chinese, an option that
    is only "?") gets ``<kind>-`` and eight characters of a digest of the text:
    stable while the text is, and different for different texts.
    """
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    out = ""
    for word in words:
        if out and len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    if out:
        return out
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return f"{kind}-{hashlib.sha256(normal.encode()).hexdigest()[:8]}"


def list_items(items: list[Token], file: SourceLocation):
    """Each item of a list's tokens: its location, its first inline token (None when it has no text), and the
    blocks after that line (a feedback quote, or what should not be there)."""
    index = 0
    while index < len(items):
        end = close(items, index)
        body = items[index + 1:end]
        inline = next((t for t in body[:2] if t.type == "inline"), None)
        yield file.at(items[index].map[0] + 1), inline, body[3:] if body and body[0].type == "paragraph_open" else body[1:]
        index = end + 1
