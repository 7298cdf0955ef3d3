"""Clean author HTML for courses that set ``allow_html: true``.

nh3 (ammonia) removes scripts, event handlers and ``javascript:`` URLs; we
only widen its allow-lists to keep the markup Learnmark itself generates
(heading ids, classes, ARIA on callouts and expanders).
"""

from __future__ import annotations

import nh3

from .mdplugins.deferred import MARKER

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
    """``html`` with only the allowed tags and attributes, and no marker (mdplugins/deferred.py)
    left in an attribute value, where filling it could close the value."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        filter_style_properties={"text-align"},
        link_rel=None,
        attribute_filter=_no_markers if "\ue000" in html else None,
    )


def _no_markers(element: str, attribute: str, value: str) -> str:
    return MARKER.sub("", value)
