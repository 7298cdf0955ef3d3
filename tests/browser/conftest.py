"""Fixtures for the browser tests: build the shipped course once, serve it, drive Chromium.

The course is built ONCE per test session into a temporary folder with
``python -m generator build --out DIR`` (run from the repository root), served
over http://127.0.0.1 on a free port, and driven with Python Playwright in
Debian's ``/usr/bin/chromium`` (Playwright's own browser download is not used).

Set ``LEARNMARK_TEST_SITE=/some/folder`` to test an already built site folder
instead of building the shipped course (handy when working on the harness).

Nothing here skips: a missing Chromium, Playwright or axe-core is a failure
with a message saying how to install it (``bash tests/run`` installs all three).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator.scorm.names import DISPATCH_PAGE
from generator.urls import PRINT

# Chromium and its fixtures (playwright_driver, browser, new_context) are shared with tests/moodle.
from tests.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, DEFAULT_TIMEOUT_MS  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS_DIR = REPO_ROOT / "tests"
AXE_PATH = TESTS_DIR / "node_modules" / "axe-core" / "axe.min.js"
BUILD_TIMEOUT_S = 300


# --------------------------------------------------------------------------
# The built site and what is in it
# --------------------------------------------------------------------------

_HREF_RE = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_A_RE = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_TABLE_RE = re.compile(r"<table\b", re.IGNORECASE)


@dataclass
class SiteMap:
    """What the built site contains, discovered from its files (no titles hard-coded).

    All page names are paths relative to the site root, with forward slashes.
    """

    root: Path
    pages: list[str] = field(default_factory=list)
    """Every .html file in the site."""
    modules: list[str] = field(default_factory=list)
    """Module landing pages (``<module-id>/index.html``), in the order the home page links them."""
    content_pages: list[str] = field(default_factory=list)
    """Content pages (``<module-id>/<page-id>.html``), module by module."""
    print_pages: list[str] = field(default_factory=list)
    """Each module's whole text on one page (``<module-id>/print.html``), in module order; in ``pages`` too."""

    home = "index.html"
    not_found = "404.html"

    @classmethod
    def discover(cls, root: Path) -> "SiteMap":
        root = Path(root)
        # Not the hosted launch pages that dispatch packages frame (tests/browser/test_dispatch.py).
        pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if p.name != DISPATCH_PAGE)
        landings = [p for p in pages if re.fullmatch(r"[^/]+/index\.html", p)]
        # Order the modules as the home page links them; unlinked ones go last.
        home_links = links_in(root / "index.html", "index.html") if (root / "index.html").exists() else []
        order = {p: i for i, p in reversed(list(enumerate(home_links)))}
        landings.sort(key=lambda p: (order.get(p, len(order)), p))
        module_dirs = {p.split("/")[0] for p in landings}
        content = [
            p
            for p in pages
            if p.count("/") == 1 and p.split("/")[0] in module_dirs and not p.endswith(("/index.html", f"/{PRINT}"))
        ]
        # Module by module; within a module, in rel=next order from its landing page.
        module_order = [m.split("/")[0] for m in landings]
        page_order = {}
        for landing in landings:
            current = landing
            while True:
                nxt = next_link(root / current, current)
                if nxt is None or nxt in page_order or nxt.split("/")[0] != landing.split("/")[0]:
                    break
                page_order[nxt] = len(page_order)
                current = nxt
        content.sort(key=lambda p: (module_order.index(p.split("/")[0]), page_order.get(p, len(page_order)), p))
        prints = [f"{m.split('/')[0]}/{PRINT}" for m in landings if f"{m.split('/')[0]}/{PRINT}" in pages]
        return cls(root=root, pages=pages, modules=landings, content_pages=content, print_pages=prints)

    def text(self, page: str) -> str:
        return (self.root / page).read_text(encoding="utf-8")

    @property
    def first_module(self) -> str:
        assert self.modules, f"the built site has no module landing pages (<module>/index.html) in {self.root}"
        return self.modules[0]

    @property
    def first_content_page(self) -> str:
        assert self.content_pages, f"the built site has no content pages (<module>/<page>.html) in {self.root}"
        return self.content_pages[0]

    @property
    def table_page(self) -> str | None:
        """The first content page that contains a <table>, or None."""
        for p in self.content_pages:
            if _TABLE_RE.search(self.text(p)):
                return p
        return None


def links_in(path: Path, page: str) -> list[str]:
    """Site-relative targets of the local links in a built HTML file (no fragments or queries)."""
    out = []
    for href in _HREF_RE.findall(path.read_text(encoding="utf-8")):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        out.append(_resolve(page, parts.path))
    return out


def next_link(path: Path, page: str) -> str | None:
    """Site-relative target of the page's first <a rel="next">, if any and if it exists."""
    if not path.is_file():
        return None
    for tag in _A_RE.findall(path.read_text(encoding="utf-8")):
        rel = re.search(r"""\brel\s*=\s*["']([^"']*)["']""", tag, re.IGNORECASE)
        href = re.search(r"""\bhref\s*=\s*["']([^"']*)["']""", tag, re.IGNORECASE)
        if rel and href and "next" in rel.group(1).lower().split():
            parts = urlsplit(href.group(1))
            if parts.scheme or parts.netloc or not parts.path:
                return None
            return _resolve(page, parts.path)
    return None


def _resolve(page: str, path: str) -> str:
    target = urlsplit(urljoin("http://site/" + page, path)).path.lstrip("/")
    if target == "" or target.endswith("/"):
        target += "index.html"
    return target


def _build_site(outdir: Path) -> None:
    cmd = [sys.executable, "-m", "generator", "build", "--out", str(outdir)]
    try:
        proc = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"building the shipped course took over {BUILD_TIMEOUT_S}s: {' '.join(cmd)}\n{exc}", pytrace=False)
    if proc.returncode != 0:
        pytest.fail(
            f"building the shipped course failed (exit {proc.returncode}): {' '.join(cmd)} (cwd {REPO_ROOT})\n"
            f"--- stderr ---\n{proc.stderr}\n--- stdout ---\n{proc.stdout}",
            pytrace=False,
        )
    if not (outdir / "index.html").is_file():
        pytest.fail(f"the build exited 0 but wrote no index.html into {outdir}", pytrace=False)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The built shipped course (built once per session), or LEARNMARK_TEST_SITE if set."""
    prebuilt = os.environ.get("LEARNMARK_TEST_SITE")
    if prebuilt:
        path = Path(prebuilt).resolve()
        if not (path / "index.html").is_file():
            pytest.fail(f"LEARNMARK_TEST_SITE={prebuilt} has no index.html", pytrace=False)
        return path
    outdir = tmp_path_factory.mktemp("browser") / "site"
    _build_site(outdir)
    return outdir


@pytest.fixture(scope="session")
def site(site_dir) -> SiteMap:
    return SiteMap.discover(site_dir)


# --------------------------------------------------------------------------
# Serving it over http://127.0.0.1
# --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _RevalidatedHandler(_QuietHandler):
    """Asks browsers to check every file again before using a copy they keep, as docs/dispatch.md asks
    of a server a course is dispatched from, so a republished course reaches learners at their next launch."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    """http://127.0.0.1:PORT/ serving the built site (ends with a slash)."""
    with serve_directory(site_dir) as url:
        yield url


# --------------------------------------------------------------------------
# Chromium through Playwright
# --------------------------------------------------------------------------


# playwright_driver, browser and new_context are in tests/conftest.py.


@pytest.fixture
def page(new_context):
    """A fresh page (in its own context) with JavaScript on, 1280x720."""
    return new_context().new_page()


@pytest.fixture
def nojs_context(new_context):
    """A browser context with JavaScript disabled."""
    return new_context(java_script_enabled=False)


@pytest.fixture
def nojs_page(nojs_context):
    return nojs_context.new_page()


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE_PATH.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE_PATH}; install it with `npm ci --prefix tests` (or run `bash tests/run`).",
            pytrace=False,
        )
    return AXE_PATH


# --------------------------------------------------------------------------
# Serving any folder (for tests that build their own scratch course)
# --------------------------------------------------------------------------


@contextlib.contextmanager
def serve_directory(directory: Path, host: str = "127.0.0.1", port: int = 0, revalidate: bool = False):
    """Serve ``directory`` over http://HOST on a free port; yields the base URL (ends with a slash).

    The same server as the ``base_url`` fixture, for tests that build a course of their own;
    another 127.0.0.x host gives another origin. ``revalidate``: every response says Cache-Control: no-cache.
    """
    handler = functools.partial(_RevalidatedHandler if revalidate else _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{Path(directory).name}", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
