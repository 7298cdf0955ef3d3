"""Search: the header form and the search page, by keyboard, from disk, inside a SCORM package, JS off."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

from .conftest import REPO_ROOT
from .test_axe import axe_violations, format_violations

RESULTS = ".search-result"
STATUS = "[data-search-status]"


def _results(page) -> list[str]:
    page.wait_for_selector(RESULTS)
    return page.eval_on_selector_all(".search-result__link", "links => links.map(a => a.getAttribute('href'))")


def test_typing_shows_results_with_marked_snippets_and_announces_the_count(page, base_url):
    page.goto(base_url + "index.html")
    assert page.locator("#lm-search-index").count() == 0  # nothing loads until search is used
    page.goto(base_url + "search.html")
    page.fill("#lm-search", "compassionate")
    hrefs = _results(page)
    assert hrefs and all(h.endswith(".html") for h in hrefs)
    first = page.locator(RESULTS).first
    assert first.locator(".search-result__module").count() or first.locator(".search-result__link").inner_text()
    marks = page.locator(".search-result__snippet mark").all_inner_texts()
    assert marks and all(m.lower().startswith("compassion") for m in marks)
    status = page.locator(STATUS)
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    count = page.locator(RESULTS).count()
    assert re.search(rf"\b{count} results?\b", status.inner_text())


def test_stems_match_other_forms_of_a_word(page, base_url):
    page.goto(base_url + "search.html?q=managing")
    _results(page)
    marks = {m.lower() for m in page.locator(".search-results mark").all_inner_texts()}
    assert marks - {"managing"}, marks  # "manage", "managers", ... are found too


def test_nothing_found_is_announced(page, base_url):
    page.goto(base_url + "search.html")
    page.fill("#lm-search", "xyzzyplugh")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    assert "No results" in page.locator(STATUS).inner_text()
    assert page.locator(RESULTS).count() == 0


def test_keyboard_only_from_the_header_to_a_result(page, base_url, site):
    page.goto(base_url + site.first_content_page)
    field = page.locator("#lm-search-header")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "lm-search-header":
            break
    else:
        raise AssertionError("Tab never reached the header's search field")
    assert field.get_attribute("name") == "q"
    page.wait_for_selector("#lm-search-index", state="attached")  # focus loads the index
    page.keyboard.type("reflection")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=reflection"))
    _results(page)
    page.locator("#lm-search").focus()
    page.keyboard.press("ArrowDown")
    first = page.locator(".search-result__link").first
    assert page.evaluate("document.activeElement.className") == "search-result__link"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    target = first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == target
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def test_tab_reaches_results_from_the_field(page, base_url):
    page.goto(base_url + "search.html?q=culture")
    _results(page)
    page.locator("#lm-search").focus()
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "search-result__link"


def test_works_from_file_urls(page, tmp_path):
    out = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(out)], cwd=REPO_ROOT, check=True,
                   capture_output=True)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "index.html").as_uri())
    page.fill("#lm-search-header", "wellbeing")
    page.keyboard.press("Enter")
    hrefs = _results(page)
    assert page.url.startswith("file://") and hrefs
    page.click(".search-result__link >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.locator("main h1").count() == 1
    assert all(url.startswith(("file://", "data:")) for url in requests), requests


def test_a_package_searches_its_own_module_only(page, tmp_path):
    out = tmp_path / "packages"
    subprocess.run([sys.executable, "-m", "generator", "package", "--out", str(out), "--module", "learning-culture"],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    (zip_path,) = out.glob("*.zip")
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(zip_path).extractall(folder)
    page.goto((folder / "search.html").as_uri() + "?q=culture")
    hrefs = _results(page)
    assert hrefs and all(h.startswith("learning-culture/") or h == "support.html" for h in hrefs), hrefs
    page.goto((folder / "search.html").as_uri() + "?q=compassionate")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    assert all(h.startswith("learning-culture/") or h == "support.html"
               for h in page.eval_on_selector_all(".search-result__link", "a => a.map(x => x.getAttribute('href'))"))


def test_without_javascript_the_search_page_says_so(nojs_page, base_url):
    nojs_page.goto(base_url + "search.html?q=culture")
    assert "Search needs JavaScript" in nojs_page.locator("main").inner_text()
    link = nojs_page.locator("main .nojs-only a")
    assert link.get_attribute("href") == "index.html#modules"
    assert not nojs_page.locator("#lm-search").is_visible()
    assert not nojs_page.locator("#lm-search-header").count() or not nojs_page.locator("#lm-search-header").is_visible()


def test_the_search_page_with_results_is_axe_clean(new_context, base_url, axe_path):
    page = new_context(bypass_csp=True).new_page()
    violations = axe_violations(page, base_url + "search.html?q=culture", axe_path)
    page.wait_for_selector(RESULTS)
    page.add_script_tag(path=str(axe_path))
    from .test_axe import AXE_TAGS, RUN_AXE
    violations += page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, format_violations({"search.html": violations})


def test_on_a_phone_the_header_links_to_the_search_page(new_context, base_url, site):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(base_url + site.first_content_page)
    assert not page.locator("#lm-search-header").is_visible()
    link = page.locator(".header__search-link a")
    assert link.is_visible() and link.get_attribute("href").endswith("search.html")
