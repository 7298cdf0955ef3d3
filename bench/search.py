#!/usr/bin/env python3
"""The search index on the benchmark corpus: its size, raw and gzipped, and the time to the first result.

Builds the 1,000-page corpus (made by make_corpus.py into bench/corpus/ if missing) into a temporary
folder, then, in Node, times what a learner waits for the first time they search: evaluating
assets/search-index.js (parsing the index) and running one query, for a few queries. Figures are
printed, never asserted.

    .venv/bin/python bench/search.py [--corpus DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

QUERIES = ("escalating", "famil", "honest trainee", "zzzz")
NODE = """
const fs = require('fs');
const code = fs.readFileSync(process.argv[1], 'utf8');
const queries = JSON.parse(process.argv[2]);
globalThis.window = globalThis;
globalThis.document = { querySelectorAll: () => [] };
const start = performance.now();
new Function(code)();
const loaded = performance.now();
const first = window.LearnmarkSearch.search(queries[0]);
const done = performance.now();
const each = queries.map(q => { const t = performance.now(); const n = window.LearnmarkSearch.search(q).length;
                                return [q, n, performance.now() - t]; });
console.log(JSON.stringify({ load: loaded - start, first: done - loaded, results: first.length, each }));
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (args.corpus / "site.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(args.corpus)], check=True)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(args.corpus), "--out", str(out),
                        "--no-cache", "--quiet"], cwd=HERE.parent, check=True)
        index = out / "assets" / "search-index.js"
        raw = index.read_bytes()
        pages = len([p for p in out.rglob("*.html")])
        print(f"{'corpus':<26}{args.corpus} ({pages} HTML files)")
        print(f"{'index raw':<26}{len(raw) / 1024:,.0f} KiB")
        print(f"{'index gzipped':<26}{len(gzip.compress(raw, 9)) / 1024:,.0f} KiB")
        runs = [json.loads(subprocess.run(["node", "-e", NODE, str(index), json.dumps(QUERIES)], capture_output=True,
                                          text=True, check=True).stdout) for _ in range(args.runs)]
    print(f"{'load index (ms, median)':<26}{statistics.median(r['load'] for r in runs):.1f}")
    print(f"{'first query (ms, median)':<26}{statistics.median(r['first'] for r in runs):.1f}"
          f"  ('{QUERIES[0]}': {runs[0]['results']} results)")
    total = statistics.median(r["load"] + r["first"] for r in runs)
    print(f"{'time to first result':<26}{total:.1f} ms (median of {args.runs}, in Node {_node_version()})")
    for number, query in enumerate(QUERIES):
        print(f"  query {query!r:<24}{runs[0]['each'][number][1]:>5} results  "
              f"{statistics.median(r['each'][number][2] for r in runs):.1f} ms")


def _node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
