#!/usr/bin/env python3
"""Before and after a change: builds of the corpus by two checkouts of Learnmark, in turns.

    git archive <commit> | tar -x -C /tmp/before      # a plain export of the code before
    python bench/ab.py /tmp/before .                  # full builds, --no-cache
    python bench/ab.py /tmp/before . --edit           # one page edited, then `learnmark build` (warm cache)
    python bench/ab.py /tmp/before . --edit --pause 2 # the same, each build 2 s after its edit
    python bench/ab.py /tmp/before . --edit --pause 2 --instructions --runs 3
                                                      # instructions instead of time (valgrind's callgrind)

Each turn runs A then B as new processes (`python -m generator` in each tree) and the figures
are medians of B ÷ A within each turn, so a busy machine favours neither. Prints the load
average. Prints figures only.

On a virtual machine whose speed swings by a fifth from one minute to the next, a change worth a few
per cent cannot be timed. ``--instructions`` counts the instructions each build runs instead, with
valgrind's callgrind (about fifty times slower), in one process (``LEARNMARK_WORKERS=0``: a forked
worker's count would start from its parent's): the count of the same build differs by a few parts in
ten thousand from run to run (``PYTHONHASHSEED`` is fixed), so three turns tell a change of half a per
cent. It counts no time spent waiting for the disk or in the kernel, nor what workers cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def counted(command: list[str], cwd: Path) -> tuple[float, float]:
    """The instructions ``command`` runs in one process, in millions (as ``timed``'s figures: the count twice).
    The largest count is the build's: a process it starts counts from where the build was when it forked."""
    found = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command], cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "PYTHONHASHSEED": "0", "LEARNMARK_WORKERS": "0"})
    if found.returncode:
        sys.exit(f"{command} failed in {cwd}:\n{found.stderr[-2000:]}")
    millions = max(int(line.split(":")[1].replace(",", "")) for line in found.stderr.splitlines()
                   if line.startswith("==") and "Collected :" in line) / 1e6
    return millions, millions


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        sys.exit(f"{command} failed in {cwd}:\n{process.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--corpus", type=Path, default=BENCH / "corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edit", action="store_true", help="time a rebuild after a one-page edit, cache warm")
    ap.add_argument("--pause", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long between each edit and its build, as an author would (the last build's "
                         "site is emptied in the background meanwhile)")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions (valgrind's callgrind) rather than time: see above")
    args = ap.parse_args()
    trees = {"A (before)": args.before.resolve(), "B (after)": args.after.resolve()}
    for tree in trees.values():  # as installed: a `git archive` has no __pycache__, and with PYTHONDONTWRITEBYTECODE
        # set (as on this machine) every run would compile it all again (~0.15 s), which the other tree may not
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "generator")], check=True,
                       stdout=subprocess.DEVNULL)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="learnmark-ab-") as tmp:
        courses = {}
        for name, tree in trees.items():
            course = courses[name] = Path(tmp) / name.split()[0]
            shutil.copytree(args.corpus / "content", course / "content")
            shutil.copy(args.corpus / "site.yaml", course / "site.yaml")
            if args.edit:
                timed([sys.executable, "-m", "generator", "build", "--project", str(course), "-q"], tree)
        for turn in range(args.runs):
            for name, tree in trees.items():
                command = [sys.executable, "-m", "generator", "build", "--project", str(courses[name]), "-q"]
                if args.edit:
                    page = sorted((courses[name] / "content").rglob("03-*.md"))[0]
                    with open(page, "a", encoding="utf-8") as file:
                        file.write(f"\nOne more sentence ({turn}).\n")
                    time.sleep(args.pause)
                else:
                    command += ["--no-cache", "--out", str(Path(tmp) / f"site-{turn}-{name[0]}")]
                results[name].append((counted if args.instructions else timed)(command, tree))
    a, b = results.values()
    if args.instructions:
        for name, runs in results.items():
            print(f"{name:<11} instructions median {statistics.median(n for n, _ in runs):8.0f} million")
        print(f"B ÷ A: instructions {statistics.median(y[0] / x[0] for x, y in zip(a, b)):.4f} "
              f"(median of {args.runs} turns)")
        return 0
    for name, runs in results.items():
        print(f"{name:<11} wall median {statistics.median(w for w, _ in runs):6.2f} s   "
              f"CPU median {statistics.median(c for _, c in runs):6.2f} s")
    print(f"B ÷ A: wall {statistics.median(y[0] / x[0] for x, y in zip(a, b)):.2f}, "
          f"CPU {statistics.median(y[1] / x[1] for x, y in zip(a, b)):.2f} "
          f"(medians of {args.runs} turns; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
