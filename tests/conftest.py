"""Shared fixtures: scratch courses written from dedented strings (Lektor style), and Chromium.

The browser fixtures (``playwright_driver``, ``browser``, ``new_context``) drive Debian's
``/usr/bin/chromium`` through Python Playwright (Playwright's own browser download is not used).
They live here because tests/browser and tests/moodle share one browser per session: Playwright's
sync API can only be started once at a time. Nothing skips: a missing Chromium or Playwright is a
failure saying how to install it (``bash tests/run`` installs both).
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CONTACT = """\
accessibility:
  contact:
    email: learning@test-trust.example
"""
"""A site.yaml's accessibility contact: without one, every build has a warning (see tests/unit/test_statement.py)."""
SITE = """\
id: scratch
title: Scratch course
organisation: Test Trust
""" + CONTACT
MODULE = """\
---
title: First module
summary: A module for tests.
objectives:
  - Do one thing
minutes: 10
---
Welcome to the module.
"""
PAGE_ONE = """\
---
title: Page one
---
## Start here

Read [page two](02-two.md#details-of-two).
"""
PAGE_TWO = """\
---
title: Page two
---
## Details of two

Some text.
"""


class Project:
    """A course folder in tmp_path that tests can edit file by file."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A small valid course: one module with two pages, linked to each other."""
    p = Project(tmp_path / "course")
    p.write("site.yaml", SITE)
    p.write("content/01-first/_module.md", MODULE)
    p.write("content/01-first/01-one.md", PAGE_ONE)
    p.write("content/01-first/02-two.md", PAGE_TWO)
    return p


# --------------------------------------------------------------------------
# Chromium through Playwright (tests/browser and tests/moodle)
# --------------------------------------------------------------------------

CHROMIUM_PATH = os.environ.get("LEARNMARK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def playwright_driver():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        pytest.fail(f"Python Playwright is not installed ({exc}); run `bash tests/run`, which installs '.[test]'", pytrace=False)
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM_PATH}: the browser tests need Debian's chromium. "
            "Install it with `apt-get install -y chromium` (or run `bash tests/run`, which does).",
            pytrace=False,
        )
    try:
        b = playwright_driver.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:
        pytest.fail(f"could not launch {CHROMIUM_PATH} with {CHROMIUM_ARGS}:\n{exc}", pytrace=False)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def new_context(browser):
    """Factory for browser contexts (closed after the test): new_context(**playwright_options)."""
    contexts = []

    def make(**options):
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
