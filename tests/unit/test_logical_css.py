"""The theme's CSS is written in logical properties, so a right-to-left course mirrors by itself.

A small scanner reads every declaration of every .css file in the theme (and the inline styles of
its templates) and reports a physical left or right: a property named after a side (``margin-left``,
``left``, ``border-top-right-radius``), a value naming one (``text-align: left``, ``float: right``),
or a shorthand whose left and right differ (``padding: 0 1rem 0 0``, ``border-radius: 4px 0 0 4px``).
Only the theme's own files are read: an author's content is theirs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

THEME = Path(__file__).resolve().parents[2] / "themes" / "default"

# Declarations allowed to stay physical, as "file: property: value", each with the reason. None is needed.
EXCEPTIONS: dict[str, str] = {}

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|url\([^)]*\)", re.S)
_BLOCK = re.compile(r"\{([^{}]*)\}")
_SIDE_WORD = re.compile(r"\b(left|right)\b", re.I)
# Shorthands whose four values run top, right, bottom, left.
_BOX_SHORTHANDS = {"margin", "padding", "inset", "border-width", "border-style", "border-color",
                   "scroll-margin", "scroll-padding"}


def _values(value: str) -> list[str]:
    """Space-separated values, keeping calc(...) and var(...) whole."""
    out, depth, current = [], 0, ""
    for ch in value.strip():
        depth += ch == "("
        depth -= ch == ")"
        if ch.isspace() and depth == 0:
            if current:
                out.append(current)
            current = ""
        else:
            current += ch
    return out + [current] if current else out


def _corners(values: list[str]) -> list[str]:
    """top-left, top-right, bottom-right, bottom-left of a border-radius (one half of it)."""
    if len(values) == 1:
        return values * 4
    if len(values) == 2:
        return [values[0], values[1], values[0], values[1]]
    if len(values) == 3:
        return [values[0], values[1], values[2], values[1]]
    return values[:4]


def physical(prop: str, value: str) -> str | None:
    """Why a declaration is physical (left or right), or None when it mirrors with the writing direction."""
    prop = prop.strip().lower()
    bare = _STRING.sub('""', value).replace("!important", "").strip()
    if _SIDE_WORD.search(prop):
        return f"{prop} names a side: use its -inline-start/-inline-end (or inset-inline-*) form"
    if _SIDE_WORD.search(bare):
        return f"{prop}: {value.strip()} names a side: use start/end (text-align), inline-start/inline-end (float, clear)"
    values = _values(bare)
    if prop in _BOX_SHORTHANDS and len(values) == 4 and values[1] != values[3]:
        return f"{prop}: {value.strip()} differs left and right: use {prop}-block and {prop}-inline"
    if prop == "border-radius":
        for half in bare.split("/"):
            tl, tr, br, bl = _corners(_values(half))
            if tl != tr or br != bl:
                return f"{prop}: {value.strip()} differs left and right: use border-start-start-radius and the like"
    return None


def declarations(css: str):
    """(line, property, value) for every declaration in the stylesheet text."""
    css = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), css)
    for block in _BLOCK.finditer(css):
        line = css.count("\n", 0, block.start(1)) + 1
        for part in _STRING.sub(lambda m: m.group(0).replace(";", ","), block.group(1)).split(";"):
            if ":" in part:
                prop, value = part.split(":", 1)
                yield line + part.count("\n", 0, len(part) - len(part.lstrip())), prop.strip(), value
            line += part.count("\n")


def problems_in(name: str, css: str) -> list[str]:
    found = []
    for line, prop, value in declarations(css):
        why = physical(prop, value)
        if why and f"{name}: {prop}: {value.strip()}" not in EXCEPTIONS:
            found.append(f"{name}:{line}: {why}")
    return found


def stylesheets() -> dict[str, str]:
    """Every .css file of the theme, and the <style> elements of its templates."""
    sheets = {p.relative_to(THEME).as_posix(): p.read_text(encoding="utf-8") for p in sorted(THEME.rglob("*.css"))}
    for template in sorted(THEME.rglob("*.html")):
        for i, style in enumerate(re.findall(r"<style[^>]*>(.*?)</style>", template.read_text(encoding="utf-8"), re.S)):
            sheets[f"{template.relative_to(THEME).as_posix()} <style> {i + 1}"] = style
    return sheets


def test_the_theme_has_stylesheets_to_scan():
    sheets = stylesheets()
    assert "static/css/base.css" in sheets and any(n.startswith("components/") for n in sheets)
    assert sum(1 for _ in declarations("\n".join(sheets.values()))) > 300


def test_no_physical_left_or_right_in_the_themes_css():
    found = [p for name, css in stylesheets().items() for p in problems_in(name, css)]
    assert not found, "physical left/right in the theme's CSS (write it in logical properties):\n" + "\n".join(found)


@pytest.mark.parametrize("css", [
    ".a { margin-left: 4px; }",
    ".a { padding-right: 0 }",
    ".a { left: 0; }",
    ".a{right:auto}",
    ".a { border-left: 4px solid red; }",
    ".a { border-top-right-radius: 2px; }",
    ".a { text-align: left; }",
    ".a { text-align: RIGHT !important; }",
    ".a { float: left; }",
    ".a { clear: right; }",
    ".a { background-position: right 4px top; }",
    ".a { padding: 8px 16px 8px 0; }",
    ".a { margin: 0 var(--space-3) var(--space-1) 0; }",
    ".a { border-width: 1px 2px 1px 3px; }",
    ".a { border-radius: 4px 0 0 4px; }",
    ".a { border-radius: 4px 0; }",
    "@media print { .b { color: red; } .a { margin-right: 2px; } }",
])
def test_the_scanner_finds_physical_declarations(css):
    assert problems_in("x.css", css), css


@pytest.mark.parametrize("css", [
    ".a { margin-inline-start: 4px; padding-inline: 0 8px; inset-inline-start: 0; }",
    ".a { text-align: start; float: inline-start; border-inline-start: 4px solid red; }",
    ".a { padding: 8px 16px; margin: 0 auto 16px; padding: 1px 2px 3px 2px; }",
    ".a { border-radius: 4px; border-radius: 50%; border-start-start-radius: 2px; }",
    '.a::before { content: "left or right"; } /* left */',
    ".a { background: url(left.png); }",
    ".a { box-shadow: 0 4px 0 #000; transform: translateY(2px); }",
])
def test_the_scanner_accepts_logical_declarations(css):
    assert problems_in("x.css", css) == [], css


def test_the_scanner_says_where():
    assert problems_in("x.css", ".a {\n  color: red;\n  margin-left: 4px;\n}") == [
        "x.css:3: margin-left names a side: use its -inline-start/-inline-end (or inset-inline-*) form"]
