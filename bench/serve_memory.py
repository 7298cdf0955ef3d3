#!/usr/bin/env python3
"""The preview server's memory over many rebuilds: it must stay flat, not grow with each one.

    .venv/bin/python bench/serve_memory.py [--rebuilds 300] [--course DIR] [--every 50]

Copies the course (default: the shipped course at the top of the repository) to a
temporary folder and rebuilds it in process as `learnmark serve` does (generator.serve.Preview),
editing one page's text before each rebuild, as an author saving a page does; every
`--theme-every` rebuilds it also touches a template, so the theme is loaded again.
Prints, every `--every` rebuilds: the resident set size (RSS, from /proc/self/statm), the
objects the cyclic collector tracks, those frozen out of its reach (gc.freeze), and the
milliseconds the rebuild took; then the growth per rebuild over the second half of the run
(a least-squares slope, so one-off caches filling up early do not count). Prints figures
only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.serve import Preview  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE / 2**20


def slope(xs: list[float], ys: list[float]) -> float:
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=300)
    parser.add_argument("--every", type=int, default=50, help="print a row every N rebuilds")
    parser.add_argument("--theme-every", type=int, default=0,
                        help="touch a theme template every N rebuilds (0: never; the theme is then copied into the course)")
    parser.add_argument("--course", type=Path, default=HERE.parent, help="a course folder (default: the shipped course)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        shutil.copytree(args.course, course, ignore=lambda folder, names: [
            n for n in names if Path(folder) == args.course and n not in ("site.yaml", "content", "themes")])
        if args.theme_every and not (course / "themes").is_dir():
            shutil.copytree(HERE.parent / "themes", course / "themes")
        page = sorted((course / "content").glob("*/[0-9]*.md"))[0]
        original = page.read_text(encoding="utf-8")
        template = next((course / "themes").glob("*/templates/page.html"), None) if args.theme_every else None
        preview = Preview(course)
        first = preview.rebuild()
        assert not preview.failed, [p.format() for p in preview.problems[:3]]
        print(f"course: {sum(1 for _ in (course / 'content').rglob('*.md'))} Markdown files; first build "
              f"{first * 1000:.0f} ms; Python {sys.version.split()[0]}")
        print(f"{'rebuilds':>8}  {'RSS MiB':>8}  {'tracked objects':>15}  {'frozen':>9}  {'rebuild ms':>10}")
        xs, rss, tracked, took = [], [], [], []

        def row(n: int) -> None:
            print(f"{n:>8}  {rss[-1]:>8.1f}  {tracked[-1]:>15,}  {gc.get_freeze_count():>9,}  {took[-1] * 1000:>10.0f}")

        for n in range(1, args.rebuilds + 1):
            page.write_text(original.replace("\n\n", f"\n\nEdited {n}.\n\n", 1), encoding="utf-8")
            if template and n % args.theme_every == 0:
                text = template.read_text(encoding="utf-8")
                template.write_text(text + "\n", encoding="utf-8")
                time.sleep(0.01)  # a new modification time
            took.append(preview.rebuild())
            assert not preview.failed, [p.format() for p in preview.problems[:3]]
            xs.append(n)
            rss.append(rss_mib())
            tracked.append(len(gc.get_objects()))
            if n % args.every == 0 or n == 1:
                row(n)
        half = len(xs) // 2
        print(f"growth over rebuilds {xs[half]}-{xs[-1]}: {slope(xs[half:], rss[half:]) * 1024:.1f} KiB RSS and "
              f"{slope(xs[half:], tracked[half:]):.0f} tracked objects per rebuild; "
              f"RSS {rss[0]:.1f} -> {rss[-1]:.1f} MiB (max {max(rss):.1f}); "
              f"rebuild median {statistics.median(took) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
