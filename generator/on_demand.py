"""Each page loads the scripts and stylesheets of the ``ON_DEMAND`` components it uses, and only those.

Which components a page uses is read from the page as rendered (their markers, see
``theme.ON_DEMAND``), so it holds for every template and for markup from any source (a
module's body, the print page's sections, a theme's own templates). A component's script tag
goes right after the theme's script tag, so it runs after it (all are ``defer``, which runs in
document order) and can use ``Learnmark.register`` and the tracker; its stylesheet link goes
right after the theme's stylesheet link. A page that needs one but whose template has no such tag is a
theme error, reported at the template: left alone, its quizzes would silently not work.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2
from markupsafe import escape

from .theme import ON_DEMAND, SCRIPT, STYLESHEET, Theme, component_script, component_style

_MARKERS = {marker: name for name, markers in ON_DEMAND.items() for marker in markers}
_MARKED = re.compile("|".join(map(re.escape, _MARKERS)))
"""Any component's marker: a page is read once for all of them (a search for each took three times as long,
40 ms of a 1,000-page build)."""
SCRIPT_TAG = '<script src="{}" defer></script>'
STYLE_TAG = '<link rel="stylesheet" href="{}">'


class UnplacedComponents(jinja2.TemplateError):
    """A page uses a component whose script or stylesheet has no place to go: the theme's tag is not there."""


def with_components(html: str, theme: Theme, href: Callable[[str], str], template: str = "") -> str:
    """``html`` loading the on-demand scripts and stylesheets of ``theme`` its markup needs; ``href`` gives a
    file's address from the page (``assets/learnmark.js`` → ``../assets/learnmark.js``). Raises
    ``UnplacedComponents``, reported at ``template``, when the page needs one but lacks the theme's tag."""
    used = {_MARKERS[marker] for marker in _MARKED.findall(html)}
    scripts = [href(component_script(name)) for name in theme.scripts if name in used]
    styles = [href(component_style(name)) for name in theme.styles if name in used]
    html = _after(html, SCRIPT_TAG, href(SCRIPT), scripts, template)
    return _after(html, STYLE_TAG, href(STYLESHEET), styles, template)


def _after(html: str, tag: str, anchor: str, sources: list[str], template: str) -> str:
    """``html`` with a ``tag`` for each of ``sources`` after its ``tag`` for ``anchor``."""
    first = tag.format(escape(anchor))
    if not sources:
        return html
    if first not in html:
        error = UnplacedComponents(f"this page needs {', '.join(sources)}, which goes right after {first}, "
                                   "but the page has no such tag: keep base.html's tag as the default theme writes it")
        error.filename, error.lineno = template, 1
        raise error
    return html.replace(first, first + "".join("\n" + tag.format(escape(src)) for src in sources), 1)
