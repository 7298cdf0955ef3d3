"""Clean author HTML for courses that set ``allow_html: true``.

nh3 (ammonia) removes scripts, event handlers and ``javascript:`` URLs; we
only widen its allow-lists to keep the markup Learnmark itself generates
(heading ids, classes, ARIA on callouts and expanders).
"""

from __future__ import annotations

import nh3

_TAGS = nh3.ALLOWED_TAGS | {"details", "summary", "section", "figure", "figcaption", "mark", "aside"}
_GLOBAL = {"id", "class", "role", "lang", "dir", "title", "aria-label", "aria-labelledby",
           "aria-describedby", "aria-hidden"}
_ATTRIBUTES = {
    "*": _GLOBAL,
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start", "reversed", "type"},
    "details": {"open"},
}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )
