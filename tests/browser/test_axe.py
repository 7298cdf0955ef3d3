"""axe-core finds no WCAG 2.0/2.1/2.2 A/AA violations on any built page, light or dark."""

from __future__ import annotations

import pytest

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(', '),
      summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300),
    })),
  }));
}
"""


def axe_violations(page, url: str, axe_path) -> list[dict]:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    page.add_script_tag(path=str(axe_path))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def format_violations(found: dict[str, list[dict]]) -> str:
    lines = []
    for page_name, violations in found.items():
        for v in violations:
            lines.append(f"{page_name}: [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"][:10]:
                lines.append(f"    {node['target']}  -- {node['summary']}")
            if len(v["nodes"]) > 10:
                lines.append(f"    ... and {len(v['nodes']) - 10} more nodes")
    return "\n".join(lines)


def run_axe_over(new_context, base_url, axe_path, pages, **context_options) -> dict[str, list[dict]]:
    # bypass_csp so the injected axe script runs even if the site sets a strict CSP.
    page = new_context(bypass_csp=True, **context_options).new_page()
    found = {}
    for name in pages:
        violations = axe_violations(page, base_url + name, axe_path)
        if violations:
            found[name] = violations
    return found


def test_every_page_has_no_axe_violations(site, base_url, axe_path, new_context):
    assert site.pages, "the built site has no .html pages"
    found = run_axe_over(new_context, base_url, axe_path, site.pages)
    if found:
        pytest.fail(
            f"axe found WCAG A/AA violations on {len(found)} of {len(site.pages)} pages:\n" + format_violations(found),
            pytrace=False,
        )


def test_dark_mode_has_no_axe_violations(site, base_url, axe_path, new_context):
    subset = [site.home, site.first_module, site.first_content_page]
    found = run_axe_over(new_context, base_url, axe_path, subset, color_scheme="dark")
    if found:
        pytest.fail(
            "axe found WCAG A/AA violations with prefers-color-scheme: dark:\n" + format_violations(found),
            pytrace=False,
        )


def test_axe_finds_a_violation_when_there_is_one(new_context, base_url, axe_path):
    """Guards the harness itself: an image with no alt text must be reported."""
    page = new_context(bypass_csp=True).new_page()
    page.goto(base_url + "index.html")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = 'data:,'; i.id = 'axe-canary';"
        " (document.querySelector('main') || document.body).appendChild(i); }"
    )
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    ids = {v["id"] for v in violations}
    assert "image-alt" in ids, f"axe did not report an <img> without alt; it reported {sorted(ids)}"
