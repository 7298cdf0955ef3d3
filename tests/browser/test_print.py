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
