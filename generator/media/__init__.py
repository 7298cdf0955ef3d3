"""Files from content/ that pages publish (``files``), and the ``::: video``/``::: audio`` items that play them
(``items`` reads them, ``webvtt`` checks their captions, ``checks`` the rest once the course is known)."""

from .files import (KIND_TYPES, PUBLISHED, SNIFF_HINT, SVG_HINT, SVG_NS, content_problem, published_types,
                    suffix_problem, svg_problem)

__all__ = ["KIND_TYPES", "PUBLISHED", "SNIFF_HINT", "SVG_HINT", "SVG_NS", "content_problem", "published_types",
           "suffix_problem", "svg_problem"]
