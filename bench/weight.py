#!/usr/bin/env python3
"""CSS + JS per page, gzipped: issue 7's budget of 30 KB, on the benchmark corpus (features in use).

Builds the corpus (bench/corpus/, generated if missing; ``--bilingual`` for the English and Welsh
one) into a temporary folder, then for every HTML page adds up the stylesheets and scripts it
loads as it loads (``<link rel=stylesheet href>``, ``<script src>``; the search index, which
loads only when the learner uses search, is not counted), each gzipped on its own at level 9,
as a web server would send it. Prints the heaviest page and its files. Prints figures only.

    python bench/weight.py [--bilingual] [--modules 50 --pages 20] [--site DIR]
"""

from __future__ import annotations

import argparse
import gzip
import posixpath
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

BUDGET = 30 * 1024
_LOADED = re.compile(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"')


def weights(site: Path) -> dict[str, dict[str, int]]:
    """{page: {file it loads: gzipped bytes}} for every HTML page of ``site``."""
    sizes: dict[Path, int] = {}
    found = {}
    for page in sorted(site.rglob("*.html")):
        loaded = {}
        for css, js in _LOADED.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / (css or js)).resolve()
            if target not in sizes:
                sizes[target] = len(gzip.compress(target.read_bytes(), 9)) if target.is_file() else 0
            loaded[posixpath.relpath(target, site.resolve())] = sizes[target]
        found[page.relative_to(site).as_posix()] = loaded
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", type=int, default=make_corpus.DEFAULT_MODULES)
    ap.add_argument("--pages", type=int, default=make_corpus.DEFAULT_PAGES)
    ap.add_argument("--bilingual", action="store_true", help="the English and Welsh corpus")
    ap.add_argument("--site", type=Path, help="measure this built site instead of building the corpus")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="learnmark-weight-") as tmp:
        site = args.site
        if site is None:
            sizes = (args.modules, args.pages, make_corpus.DEFAULT_WORDS)
            name = "corpus" if sizes[:2] == (make_corpus.DEFAULT_MODULES, make_corpus.DEFAULT_PAGES) else \
                "corpus-{}x{}x{}".format(*sizes)
            corpus = BENCH / (name + ("-cy" if args.bilingual else ""))
            if not make_corpus.is_current(corpus, *sizes, make_corpus.DEFAULT_SEED, args.bilingual):
                make_corpus.make_corpus(corpus, *sizes, make_corpus.DEFAULT_SEED, args.bilingual)
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(corpus), "--out", str(site),
                            "--no-cache", "--quiet"], cwd=REPO, check=True)
        found = weights(site)
    # The hosted dispatch launch pages (<module>/dispatch.html) are not read by learners: an LMS frames them,
    # and they load the SCORM runtime as well. They are reported on their own.
    for kind, pages in (("learner pages", {p: f for p, f in found.items() if not p.endswith("/dispatch.html")}),
                        ("dispatch launch pages", {p: f for p, f in found.items() if p.endswith("/dispatch.html")})):
        if not pages:
            continue
        totals = {page: sum(files.values()) for page, files in pages.items()}
        heaviest = max(totals, key=totals.get)
        print(f"{kind}: {len(pages)}; CSS + JS per page, gzipped: median {statistics.median(totals.values()) / 1024:.1f} KB, "
              f"heaviest {totals[heaviest] / 1024:.1f} KB ({heaviest}); budget {BUDGET / 1024:.0f} KB: "
              f"{'within' if totals[heaviest] <= BUDGET else 'OVER'}")
        for file, size in sorted(pages[heaviest].items()):
            print(f"  {file:<28} {size / 1024:5.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
