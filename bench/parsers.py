#!/usr/bin/env python3
"""Could a compiled parser replace markdown-it-py? Times markdown-it-py (plain CommonMark + tables,
and Learnmark's configured parser) against markdown-it-pyrs (Rust) on the corpus's pages, in turns,
and checks what the compiled one can give us: identical HTML, line maps, our `:::` containers,
heading ids. Prints figures only (bench/README.md, "The parser", records them).

    python bench/parsers.py [--corpus bench/corpus] [--runs 3]

Needs markdown-it-pyrs importable (it is not a dependency): for example
`pip install --target /tmp/pyrs markdown-it-pyrs` and `PYTHONPATH=/tmp/pyrs`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from markdown_it import MarkdownIt  # noqa: E402

from generator.markdown import make_markdown  # noqa: E402

SAMPLE = """\
## Raising a concern {#concern}

Text with a footnote[^1] and a [link](02-next.md).

::: note
A callout.
:::

Term
: Its definition.

[^1]: The footnote.
"""


def bodies(corpus: Path) -> list[str]:
    texts = []
    for path in sorted((corpus / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        texts.append(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
    return texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=BENCH / "corpus")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    try:
        import markdown_it_pyrs
    except ImportError:
        print("markdown-it-pyrs is not importable: see this script's docstring", file=sys.stderr)
        return 1
    texts = bodies(args.corpus)
    python_plain = MarkdownIt("commonmark").enable("table")
    ours = make_markdown()
    rust = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "footnote", "deflist"])
    rust_plain = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")
    parsers = {
        "markdown-it-py, CommonMark + tables (render)": python_plain.render,
        "markdown-it-py, Learnmark's parser (parse only)": ours.parse,
        "markdown-it-pyrs, CommonMark + tables (render)": rust_plain.render,
        "markdown-it-pyrs, + footnote, deflist (tree with source map)": rust.tree,
    }
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(args.runs):
        for name, parse in parsers.items():
            start = time.perf_counter()
            for text in texts:
                parse(text)
            times[name].append(time.perf_counter() - start)
    print(f"{len(texts)} files of {args.corpus}, median of {args.runs} turns:")
    base = statistics.median(times["markdown-it-py, CommonMark + tables (render)"])
    for name, runs in times.items():
        print(f"  {name:<64} {statistics.median(runs):6.3f} s  ({statistics.median(runs) / base:.2f}× markdown-it-py's)")
    same = sum(python_plain.render(t) == rust_plain.render(t) for t in texts)
    print(f"identical HTML (CommonMark + tables): {same} of {len(texts)} files")
    print("what markdown-it-pyrs makes of Learnmark's syntax (no Python plugin API: rules cannot be added):")
    print("  " + rust.render(SAMPLE).replace("\n", "\n  "))
    print("its tree (source map in bytes; nodes without one have none):")
    print("  " + rust.tree(SAMPLE).pretty(srcmap=True).replace("\n", "\n  "))
    print(f"plugins it has: {', '.join(rust.list_plugins())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
