"""The skip link is the first Tab stop, is visible with a focus indicator, and moves focus to main."""

from __future__ import annotations

import pytest

DESCRIBE_FOCUS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute('href'),
    text: (el.textContent || '').trim().slice(0, 80),
    outer: el.outerHTML.slice(0, 200),
    rect: {x: r.x, y: r.y, width: r.width, height: r.height},
    viewport: {width: window.innerWidth, height: window.innerHeight},
    outlineStyle: cs.outlineStyle,
    outlineWidth: parseFloat(cs.outlineWidth) || 0,
    boxShadow: cs.boxShadow,
    visibility: cs.visibility,
    opacity: parseFloat(cs.opacity),
  };
}
"""

FOCUS_IN_MAIN = """
() => {
  const main = document.querySelector('main#main');
  const el = document.activeElement;
  return {
    hasMain: !!main,
    inMain: !!main && !!el && (el === main || main.contains(el)),
    active: !el ? null : (el === document.body ? '<body>' :
      '<' + el.tagName.toLowerCase() + (el.id ? ' id="' + el.id + '"' : '') +
      (el.className ? ' class="' + el.className + '"' : '') + '> ' + (el.textContent || '').trim().slice(0, 60)),
    mainTabindex: main ? main.getAttribute('tabindex') : null,
  };
}
"""


@pytest.fixture(params=["home", "content"])
def page_name(request, site):
    return site.home if request.param == "home" else site.first_content_page


def test_first_tab_focuses_a_visible_skip_link(page, base_url, page_name):
    page.goto(base_url + page_name)
    page.keyboard.press("Tab")
    focus = page.evaluate(DESCRIBE_FOCUS)
    assert focus is not None, f"{page_name}: pressing Tab once focused nothing"
    assert focus["tag"] == "a" and focus["href"] == "#main", (
        f"{page_name}: the first Tab stop should be the skip link <a href=\"#main\">, "
        f"but it is {focus['outer']}"
    )
    r, vp = focus["rect"], focus["viewport"]
    assert r["width"] > 1 and r["height"] > 1, (
        f"{page_name}: the focused skip link is not visible (box {r['width']}x{r['height']}px): {focus['outer']}"
    )
    inside = r["x"] >= 0 and r["y"] >= 0 and r["x"] + r["width"] <= vp["width"] and r["y"] + r["height"] <= vp["height"]
    assert inside, f"{page_name}: the focused skip link is outside the {vp['width']}x{vp['height']} viewport: box {r}"
    assert focus["visibility"] == "visible" and focus["opacity"] > 0, (
        f"{page_name}: the focused skip link is hidden (visibility {focus['visibility']}, opacity {focus['opacity']})"
    )
    has_outline = focus["outlineStyle"] != "none" and focus["outlineWidth"] > 0
    has_shadow = focus["boxShadow"] not in ("none", "")
    assert has_outline or has_shadow, (
        f"{page_name}: the focused skip link has no visible focus indicator "
        f"(outline-style {focus['outlineStyle']}, outline-width {focus['outlineWidth']}px, box-shadow {focus['boxShadow']})"
    )


def test_skip_link_moves_focus_to_main(page, base_url, page_name):
    page.goto(base_url + page_name)
    page.keyboard.press("Tab")
    focus = page.evaluate(DESCRIBE_FOCUS)
    assert focus and focus["href"] == "#main", f"{page_name}: the first Tab stop is not the skip link: {focus}"
    page.keyboard.press("Enter")
    result = page.evaluate(FOCUS_IN_MAIN)
    assert result["hasMain"], f"{page_name}: there is no <main id=\"main\">"
    assert result["inMain"], (
        f"{page_name}: after Enter on the skip link, focus is on {result['active']}, not in main#main "
        f"(main tabindex={result['mainTabindex']!r}; tabindex=\"-1\" on main lets it take focus)"
    )
