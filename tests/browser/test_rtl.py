"""A right-to-left course (``language: ar``) mirrors: the theme's CSS is logical, its arrows flip.

A scratch course in Arabic (a module of three pages: a callout, a table, images, a very long word, an
expander, a quiz and a reflection) is built once and served. The theme has no Arabic catalogue, so the
build warns and the interface is English: the pages are still ``dir="rtl"``, and everything that has
a side (borders, indents, the skip link, pagination, breadcrumbs, the module's contents) takes the
other one. Every page type reflows at 320 px without scrolling sideways and is axe-clean.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, serve_directory
from .test_axe import axe_violations, format_violations

LONG_WORD = "مستشفياتالخدمةالصحيةالوطنيةفيويلزوإنجلتراواسكتلنداوأيرلنداالشماليةجميعها"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} 120" width="{w}" height="120">'
    '<rect x="4" y="4" width="{r}" height="112" fill="none" stroke="#005eb8" stroke-width="4"/>'
    '<text x="24" y="70" font-size="24" fill="#005eb8">{text}</text></svg>'
)
FILES = {
    "site.yaml": """\
        id: rtltest
        title: دورة تجريبية
        organisation: صندوق الاختبار
        language: ar
        accessibility:
          contact:
            email: learning@test-trust.example
        """,
    "content/01-wahda/_module.md": """\
        ---
        title: الوحدة الأولى
        summary: وحدة لاختبار الكتابة من اليمين إلى اليسار.
        objectives:
          - فهم ثقافة العمل الداعمة
          - معرفة أين تجد الدعم
        minutes: 10
        ---
        مرحبا بكم في هذه الوحدة.
        """,
    "content/01-wahda/01-muqaddima.md": f"""\
        ---
        title: مقدمة
        ---
        ## لماذا الثقافة مهمة

        نص عربي طويل عن ثقافة العمل: {LONG_WORD}.

        ::: note ملاحظة مهمة
        تحدث إلى مشرفك التعليمي إذا احتجت إلى دعم.
        :::

        > اقتباس من زميل في العمل.

        | الدور | الوصف |
        | --- | --- |
        | مرشد | يساعد المتدرب على الاستقرار |

        ![مخطط يبين أربعة سلوكيات](images/suluk.svg)

        ![مخطط عريض يبين مراحل العودة إلى التدريب](images/wide.svg)

        ::: details اقرأ المزيد
        نص إضافي داخل الموسع.
        :::
        """,
    "content/01-wahda/02-ikhtibar.md": """\
        ---
        title: اختبار المعرفة
        ---
        أجب عن السؤالين.

        ::: quiz id=check pass=50
        ### ما هو السلوك الأول؟
        - [x] الإصغاء
          > نعم، الإصغاء يعني إعطاء شخص ما انتباهك الكامل.
        - [ ] التجاهل
          > ليس تماما: التجاهل لا يساعد.

        ### ما هو السلوك الثاني؟
        - [x] الفهم
          > نعم.
        - [ ] الحكم
          > لا.
        :::
        """,
    "content/01-wahda/03-khulasa.md": """\
        ---
        title: خلاصة
        ---
        ::: reflection id=taammul
        ما الذي ساعد زميلك على العودة إلى العمل؟
        :::

        ::: warning تحذير
        لا تشارك معلومات المرضى.
        :::
        """,
}
IMAGES = {
    "content/01-wahda/images/suluk.svg": SVG.format(w=400, r=392, text="أربعة سلوكيات"),
    "content/01-wahda/images/wide.svg": SVG.format(w=1200, r=1192, text="مراحل العودة إلى التدريب من البداية إلى النهاية"),
}
MODULE = "wahda"
PAGES = {
    "home": "index.html",
    "module": f"{MODULE}/index.html",
    "content": f"{MODULE}/muqaddima.html",
    "quiz": f"{MODULE}/ikhtibar.html",
    "reflection": f"{MODULE}/khulasa.html",
    "print": f"{MODULE}/print.html",
    "progress": "progress.html",
    "certificate": "certificate.html",
    "404": "404.html",
}


@pytest.fixture(scope="module")
def rtl_build(tmp_path_factory) -> tuple[Path, str]:
    """The built course's folder and what the build printed."""
    src, out = tmp_path_factory.mktemp("rtl") / "course", tmp_path_factory.mktemp("rtl-site") / "site"
    for rel, text in {**FILES, **IMAGES}.items():
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    cmd = [sys.executable, "-m", "generator", "build", "--project", str(src), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"the RTL course failed to build:\n{proc.stderr}\n{proc.stdout}"
    missing = [p for p in PAGES.values() if not (out / p).is_file()]
    assert not missing, f"the build wrote no {missing}"
    return out, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def rtl_site(rtl_build) -> Path:
    return rtl_build[0]


@pytest.fixture(scope="module")
def rtl_url(rtl_site) -> str:
    with serve_directory(rtl_site) as url:
        yield url


def box(pg, selector: str) -> dict:
    found = pg.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on the page"
    return found


def style(pg, selector: str, prop: str) -> str:
    return pg.locator(selector).first.evaluate("(el, p) => getComputedStyle(el)[p]", prop)


def pseudo_content(pg, selector: str, pseudo: str) -> str:
    return pg.locator(selector).first.evaluate("(el, p) => getComputedStyle(el, p).content", pseudo)


def answer_and_submit(pg) -> None:
    for q in pg.locator(".quiz__question:visible").all():
        q.locator(".quiz__input").first.check()
    pg.locator(".quiz__submit").first.click()
    pg.locator(".quiz__result p").first.wait_for()


def test_the_build_warns_that_arabic_has_no_catalogue_and_pages_are_rtl(rtl_build):
    out, printed = rtl_build
    assert "warning" in printed.lower() and "'ar'" in printed, printed
    for name, path in PAGES.items():
        head = (out / path).read_text(encoding="utf-8")[:300]
        assert '<html lang="ar" dir="rtl"' in head, f"{name}: {head}"


def test_pagination_breadcrumbs_and_module_nav_run_right_to_left(new_context, rtl_url):
    pg = new_context(viewport={"width": 1280, "height": 800}).new_page()
    pg.goto(rtl_url + PAGES["quiz"])
    # Pagination: "next" on the left of "previous", and each arrow points the way it goes.
    previous, following = box(pg, ".pagination__item--previous"), box(pg, ".pagination__item--next")
    assert following["x"] + following["width"] <= previous["x"], (previous, following)
    assert pseudo_content(pg, ".pagination__item--previous .pagination__label", "::before") == '"→ "'
    assert pseudo_content(pg, ".pagination__item--next .pagination__label", "::after") == '" ←"'
    assert style(pg, ".pagination__item--next", "textAlign") == "end"
    # Breadcrumbs: each crumb to the left of the one before it.
    crumbs = [c.bounding_box() for c in pg.locator(".breadcrumb__item").all()]
    assert len(crumbs) >= 2, crumbs
    for before, after in zip(crumbs, crumbs[1:]):
        assert after["x"] + after["width"] <= before["x"] + 1, crumbs
    # Their separator is a character Unicode mirrors (› is drawn ‹ in right-to-left text), so it points onward.
    separator = pseudo_content(pg, ".breadcrumb__item + .breadcrumb__item", "::before").strip('"')
    assert len(separator) == 1 and unicodedata.mirrored(separator), separator
    # The module's contents: beside the text on its left, each link flush with the list's right edge.
    main, aside = box(pg, ".layout__main"), box(pg, ".layout__aside")
    assert aside["x"] + aside["width"] <= main["x"], (main, aside)
    items = [i.bounding_box() for i in pg.locator(".module-nav__item").all()]
    links = [a.bounding_box() for a in pg.locator(".module-nav__link").all()]
    assert len(links) == 4
    for item, link in zip(items, links):
        assert abs((link["x"] + link["width"]) - (item["x"] + item["width"])) <= 1, (item, link)
        assert link["x"] > item["x"] or link["width"] >= item["width"] - 1
    assert style(pg, ".module-nav__list", "paddingRight") == "24px" and style(pg, ".module-nav__list", "paddingLeft") == "0px"
    assert pseudo_content(pg, ".module-nav__link[aria-current='page']", "::before") == '"◂ "'


def test_accents_indents_and_markers_take_the_right_side(new_context, rtl_url):
    pg = new_context(viewport={"width": 1280, "height": 800}).new_page()
    pg.goto(rtl_url + PAGES["content"])
    for selector, width in ((".callout", "8px"), (".prose blockquote", "4px")):
        assert style(pg, selector, "borderRightWidth") == width, selector
        assert style(pg, selector, "borderLeftWidth") == "0px", selector
    callout, title = box(pg, ".callout"), box(pg, ".callout__title")
    assert callout["x"] + callout["width"] - (title["x"] + title["width"]) == pytest.approx(8 + 24, abs=1)
    assert style(pg, ".prose th", "textAlign") == "start"
    assert style(pg, ".prose th", "paddingLeft") == "16px" and style(pg, ".prose th", "paddingRight") == "0px"
    summary = ".details__summary"
    assert style(pg, summary, "paddingRight") == "24px" and style(pg, summary, "paddingLeft") == "0px"
    assert pseudo_content(pg, summary, "::before") == '"◀"'
    pg.locator(summary).first.click()
    assert pseudo_content(pg, summary, "::before") == '"▼"'
    assert style(pg, ".details__text", "borderRightWidth") == "4px"

    pg.goto(rtl_url + PAGES["reflection"])
    assert style(pg, ".reflection", "borderRightWidth") == "8px" and style(pg, ".reflection", "borderLeftWidth") == "0px"

    pg.goto(rtl_url + PAGES["quiz"])
    answer_and_submit(pg)
    feedback = ".quiz__feedback:visible"
    assert style(pg, feedback, "borderRightWidth") == "8px" and style(pg, feedback, "borderLeftWidth") == "0px"
    assert style(pg, ".quiz__tag", "marginRight") == "8px" and style(pg, ".quiz__tag", "marginLeft") == "0px"


def test_the_skip_link_appears_at_the_right(new_context, rtl_url):
    pg = new_context(viewport={"width": 1280, "height": 800}).new_page()
    pg.goto(rtl_url + PAGES["content"])
    pg.keyboard.press("Tab")
    assert pg.evaluate("() => document.activeElement.className") == "skip-link"
    link, width = box(pg, ".skip-link"), pg.evaluate("() => document.documentElement.clientWidth")
    assert link["x"] + link["width"] == pytest.approx(width - 16, abs=1), (link, width)


def test_printed_rtl_pages_keep_their_sides(new_context, rtl_url):
    pg = new_context(viewport={"width": 800, "height": 800}).new_page()
    pg.goto(rtl_url + PAGES["print"])
    pg.emulate_media(media="print")
    assert style(pg, ".print-reflection", "borderRightWidth") == "4px"
    assert style(pg, ".print-reflection", "borderLeftWidth") == "0px"
    assert style(pg, ".print-quiz__option", "paddingRight") == "36px"
    assert style(pg, ".callout", "borderRightWidth") == "8px"


def test_no_page_scrolls_sideways_at_320(new_context, rtl_url):
    pg = new_context(viewport={"width": 320, "height": 640}).new_page()
    wide = {}
    for name, path in PAGES.items():
        pg.goto(rtl_url + path)
        pg.wait_for_load_state("load")
        if name == "quiz":
            answer_and_submit(pg)
        sizes = pg.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
        if sizes[0] > sizes[1]:
            wide[name] = sizes
    assert not wide, f"pages wider than 320 px (scrollWidth, clientWidth): {wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_rtl_pages_have_no_axe_violations(new_context, rtl_url, axe_path, scheme):
    pg = new_context(bypass_csp=True, color_scheme=scheme).new_page()
    found = {}
    for name, path in PAGES.items():
        violations = axe_violations(pg, rtl_url + path, axe_path)
        if violations:
            found[name] = violations
    assert not found, "axe found violations on the RTL course:\n" + format_violations(found)
