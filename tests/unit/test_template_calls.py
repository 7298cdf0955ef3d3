"""The theme's templates call functions and macros, and find the templates they import, as Jinja2 does
(generator/templating.py)."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from generator import templating
from generator.templating import TemplateContext, ThemeEnvironment

TEMPLATE = """\
{%- macro box(title, kind="note") -%}<{{ kind }}>{{ title }}{% if caller is defined %}[{{ caller() }}]{% endif %}</{{ kind }}>
{%- endmacro -%}
{{ plain("a<b") }} {{ keyword(x=1, y="<") }} {{ box("t") }} {{ box("u", kind="aside") }}
{%- call box("v") %}inner {{ plain("c") }}{% endcall %}
{% for item in items %}{% set inner = item ~ "!" %}{{ seen("inner") }}/{{ evaluated() }}/{{ environmental() }}/\
{{ method(item) }} {% endfor %}
{% block part %}{% set local = "in block" %}{{ seen("local") }}{% endblock %} {{ seen("local") }}
{{ callable_object(2) }} {{ builtin([3, 1, 2]) }}
{{ stops() is undefined }} {{ lambda_() }}
"""


class Counter:
    def __init__(self):
        self.calls = 0

    def count(self, item):
        self.calls += 1
        return f"{item}#{self.calls}"


class Doubler:
    def __call__(self, n):
        return n * 2


@jinja2.pass_context
def seen(context, name):
    """What the context says ``name`` is: set in a loop or a block, a context function sees it."""
    return context.get(name, "unset")


def globals_() -> dict:
    def stops():
        raise StopIteration

    return {
        "plain": lambda text: f"<{text}>",
        "keyword": lambda x, y: f"{x}{y}",
        "seen": seen,
        "evaluated": jinja2.pass_eval_context(lambda eval_ctx: f"auto={eval_ctx.autoescape}"),
        "environmental": jinja2.pass_environment(lambda env: f"env={isinstance(env, jinja2.Environment)}"),
        "method": Counter().count,
        "callable_object": Doubler(),
        "builtin": sorted,
        "stops": stops,
        "lambda_": lambda: "λ",
        "items": ["x", "<y>"],
    }


@pytest.mark.parametrize("autoescape", [True, False])
def test_every_kind_of_call_renders_as_with_jinja2_s_own_context(autoescape):
    ours, theirs = (kind(autoescape=autoescape, undefined=jinja2.StrictUndefined) for kind in
                    (ThemeEnvironment, jinja2.Environment))
    assert ours.context_class is TemplateContext and theirs.context_class is not TemplateContext
    rendered = [env.from_string(TEMPLATE, globals=globals_()).render() for env in (ours, theirs)]
    assert rendered[0] == rendered[1]
    assert "<note>v[inner" in rendered[0] and "x#1" in rendered[0] and "auto=" in rendered[0]
    assert "x!/" in rendered[0] and "in block unset" in rendered[0] and "env=True" in rendered[0]


def test_a_call_that_fails_fails_as_with_jinja2_s_own_context():
    for env in (ThemeEnvironment(), jinja2.Environment()):
        with pytest.raises(TypeError, match="missing 1 required positional argument"):
            env.from_string("{{ plain() }}", globals=globals_()).render()


@pytest.mark.parametrize("auto_reload", [False, True])
def test_a_template_is_found_again_as_jinja2_finds_it(auto_reload):
    sources = {"page.html": "{% from 'macros.html' import hello %}{{ hello() }}",
               "macros.html": "{% macro hello() %}hello{% endmacro %}"}
    found = {}
    for kind in (ThemeEnvironment, jinja2.Environment):
        texts = dict(sources)
        env = kind(loader=jinja2.FunctionLoader(lambda name, texts=texts: (texts[name], name, lambda: False)),
                   auto_reload=auto_reload)
        first = env.get_template("page.html").render()
        texts["macros.html"] = "{% macro hello() %}changed{% endmacro %}"
        again = env.get_template("page.html").render()
        with_globals = env.get_template("page.html", globals={"extra": 1})
        found[kind] = (first, again, with_globals.globals.get("extra"), env.get_template("page.html") is with_globals)
    assert found[ThemeEnvironment] == found[jinja2.Environment]
    assert found[ThemeEnvironment][1] == ("changed" if auto_reload else "hello")


def test_a_missing_template_is_reported_every_time_it_is_asked_for():
    env = ThemeEnvironment(loader=jinja2.DictLoader({}))
    for _ in range(2):
        with pytest.raises(jinja2.TemplateNotFound):
            env.get_template("missing.html")


class Safe:
    def __html__(self):
        return "<i>safe</i>"


class Marked(markupsafe.Markup):
    pass


@pytest.mark.parametrize("value", ["", "plain", "<a href=\"x\">'&'</a>", "λ < μ", markupsafe.Markup("<b>&amp;</b>"),
                                   markupsafe.Markup(""), Marked("<i>&lt;</i>"), Safe(), 42, True, 4.5, None,
                                   jinja2.Undefined(), ["<"]])
def test_values_are_escaped_as_markupsafe_escapes_them(value):
    ours, theirs = templating.escape(value), markupsafe.escape(value)
    assert (ours, type(ours)) == (theirs, type(theirs))


def test_a_themes_templates_escape_with_the_quicker_escape_however_they_are_loaded(tmp_path):
    """Compiled from source, or taken from the bytecode cache."""
    (tmp_path / "t.html").write_text("{{ value }}")
    for _ in range(2):  # the second time from the cache the first wrote
        env = ThemeEnvironment(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True,
                               bytecode_cache=jinja2.FileSystemBytecodeCache(str(tmp_path)))
        template = env.get_template("t.html")
        assert template.render(value="<&>") == "&lt;&amp;&gt;"
        assert template.root_render_func.__globals__["escape"] is templating.escape
