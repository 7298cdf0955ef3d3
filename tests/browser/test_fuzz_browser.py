"""Proof in a browser: pages built from author text full of what Learnmark uses internally run no script
but the theme's own.

Hypothesis generates courses (tests/fuzzing.py) whose every field (body, headings, alt and link text,
callout titles, quiz text and feedback, reflections, front matter, the course title) mixes the hole
markers' characters, NUL, bidi controls, ``{{``, ``:::`` and script payloads that set
``window.__pwned`` or open a dialog. Each course that builds is served from memory over http and its
pages are loaded in one Chromium, with JavaScript on (the theme's scripts run over the author's text).
The example count is bounded so the test stays fast in CI.
"""

from __future__ import annotations

import mimetypes
import shutil

import pytest
from hypothesis import HealthCheck, example, given, settings

from generator.build import build
from generator.errors import BuildFailed
from generator.write import encoded
from tests.fuzzing import courses, reported_attack

ORIGIN = "http://fuzz.learnmark.test"
PAGES = ("first/fuzz.html", "first/index.html", "index.html")
"""The page with every field, its module's landing page (module front matter), the home page."""


@pytest.fixture(scope="module")
def served(browser):
    """One page in one context for every example: its routes answer from ``site``, set per example."""
    site: dict[str, bytes] = {}
    context = browser.new_context()
    context.set_default_timeout(15_000)

    def answer(route):
        path = route.request.url[len(ORIGIN) + 1:].split("#")[0].split("?")[0]
        if path not in site:
            route.fulfill(status=404, body="not found")
        else:
            route.fulfill(status=200, body=site[path],
                          content_type=mimetypes.guess_type(path)[0] or "application/octet-stream")
    context.route(f"{ORIGIN}/**", answer)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield site, page, dialogs
    context.close()


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=courses())
@example(files=reported_attack())
def test_no_author_text_runs_a_script_in_chromium(served, tmp_path_factory, files):
    site, page, dialogs = served
    root = tmp_path_factory.mktemp("fuzz") / "course"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    try:
        built = build(root).site
        site.clear()
        site.update({path: encoded(text) for path, text in built.files.items()})
        site.update({path: source.read_bytes() for path, source in built.copies.items()})
    except BuildFailed:
        return  # reported as diagnostics: tests/unit/test_fuzz_fields.py checks there is no traceback
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    for path in PAGES:
        dialogs.clear()
        response = page.goto(f"{ORIGIN}/{path}", wait_until="load")
        assert response is not None and response.status == 200, path
        page.wait_for_timeout(50)  # let deferred scripts and handlers that fire on load run
        ran = page.evaluate("() => Boolean(window.__pwned)")
        assert not ran and not dialogs, (path, dialogs, files["content/01-first/01-fuzz.md"])


@pytest.mark.parametrize("payload", ["<img src=x onerror=window.__pwned=1>", "<script>alert(1)</script>"])
def test_the_harness_sees_a_script_that_runs(served, payload):
    """The check above would notice: markup like the payloads, written as markup, is caught."""
    site, page, dialogs = served
    site.clear()
    site["control.html"] = f"<!doctype html><title>x</title><p>{payload}</p>".encode()
    dialogs.clear()
    page.goto(f"{ORIGIN}/control.html", wait_until="load")
    page.wait_for_timeout(50)
    assert page.evaluate("() => Boolean(window.__pwned)") or dialogs
