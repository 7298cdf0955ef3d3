"""Render a page's Markdown once, at parse time, leaving holes for what only the course knows.

Most of a page's HTML follows from its own source, but where its links point,
how big its images are and how its quizzes are drawn depend on the rest of the
course (and on the theme), known only after every page is parsed. Rendering
with ``env["deferred"] = []`` makes each rule wrapped by ``deferrable`` write
a marker and keep its token instead; ``fill`` later runs the real rule on that
token with the real env. A parsed page so keeps a few kilobytes of HTML and a
handful of tokens rather than its whole token stream: that is what makes a
parse cheap to send between processes, to cache on disk and to hold in memory
for thousands of pages.

Markers are in the same string as the author's text, so an author must never
be able to write one, nor to place a real one where filling it would change
what the page means:

- Every render draws a secret ``nonce`` (random, 96 bits) and only markers
  carrying it are filled. It is made after the author's text is read, so no
  text can contain it. It travels with the tokens (``Deferred.nonce``), so a
  page parsed by a worker process or kept in the parse cache is filled with
  the nonce it was rendered with.
- A marker is filled only where it stands in text; one inside a tag (in an
  attribute value, say) is removed instead. What fills a marker is markup,
  and markup dropped into an attribute value could close it and add others.
- A marker whose token is missing is removed, never an error.

Author HTML (``allow_html``) is sanitised before any marker is filled, so
what fills them is never parsed together with the author's markup.
"""

from __future__ import annotations

import copyreg
import re
import secrets
from dataclasses import fields
from operator import attrgetter
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

_OPEN, _CLOSE = "\ue000", "\ue001"
_NONCE_BYTES = 12
MARKER = re.compile(_OPEN + "([0-9a-f]{%d})-([0-9]{1,9})" % (2 * _NONCE_BYTES) + _CLOSE)
"""Anything shaped like a marker, whatever its nonce."""
MARKER_SHAPE = (_OPEN, 2 * _NONCE_BYTES, _CLOSE)
"""``MARKER`` for the compiled search words (native/src/search.rs): its ends and its nonce's hex digits."""


class Deferred(tuple):
    """The deferred tokens of one render, in marker order, and the nonce its markers carry."""

    nonce: str

    def __new__(cls, tokens=(), nonce: str = ""):
        self = super().__new__(cls, tokens)
        self.nonce = nonce
        return self

    def __reduce__(self):  # pickled (parse cache, worker processes) with its nonce
        return Deferred, (tuple(self), self.nonce)


_FIELDS = attrgetter(*(field.name for field in fields(Token)))
"""A token's fields' values, in the order ``Token`` takes them."""

# A token pickled as ``Token(*values)``, not as a class and a dict of its fields by name: a 1,000-page course's
# 10,000 deferred tokens pickle in 23 ms rather than 49, load in 28 rather than 43, and take 1.3 MB rather than
# 2.0 (bench/README.md, issue 18). Tokens in tokens (an image's text, a quiz's) are pickled the same way.
copyreg.pickle(Token, lambda token: (Token, _FIELDS(token)))


def deferrable(rule: Callable) -> Callable:
    """Wrap a render rule so a deferring render records its token instead of running it."""
    def render(self, tokens, idx, options, env):
        deferred = env.get("deferred")
        if deferred is None:
            return rule(self, tokens, idx, options, env)
        deferred.append(tokens[idx])
        before, after = marker_ends(env["deferred_nonce"])
        return f"{before}{len(deferred) - 1}{after}"
    return render


def marker_ends(nonce: str) -> tuple[str, str]:
    """What a marker carrying ``nonce`` has before and after its token's index (the compiled front end writes
    markers too: see generator/compiled/page.py)."""
    return f"{_OPEN}{nonce}-", _CLOSE


def new_nonce() -> str:
    """A render's secret: only markers carrying it are filled."""
    return secrets.token_hex(_NONCE_BYTES)


def prerender(md: MarkdownIt, tokens: list[Token], env: dict) -> tuple[str, Deferred]:
    """The HTML of ``tokens`` with markers for deferred tokens, and those tokens in order."""
    deferred: list[Token] = []
    nonce = new_nonce()
    html = md.renderer.render(tokens, md.options, {**env, "deferred": deferred, "deferred_nonce": nonce})
    return html, Deferred(deferred, nonce)


def fill(md: MarkdownIt, html: str, deferred: Deferred, env: dict,
         only: Callable[[Token], bool] = lambda token: True) -> str:
    """Put back each deferred token that ``only`` accepts, rendered now with ``env``.

    ``html`` is what ``prerender`` made, or that after ``sanitise``: in both,
    text never holds a raw ``<`` or ``>``, so a marker is in a tag exactly
    when the last ``<`` before it is after the last ``>``. (Markdown-it
    escapes both in text and attribute values; the sanitiser escapes them in
    text and takes markers out of attribute values.)

    Markers are filled left to right, so rules that pair up (a dropped link's
    open and close) see each other in order. Markers not accepted stay, for a
    later ``fill``. Only markers with ``deferred``'s nonce are touched: any
    other text, whatever it looks like, is left exactly as it is.
    """
    nonce = getattr(deferred, "nonce", "")
    if not nonce or _OPEN not in html:
        return html

    def render(match: re.Match) -> str:
        if match.group(1) != nonce:
            return match.group(0)  # the author's own text, whatever it looks like
        start = match.start()
        index = int(match.group(2))
        if html.rfind("<", 0, start) > html.rfind(">", 0, start) or index >= len(deferred):
            return ""  # filled inside a tag, markup could close the attribute the marker is in
        token = deferred[index]
        if not only(token):
            return match.group(0)
        return md.renderer.rules[token.type]([token], 0, md.options, env)
    return MARKER.sub(render, html)
