"""``theme:`` as a mapping: overrides, brand colour (checked for contrast), logo and favicon; and a branded course."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.branding import DARK_USES, USES, dark_shade, passes
from generator.build import build, check
from generator.colour import contrast, luminance, nearest_passing, parse_hex, to_hex
from generator.config import load_config
from generator.scorm.package import package_course
from tests.conftest import REPO, SITE

from .helpers import errors_of, hints_of

BRANDED = Path(__file__).parent.parent / "fixtures" / "branded-course"
LOGO = "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><rect width='40' height='20'/></svg>"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def with_theme(project, theme: str):
    project.write("site.yaml", SITE + theme)
    return project


# --- site.yaml forms and their errors -----------------------------------------------------------------------

def test_a_plain_theme_name_stays_valid(project):
    with_theme(project, "theme: default\n")
    config, problems = load_config(project.root)
    assert config.theme == "default" and config.overrides_dir is None and not config.branding.colour
    assert [d for d in problems if d.severity == "error"] == []


def test_the_mapping_form_is_read(project):
    project.write("content/logo.svg", LOGO)
    (project.root / "brand").mkdir()
    with_theme(project, 'theme:\n  name: default\n  overrides: brand\n  brand:\n    colour: "#005EB8"\n'
                        '    logo: {src: content/logo.svg, alt: Test Trust}\n')
    config, problems = load_config(project.root)
    assert [d for d in problems if d.severity == "error"] == []
    assert config.theme == "default" and config.overrides_dir == project.root / "brand"
    assert (config.branding.colour, config.branding.logo, config.branding.logo_alt) == (
        "#005eb8", "content/logo.svg", "Test Trust")


def test_an_unknown_key_is_an_error_at_its_line_with_did_you_mean(project):
    with_theme(project, "theme:\n  name: default\n  brand:\n    colur: '#005eb8'\n")
    assert errors_of(project.root) == ["site.yaml:10:5: error: unknown key 'colur' in 'theme: brand'"]
    assert hints_of(project.root) == ["did you mean 'colour'?"]


def test_an_unknown_theme_key_is_an_error_too(project):
    with_theme(project, "theme:\n  nmae: default\n")
    assert errors_of(project.root) == ["site.yaml:8:3: error: unknown key 'nmae' in 'theme'"]
    assert hints_of(project.root) == ["did you mean 'name'?"]


@pytest.mark.parametrize("value", ["'005eb8'", "'#05eb8z'", "blue", "'rgb(0,94,184)'"])
def test_a_colour_that_is_not_hex_is_an_error(project, value):
    with_theme(project, f"theme:\n  brand:\n    colour: {value}\n")
    (error,) = errors_of(project.root)
    assert error.startswith("site.yaml:9:13: error: '") and error.endswith("' is not a colour")
    assert "hex colour in quotes" in hints_of(project.root)[0]


def test_a_colour_without_enough_contrast_names_the_ratio_and_the_nearest_shade_that_passes(project):
    with_theme(project, "theme:\n  brand:\n    colour: '#7fb2e5'\n")
    assert errors_of(project.root) == ["site.yaml:9:13: error: brand colour #7fb2e5 on #ffffff is 2.2:1; text needs "
                                       "4.5:1 (the header's text, light and dark schemes)"]
    (hint,) = hints_of(project.root)
    suggestion = hint.rsplit(" ", 1)[1]
    assert hint.startswith("the nearest shade that passes everywhere it is used is #")
    assert passes(parse_hex(suggestion)) and contrast(parse_hex(suggestion), parse_hex("#ffffff")) >= 4.5
    with_theme(project, f"theme:\n  brand:\n    colour: '{suggestion}'\n")
    build(project.root)  # the suggestion builds


def test_a_dark_colour_passes_text_but_a_light_boundary_check_can_fail():
    """#e0a000 (amber) fails text; a very light grey fails both; NHS blue passes all."""
    assert passes(parse_hex("#005eb8")) and not passes(parse_hex("#e0a000")) and not passes(parse_hex("#eeeeee"))


def test_the_suggested_shade_keeps_the_hue_and_is_the_nearest():
    amber = parse_hex("#e0a000")
    shade = nearest_passing(amber, passes)
    assert shade is not None and passes(shade)
    assert shade[0] > shade[1] > shade[2]  # still an orange: red above green above blue


# --- the dark scheme's boundaries: colour_dark, or a lighter shade of colour ---------------------------------

def theme_tokens(scheme: str) -> dict[str, tuple]:
    """The default theme's colour custom properties in a scheme, as base.css sets them."""
    css = re.sub(r"/\*.*?\*/", "", (REPO / "themes/default/static/css/base.css").read_text(), flags=re.S)
    root = r":root\s*\{([^}]*)\}"
    dark = r"@media \(prefers-color-scheme: dark\)\s*\{\s*" + root
    block = re.search(dark if scheme == "dark" else root, css).group(1)
    declarations = re.findall(r"(--color-[\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", block)
    return {name: parse_hex(value) for name, value in declarations}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_default_themes_own_brand_colours_have_enough_contrast(scheme):
    """WCAG 1.4.11: --color-brand draws boundaries (quiz choices, panels' borders) on both surfaces; 1.4.3: the
    header's text is --color-on-brand on --color-brand-fill."""
    tokens = theme_tokens(scheme)
    for surface in ("--color-bg", "--color-surface"):
        assert contrast(tokens["--color-brand"], tokens[surface]) >= 3, (scheme, surface)
    assert contrast(tokens["--color-on-brand"], tokens["--color-brand-fill"]) >= 4.5


def test_the_build_checks_a_brand_against_the_default_themes_own_colours():
    light, dark = theme_tokens("light"), theme_tokens("dark")
    assert {parse_hex(u.other) for u in USES if u.needs == 3} == {light["--color-bg"], light["--color-surface"]}
    assert {parse_hex(u.other) for u in USES if u.needs == 4.5} == {light["--color-on-brand"], dark["--color-on-brand"]}
    assert {parse_hex(u.other) for u in DARK_USES} == {dark["--color-bg"], dark["--color-surface"]}
    # The theme's own dark accent is the one a brand of its light colour gets.
    assert dark_shade(light["--color-brand"]) == dark["--color-brand"]


@pytest.mark.parametrize("colour", ["#00549f", "#005eb8", "#330072", "#7c2855", "#00662f"])
def test_without_colour_dark_the_dark_boundary_is_the_nearest_lighter_shade_that_passes(colour):
    rgb = parse_hex(colour)
    assert passes(rgb)  # a brand colour the build accepts
    shade = dark_shade(rgb)
    assert passes(shade, DARK_USES) and luminance(shade) > luminance(rgb)
    assert not passes(parse_hex(to_hex(tuple(c * 0.97 for c in shade))), DARK_USES)  # only just: the nearest
    hue = sorted(range(3), key=lambda i: rgb[i])
    assert sorted(range(3), key=lambda i: shade[i]) == hue  # the same hue: its channels in the same order


def test_a_brand_colour_that_passes_on_dark_surfaces_is_its_own_dark_boundary():
    assert passes(parse_hex("#007f3b")) and dark_shade(parse_hex("#007f3b")) == parse_hex("#007f3b")


def test_the_derived_dark_boundary_is_in_the_stylesheet(project):
    with_theme(project, "theme:\n  brand:\n    colour: '#00549f'\n")
    config, _ = load_config(project.root)
    assert (config.branding.colour, config.branding.colour_dark) == ("#00549f", "#246cb9")
    css = build(project.root).site.files["assets/learnmark.css"]
    assert css.endswith(":root{--color-brand:#00549f;--color-brand-fill:#00549f}@media (prefers-color-scheme:dark)"
                        "{:root{--color-brand-fill:#00549f;--color-brand:#246cb9}}")


def test_a_colour_dark_that_passes_is_used_and_needs_no_colour(project):
    with_theme(project, "theme:\n  brand:\n    colour_dark: '#4D8FD6'\n")
    css = build(project.root).site.files["assets/learnmark.css"]
    assert css.endswith("}@media (prefers-color-scheme:dark){:root{--color-brand:#4d8fd6}}")
    assert "--color-brand-fill:#4d8fd6" not in css  # the header keeps the theme's fill


def test_a_colour_dark_without_enough_contrast_names_the_ratio_and_the_nearest_shade_that_passes(project):
    with_theme(project, "theme:\n  brand:\n    colour: '#005eb8'\n    colour_dark: '#005eb8'\n")
    assert errors_of(project.root) == ["site.yaml:10:18: error: brand colour_dark #005eb8 on #18212a is 2.5:1; a "
                                       "boundary needs 3:1 (the page's panels (quiz choices, borders), dark scheme)"]
    assert hints_of(project.root) == ["the nearest shade that passes everywhere it is used is #176ac5"]
    with_theme(project, "theme:\n  brand:\n    colour: '#005eb8'\n    colour_dark: '#176ac5'\n")
    build(project.root)  # the suggestion builds


def test_a_colour_dark_that_is_not_hex_is_an_error(project):
    with_theme(project, "theme:\n  brand:\n    colour_dark: lightblue\n")
    assert errors_of(project.root) == ["site.yaml:9:18: error: 'lightblue' is not a colour"]
    assert hints_of(project.root)[0].startswith('write it as a hex colour in quotes, e.g. colour_dark: "#')


def test_a_missing_logo_alt_and_a_missing_file_are_errors_at_their_lines(project):
    with_theme(project, "theme:\n  brand:\n    logo:\n      src: content/logo.svg\n    favicon: content/icon.png\n")
    assert errors_of(project.root) == [
        "site.yaml:10:7: error: 'theme: brand: logo' has no 'alt'",
        "site.yaml:10:12: error: the logo 'content/logo.svg' does not exist",
        "site.yaml:11:14: error: the favicon 'content/icon.png' does not exist",
    ]
    assert "text alternative" in hints_of(project.root)[0]


def test_a_logo_and_a_favicon_with_the_same_name_are_both_published(project):
    """Published by role (logo, favicon), not by file name, so content/brand.svg and content/01-first/brand.svg
    do not overwrite each other."""
    project.write("content/brand.svg", LOGO)
    project.write("content/01-first/brand.svg", LOGO.replace("width='40'", "width='16'"))
    with_theme(project, "theme:\n  brand:\n    logo: {src: content/brand.svg, alt: Test Trust}\n"
                        "    favicon: content/01-first/brand.svg\n")
    result = build(project.root)
    copies = result.site.copies
    assert copies["assets/brand/logo.svg"] == project.root / "content/brand.svg"
    assert copies["assets/brand/favicon.svg"] == project.root / "content/01-first/brand.svg"
    page = soup(result.site.files["first/one.html"])
    assert page.select_one(".header__logo")["src"] == "../assets/brand/logo.svg"
    assert page.select_one("link[rel=icon]")["href"] == "../assets/brand/favicon.svg"


@pytest.mark.parametrize("src", ["site.yaml", "../logo.svg", "/etc/logo.svg", "logo.svg"])
def test_a_logo_outside_the_course_content_is_refused(project, src):
    project.write("logo.svg", LOGO)
    with_theme(project, f"theme:\n  brand:\n    logo: {{src: '{src}', alt: Test Trust}}\n")
    (error,) = errors_of(project.root)
    assert error.startswith("site.yaml:9:17: error: the logo") and error.endswith("is not inside content/")


def test_a_logo_linked_to_a_file_outside_the_course_is_refused(project, tmp_path):
    (tmp_path / "outside.svg").write_text(LOGO)
    (project.root / "content" / "logo.svg").symlink_to(tmp_path / "outside.svg")
    with_theme(project, "theme:\n  brand:\n    logo: {src: content/logo.svg, alt: Test Trust}\n")
    assert ("site.yaml:9:17: error: the logo 'content/logo.svg' is a symbolic link to a file outside content/"
            in errors_of(project.root))


def test_a_logo_with_a_script_is_refused_like_any_published_image(project):
    project.write("content/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    with_theme(project, "theme:\n  brand:\n    logo: {src: content/logo.svg, alt: Test Trust}\n")
    (error,) = [e for e in errors_of(project.root) if ": error: " in e]
    assert error == ("content/logo.svg:1:41: error: the logo: SVG has a <script> element, which is not allowed in a "
                     "published image")


def test_an_overrides_folder_outside_the_course_or_missing_is_an_error(project):
    with_theme(project, "theme:\n  overrides: ../elsewhere\n")
    assert errors_of(project.root) == ["site.yaml:8:14: error: the overrides folder '../elsewhere' is not inside the "
                                       "course's folder"]
    project.write("content/over/x.css", "")
    with_theme(project, "theme:\n  overrides: content/over\n")
    assert ("site.yaml:8:14: error: the overrides folder 'content/over' is inside "
            "content/, where every file is a page or something pages publish") in errors_of(project.root)
    shutil.rmtree(project.root / "content" / "over")
    with_theme(project, "theme:\n  overrides: nowhere\n")
    assert errors_of(project.root) == ["site.yaml:8:14: error: the overrides folder 'nowhere' does not exist"]


# --- overrides ----------------------------------------------------------------------------------------------

def test_an_override_replaces_one_component_and_a_template_extends_the_themes(project):
    project.write("over/components/breadcrumbs/macro.html",
                  '{% macro breadcrumbs(items) %}<nav class="crumbs-own" aria-label="x"></nav>{% endmacro %}')
    project.write("over/templates/page.html",
                  '{% extends "default:page.html" %}{% block main %}<p class="own-line">Ours</p>{{ super() }}'
                  '{% endblock %}')
    project.write("over/components/footer/footer.css", ".footer { border-top: 9px solid red; }")
    with_theme(project, "theme:\n  overrides: over\n")
    result = build(project.root)
    page = soup(result.site.files["first/one.html"])
    assert page.select_one("nav.crumbs-own") is not None and page.select_one(".breadcrumb") is None
    assert page.select_one("main .own-line").get_text() == "Ours" and page.select_one("main h1") is not None
    module = soup(result.site.files["first/index.html"])  # module.html is the theme's, with the replaced component
    assert module.select_one("nav.crumbs-own") is not None and module.select_one(".own-line") is None
    css = result.site.files["assets/learnmark.css"]
    # The joined stylesheet is minified (rcssmin): no spaces around its punctuation.
    assert "border-top:9px solid red" in css and ".footer{margin-top" not in css
    assert ".header{" in css  # the other components are still there


def test_a_static_file_in_the_overrides_replaces_the_themes(project):
    project.write("over/static/css/base.css", ":root { --color-text: #000000; }\n")
    with_theme(project, "theme:\n  overrides: over\n")
    css = build(project.root).site.files["assets/learnmark.css"]
    assert "--color-text:#000000" in css and "--color-text:#212b32" not in css


def test_the_build_cache_keys_on_the_overrides(project, tmp_path):
    project.write("over/components/footer/footer.css", ".footer { border-top: 1px solid; }")
    with_theme(project, "theme:\n  overrides: over\n")
    out = tmp_path / "site"
    build(project.root, out)
    project.write("over/components/footer/footer.css", ".footer { border-top: 2px dashed; }")
    build(project.root, out)
    assert "2px dashed" in (out / "assets" / "learnmark.css").read_text()


def test_the_preview_watches_the_overrides_folder(project):
    from generator.serve import _theme_dirs
    project.write("over/templates/x.html", "")
    with_theme(project, "theme:\n  overrides: over\n")
    assert project.root / "over" in _theme_dirs(project.root)


# --- the worked example: a branded course -------------------------------------------------------------------

@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    root = tmp_path_factory.mktemp("branded") / "course"
    shutil.copytree(BRANDED, root)
    return root, build(root, root / "site")


def test_the_branded_course_builds_without_a_warning(branded):
    assert branded[1].warnings == []


@pytest.mark.parametrize("path, prefix", [("index.html", ""), ("welcome/index.html", "../"),
                                          ("welcome/start.html", "../"), ("welcome/print.html", "../"),
                                          ("accessibility.html", ""), ("404.html", "")])
def test_every_page_shows_the_logo_with_its_alt_and_the_favicon(branded, path, prefix):
    root, _ = branded
    page = soup((root / "site" / path).read_text())
    logo = page.select_one("header .header__logo")
    if path == "404.html":  # served at any depth: it links from the site's root, or absolutely
        prefix = logo["src"][: -len("assets/brand/logo.svg")]
    assert logo["src"] == prefix + "assets/brand/logo.svg" and logo["alt"] == "Cwm Taf Example Health Board"
    assert [link["href"] for link in page.select("link[rel=icon]")] == [prefix + "assets/brand/favicon.png"]
    assert page.select_one("footer.footer--branded") is not None  # the overridden component


def test_the_brand_files_are_published_and_the_colour_is_in_the_one_stylesheet(branded):
    root, _ = branded
    site = root / "site"
    assert (site / "assets/brand/logo.svg").read_bytes() == (root / "content/logo.svg").read_bytes()
    assert (site / "assets/brand/favicon.png").read_bytes() == (root / "content/favicon.png").read_bytes()
    css = (site / "assets/learnmark.css").read_text()
    # At the end of the one (minified) stylesheet, so it wins over the theme's own colour.
    assert css.endswith(":root{--color-brand:#00549f;--color-brand-fill:#00549f}@media (prefers-color-scheme:dark)"
                        "{:root{--color-brand-fill:#00549f;--color-brand:#246cb9}}")
    assert ".home__welcome" in css  # the overrides' own stylesheet
    home = soup((site / "index.html").read_text())
    assert home.select_one("main .home__welcome").get_text() == "Cwm Taf Example Health Board"  # extended template
    assert len(home.select('link[rel="stylesheet"]')) == 1


def test_packages_carry_the_logo_favicon_and_overrides(branded, tmp_path):
    root, _ = branded
    course, _, _ = check(root)
    (built,) = package_course(course, tmp_path / "packages", versions=["1.2"])
    archive = zipfile.ZipFile(built.path)
    assert {"assets/brand/logo.svg", "assets/brand/favicon.png"} <= set(archive.namelist())
    page = soup(archive.read("welcome/start.html").decode())
    assert page.select_one(".header__logo")["src"] == "../assets/brand/logo.svg"
    assert page.select_one("footer.footer--branded") is not None
    assert "--color-brand:#00549f" in archive.read("assets/learnmark.css").decode()
