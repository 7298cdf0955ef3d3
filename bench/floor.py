#!/usr/bin/env python3
"""The floor of our stack: read the course's Markdown, render it with markdown-it-py and a
trivial Jinja2 template, write HTML. No checks, no navigation, no theme: the least work any
Python generator on this stack can do, for `bench/run --compare`.

    python bench/floor.py COURSE_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

TEMPLATE = jinja2.Template("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{{ title }}</title></head>"
                           "<body><main>{{ body }}</main></body></html>", autoescape=True)


def main(course: Path, out: Path) -> None:
    md = MarkdownIt("commonmark").enable("table")
    for source in sorted((course / "content").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        target = out / source.relative_to(course / "content").with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(TEMPLATE.render(title=source.stem, body=Markup(md.render(text))), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
