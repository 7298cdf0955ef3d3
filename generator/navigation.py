"""The module navigation, drawn once per module, not once per page.

Every page of a module shows the same list of the module's pages, with the page itself marked
``aria-current``. Drawing the theme's ``module_nav`` macro for each of a thousand pages was a tenth
of rendering; the list is the same for every page of a module (they share a folder, so even the
relative links are the same), so it is drawn once with no page current, and each page marks its own
entry, found by its ``data-page-key``. A theme whose macro does not mark entries that way is drawn
in full for every page, as before: the output is the macro's either way.
"""

from __future__ import annotations

import weakref

import jinja2
from markupsafe import Markup, escape

from .model import Document, Module

MACRO = "components/module-nav/macro.html"
_KEPT = 4096
"""Navigations kept per theme environment before starting afresh (the preview's edits change titles)."""
_drawn: weakref.WeakKeyDictionary[jinja2.Environment, dict] = weakref.WeakKeyDictionary()


def module_nav(env: jinja2.Environment, page_url: str):
    """The ``module_nav(module, current, url, print_url)`` that the page at ``page_url`` draws its
    module's navigation with: the theme's macro of that name, drawn once per module and folder."""
    def draw(module: Module, current: Document, url, print_url: str = "") -> Markup:
        macro = env.get_template(MACRO).module.module_nav
        docs = (module, *module.pages)
        key = (module.id, page_url.rpartition("/")[0], print_url, tuple((d.url, d.title) for d in docs))
        drawn = _drawn.setdefault(env, {})
        if len(drawn) > _KEPT:
            drawn.clear()
        html = drawn.get(key)
        if html is None:
            html = drawn[key] = str(macro(module=module, current=None, url=url, print_url=print_url))
        entry = f'data-page-key="{escape(module.id)}/{escape("index" if current is module else current.id)}"'
        if html.count(entry) != 1 or "aria-current" in html:  # not the default theme's markup: draw it in full
            return macro(module=module, current=current, url=url, print_url=print_url)
        return Markup(html.replace(entry, entry + ' aria-current="page"'))
    return draw
