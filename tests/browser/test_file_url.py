"""The built site works opened straight from disk (file://): relative links to .html files."""

from __future__ import annotations

from urllib.parse import urlsplit

LINKS = """
() => [...document.querySelectorAll('a[href]')].map((a, i) => ({
  index: i,
  raw: a.getAttribute('href'),
  url: a.href.split('#')[0].split('?')[0],
}))
"""

# Local links must name a file: on file:// a link to a folder ("module/") shows a
# directory listing, and a root-relative one ("/x.html") points at the disk's root.


def _bad_local_links(links: list[dict]) -> list[str]:
    bad = []
    for link in links:
        raw = link["raw"].strip()
        parts = urlsplit(raw)
        if parts.scheme or raw.startswith("//") or not parts.path:
            continue  # external, or fragment/query only
        last = parts.path.rsplit("/", 1)[-1]
        if parts.path.startswith("/") or "." not in last:
            bad.append(raw)
    return bad


def test_click_through_from_disk(new_context, site_dir, site):
    page = new_context().new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    home_url = (site_dir / "index.html").as_uri()
    page.goto(home_url)
    assert page.locator("h1").count() >= 1, f"{home_url}: no <h1>"

    visited = []

    def check_links_and_pick(want) -> dict:
        name = page.url
        links = page.evaluate(LINKS)
        bad = _bad_local_links(links)
        assert not bad, f"{name}: links that do not work from file:// (absolute or folder links): {bad}"
        candidates = [l for l in links if l["url"].startswith("file://") and want(l["url"])]
        assert candidates, f"{name}: no suitable link to follow"
        return candidates[0]

    module_urls = {(site_dir / m).as_uri() for m in site.modules}
    content_urls = {(site_dir / p).as_uri() for p in site.content_pages}

    for want in (module_urls, content_urls):
        link = check_links_and_pick(lambda u, want=want: u in want)
        page.locator("a[href]").nth(link["index"]).click(timeout=5_000)
        page.wait_for_load_state()
        assert page.url.split("#")[0] == link["url"], f"clicking {link['raw']} went to {page.url}, not {link['url']}"
        assert page.locator("h1").count() >= 1, f"{page.url}: no <h1> when opened from file://"
        visited.append(page.url)

    check_links_and_pick(lambda u: True)  # the content page's own links are file-friendly too
    assert not failed, "requests that failed from file:// (missing stylesheet, script or image?):\n" + "\n".join(failed)


def test_the_print_page_works_from_disk(new_context, site_dir, site):
    """A module's print page opened from disk (file://): reached from its landing page, and whole."""
    page = new_context().new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.goto((site_dir / site.first_module).as_uri())
    page.get_by_role("link", name="Print or save this module").click()
    page.wait_for_load_state()
    assert page.url == (site_dir / site.print_pages[0]).as_uri()
    assert page.locator("main section.print-section").count() >= 2
    bad = _bad_local_links(page.evaluate(LINKS))
    assert not bad, f"{page.url}: links that do not work from file://: {bad}"
    assert not failed, "requests that failed from file://:\n" + "\n".join(failed)


def test_the_continue_link_names_the_last_page_from_disk(new_context, site_dir, site):
    """The page titles are in assets/course-titles.js, loaded by the home page's "Continue where you left off"
    link only when it is shown: from file:// too."""
    page = new_context().new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.goto((site_dir / site.first_content_page).as_uri())
    title = page.locator("h1").evaluate("h => h.lastChild.textContent").strip()
    page.goto((site_dir / "index.html").as_uri())
    link = page.locator("[data-progress-continue] a")
    assert link.is_visible()
    assert link.inner_text().strip() == f"Continue where you left off: {title}"
    assert link.evaluate("a => a.href") == (site_dir / site.first_content_page).as_uri()
    assert not failed, "requests that failed from file://:\n" + "\n".join(failed)
