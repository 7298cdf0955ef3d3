"""Printed pages drop the navigation chrome and show where links go."""

from __future__ import annotations

CHROME = [".skip-link", ".header__nav", ".breadcrumb", ".module-nav", ".pagination", ".footer"]


def test_print_hides_navigation_and_shows_link_targets(page, base_url, site):
    page.goto(base_url + site.first_content_page)
    page.emulate_media(media="print")
    shown = [sel for sel in CHROME if page.locator(sel).count() and page.locator(sel).first.is_visible()]
    assert shown == [], f"navigation still printed on {site.first_content_page}: {shown}"
    assert page.locator("main h1").is_visible()
    after = page.evaluate(
        "() => [...document.querySelectorAll('.prose a[href]:not([href^=\"#\"])')]"
        ".map(a => getComputedStyle(a, '::after').content)")
    assert after, f"{site.first_content_page} has no links to check"
    assert all(a.startswith('" (') for a in after), after


def test_print_shows_link_targets_only_in_print(page, base_url, site):
    page.goto(base_url + site.first_content_page)
    content = page.evaluate("() => getComputedStyle(document.querySelector('.prose a[href]'), '::after').content")
    assert content in ("none", "normal")


# --------------------------------------------------------------------------
# Each module's print page (generator/printable.py), printed to PDF in Chromium
# --------------------------------------------------------------------------

import re  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402

from tests.browser.test_axe import format_violations, run_axe_over  # noqa: E402

# The text of each block of a print page: its section headings, and every paragraph and list
# item inside an expander (a `::: details`, or a media transcript once media lands).
SECTION_TITLES = """() => [...document.querySelectorAll('main > section.print-section > h2')].map(h => {
  const shown = h.cloneNode(true);
  shown.querySelectorAll('.visually-hidden').forEach(e => e.remove());
  return shown.textContent;
})"""
EXPANDER_TEXT = "() => [...document.querySelectorAll('main details .details__text :is(p, li), main details > :not(summary) :is(p, li)')].map(e => e.innerText)"
QUESTIONS = "() => [...document.querySelectorAll('.print-quiz__question')].map(q => q.innerText)"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(page, tmp_path, name: str) -> list[str]:
    """Print the open page to an A4 PDF, as a learner's "Save as PDF" does, and read each page's text."""
    path = tmp_path / (name.replace("/", "-") + ".pdf")
    path.write_bytes(page.pdf(format="A4", print_background=False))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [_words(subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout) for n in range(1, count + 1)]


def test_every_print_page_prints_every_page_and_expander_and_splits_no_question(page, base_url, site, tmp_path):
    assert len(site.print_pages) == len(site.modules), f"not every module has a print page: {site.print_pages}"
    questions_seen = 0
    for name in site.print_pages:
        page.goto(base_url + name)
        titles, expanders, questions = (page.evaluate(script) for script in (SECTION_TITLES, EXPANDER_TEXT, QUESTIONS))
        pages = pdf_pages(page, tmp_path, name)
        everything = " ".join(pages)
        assert len(pages) > len(titles) - 1, f"{name}: {len(pages)} PDF pages for {len(titles)} sections"
        missing = [t for t in titles if _words(t) not in everything]
        assert not missing, f"{name}: section headings missing from the PDF: {missing}"
        missing = [t for t in expanders if _words(t) not in everything]
        assert not missing, f"{name}: text of expanders missing from the PDF: {missing}"
        # Each section starts a new sheet: its heading is on a different PDF page from the one before's.
        starts = [next(i for i, text in enumerate(pages) if _words(t) in text) for t in titles]
        assert starts == sorted(set(starts)), f"{name}: sections do not each start a page: {list(zip(titles, starts))}"
        for question in questions:
            holding = [i + 1 for i, text in enumerate(pages) if _words(question) in text]
            assert holding, f"{name}: question split across pages (or missing): {question[:80]!r}"
        questions_seen += len(questions)
    assert questions_seen, "no print page has a quiz, so no question was checked"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_closed_expanders_print_open_on_an_ordinary_page(new_context, base_url, site, tmp_path, javascript):
    name = next(p for p in site.content_pages if 'class="details"' in site.text(p))
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(base_url + name)
    assert not page.locator("details.details").first.evaluate("d => d.open"), f"{name}: the expander starts open"
    hidden = _words(page.locator("details.details .details__text p, details.details .details__text li").first.text_content())
    everything = " ".join(pdf_pages(page, tmp_path, name))
    assert hidden in everything, f"{name}: a closed expander's text is not printed ({hidden!r})"


def test_the_print_script_opens_closed_expanders_and_closes_them_after(page, base_url, site):
    name = next(p for p in site.content_pages if 'class="details"' in site.text(p))
    page.goto(base_url + name)
    opened = "() => [...document.querySelectorAll('details.details')].map(d => d.open)"
    closed = page.evaluate(opened)
    assert closed and not any(closed)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert all(page.evaluate(opened))
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(opened) == closed


def test_print_pages_have_no_axe_violations_light_or_dark(site, base_url, axe_path, new_context):
    for scheme in ("light", "dark"):
        found = run_axe_over(new_context, base_url, axe_path, site.print_pages, color_scheme=scheme)
        assert not found, f"axe ({scheme}):\n" + format_violations(found)


def test_the_print_link_is_visible_and_reached_by_keyboard_but_not_printed(page, base_url, site):
    for name in (site.first_module, site.first_content_page):
        page.goto(base_url + name)
        link = page.get_by_role("link", name="Print or save this module")
        assert link.is_visible(), name
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.textContent.trim()") == "Print or save this module":
                break
        else:
            raise AssertionError(f"{name}: Tab never reached the print link")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(name.split("/")[0] + "/print.html")
        assert page.locator("h1").inner_text().endswith(page.locator(".breadcrumb__link").last.inner_text())
        page.goto(base_url + name)
        page.emulate_media(media="print")
        assert not link.is_visible(), f"{name}: the print link is printed"
        page.emulate_media(media="screen")
