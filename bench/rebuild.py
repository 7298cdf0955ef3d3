#!/usr/bin/env python3
"""Time the preview server's rebuilds on the benchmark corpus: full, no change, one page edited.

    .venv/bin/python bench/rebuild.py [--runs 5]

The edit-to-reload time of `learnmark serve` is this rebuild plus the browser's reload.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.serve import Preview  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus = HERE / "corpus"
    if not (corpus / "site.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(corpus)], check=True)
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        shutil.copytree(corpus, course)
        preview = Preview(course)
        full = preview.rebuild()
        assert not preview.failed, preview.problems[:3]
        page = sorted((course / "content").glob("*/*.md"))[5]
        original = page.read_text()
        unchanged, edited = [], []
        for run in range(args.runs):
            unchanged.append(preview.rebuild())
            page.write_text(original.replace("\n\n", f"\n\nEdited {run}.\n\n", 1))
            edited.append(preview.rebuild())
        pages = sum(1 for _ in (course / "content").glob("*/*.md"))
    print(f"{'corpus':<18}{pages} Markdown files")
    print(f"{'full build':<18}{full * 1000:8.0f} ms")
    print(f"{'no change':<18}{statistics.median(unchanged) * 1000:8.0f} ms (median of {args.runs})")
    print(f"{'one page edited':<18}{statistics.median(edited) * 1000:8.0f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()
