#!/usr/bin/env python3
"""Time `learnmark serve` from saving a page to seeing it in the browser.

    .venv/bin/python bench/reload.py [--runs 10] [--corpus bench/corpus]

Copies the benchmark course (bench/run makes it) to a temporary folder, starts
`learnmark serve` on it, opens one of its pages in headless Chromium (Debian's
/usr/bin/chromium, through Playwright, as the browser tests do), then --runs
times: appends a new sentence to that page's Markdown and measures the time
until the sentence is on screen, which takes the file watcher, the rebuild,
the live-reload message and the browser's reload (to the new page's first
contentful paint, from the browser's Paint Timing). Prints figures only.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"learnmark serve stopped:\n{process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("learnmark serve did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=BENCH / "corpus")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("needs Playwright: bash tests/run installs it into .venv", file=sys.stderr)
        return 1
    if not (args.corpus / "site.yaml").is_file():
        print(f"no course in {args.corpus}: run bench/run first to make it", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="learnmark-reload-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(args.corpus / "content", course / "content")
        shutil.copy(args.corpus / "site.yaml", course / "site.yaml")
        source = sorted((course / "content").rglob("03-*.md"))[0]
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(course), "--port", str(port)],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for_port(port, server)
            times = measure(sync_playwright, port, course, source, args.runs)
        finally:
            server.terminate()
            log = server.communicate(timeout=10)[0]
    rebuilds = [line for line in log.splitlines() if line.startswith("Rebuilt in")]
    pages = sum(1 for _ in (args.corpus / "content").rglob("*.md"))
    print(f"course: {pages} Markdown files ({args.corpus}); page edited: {source.relative_to(course)}")
    for name, column in (("save to updated page painted", 0), ("  save to reload starting", 1),
                         ("  reload to first paint", 2), ("save to text seen by the test", 3)):
        values = [t[column] for t in times]
        print(f"{name:32} median {statistics.median(values):4.0f} ms   min {min(values):4.0f}   max {max(values):4.0f}"
              f"   ({len(values)} runs)")
    print("server's rebuilds: " + ", ".join(line.split()[2] for line in rebuilds[1:]) + " ms")
    return 0


def measure(sync_playwright, port: int, course: Path, source: Path, runs: int) -> list[tuple[float, ...]]:
    """Milliseconds from each save until the reloaded page's first paint, its two parts (until the
    browser begins to reload: watcher, rebuild, live-reload message; then the reload itself), and
    until Playwright's polling (which adds its own delay) sees the new sentence."""
    module = source.parent.name.split("-", 1)[1]
    page_id = source.stem.split("-", 1)[1]
    url = f"http://127.0.0.1:{port}/{module}/{page_id}.html"
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url)
        for run in range(runs):
            page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                                   " && window.LiveReload.connector._connectionDesired", timeout=10000)
            time.sleep(0.5)  # let the watcher settle between runs
            marker = f"Benchmark sentence {run} {time.time_ns()}."
            started, saved_at = time.perf_counter(), time.time() * 1000
            with source.open("a", encoding="utf-8") as file:
                file.write(f"\n{marker}\n")
            page.wait_for_function("marker => document.body && document.body.innerText.includes(marker)",
                                   arg=marker, polling="raf", timeout=10000)
            seen = (time.perf_counter() - started) * 1000
            origin, painted = page.evaluate("""() => new Promise(resolve => new PerformanceObserver((list, observer) => {
                const paint = list.getEntries().find(e => e.name === 'first-contentful-paint');
                if (paint) { observer.disconnect(); resolve([performance.timeOrigin, paint.startTime]); }
            }).observe({type: 'paint', buffered: true}))""")
            reload_began = origin - saved_at  # the browser's clock and ours: same machine
            times.append((reload_began + painted, reload_began, painted, seen))
        browser.close()
    return times


if __name__ == "__main__":
    sys.exit(main())
