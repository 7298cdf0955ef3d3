#!/usr/bin/env python3
"""Peak memory of a big build: `learnmark build --no-cache` of the 5,000-page corpus, two cores and one.

    .venv/bin/python bench/build_memory.py [--modules 250] [--runs 2] [TREE ...]

Builds the corpus (made in bench/corpus-<modules>x<pages>x<words>/ as bench/run's large turn
makes it) with the default workers and with LEARNMARK_WORKERS=0, each as a new process
(`python -m generator` in each TREE, default: this checkout; give two, say an export of the
code before a change and this one, to compare them in turns). Prints each build's peak
resident set size as bench/run measures it (os.wait4's ru_maxrss: the largest single process
of the tree) and its CPU time, and the load average. Issue 18's target: 200 MiB both ways.
Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import make_corpus  # noqa: E402


def peak(tree: Path, corpus: Path, out: Path, workers: str | None) -> tuple[float, float]:
    """Peak RSS (MiB) and CPU seconds of one build."""
    env = dict(os.environ)
    if workers is not None:
        env["LEARNMARK_WORKERS"] = workers
    command = [sys.executable, "-m", "generator", "build", "--project", str(corpus), "--no-cache", "--out", str(out), "-q"]
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        sys.exit(f"{command} failed in {tree}:\n{process.stderr.read().decode()[-2000:]}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", type=Path, nargs="*", default=[BENCH.parent])
    ap.add_argument("--modules", type=int, default=250)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--words", type=int, default=400)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    sizes = (args.modules, args.pages, args.words)
    corpus = BENCH / "corpus-{}x{}x{}".format(*sizes)
    if not make_corpus.is_current(corpus, *sizes, make_corpus.DEFAULT_SEED):
        print(f"generating corpus in {corpus} ...", flush=True)
        make_corpus.make_corpus(corpus, *sizes, make_corpus.DEFAULT_SEED)
    with tempfile.TemporaryDirectory(prefix="learnmark-memory-") as tmp:
        for turn in range(args.runs):
            for number, tree in enumerate(args.trees):
                for workers in (None, "0"):
                    rss, cpu = peak(tree.resolve(), corpus, Path(tmp) / f"site-{number}-{workers}", workers)
                    print(f"turn {turn + 1}  {str(tree):<28} workers {workers or 'default':<8} "
                          f"peak {rss:5.0f} MiB   CPU {cpu:6.2f} s   load {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
