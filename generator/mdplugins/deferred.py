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
"""

from __future__ import annotations

import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MARK = "\ue000learnmark-deferred-{}\ue001"
_MARKS = re.compile("\ue000learnmark-deferred-(\\d+)\ue001")


def deferrable(rule: Callable) -> Callable:
    """Wrap a render rule so a deferring render records its token instead of running it."""
    def render(self, tokens, idx, options, env):
        deferred = env.get("deferred")
        if deferred is None:
            return rule(self, tokens, idx, options, env)
        deferred.append(tokens[idx])
        return _MARK.format(len(deferred) - 1)
    return render


def prerender(md: MarkdownIt, tokens: list[Token], env: dict) -> tuple[str, tuple[Token, ...]]:
    """The HTML of ``tokens`` with markers for deferred tokens, and those tokens in order."""
    deferred: list[Token] = []
    html = md.renderer.render(tokens, md.options, {**env, "deferred": deferred})
    return html, tuple(deferred)


def fill(md: MarkdownIt, html: str, deferred: tuple[Token, ...], env: dict,
         only: Callable[[Token], bool] = lambda token: True) -> str:
    """Put back each deferred token that ``only`` accepts, rendered now with ``env``.

    Markers are filled left to right, so rules that pair up (a dropped link's
    open and close) see each other in order. Markers not accepted stay, for a
    later ``fill``.
    """
    def render(match: re.Match) -> str:
        token = deferred[int(match.group(1))]
        if not only(token):
            return match.group(0)
        return md.renderer.rules[token.type]([token], 0, md.options, env)
    return _MARKS.sub(render, html)
