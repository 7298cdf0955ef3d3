"""The one configured Markdown parser: CommonMark plus Learnmark's extensions."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .mdplugins.callouts import CALLOUTS, DETAILS, callouts_plugin
from .mdplugins.blocks import BLOCKS, blocks_plugin
from .mdplugins.containers import containers_plugin
from .mdplugins.hrefs import hrefs_plugin

BLOCK_NAMES = (*CALLOUTS, DETAILS, *BLOCKS)
"""Names allowed after ``:::``; anything else is reported as a typo."""


_RESERVED_ID = re.compile(r"^(main|modules|lm-.*|quiz-.*|reflection-.*|fn\d+|fnref\d+(:\d+)?)$")
"""Ids the theme and the footnote plugin use; a heading never takes one. The quiz and reflection
components name their parts ``quiz-<id>-…`` and ``reflection-<id>-…`` (see their macro.html)."""


def heading_id(text: str) -> str:
    """GitHub-style slug of a heading, kept clear of the ids the page itself uses. The compiled front end makes
    the same of an ASCII title itself (native/src/body.rs ``heading_id``): a change here goes there too."""
    slug = slugify(text) or "section"
    return f"{slug}-section" if _RESERVED_ID.match(slug) else slug


def make_markdown(allow_html: bool = False) -> MarkdownIt:
    """A parser for course pages.

    Raw HTML is off unless the course opts in (then ``sanitise`` cleans it),
    because markdown-it passes ``<script>`` through untouched when it is on.
    """
    md = (
        MarkdownIt("commonmark", {"html": allow_html})
        .enable("table")
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin, after=("image",), allowed=("class",))
        .use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_id)
        .use(containers_plugin, BLOCK_NAMES)
        .use(callouts_plugin)
        .use(blocks_plugin)
        .use(hrefs_plugin)
    )
    return md
