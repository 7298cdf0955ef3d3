"""At 320 CSS pixels wide (WCAG 1.4.10 Reflow) no page scrolls sideways."""

from __future__ import annotations

import pytest

VIEWPORT = {"width": 320, "height": 640}

MEASURE = """
() => {
  const vw = window.innerWidth;
  const wide = [];
  // Inside a box that scrolls or clips sideways, wide content does not widen the page.
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 && r.width > 0 && !clipped(el)) {
      // Report the outermost offenders only.
      if (!wide.some(w => w.el.contains(el))) wide.push({el, right: Math.round(r.right)});
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: vw,
    wide: wide.slice(0, 8).map(w => {
      const e = w.el;
      const sel = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.classList.length ? '.' + [...e.classList].join('.') : '');
      return sel + ' (right edge ' + w.right + 'px)';
    }),
  };
}
"""


def _kinds(site):
    kinds = {"home": site.home, "module": site.first_module, "404": site.not_found}
    table = site.table_page
    kinds["table-page"] = table
    return kinds


@pytest.mark.parametrize("kind", ["home", "module", "table-page", "404"])
def test_no_horizontal_scroll_at_320px(new_context, base_url, site, kind):
    name = _kinds(site)[kind]
    if kind == "table-page" and site.table_page is None:
        pytest.fail(
            "no content page of the built course has a <table>, so table reflow is untested; "
            "the shipped course should keep at least one table",
            pytrace=False,
        )
    page = new_context(viewport=VIEWPORT).new_page()
    page.goto(base_url + name)
    m = page.evaluate(MEASURE)
    assert m["scrollWidth"] <= m["innerWidth"], (
        f"{name} scrolls sideways at {VIEWPORT['width']}px: scrollWidth {m['scrollWidth']} > innerWidth "
        f"{m['innerWidth']}; elements past the right edge: {m['wide']}"
    )


def test_no_page_scrolls_sideways_at_320px(new_context, base_url, site):
    """Every other built page, too (cheap: one load per page)."""
    page = new_context(viewport=VIEWPORT).new_page()
    offenders = []
    for name in site.pages:
        page.goto(base_url + name)
        m = page.evaluate(MEASURE)
        if m["scrollWidth"] > m["innerWidth"]:
            offenders.append(f"{name}: scrollWidth {m['scrollWidth']} > {m['innerWidth']}; past the edge: {m['wide']}")
    assert not offenders, f"pages that scroll sideways at {VIEWPORT['width']}px:\n" + "\n".join(offenders)
