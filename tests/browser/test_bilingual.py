"""A bilingual site in a real browser: one progress record whatever the language, a language switch that
keyboard users can follow, and no axe violations on the Welsh pages or the switch's "not available" form.

The course is tests/bilingual.py's, built once and served over http://127.0.0.1: English at the root,
Welsh under cy/, one origin, so one localStorage record.
"""

from __future__ import annotations

import pytest

from generator.build import build
from tests.bilingual import write_bilingual

from .conftest import serve_directory
from .test_axe import axe_violations, format_violations


@pytest.fixture(scope="module")
def bilingual_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("bilingual")
    build(write_bilingual(root / "course"), root / "site")
    with serve_directory(root / "site") as url:
        yield url


@pytest.fixture
def learner(new_context):
    context = new_context()
    errors = []
    context.on("page", lambda pg: pg.on("pageerror", lambda exc: errors.append(f"{pg.url}: {exc}")))
    page = context.new_page()
    yield page
    assert not errors, "page errors:\n" + "\n".join(errors)


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    page.wait_for_function("() => window.Learnmark && Learnmark.tracker")


def visited(page, module: str) -> list[str]:
    return page.evaluate("id => Object.keys((Learnmark.tracker.data().modules[id] || {visited: {}}).visited)", module)


def test_a_page_read_in_welsh_is_read_in_english_and_a_quiz_passed_in_english_is_passed_in_welsh(learner, bilingual_url):
    for rel in ("cy/first/index.html", "cy/first/reading.html"):
        open_page(learner, bilingual_url + rel)
    open_page(learner, bilingual_url + "progress.html")
    assert {"index", "reading"} <= set(visited(learner, "first"))
    assert learner.locator("[data-module-status='first']").first.get_attribute("data-status") == "doing"

    open_page(learner, bilingual_url + "first/check.html")
    learner.locator("[data-question-id='which-colour-is-the-sky'] input[value='blue']").check()
    learner.locator(".quiz__submit").click()
    learner.locator(".quiz__result p").first.wait_for()

    open_page(learner, bilingual_url + "cy/progress.html")
    assert learner.evaluate("() => Learnmark.tracker.status('first').success_status") == "passed"
    assert learner.locator("[data-module-status='first']").first.get_attribute("data-status") == "done"
    # The Welsh quiz page shows the English attempt: the same quiz, question and option ids.
    open_page(learner, bilingual_url + "cy/first/check.html")
    learner.locator(".quiz__result p").first.wait_for()
    assert learner.locator("[data-question-id='which-colour-is-the-sky'] input[value='blue']").count() == 1


def test_the_switch_leads_to_the_same_page_in_the_other_language_by_keyboard(learner, bilingual_url):
    open_page(learner, bilingual_url + "first/reading.html")
    switch = learner.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg")
    switch.focus()
    learner.keyboard.press("Enter")
    learner.wait_for_url(bilingual_url + "cy/first/reading.html")
    assert learner.locator("html").get_attribute("lang") == "cy"
    # On a Welsh page the switch is named in Welsh; the link keeps its language's own name.
    learner.get_by_role("navigation", name="Iaith").get_by_role("link", name="English").click()
    learner.wait_for_url(bilingual_url + "first/reading.html")


def test_the_switch_of_an_untranslated_page_goes_to_its_module(learner, bilingual_url):
    open_page(learner, bilingual_url + "second/only.html")
    link = learner.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg")
    assert link.evaluate("a => a.getAttribute('aria-describedby') && "
                         "document.getElementById(a.getAttribute('aria-describedby')).textContent") == \
        "This page is not available in Welsh: the link goes to its module."
    link.click()
    learner.wait_for_url(bilingual_url + "cy/second/index.html")


@pytest.mark.parametrize("rel", ["cy/index.html", "cy/first/reading.html", "second/only.html", "cy/second/only.html"])
def test_bilingual_pages_have_no_axe_violations(page, axe_path, bilingual_url, rel):
    violations = axe_violations(page, bilingual_url + rel, axe_path)
    assert not violations, format_violations({rel: violations})
