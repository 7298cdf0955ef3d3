"""Without JavaScript the course is fully readable: home -> module -> pages via rel=next."""

from __future__ import annotations

LINKS = """
() => [...document.querySelectorAll('a[href]')].map((a, i) => ({
  index: i,
  url: a.href.split('#')[0].split('?')[0],
  rel: (a.getAttribute('rel') || '').toLowerCase().split(/\\s+/),
  inMain: !!a.closest('main'),
}))
"""

PAGE_STATE = """
() => {
  const main = document.querySelector('main');
  const h1s = [...document.querySelectorAll('h1')];
  const describe = (el) => {
    if (!el) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {display: cs.display, visibility: cs.visibility, opacity: parseFloat(cs.opacity),
            width: r.width, height: r.height, text: (el.innerText || '').trim()};
  };
  return {main: describe(main), h1: h1s.map(describe), hidden: main ? main.hidden : null};
}
"""


def _rel(url: str, base_url: str) -> str:
    return url[len(base_url):] if url.startswith(base_url) else url


def _check_readable(page, name: str) -> None:
    state = page.evaluate(PAGE_STATE)
    main = state["main"]
    assert main is not None, f"{name}: no <main> element"
    assert not state["hidden"] and main["display"] != "none" and main["visibility"] != "hidden" and main["opacity"] > 0, (
        f"{name}: <main> is hidden without JavaScript: {main | {'text': main['text'][:60]}}"
    )
    assert main["width"] > 0 and main["height"] > 0, f"{name}: <main> has an empty box {main['width']}x{main['height']}"
    assert main["text"], f"{name}: <main> shows no text without JavaScript"
    visible_h1 = [h for h in state["h1"] if h["text"] and h["width"] > 0 and h["height"] > 0 and h["visibility"] != "hidden"]
    assert visible_h1, f"{name}: no visible <h1> without JavaScript (found {len(state['h1'])} h1 elements)"


def _follow(page, link: dict) -> None:
    page.locator("a[href]").nth(link["index"]).click(timeout=5_000)
    page.wait_for_load_state()


def test_home_links_every_module(nojs_page, base_url, site):
    nojs_page.goto(base_url + site.home)
    _check_readable(nojs_page, site.home)
    linked = {_rel(l["url"], base_url) for l in nojs_page.evaluate(LINKS)}
    missing = [m for m in site.modules if m not in linked]
    assert site.modules, "the built site has no module landing pages"
    assert not missing, f"without JavaScript the home page does not link these modules: {missing}"


def test_walk_the_course_without_javascript(nojs_page, base_url, site):
    page = nojs_page
    page.goto(base_url + site.home)
    _check_readable(page, site.home)

    # 1. The first module link on the home page.
    links = page.evaluate(LINKS)
    module_links = [l for l in links if _rel(l["url"], base_url) in site.modules]
    assert module_links, f"{site.home}: no link to a module landing page ({site.modules})"
    _follow(page, module_links[0])
    module = _rel(page.url.split("#")[0], base_url)
    assert module in site.modules, f"following the first module link went to {page.url}"
    _check_readable(page, module)

    # 2. The first link to one of the module's pages.
    module_dir = module.split("/")[0]
    own_pages = [p for p in site.content_pages if p.split("/")[0] == module_dir]
    links = page.evaluate(LINKS)
    page_links = [l for l in links if _rel(l["url"], base_url) in own_pages]
    assert page_links, f"{module}: no link to any of the module's pages {own_pages}"
    _follow(page, page_links[0])

    # 3. rel=next until the end.
    visited = []
    for _ in range(len(site.pages) + 1):
        name = _rel(page.url.split("#")[0], base_url)
        assert name not in visited, f"rel=next links loop back to {name}: {visited + [name]}"
        visited.append(name)
        _check_readable(page, name)
        nexts = [l for l in page.evaluate(LINKS) if "next" in l["rel"]]
        if not nexts:
            break
        _follow(page, nexts[0])
    else:
        raise AssertionError(f"rel=next links never end: {visited}")

    not_reached = [p for p in own_pages if p not in visited]
    assert not not_reached, (
        f"walking rel=next from the first page of {module} never reached {not_reached}; walked {visited}"
    )
