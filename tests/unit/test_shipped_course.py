"""The shipped course, built in memory and read with BeautifulSoup: structure, navigation, links."""

from __future__ import annotations

import posixpath
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.build import build
from generator.scorm.names import DISPATCH_PAGE
from tests.conftest import REPO


@pytest.fixture(scope="module")
def result():
    return build(REPO)


@pytest.fixture(scope="module")
def pages(result):
    """Every page a learner reads; not the launch pages that dispatch packages frame (tests/browser/test_dispatch.py)."""
    return {path: BeautifulSoup(html, "html.parser")
            for path, html in result.site.files.items() if path.endswith(".html") and not path.endswith(f"/{DISPATCH_PAGE}")}


def test_every_module_and_page_is_built(result, pages):
    expected = ({"index.html", "404.html", "progress.html", "certificate.html", "support.html", "accessibility.html",
                 "search.html"}
                | {doc.url for doc in result.course.sequence})
    expected |= {f"{module.id}/print.html" for module in result.course.modules}  # each module's print page
    assert set(pages) == expected
    assert len(result.course.modules) == 5
    launch_pages = {path for path in result.site.files if path.endswith(f"/{DISPATCH_PAGE}")}
    assert launch_pages == {f"{module.id}/{DISPATCH_PAGE}" for module in result.course.modules}


def test_titles_are_unique_and_name_page_module_and_course(result, pages):
    titles = [soup.title.string for soup in pages.values()]
    assert len(set(titles)) == len(titles)
    module = result.course.modules[1]
    page = module.pages[1]
    assert pages[page.url].title.string == f"{page.title} – {module.title} – {result.course.title}"
    assert pages[module.url].title.string == f"{module.title} – {result.course.title}"
    assert pages["index.html"].title.string == result.course.title


@pytest.mark.parametrize("check", ["lang", "landmarks", "one_h1", "heading_order", "skip_link"])
def test_every_page_has_accessible_structure(pages, check):
    failures = []
    for path, soup in pages.items():
        body = soup.body
        ok = {
            "lang": lambda: soup.html.get("lang") == "en-GB",
            "landmarks": lambda: all(body.find(tag, recursive=False) for tag in ("header", "footer"))
            and soup.select_one("main#main") is not None and soup.find("nav") is not None,
            "one_h1": lambda: len(soup.find_all("h1")) == 1,
            "heading_order": lambda: _no_skipped_levels(soup),
            "skip_link": lambda: body.find(["a", "button", "input", "summary"]).get("href") == "#main",
        }[check]()
        if not ok:
            failures.append(path)
    assert failures == [], f"{check} fails on {failures}"


def _no_skipped_levels(soup) -> bool:
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    return levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_every_link_is_relative_html_and_resolves(result, pages):
    files = set(result.site.files) | set(result.site.copies)
    problems = []
    for path, soup in pages.items():
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag):
                url = element.get(attr)
                if url is None or url.startswith("data:") or url.startswith(("http:", "https:", "mailto:", "tel:")) and tag == "a":
                    continue
                target, _, fragment = url.partition("#")
                if url.startswith(("/", "http:", "https:", "//")):
                    problems.append(f"{path}: {tag} {url} is not relative")
                    continue
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
                target = target or path
                if resolved not in files:
                    problems.append(f"{path}: {url} -> {resolved} does not exist")
                elif tag == "a" and not (target.endswith(".html") or resolved in result.site.copies):
                    problems.append(f"{path}: {url} does not end in .html")
                elif fragment and pages[resolved].find(id=fragment) is None:
                    problems.append(f"{path}: {url} has no element #{fragment}")
    assert problems == []


def test_no_page_loads_anything_from_elsewhere(pages):
    external = [f"{path}: {el}" for path, soup in pages.items()
                for el in soup.select("link[href], script[src], img[src], iframe, object, embed")
                if re.match(r"^(https?:)?//", el.get("href") or el.get("src") or "")]
    assert external == []


def test_home_lists_modules_in_site_yaml_order(result, pages):
    order = yaml.safe_load((REPO / "site.yaml").read_text())["modules"]
    links = [a["href"] for a in pages["index.html"].select(".card__link")]
    assert links == [f"{module_id}/index.html" for module_id in order]
    assert [m.id for m in result.course.modules] == order


def test_next_links_walk_the_whole_course_and_prev_links_walk_back(result, pages):
    sequence = [doc.url for doc in result.course.sequence]
    walked = [sequence[0]]
    while (link := pages[walked[-1]].select_one('a[rel="next"]')) is not None:
        walked.append(posixpath.normpath(posixpath.join(posixpath.dirname(walked[-1]), link["href"])))
    assert walked == sequence
    back = [sequence[-1]]
    while (link := pages[back[-1]].select_one('a[rel="prev"]')) is not None:
        back.append(posixpath.normpath(posixpath.join(posixpath.dirname(back[-1]), link["href"])))
    assert back == sequence[::-1]


def test_content_pages_show_position_breadcrumbs_and_module_nav(result, pages):
    module = result.course.modules[2]
    page = module.pages[1]
    soup = pages[page.url]
    # One counting rule: the landing page ("Introduction", first in the module's contents) is page 1.
    assert f"Page 3 of {len(module.pages) + 1}" in soup.h1.get_text()
    assert (module.page_count, module.page_number(page)) == (len(module.pages) + 1, 3)
    assert [a.get_text() for a in soup.select(".breadcrumb a")] == ["Course home", module.title]
    nav = soup.select(".module-nav__link")
    assert [a["href"] for a in nav] == ["index.html"] + [p.url.split("/")[1] for p in module.pages]
    assert [a.get("aria-current") for a in nav].index("page") == 2


def test_long_pages_get_an_on_this_page_list(result, pages):
    long_page = next(p for m in result.course.modules for p in m.pages
                     if sum(h.level == 2 for h in p.document.headings) >= 3)
    links = [a["href"] for a in pages[long_page.url].select(".contents-list a")]
    assert links == [f"#{h.id}" for h in long_page.document.headings if h.level == 2]


def test_shipped_modules_meet_the_content_brief(result, pages):
    for module in result.course.modules:
        assert module.objectives and module.minutes > 0, module.id
        assert 3 <= len(module.pages) <= 6, module.id
        text = " ".join(pages[doc.url].get_text() for doc in (module, *module.pages))
        assert "Where to get support" in text, f"{module.id} has no support page or panel"
    trauma = next(m for m in result.course.modules if m.id == "trauma-informed-practice")
    assert trauma.content_note
    assert pages[trauma.url].select_one(".callout--content-note") is not None


def test_every_feature_of_the_markdown_is_used_somewhere(pages):
    everything = "".join(str(soup.select_one(".prose") or "") for soup in pages.values())
    for selector in ("table", "dl", ".footnotes", ".callout--note", ".callout--tip", ".callout--warning",
                     ".callout--content-note", "details", "img[alt]"):
        assert BeautifulSoup(everything, "html.parser").select_one(selector) is not None, selector
