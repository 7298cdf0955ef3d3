"""Each page loads the scripts of the ``ON_DEMAND`` components it uses, and only those.

Which components a page uses is read from the page as rendered (their markers, see
``theme.ON_DEMAND``), so it holds for every template and for markup from any source (a
module's body, the print page's sections, a theme's own templates). Their script tags go
right after the theme's script tag, so they run after it (all are ``defer``, which runs in
document order) and can use ``Learnmark.register`` and the tracker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import escape

from .theme import ON_DEMAND


def with_component_scripts(html: str, script_tag: str, scripts: Mapping[str, str], href: Callable[[str], str]) -> str:
    """``html`` with a ``<script defer>`` for each of ``scripts`` (component names) its markup needs, placed after
    ``script_tag`` (the page's tag for the theme's script; a page without it is left as it is). ``href`` gives a
    component's script address from the page."""
    needed = [name for name in scripts if any(marker in html for marker in ON_DEMAND.get(name, ()))]
    if not needed or script_tag not in html:
        return html
    tags = "".join(f'\n<script src="{escape(href(name))}" defer></script>' for name in needed)
    return html.replace(script_tag, script_tag + tags, 1)
