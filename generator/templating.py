"""The Jinja2 environment a theme's templates render in: Jinja2's own, with four of its hot paths made short.

Each page's templates make about fifty calls and look up ten templates for their imports, and each import
compares the globals. Each piece here does what Jinja2 does there, more quickly: tests/unit/test_template_calls.py
renders the same templates with Jinja2's own environment and compares, test_navigation.py checks the globals.
"""

from __future__ import annotations

from collections import ChainMap
from functools import partial
from types import FunctionType

import jinja2
import markupsafe
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg
from markupsafe import Markup


class Globals(ChainMap):
    """A template's globals, whose ``keys()`` is a set: Jinja2 subtracts them from its context's on every
    ``{% import %}``, and through ChainMap's own view that took a tenth of rendering a page."""

    def keys(self):
        return set().union(*self.maps)


class TemplateContext(Context):
    """A template's context, whose ``call`` finds what a plain function or a macro is to be passed at once.

    Every ``{{ f(...) }}`` and macro call of a template is ``context.call(f, ...)``, fifty a page, and Jinja2's
    asks each callable, then its ``__call__``, for ``jinja_pass_arg``: lookups that fail, raising inside, and
    took 2 of the 2.3 µs of a call. A function keeps that attribute in its ``__dict__``, and a macro's
    ``__call__`` has it; what is passed, and how, is then as Jinja2's does it. Other callables go to Jinja2's.
    """

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's names, so no keyword argument clashes
        kind = type(__obj)
        if kind is FunctionType:
            passed = __obj.__dict__.get("jinja_pass_arg")
        elif kind is Macro:
            __obj, passed = __obj.__call__, _MACRO_PASSES
        else:
            return super().call(__obj, *args, **kwargs)
        if passed is _PassArg.context:
            if kwargs.get("_loop_vars"):
                __self = __self.derived(kwargs["_loop_vars"])
            if kwargs.get("_block_vars"):
                __self = __self.derived(kwargs["_block_vars"])
            args = (__self, *args)
        elif passed is _PassArg.eval_context:
            args = (__self.eval_ctx, *args)
        elif passed is _PassArg.environment:
            args = (__self.environment, *args)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


_MACRO_PASSES = _PassArg.from_obj(Macro.__call__)


_markup = partial(str.__new__, Markup)
_escaped = getattr(markupsafe, "_escape_inner", None)
"""What markupsafe 3's ``escape`` does to a ``str``, in C (markupsafe 2's ``escape`` is C through and through)."""


def escape(value) -> Markup:
    """``markupsafe.escape``, making the ``Markup`` of a plain string without calling ``Markup``'s own ``__new__``:
    an autoescaped template escapes every ``{{ value }}`` it writes, a hundred a page, and that was a third of each
    escape. ``Markup(text)`` of a ``str`` is ``str.__new__(Markup, text)``. A ``Markup`` (a third of a page's values:
    what macros and filters return) is escaped already, and markupsafe would only copy it. Anything else goes to
    markupsafe."""
    kind = type(value)
    if kind is str:
        return _markup(_escaped(value))
    if kind is Markup:
        return value
    return markupsafe.escape(value)


class ThemeTemplate(jinja2.Template):
    """A theme's template, whose ``{{ value }}`` escapes with ``escape`` above: the name its compiled code looks up
    when it writes a value (Jinja2 imports markupsafe's into that code's globals)."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if _escaped is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape
        return template


class ThemeEnvironment(jinja2.Environment):
    """A theme's environment (``theme.load_theme`` makes it): its templates render with the pieces above."""

    context_class = TemplateContext
    template_class = ThemeTemplate

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, jinja2.Template] = {}

    def make_globals(self, d):
        return Globals({} if d is None else d, self.globals)

    def _load_template(self, name, globals):
        """Jinja2's, a template it loaded found again in a plain dict, not its LRU cache (a lock, a weak reference
        made and the entry moved, on every lookup): a page's ``{% from %}`` imports look up ten templates. Where
        templates may change (``auto_reload``), or with globals of its own, as Jinja2 does it."""
        if globals or self.auto_reload:
            return super()._load_template(name, globals)
        found = self._loaded.get(name)
        if found is None:
            found = self._loaded[name] = super()._load_template(name, globals)
        return found
