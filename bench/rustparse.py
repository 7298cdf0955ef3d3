#!/usr/bin/env python3
"""A compiled parser from Debian's crates, measured: native/ (pyo3 + pulldown-cmark) against
markdown-it-py on the corpus's pages, CPU time in interleaved turns, and how close its HTML is to
markdown-it-py's. Prints figures only (bench/README.md, "A compiled parser from Debian's crates").

    python bench/rustparse.py [--corpus bench/corpus] [--runs 5] [--examples]

Measures generator._native, the extension `pip install -e .` builds, when it is as new as native/'s
sources; otherwise builds the crate into native/target/ (git-ignored) itself, with the same cargo
settings as setup.py (native/cargo_args.py: offline from the crate sources Debian packages where they
are installed, `apt-get install cargo librust-pyo3-dev librust-pulldown-cmark-dev`).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import importlib.machinery
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CRATE = ROOT / "native"
NEEDS = {"pyo3-0.17": "librust-pyo3-dev", "pulldown-cmark-0.9": "librust-pulldown-cmark-dev"}
sys.path[:0] = [str(ROOT), str(BENCH), str(CRATE)]

from markdown_it import MarkdownIt  # noqa: E402
from markdown_it.token import Token  # noqa: E402
from mdit_py_plugins.footnote import footnote_plugin  # noqa: E402

import rustshim  # noqa: E402
from cargo_args import DEBIAN_REGISTRY as REGISTRY, cargo_config, drop_unreadable_lock  # noqa: E402
from generator.load import FIELDS  # noqa: E402
from generator.discover import SourceFile  # noqa: E402
from generator.markdown import BLOCK_NAMES, make_markdown  # noqa: E402
from generator.parse import parse  # noqa: E402
from generator.mdplugins.blocks import BLOCKS  # noqa: E402


def missing() -> list[str]:
    """The Debian packages the crate's build still needs: none when generator._native is installed and
    current; only cargo where Debian's crate sources are not used at all (cargo fetches the crates)."""
    if installed() is not None:
        return []
    gone = [] if _cargo() else ["cargo"]
    if not REGISTRY.is_dir():
        return gone
    have = [p.name for p in REGISTRY.iterdir()]
    return gone + [pkg for crate, pkg in NEEDS.items() if not any(n.startswith(crate + ".") for n in have)]


def _cargo() -> str | None:
    return shutil.which("cargo") or next(
        (str(p) for p in [Path.home() / ".cargo/bin/cargo"] if p.exists()), None)


def _newest_source() -> float:
    return max(p.stat().st_mtime for p in [CRATE / "Cargo.toml", *(CRATE / "src").rglob("*.rs")])


def installed():
    """generator._native, as `pip install -e .` built it into this tree's generator/, when it is there and
    not older than native/'s sources (an edit of the crate since the install is measured from a build of
    its own; so is another tree's build, which an editable install's import hook can find)."""
    spec = importlib.util.find_spec("generator._native")
    if spec is None or not spec.origin or Path(spec.origin).parent != ROOT / "generator":
        return None
    if Path(spec.origin).stat().st_mtime < _newest_source():
        return None
    return importlib.import_module("generator._native")


def load():
    """The extension module: the installed one when current, else the crate built here into native/target/
    first if its sources are newer than that build (about 15 s)."""
    if (module := installed()) is not None:
        return module
    target = CRATE / "target"
    built = target / "release" / "lib_native.so"
    if not built.exists() or built.stat().st_mtime < _newest_source():
        env = {**os.environ, "PYO3_PYTHON": sys.executable, "CARGO_TARGET_DIR": str(target)}
        drop_unreadable_lock(CRATE)
        subprocess.run([_cargo(), "build", "--release", "--quiet", *cargo_config()], cwd=CRATE, env=env, check=True)
    loader = importlib.machinery.ExtensionFileLoader("_native", str(built))
    spec = importlib.util.spec_from_file_location("_native", built, loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def pages(folder: Path) -> list[tuple[Path, str, int]]:
    """Each Markdown file's body, without its front matter, and the line the body starts on."""
    found = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n") and "\n---\n" in text:
            head, body = text.split("\n---\n", 1)
            found.append((path, body, head.count("\n") + 3))
        else:
            found.append((path, text, 1))
    return found


def scan(events: list[tuple]) -> tuple[list, list, int]:
    """What generator/parse.py's ``_scan`` takes from a page's tokens, taken from the crate's events instead:
    headings (level, text, line), links and images (target, line, column) and the number of words. It
    stands for the Python a build would still run over every event, so its cost is measured too."""
    headings, references, words, heading = [], [], 0, None
    for kind, tag, line, col, _end_line, _end_col, a, _b in events:
        if kind == "text":
            words += len(a.split())
            if heading is not None:
                heading[1].append(a)
        elif kind == "open":
            if tag in ("a", "img"):
                references.append((a, line, col))
            elif tag[0] == "h" and tag[1:].isdigit():
                heading = (int(tag[1]), [], line)
        elif kind == "close" and heading is not None and tag[0] == "h" and tag[1:].isdigit():
            headings.append((heading[0], "".join(heading[1]), heading[2]))
            heading = None
    return headings, references, words


def cpu_turns(parsers: dict, inputs: list[tuple], runs: int) -> dict[str, float]:
    """Median CPU seconds of each parser over all inputs, the parsers taking turns in each run."""
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(runs):
        for name, run in parsers.items():
            start = time.process_time()
            for first, second in inputs:
                run(first, second)
            times[name].append(time.process_time() - start)
    return {name: statistics.median(t) for name, t in times.items()}


# What a differing stretch of HTML is about, first match wins: (class, pattern in either side's lines).
CLASSES = [
    ("`{...}` after a heading (pulldown-cmark reads it as attributes, drops words it does not know)",
     re.compile(r"<h\d[^>]*\bid=|<h\d[^>]*>[^\n]*\{[^}\n]*\}")),
    ("footnote markup (and place: pulldown-cmark leaves definitions where they are)",
     re.compile(r"footnote|fnref|fn\d|<hr class|</section>")),
    ("table alignment (`text-align: right` against `text-align:right`)", re.compile(r"text-align")),
    ("`:::` container (paragraph text in both)", re.compile(r":::")),
    ("raw HTML", re.compile(r"&lt;|<(?!/?(p|em|strong|a|code|pre|h\d|ul|ol|li|table|thead|tbody|tr|th|td|"
                            r"blockquote|img|br|hr|sup|section|div)\b)[a-z!/]")),
    ("entities and escaping", re.compile(r"&[#a-z0-9]+;")),
]


_BLOCK = r"/?(?:p|pre|ul|ol|li|table|thead|tbody|tr|th|td|h\d|blockquote|div|section|hr)\b"


def tags_per_line(html: str) -> list[str]:
    """HTML cut before every block tag and between tags, so that whitespace there does not count
    (pulldown-cmark writes a table on few lines, markdown-it-py a tag a line)."""
    html = re.sub(r"\s*(<" + _BLOCK + ")", r"\n\1", html)
    return [line for line in re.sub(r">\s*<", ">\n<", html).splitlines() if line.strip()]


def classify(ours: str, theirs: str) -> list[tuple[str, str]]:
    """The classes of the stretches where two renderings differ, with each stretch as an example."""
    a, b = tags_per_line(ours), tags_per_line(theirs)
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        stretch = "\n".join(a[i1:i2]) + "\n" + "\n".join(b[j1:j2])
        kind = next((name for name, pattern in CLASSES if pattern.search(stretch)), "other")
        example = "pulldown-cmark: " + " ".join(a[i1:i2][:4]) + "\nmarkdown-it-py: " + " ".join(b[j1:j2][:4])
        found.append((kind, example))
    return found


def fidelity(label: str, files, left, right, examples: bool) -> None:
    """Print how many files render byte-identical, and identical but for whitespace between tags,
    then each class of difference with the first file it is in (and its stretch, with --examples)."""
    same, loose, classes, shown, where = 0, 0, Counter(), {}, {}
    for path, body, _line in files:
        ours, theirs = left(body), right(body)
        same += ours == theirs
        kinds = classify(ours, theirs)
        loose += not kinds
        for kind, example in kinds:
            shown.setdefault(kind, example)
            where.setdefault(kind, path)
        classes.update({kind for kind, _ in kinds})
    print(f"  {label}: {same} of {len(files)} files byte-identical, {loose} once whitespace between tags is ignored")
    for kind, count in classes.most_common():
        print(f"    {kind}: {count} files, e.g. {where[kind].relative_to(ROOT)}")
        if examples:
            print("      " + shown[kind][:400].replace("\n", "\n      "))


# One small page per piece of syntax where the two parsers may part, as Learnmark's authors write it.
SNIPPETS = {
    "footnote": "Text[^1].\n\n[^1]: The note.\n",
    "heading id": "## Raising a concern {#concern}\n",
    "quiz question heading": "### Which is right? {multiple}\n",
    "definition list": "Term\n: Its definition.\n",
    "`:::` callout": "::: note Title\nA callout.\n:::\n",
    "image class": "![A chart](chart.svg){.wide}\n",
    "html block": "<div class=\"x\">\n\n*text*\n\n</div>\n",
    "inline html": "Press <kbd>Ctrl</kbd>.\n",
    "entities": "&copy; &amp; &#35; &nbsp; &bogus;\n",
    "quotes and dashes": "\"Quoted\" -- it's...\n",
    "table alignment": "| a | b |\n|:-:|--:|\n| 1 | 2 |\n",
    "autolink": "<https://example.org> and <me@example.org>\n",
    "strikethrough": "~~gone~~\n",
}


def snippets(rp, flags: int, theirs) -> None:
    """Each piece of syntax: the same HTML from both, or both renderings."""
    for name, text in SNIPPETS.items():
        a, b = rp.render(text, flags).strip(), theirs(text).strip()
        if a == b:
            print(f"  {name}: identical")
        else:
            print(f"  {name}:\n    pulldown-cmark  {a[:150]!r}\n    markdown-it-py  {b[:150]!r}")


# Ways to write, nest and break `:::` blocks (see generator/parse.py's messages), for the pairing's figures.
CASES = {
    "nested, outer with more colons": ":::: details Outer\n::: note\ninner\n:::\n::::\n",
    "nested, same colons (outer closes early)": "::: details Outer\n::: note\ninner\n:::\n:::\n",
    "not closed": "::: note\ntext\n",
    "closes no block": "text\n\n:::\n",
    "unknown name": "::: nope\ntext\n:::\n",
    "in a list item": "- item\n\n  ::: note\n  inside\n  :::\n",
    "in a quote, not closed in it": "> ::: details Sum\n> text\n\nafter\n:::\n",
    "interrupts a paragraph": "para\n::: note\ntext\n:::\n",
    "lazy line after the opener": "::: note\ntext\nmore\n:::\n",
    "fenced code inside with a `:::` line": "::: note\n```\n:::\n```\n:::\n",
    "indented four spaces (code)": "    ::: note\n    :::\n",
    "closer with text after it": "::: note\ntext\n::: x\n:::\n",
    "quiz with a callout inside": "::: quiz\n### Q\n- [x] a\n::: note\nn\n:::\n:::\n",
}


def mdit_containers(tokens: list[Token]) -> list[tuple[str, int, bool]]:
    """Learnmark's parser's `:::` blocks, in order, nested ones too: (name, first line, the line of the `:::` that
    closed it, or 0 when none did)."""
    found = []
    for token in tokens:
        name = token.type[len("container_"):-len("_open")] if token.type.startswith("container_") else token.type
        if token.nesting == 1 and token.type.startswith("container_") or token.type in BLOCKS:
            found.append((name, token.map[0] + 1, token.map[1] + 1 if token.meta.get("closed", True) else 0))
        if token.type in BLOCKS:
            found += mdit_containers(token.meta["tokens"])
    return found


def crate_containers(events: list[tuple]) -> list[tuple[str, int, bool]]:
    """The same from the crate's dialect events."""
    return [(e[6].split()[0], e[2], e[4] if e[7] == "closed" else 0) for e in events if e[:2] == ("open", "container")]


def containers(rp, label: str, files, md) -> None:
    """Print in how many files the crate finds the same `:::` blocks as Learnmark's parser, and the first miss."""
    same, count, miss = 0, 0, None
    for path, body, line in files:
        ours = crate_containers(rp.dialect_events(body, line, rp.TABLES | rp.FOOTNOTES, list(BLOCK_NAMES)))
        theirs = [(name, at + line - 1, end and end + line - 1) for name, at, end in mdit_containers(md.parse(body))]
        same += ours == theirs
        count += len(theirs)
        if ours != theirs and miss is None:
            miss = (path, ours, theirs)
    print(f"  {label}: {same} of {len(files)} files ({count} blocks in all) have the same `:::` blocks (name, line, "
          "closing line) as Learnmark's parser")
    if miss:
        print(f"    first difference: {miss[0].relative_to(ROOT)}\n      crate  {miss[1]}\n      theirs {miss[2]}")


def sources_of(root: Path) -> list[tuple[SourceFile, str]]:
    """The Markdown files under ``root`` as the build reads them, each with what it is (module or page)."""
    return [(SourceFile(str(path.relative_to(root)), path, path.read_text(encoding="utf-8")),
             "module" if path.name == "_module.md" else "page") for path in sorted(root.rglob("*.md"))
            if path.name != "README.md"]


def comparable(value, md: MarkdownIt):
    """A parse's result with its tokens rendered (a quiz's prompt, a reflection's text), so that two token
    streams that draw the same HTML compare equal; dataclasses become dicts."""
    if isinstance(value, Token):
        value = [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(t, Token) for t in value):
        render = md.renderer.render if any(t.block for t in value) else md.renderer.renderInline
        return render(list(value), md.options, {})
    if isinstance(value, (list, tuple)):
        return [comparable(v, md) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: comparable(getattr(value, f.name), md) for f in dataclasses.fields(value)}
    return value


def outcome(md, src: SourceFile, what: str) -> dict:
    """What generator.parse.parse makes of one file with ``md``, comparable (the holes' secret nonce taken out)."""
    doc, problems = parse(src, md, FIELDS[what], what)
    deferred = doc.deferred
    return {"meta": doc.meta, "html": doc.html.replace(deferred.nonce, "N"), "holes": len(deferred),
            "headings": doc.headings, "references": doc.references, "words": doc.words,
            **{key: comparable(getattr(doc, key), md) for key in ("quizzes", "reflections", "media")},
            "problems": [str(p) for p in problems]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=BENCH / "corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--examples", action="store_true", help="show one differing stretch per class")
    args = ap.parse_args()
    if need := missing():
        print(f"cannot build native/: apt-get install {' '.join(need)}", file=sys.stderr)
        return 1
    if not (args.corpus / "content").is_dir():
        print(f"no corpus at {args.corpus}: python bench/make_corpus.py {args.corpus}", file=sys.stderr)
        return 1
    rp = load()
    dialect = rp.TABLES | rp.FOOTNOTES | rp.HEADING_ATTRIBUTES
    learnmark = rp.TABLES | rp.FOOTNOTES  # heading attributes off: they would eat a quiz question's {flags}
    corpus = pages(args.corpus / "content")
    shipped = pages(ROOT / "content")

    plain = MarkdownIt("commonmark").enable("table")
    ours = make_markdown()
    names = list(BLOCK_NAMES)
    parsers = {
        "markdown-it-py, CommonMark + tables, parse": lambda body, line: plain.parse(body),
        "markdown-it-py, Learnmark's parser, parse": lambda body, line: ours.parse(body),
        "rustparse, events with lines/cols (Python tuples)": lambda body, line: rp.events(body, line, dialect),
        "rustparse, events with `:::` containers paired":
            lambda body, line: rp.dialect_events(body, line, rp.TABLES | rp.FOOTNOTES, names),
        "rustparse, events + a Python scan (headings, links, words)":
            lambda body, line: scan(rp.events(body, line, dialect)),
        "rustparse + bench/rustshim.py: Learnmark's tokens":
            lambda body, line: rustshim.tokens(ours, rp.dialect_events(body, line, learnmark, names), line, {}, body.splitlines()),
        "rustparse, render to HTML (pulldown-cmark's writer)": lambda body, line: rp.render(body, dialect),
    }
    bodies = [(body, line) for _path, body, line in corpus]
    load_before = os.getloadavg()
    medians = cpu_turns(parsers, bodies, args.runs)
    load_after = os.getloadavg()
    events = sum(len(rp.events(body, line, dialect)) for body, line in bodies)
    print(f"{len(bodies)} files of {args.corpus}, CPU time of this process, median of {args.runs} interleaved "
          f"turns, load average {load_before[0]:.1f} before and {load_after[0]:.1f} after:")
    base = medians["markdown-it-py, Learnmark's parser, parse"]
    for name, seconds in medians.items():
        print(f"  {name:<62} {seconds:6.3f} s  ({seconds / base:.3f}× Learnmark's parse)")
    print(f"  rustparse gave {events:,} events")

    shim = rustshim.ShimParser(ours, rp, names)
    sources = sources_of(args.corpus / "content")
    stage = {"generator.parse.parse (the build's parse stage), Learnmark's parser": ours,
             "generator.parse.parse, the crate + bench/rustshim.py": shim}
    load_before = os.getloadavg()
    medians = cpu_turns({name: lambda src, what, md=md: parse(src, md, FIELDS[what], what)
                         for name, md in stage.items()}, sources, args.runs)
    load_after = os.getloadavg()
    print(f"the whole parse stage per page (front matter, tokens, headings, links, quizzes, media, problems, HTML "
          f"with holes), same files and turns, load average {load_before[0]:.1f} before and {load_after[0]:.1f} after:")
    base = medians[next(iter(stage))]
    for name, seconds in medians.items():
        print(f"  {name:<70} {seconds:6.3f} s  ({seconds / base:.3f}×)")

    print("fidelity of pulldown-cmark 0.9's HTML against markdown-it-py's:")
    mdit_fn = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    docs = pages(ROOT / "docs")
    for name, files in (("shipped course", shipped), ("docs/ (the authoring guide)", docs), ("corpus", corpus)):
        fidelity(f"{name}, CommonMark + tables", files,
                 lambda body: rp.render(body, rp.TABLES), plain.render, args.examples)
        fidelity(f"{name}, + footnotes", files,
                 lambda body: rp.render(body, rp.TABLES | rp.FOOTNOTES), mdit_fn.render, args.examples)
        fidelity(f"{name}, + footnotes, + heading attributes in pulldown-cmark only", files,
                 lambda body: rp.render(body, dialect), mdit_fn.render, args.examples)
    print("Learnmark's `:::` blocks through the crate's pre-pass (a marker heading on each `:::` line, paired after):")
    for name, files in (("shipped course", shipped), ("docs/", docs), ("corpus", corpus)):
        containers(rp, name, files, ours)
    for name, text in CASES.items():
        crate = crate_containers(rp.dialect_events(text, 1, rp.TABLES | rp.FOOTNOTES, names))
        theirs = mdit_containers(ours.parse(text))
        print(f"  {name}: " + ("same" if crate == theirs else f"crate {crate}, Learnmark's parser {theirs}"))
    print("the crate + bench/rustshim.py against Learnmark's parser:")
    fixtures = ROOT / "tests" / "fixtures"
    for name, root in (("shipped course", ROOT / "content"), ("tests/fixtures (broken on purpose, many of them)",
                                                               fixtures), ("corpus", args.corpus / "content")):
        found = sources_of(root)
        html = sum(ours.renderer.render(rustshim.tokens(ours, rp.dialect_events(body, line, learnmark, names), line,
                                                          env := {}, body.splitlines()), ours.options, env) == ours.render(body)
                   for path, body, line in pages(root) if path.name != "README.md")
        same = 0
        for src, what in found:
            ours_view, shim_view = outcome(ours, src, what), outcome(shim, src, what)
            same += ours_view == shim_view
            if ours_view != shim_view:
                print(f"    {src.rel} differs in {[key for key in ours_view if ours_view[key] != shim_view[key]]}")
        print(f"  {name}: {html} of {len(found)} bodies render byte-identical through Learnmark's renderer; "
              f"generator.parse.parse gives the same for {same} of {len(found)} files (metadata, HTML with holes, "
              "headings, links and images at line:col, words, quizzes, reflections, media, problems)")
    same = 0
    for name, text in CASES.items():
        src = SourceFile("case.md", Path("case.md"), "---\ntitle: A case\n---\n" + text)
        theirs, crate = outcome(ours, src, "page"), outcome(shim, src, "page")
        same += theirs == crate
        if theirs != crate:
            print(f"  case '{name}' differs in {', '.join(key for key in theirs if theirs[key] != crate[key])}: "
                  f"problems {[str(p.message) for p in parse(src, ours, FIELDS['page'], 'page')[1]]} against "
                  f"{[str(p.message) for p in parse(src, shim, FIELDS['page'], 'page')[1]]}")
    print(f"  the `:::` cases above as pages: {same} of {len(CASES)} the same, problems included")
    print("pulldown-cmark (tables, footnotes, heading attributes) against markdown-it-py (CommonMark, "
          "tables, footnotes), piece by piece:")
    snippets(rp, dialect, mdit_fn.render)
    return 0


if __name__ == "__main__":
    sys.exit(main())
