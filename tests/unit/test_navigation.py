"""The module navigation drawn once per module (generator/navigation.py) is exactly the macro's, per page."""

from __future__ import annotations

import jinja2
import pytest

from generator import navigation
from generator.build import build
from generator.theme import DEFAULT_THEME, load_theme
from generator.urls import relative_url
from tests.conftest import REPO


@pytest.fixture(scope="module")
def course():
    return build(REPO).course


def test_each_page_gets_the_macro_s_own_navigation(course):
    env = load_theme(DEFAULT_THEME).env
    macro = env.get_template(navigation.MACRO).module.module_nav
    for module in course.modules:
        for doc in (module, *module.pages):
            url = lambda target, here=doc.url: relative_url(here, target)  # noqa: E731
            drawn = navigation.module_nav(env, doc.url)(module=module, current=doc, url=url, print_url="print.html")
            assert str(drawn) == str(macro(module=module, current=doc, url=url, print_url="print.html"))
            assert str(drawn).count('aria-current="page"') == 1


def test_a_theme_marking_pages_its_own_way_is_drawn_in_full(course):
    env = jinja2.Environment(loader=jinja2.DictLoader({navigation.MACRO: (
        "{% macro module_nav(module, current, url, print_url='') %}<ul>{% for p in module.pages %}"
        "<li{% if p is sameas current %} class=here{% endif %}>{{ p.title }}</li>{% endfor %}</ul>{% endmacro %}")}))
    module = course.modules[0]
    for page in module.pages:
        drawn = str(navigation.module_nav(env, page.url)(module=module, current=page, url=str))
        assert f"<li class=here>{page.title}</li>" in drawn
        assert drawn.count("class=here") == 1


def test_templates_see_globals_set_after_they_were_loaded_and_imports_reuse_their_module():
    """The theme's environment gives templates their globals as a ChainMap whose keys() is a set (Jinja2
    subtracts them on every {% import %}): what was set later still reaches them, and an import without
    context still reuses the macro module rather than making it again."""
    env = load_theme(DEFAULT_THEME).env
    template = env.from_string('{% import "components/header/macro.html" as header %}{{ later }}')
    env.globals["later"] = "set after loading"
    assert template.render() == "set after loading"
    assert isinstance(template.globals.keys(), set) and "later" in template.globals.keys()
    imported = env.get_template("components/header/macro.html")
    context = template.new_context()
    assert imported._get_default_module(context) is imported._get_default_module(context)
