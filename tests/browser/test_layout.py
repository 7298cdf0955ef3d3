"""Layout of the shipped course as learners see it: at 1280, 375 and 320 px, in light, dark and forced
colours, asserting on the rendered boxes (nothing wider than the viewport, no overlapping boxes, the
footer at the bottom of short pages, a quiz's result above the fold once submitted).

Every page checked is also saved as a full-page screenshot in tests/.screenshots/ (git-ignored) for a
person to look at: ``<width>-<scheme>-<page>.png``.
"""

from __future__ import annotations

import base64
import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

SHOTS = Path(__file__).resolve().parents[1] / ".screenshots"
WIDTHS = {1280: 800, 375: 740, 320: 640}
SCHEMES = ("light", "dark", "forced")

OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > vw + 1 && r.left >= 0 && !scrolls(el)) wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 5)};
}"""

OVERLAP_JS = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)].filter(el => el.getClientRects().length)
    .map(el => [el, el.getBoundingClientRect()]).filter(([, r]) => r.width > 1 && r.height > 1);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, r] = boxes[i], [b, s] = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    const x = Math.min(r.right, s.right) - Math.max(r.left, s.left), y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    if (x > 1 && y > 1) out.push(`${a.tagName}.${a.className} / ${b.tagName}.${b.className}`);
  }
  return out;
}"""

# Boxes that must never overlap one another: the page's regions, the blocks of the main column,
# the module cards, a quiz's summary and questions, and the certificate's form.
GROUPS = (
    "body > .header, .layout__main, .layout__aside, body > .footer",
    ".layout__main > *",
    ".card",
    ".quiz__form > *",
    ".quiz__summary > *",
    ".certificate-form > *",
    ".header__title, .header__nav-link",
)


@pytest.fixture(scope="module")
def quiz_page(site) -> str:
    for p in site.content_pages:
        if 'class="quiz"' in site.text(p):
            return p
    pytest.fail("the shipped course has no page with a quiz")


def pages(site, quiz_page) -> dict[str, str]:
    return {
        "home": site.home,
        "module": site.first_module,
        "content": site.table_page or site.first_content_page,
        "quiz": quiz_page,
        "quiz-answered": quiz_page,
        "progress": "progress.html",
        "certificate": "certificate.html",
        "404": site.not_found,
    }


def context_for(new_context, width: int, scheme: str):
    return new_context(
        viewport={"width": width, "height": WIDTHS[width]},
        color_scheme="dark" if scheme == "dark" else "light",
        forced_colors="active" if scheme == "forced" else "none",
    )


def answer_and_submit(pg) -> None:
    """Choose the first option of every question shown, submit, wait for the result."""
    for q in pg.locator(".quiz__question:visible").all():
        q.locator(".quiz__input").first.check()
    pg.locator(".quiz__submit").first.click()
    pg.locator(".quiz__result p").first.wait_for()


def shot(pg, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_layout(new_context, site, base_url, quiz_page, width, scheme):
    pg = context_for(new_context, width, scheme).new_page()
    problems = []
    for name, path in pages(site, quiz_page).items():
        pg.goto(base_url + path)
        pg.wait_for_load_state("load")
        if name == "quiz-answered":
            answer_and_submit(pg)
            # The summary (the score) is on screen at once, above the questions' feedback.
            score = pg.locator(".quiz__result p").first.bounding_box()
            if not (score and score["y"] >= 0 and score["y"] + score["height"] <= WIDTHS[width]):
                problems.append(f"{name}: the result's score line is not on screen after submitting: {score}")
            first_feedback = pg.locator(".quiz__feedback:visible").first.bounding_box()
            if first_feedback["y"] < score["y"]:
                problems.append(f"{name}: the first question's feedback is above the result summary")
        shot(pg, f"{width}-{scheme}-{name}")
        over = pg.evaluate(OVERFLOW_JS)
        if over["scrollWidth"] > over["vw"] or over["wide"]:
            problems.append(f"{name}: wider than the {over['vw']} px viewport: {over}")
        for group in GROUPS:
            overlaps = pg.evaluate(OVERLAP_JS, group)
            if overlaps:
                problems.append(f"{name}: overlapping boxes in {group!r}: {overlaps[:3]}")
        # The footer ends the page: at the bottom of the window when the page is shorter than it (404, a locked
        # certificate), never floating part-way up.
        end = pg.evaluate("""() => [document.querySelector('body > .footer').getBoundingClientRect().bottom + scrollY,
                                     Math.max(innerHeight, document.documentElement.scrollHeight)]""")
        if abs(end[0] - end[1]) > 1:
            problems.append(f"{name}: the footer ends at {end[0]}px, the page at {end[1]}px")
        if name == "404" and width == 1280 and end[1] != WIDTHS[width]:
            problems.append(f"{name}: a short page should fit the window, but is {end[1]}px tall")
    assert not problems, "\n".join(problems)


def test_header_is_compact_and_headings_do_not_break_mid_word_at_320(new_context, site, base_url):
    pg = context_for(new_context, 320, "light").new_page()
    table_page = site.table_page
    assert table_page, "the shipped course has no table to check"
    pg.goto(base_url + table_page)
    height = pg.evaluate("() => document.querySelector('body > .header').getBoundingClientRect().height")
    assert height <= 160, f"the header takes {height}px of a 320px phone"
    # A word broken mid-way shows as a heading cell narrower than its longest word.
    broken = pg.evaluate("""() => [...document.querySelectorAll('.prose th')].filter(th => {
        const range = document.createRange(); range.selectNodeContents(th);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        const words = th.textContent.trim().split(/\\s+/).length;
        return lines.size > words;
      }).map(th => th.textContent.trim())""")
    assert broken == [], f"table headings broken mid-word at 320px: {broken}"


# --------------------------------------------------------------------------
# Diagrams: legible at 320 px, following the colour scheme
# --------------------------------------------------------------------------

SVG_TEXT_SIZES_JS = """async (img) => {
  const width = img.getBoundingClientRect().width;
  const text = await (await fetch(img.src)).text();
  const svg = document.importNode(new DOMParser().parseFromString(text, 'image/svg+xml').documentElement, true);
  svg.setAttribute('width', width);
  svg.removeAttribute('height');
  svg.style.cssText = 'position:absolute;left:0;top:0';
  document.body.appendChild(svg);
  const scale = svg.getScreenCTM().a;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  svg.remove();
  return sizes;
}"""


def svg_pages(site) -> list[str]:
    return [p for p in site.content_pages if re.search(r'<img[^>]+src="[^"]+\.svg"', site.text(p))]


def test_diagram_text_is_at_least_12px_at_320(new_context, site, base_url):
    found = svg_pages(site)
    assert found, "the shipped course has no SVG diagram"
    pg = context_for(new_context, 320, "light").new_page()
    small = {}
    for path in found:
        pg.goto(base_url + path)
        for img in pg.locator('.prose img[src$=".svg"]').all():
            img.scroll_into_view_if_needed()
            sizes = img.evaluate(SVG_TEXT_SIZES_JS)
            assert sizes, f"{path}: {img.get_attribute('src')} has no text to measure"
            if min(sizes) < 12:
                small[f"{path} {img.get_attribute('src')}"] = round(min(sizes), 1)
    assert not small, f"diagram text smaller than 12px at 320px: {small}"


PIXELS_JS = """async (png) => {
  const img = new Image(); img.src = 'data:image/png;base64,' + png; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let white = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 225 && d[i + 1] > 225 && d[i + 2] > 225) white++;
  return white / (d.length / 4);
}"""


def test_diagram_has_no_white_slab_in_dark_mode(new_context, site, base_url):
    pg = context_for(new_context, 375, "dark").new_page()
    for path in svg_pages(site):
        pg.goto(base_url + path)
        for img in pg.locator('.prose img[src$=".svg"]').all():
            img.scroll_into_view_if_needed()
            png = base64.b64encode(img.screenshot()).decode()
            white = pg.evaluate(PIXELS_JS, png)
            assert white < 0.05, f"{path}: {white:.0%} of {img.get_attribute('src')} is white in dark mode"


# --------------------------------------------------------------------------
# Buttons: a visible boundary in forced colours; the warning stays a warning in dark mode
# --------------------------------------------------------------------------

BOUNDARY_JS = r"""() => [...document.querySelectorAll('.button, button')].filter(b => b.getClientRects().length)
  .filter(b => { const s = getComputedStyle(b);
    const border = ['Top', 'Right', 'Bottom', 'Left'].every(side => parseFloat(s['border' + side + 'Width']) >= 1 &&
      s['border' + side + 'Style'] !== 'none' && s['border' + side + 'Color'] !== s.backgroundColor &&
      !/^rgba\(.*,\s*0\)$/.test(s['border' + side + 'Color']));
    const outline = parseFloat(s.outlineWidth) >= 1 && s.outlineStyle !== 'none' && s.outlineColor !== s.backgroundColor;
    return !(border || outline); })
  .map(b => b.textContent.trim())"""


def test_every_button_keeps_a_boundary_in_forced_colours(new_context, site, base_url, quiz_page):
    pg = context_for(new_context, 1280, "forced").new_page()
    seen, missing = 0, {}
    for path in (site.home, site.first_module, quiz_page, "progress.html", "certificate.html"):
        pg.goto(base_url + path)
        pg.wait_for_load_state("load")
        seen += pg.locator(".button:visible, button:visible").count()
        bad = pg.evaluate(BOUNDARY_JS)
        if bad:
            missing[path] = bad
    assert seen >= 5, f"only {seen} buttons were checked"
    assert not missing, f"buttons with no visible boundary in forced colours: {missing}"


def test_reset_button_is_a_warning_colour_in_dark_mode(new_context, base_url):
    pg = context_for(new_context, 1280, "dark").new_page()
    pg.goto(base_url + "progress.html")
    rgb = pg.locator("[data-progress-reset]").evaluate("b => getComputedStyle(b).backgroundColor")
    r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    assert r > 2 * g and r > 2 * b, f"'Reset my progress' is {rgb} in dark mode, not red"


# --------------------------------------------------------------------------
# One counting rule for pages: the landing page is page 1
# --------------------------------------------------------------------------


def _count(text: str) -> int:
    return int(re.search(r"(\d+) pages?", text).group(1))


def test_page_counts_agree_everywhere(site):
    home = BeautifulSoup(site.text(site.home), "html.parser")
    progress = BeautifulSoup(site.text("progress.html"), "html.parser")
    cards = home.select(".card")
    assert len(cards) == len(site.modules)
    for card, landing in zip(cards, site.modules):
        module_id = landing.split("/")[0]
        landing_html = BeautifulSoup(site.text(landing), "html.parser")
        nav = [a["href"] for a in landing_html.select(".module-nav__link")]
        in_card = _count(card.select_one(".card__meta").get_text())
        on_landing = _count(landing_html.select_one(".meta").get_text())
        on_progress = int(progress.select_one(f'[data-module-pages="{module_id}"]').get_text().split(" of ")[1])
        assert in_card == on_landing == on_progress == len(nav), (module_id, in_card, on_landing, on_progress, len(nav))
        for number, href in enumerate(nav, start=1):
            if number == 1:
                continue  # the landing page itself
            page = BeautifulSoup(site.text(f"{module_id}/{href}"), "html.parser")
            caption = " ".join(page.select_one("h1 .caption").get_text().split())
            assert f"Page {number} of {len(nav)}" in caption, (module_id, href, caption)


# --------------------------------------------------------------------------
# Print: no buttons, no question split across pages, a locked certificate not blank
# --------------------------------------------------------------------------


def test_printed_pages_have_no_buttons_and_keep_questions_whole(new_context, base_url, quiz_page):
    pg = new_context().new_page()
    pg.goto(base_url + quiz_page)
    pg.emulate_media(media="print")
    visible = [b.inner_text() for b in pg.locator("button, .button").all() if b.is_visible()]
    assert visible == [], f"buttons printed on {quiz_page}: {visible}"
    breaks = pg.evaluate("() => [...document.querySelectorAll('.quiz__question')].map(q => getComputedStyle(q).breakInside)")
    assert breaks and set(breaks) == {"avoid"}, breaks


def test_certificate_carries_the_organisation_and_learning_time(site):
    cert = BeautifulSoup(site.text("certificate.html"), "html.parser").select_one(".certificate")
    assert cert.select_one(".certificate__organisation").get_text() == "Learnmark sample course"
    assert re.search(r"Learning time: about \d+ minutes", cert.get_text())
    assert cert.select_one("[data-certificate-name]").get_text() == ""
    assert "version" not in cert.get_text().lower()


def test_printing_a_locked_certificate_says_what_is_left(new_context, base_url):
    pg = new_context().new_page()
    pg.goto(base_url + "certificate.html")
    pg.emulate_media(media="print")
    pending = pg.locator("[data-certificate-pending]")
    assert pending.is_visible() and "Complete" in pending.inner_text(), "the locked certificate prints blank"
    assert pg.locator("h1").is_visible()


# --------------------------------------------------------------------------
# The 404 page served from a subfolder, without base_url
# --------------------------------------------------------------------------


def _serve_with_404(directory: Path, not_found: Path):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_404_from_a_subfolder_is_styled_and_links_home(new_context, site_dir, site, tmp_path):
    assert 'rel="canonical"' not in site.text(site.home), "the shipped course sets base_url: this test needs none"
    shutil.copytree(site_dir, tmp_path / "course")
    server = _serve_with_404(tmp_path, tmp_path / "course" / "404.html")
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}/course/"
        module_dir = site.first_module.split("/")[0]
        pg = new_context().new_page()
        for missing in ("no-such-page.html", f"{module_dir}/no-such-page.html", f"{module_dir}/deeper/no-such-page"):
            response = pg.goto(root + missing)
            assert response.status == 404
            styled = pg.evaluate("() => getComputedStyle(document.querySelector('body > .header')).display")
            assert styled == "block" and pg.evaluate("() => document.styleSheets[0].cssRules.length") > 10, (
                f"{missing}: the 404 page is unstyled"
            )
            home = pg.get_by_role("link", name="course home page").evaluate("a => a.href")
            assert home == root + "index.html", f"{missing}: 'course home page' goes to {home}"
            skip = pg.get_by_role("link", name="Skip to main content").evaluate("a => a.href")
            assert skip == root + missing + "#main", f"{missing}: the skip link goes to {skip}"
    finally:
        server.shutdown()
        server.server_close()
