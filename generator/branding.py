"""``theme:`` in ``site.yaml`` as a mapping: which theme, a folder of overrides, and the organisation's brand.

``theme: default`` (a name or path) stays valid; the mapping form is::

    theme:
      name: default
      overrides: theme-overrides       # a folder in the project: its files replace the theme's, one by one
      brand:
        colour: "#005eb8"
        colour_dark: "#4d8fd6"         # optional: borders and quiz choices in the dark scheme
        logo: {src: content/logo.svg, alt: NHS Wales}
        favicon: content/favicon.png

The brand colour is checked where it is used (``USES``) for WCAG 2.2 AA
contrast. The dark scheme draws boundaries on dark surfaces, where a colour
dark enough for white text is too dark to see: there ``colour_dark`` (or,
without it, the nearest lighter shade of ``colour``) is used, checked against
``DARK_USES``. Logo and favicon are images in content/ that pass the same checks
as any published file. Every problem is an error at its line of site.yaml.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml

from .colour import RGB, contrast, nearest_passing, parse_hex, to_hex
from .discover import inside_content
from .errors import Diagnostic, SourceLocation
from .media import PUBLISHED, content_problem
from .schema import Field, Locate, validate

FIELDS = {"name": Field("text", default="default"), "overrides": Field("text", default=""),
          "brand": Field("mapping", default={})}
BRAND_FIELDS = {"colour": Field("text", default=""), "colour_dark": Field("text", default=""),
                "logo": Field("mapping", default={}), "favicon": Field("text", default="")}
LOGO_FIELDS = {"src": Field("text", required=True), "alt": Field("text", required=True)}
BRAND_FOLDER = "assets/brand"
"""Where the logo and favicon are published in the site and in every package."""


@dataclass(frozen=True)
class Use:
    """Something the brand colour is drawn with, in one colour scheme, and the contrast it needs."""

    scheme: str
    other: str
    """The colour it meets, as #rrggbb."""
    what: str
    """What the other colour is, as the error names it."""
    needs: float


USES = (
    Use("light", "#ffffff", "the header's text", 4.5),
    Use("dark", "#ffffff", "the header's text", 4.5),
    Use("light", "#ffffff", "the page's panels (quiz choices, borders)", 3.0),
    Use("light", "#f0f4f5", "the page's background (borders)", 3.0),
)
"""Where themes/default uses ``colour``: behind the header's and language switch's white text (both schemes:
``--color-brand-fill``), and as the boundary of quiz choices and panels on the light scheme's surfaces
(``--color-brand``); tests/unit/test_branding.py checks these colours against base.css."""

DARK_USES = (
    Use("dark", "#18212a", "the page's panels (quiz choices, borders)", 3.0),
    Use("dark", "#0c1116", "the page's background (borders)", 3.0),
)
"""Where themes/default uses ``colour_dark`` (``--color-brand`` in the dark scheme): boundaries on its dark
surfaces."""


@dataclass(frozen=True)
class Branding:
    """What ``theme:`` adds to a theme name; empty values: the theme as it is."""

    overrides: str = ""
    """A folder relative to the project whose files replace the theme's (templates, components, static)."""
    colour: str = ""
    """The main colour, #rrggbb (lower case): ``--color-brand-fill`` in light and dark, ``--color-brand`` in light."""
    colour_dark: str = ""
    """The dark scheme's ``--color-brand`` (boundaries): ``colour_dark`` as given, else ``dark_shade(colour)``."""
    logo: str = ""
    """The logo, relative to the project (inside content/)."""
    logo_alt: str = ""
    favicon: str = ""
    """The favicon, relative to the project (inside content/)."""

    def files(self) -> dict[str, str]:
        """Output path → source (relative to the project) of the brand's images."""
        return {brand_url(src, role): src for src, role in ((self.logo, "logo"), (self.favicon, "favicon")) if src}


def brand_url(src: str, role: str) -> str:
    """Where an image named in ``brand:`` is published: ``assets/brand/`` and its role (``logo`` or ``favicon``)
    with the source's extension. Named by role, the two never clash, whatever their files are called."""
    return f"{BRAND_FOLDER}/{role}{posixpath.splitext(src)[1].lower()}"


def brand_links(branding: Branding, link) -> dict[str, str]:
    """What templates receive as ``brand``: ``logo`` and ``favicon`` (links from the page, '' when unset) and
    ``logo_alt``. ``link`` turns a site path into a link from the page."""
    return {"logo": link(brand_url(branding.logo, "logo")) if branding.logo else "", "logo_alt": branding.logo_alt,
            "favicon": link(brand_url(branding.favicon, "favicon")) if branding.favicon else ""}


def read_theme(node: yaml.Node, locate: Locate, key_at: SourceLocation, root: Path
               ) -> tuple[str, Branding, list[Diagnostic]]:
    """``theme:``'s value node: the theme's name, the branding and the problems."""
    if isinstance(node, yaml.ScalarNode):
        return node.value, Branding(), []
    if not isinstance(node, yaml.MappingNode):
        return "default", Branding(), [Diagnostic(locate(node.start_mark), "'theme' must be a name or a mapping",
                                                  "write 'theme: default', or 'name:', 'overrides:' and 'brand:' "
                                                  "under 'theme:'")]
    values, problems = validate(node, FIELDS, locate, key_at, "'theme'")
    nodes = _nodes(node)
    overrides, found = _overrides(values["overrides"], nodes.get("overrides"), locate, root)
    problems += found
    brand = nodes.get("brand")
    colour = colour_dark = logo = alt = favicon = ""
    if isinstance(brand, yaml.MappingNode):
        fields, found = validate(brand, BRAND_FIELDS, locate, locate(node.start_mark), "'theme: brand'")
        problems += found
        parts = _nodes(brand)
        if fields["colour"]:
            colour, found = check_colour(fields["colour"], locate(parts["colour"].start_mark))
            problems += found
        if fields["colour_dark"]:
            colour_dark, found = check_colour(fields["colour_dark"], locate(parts["colour_dark"].start_mark),
                                              DARK_USES, "colour_dark")
            problems += found
        elif colour:
            colour_dark = to_hex(dark_shade(parse_hex(colour)))
        if isinstance(parts.get("logo"), yaml.MappingNode):
            logo_at = locate(parts["logo"].start_mark)
            logo_fields, found = validate(parts["logo"], LOGO_FIELDS, locate, logo_at, "'theme: brand: logo'")
            problems += [Diagnostic(d.location, d.message, "give the logo's text alternative, e.g. alt: NHS Wales "
                                    "(what the logo says, usually the organisation's name)")
                         if "no 'alt'" in d.message else d for d in found]
            alt = logo_fields.get("alt") or ""
            if logo_fields.get("src"):
                logo, found = _image(logo_fields["src"], locate(_nodes(parts["logo"])["src"].start_mark), root, "logo")
                problems += found
        if fields["favicon"]:
            favicon, found = _image(fields["favicon"], locate(parts["favicon"].start_mark), root, "favicon")
            problems += found
    return (values["name"], Branding(overrides, colour, colour_dark, logo, alt if logo else "", favicon),
            problems)


def check_colour(value: str, at: SourceLocation, uses: tuple[Use, ...] = USES, key: str = "colour"
                 ) -> tuple[str, list[Diagnostic]]:
    """The colour as #rrggbb if it is one with enough contrast everywhere it is used (``uses``), else '' and why
    not. ``key`` is its name in ``brand:``."""
    rgb = parse_hex(value.strip())
    if rgb is None:
        return "", [Diagnostic(at, f"'{value}' is not a colour", "write it as a hex colour in quotes, e.g. "
                               f"{key}: \"#005eb8\" (YAML reads an unquoted # as a comment)")]
    failing = [(use, ratio) for use in uses if (ratio := contrast(rgb, parse_hex(use.other))) < use.needs]
    if not failing:
        return to_hex(rgb), []
    use, ratio = failing[0]  # text first: it needs the most
    schemes = " and ".join(dict.fromkeys(u.scheme for u, _ in failing if u.other == use.other and u.needs == use.needs))
    kind = "text" if use.needs == 4.5 else "a boundary"
    suggestion = nearest_passing(rgb, lambda shade: passes(shade, uses))
    hint = (f"the nearest shade that passes everywhere it is used is {to_hex(suggestion)}" if suggestion
            else f"choose a colour with more contrast against {use.other}")
    name = "brand colour" if key == "colour" else f"brand {key}"
    return "", [Diagnostic(at, f"{name} {to_hex(rgb)} on {use.other} is {_ratio(ratio)}:1; {kind} needs "
                           f"{use.needs:g}:1 ({use.what}, {schemes} scheme{'s' if ' and ' in schemes else ''})", hint)]


def passes(rgb: RGB, uses: tuple[Use, ...] = USES) -> bool:
    """Whether a brand colour has enough contrast everywhere it is used (``uses``)."""
    return all(contrast(rgb, parse_hex(use.other)) >= use.needs for use in uses)


def dark_shade(rgb: RGB) -> RGB:
    """The dark scheme's boundary colour for a brand colour without ``colour_dark``: the colour itself if it
    passes ``DARK_USES``, else its nearest shade (OKLab lightness, same hue) that does: a lighter one."""
    if passes(rgb, DARK_USES):
        return rgb
    return nearest_passing(rgb, lambda shade: passes(shade, DARK_USES)) or (1.0, 1.0, 1.0)  # white always passes


def _ratio(ratio: float) -> str:
    """Rounded down, so a colour just short of 4.5:1 is not reported as 4.5:1."""
    return f"{int(ratio * 10) / 10:g}"


def _nodes(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _overrides(value: str, node: yaml.Node | None, locate: Locate, root: Path) -> tuple[str, list[Diagnostic]]:
    """The overrides folder relative to the project, if it is a folder inside it."""
    if not value:
        return "", []
    at = locate(node.start_mark)
    rel = posixpath.normpath(value.strip().replace("\\", "/"))
    if value.strip().startswith("/") or rel == ".." or rel.startswith("../") or not inside_content(root / rel, root):
        return "", [Diagnostic(at, f"the overrides folder '{value}' is not inside the course's folder",
                               "name a folder beside site.yaml, relative to it, e.g. overrides: theme-overrides")]
    if rel == "content" or rel.startswith("content/"):
        return "", [Diagnostic(at, f"the overrides folder '{value}' is inside content/, where every file is a page "
                               "or something pages publish", "move it beside content/, e.g. overrides: theme-overrides")]
    if not (root / rel).is_dir():
        return "", [Diagnostic(at, f"the overrides folder '{value}' does not exist",
                               "create it, and put in it only the theme files you replace, at the same paths "
                               "(e.g. templates/base.html, components/header/macro.html)")]
    return rel, []


def _image(value: str, at: SourceLocation, root: Path, what: str) -> tuple[str, list[Diagnostic]]:
    """An image named in ``brand:`` as a path relative to the project, if it may be published."""
    content = "content"
    rel = posixpath.normpath(value.strip().replace("\\", "/"))
    example = f"e.g. {what}: content/{what}.png" if what == "favicon" else "e.g. src: content/logo.svg"
    if value.strip().startswith("/") or not rel.startswith(content + "/"):
        return "", [Diagnostic(at, f"the {what} '{value}' is not inside {content}/",
                               f"nothing outside {content}/ is published: save it in {content}/, {example}")]
    suffix = rel.rpartition(".")[2].lower()
    if suffix not in PUBLISHED["images"]:
        return "", [Diagnostic(at, f"the {what} '{value}' is not an image",
                               f"use one of: {', '.join(PUBLISHED['images'])}")]
    full = root / rel
    if not full.is_file():
        return "", [Diagnostic(at, f"the {what} '{value}' does not exist", f"save the image there, {example}")]
    if not inside_content(full, root / content):
        return "", [Diagnostic(at, f"the {what} '{value}' is a symbolic link to a file outside {content}/",
                               f"nothing outside {content}/ is published: copy the file into {content}/")]
    try:
        problem = content_problem(os.fspath(full))
    except OSError as error:
        return "", [Diagnostic(at, f"cannot read the {what} '{value}': {error.strerror or error}",
                               "check its permissions")]
    if problem:
        line, column, message, hint = problem
        return "", [Diagnostic(SourceLocation(rel, line, column), f"the {what}: {message}", hint)]
    return rel, []
