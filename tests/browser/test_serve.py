"""`learnmark serve` for real: a server process, Chromium on a page, edits on disk."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    course = tmp_path / "course"
    (course / "content" / "01-m").mkdir(parents=True)
    (course / "site.yaml").write_text("id: servetest\ntitle: Serve test\n")
    (course / "content" / "01-m" / "_module.md").write_text("---\ntitle: Module\nsummary: S.\n---\nHello.\n")
    page = course / "content" / "01-m" / "01-page.md"
    page.write_text("---\ntitle: A page\n---\nFirst version.\n")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(course), "--port", str(port)],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.1)
    yield course, page, port, process
    process.terminate()
    process.wait(timeout=10)


def listening(page) -> None:
    """Waits until the page's live-reload socket has shaken hands with the server (livereload.js sets the
    connector's protocol then), so the next rebuild's reload reaches it."""
    page.wait_for_function("() => window.LiveReload && LiveReload.connector && LiveReload.connector.protocol > 0",
                           timeout=15000)


def test_edit_reloads_the_page_and_errors_show_until_fixed(served, browser):
    course, page_file, port, process = served
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/m/page.html")
    assert "First version." in page.locator("main").inner_text()
    listening(page)

    page_file.write_text("---\ntitle: A page\n---\nSecond version.\n")
    page.wait_for_function("() => document.querySelector('main').innerText.includes('Second version.')", timeout=15000)
    listening(page)   # the reloaded page's own socket: a change before it connects would go unheard

    page_file.write_text("---\ntitle: [broken\n---\nThird version.\n")
    overlay = page.locator("#learnmark-overlay")
    overlay.wait_for(timeout=15000)
    assert overlay.get_attribute("role") == "alert"
    assert "content/01-m/01-page.md:2:" in overlay.inner_text()
    assert "Second version." in page.locator("main").inner_text(), "the last good build stays underneath"
    assert process.poll() is None

    page_file.write_text("---\ntitle: A page\n---\nFourth version.\n")
    page.wait_for_function("() => document.querySelector('main').innerText.includes('Fourth version.')", timeout=15000)
    assert page.locator("#learnmark-overlay").count() == 0
    built = (course / "build" / "site" / "m" / "page.html").read_text()
    assert "livereload" not in built and "learnmark-overlay" not in built
    page.close()


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a new file beside it and rename it over the old one, as vim and many editors do."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text)
    os.replace(temporary, path)


def test_editor_style_saves_of_pages_and_site_yaml_reload_the_page(served, browser):
    course, page_file, port, _ = served
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/m/page.html")
    listening(page)
    for version in (1, 2):  # twice: the watch must survive the file being replaced
        save_like_an_editor(course / "site.yaml", f"id: servetest\ntitle: Renamed course {version}\n")
        page.wait_for_function(f"() => document.title.includes('Renamed course {version}')", timeout=15000)
        listening(page)
        save_like_an_editor(page_file, f"---\ntitle: A page\n---\nSaved by an editor, {version}.\n")
        page.wait_for_function(f"() => document.querySelector('main').innerText.includes('Saved by an editor, {version}.')",
                               timeout=15000)
        listening(page)
    page.close()


def test_traversal_is_refused_and_the_server_binds_to_loopback(served):
    _, _, port, _ = served
    for path in ("/../site.yaml", "/%2e%2e/site.yaml", "/m/..%2f..%2fsite.yaml"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        assert response.status in (403, 404) and b"id: servetest" not in body, path
        connection.close()
    with pytest.raises(OSError):   # bound to 127.0.0.1 only: another loopback address is refused
        socket.create_connection(("127.0.0.2", port), timeout=1).close()


def test_busy_port_is_a_clear_error(served):
    course, _, port, _ = served
    run = subprocess.run([sys.executable, "-m", "generator", "serve", "--project", str(course), "--port", str(port)],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=30)
    assert run.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in run.stderr and "--port" in run.stderr


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_requests_for_another_host_name_are_refused(served):
    """DNS rebinding: a page on evil.example that points its own name at 127.0.0.1 sends Host: evil.example."""
    _, _, port, process = served
    for path in ("/", "/m/page.html", "/livereload.js", "/livereload", "/forcereload"):
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "127.0.0.1",
                     f"localhost:{port + 1}"):
            status, body = get(port, path, host)
            assert status == 421, (path, host, status)
            assert body.startswith(b"Misdirected request") and f"http://127.0.0.1:{port}/".encode() in body
        status, body = get(port, path, None)
        assert status == 400 and b"Serve test" not in body  # no Host at all: tornado's own 400
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, body = get(port, "/m/page.html", host)
        assert status == 200 and b"First version." in body, host
    assert get(port, "/forcereload", f"127.0.0.1:{port}")[0] == 404  # livereload's reload-everyone URL is gone
    assert process.poll() is None


def test_overlong_paths_get_404_or_414_without_a_traceback(served):
    _, _, port, process = served
    host = f"127.0.0.1:{port}"
    assert get(port, "/" + "a" * 300 + ".html", host)[0] == 404
    assert get(port, "/" + "/".join(["b" * 200] * 20), host)[0] == 404
    assert get(port, "/" + "/".join(["c" * 200] * 25), host)[0] == 414
    assert process.poll() is None
    process.terminate()
    output = process.stdout.read()
    assert "Traceback" not in output and "500 GET" not in output, output[-2000:]
