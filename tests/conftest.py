"""Shared fixtures: scratch courses written from dedented strings (Lektor style)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SITE = """\
id: scratch
title: Scratch course
organisation: Test Trust
"""
MODULE = """\
---
title: First module
summary: A module for tests.
objectives:
  - Do one thing
minutes: 10
---
Welcome to the module.
"""
PAGE_ONE = """\
---
title: Page one
---
## Start here

Read [page two](02-two.md#details-of-two).
"""
PAGE_TWO = """\
---
title: Page two
---
## Details of two

Some text.
"""


class Project:
    """A course folder in tmp_path that tests can edit file by file."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A small valid course: one module with two pages, linked to each other."""
    p = Project(tmp_path / "course")
    p.write("site.yaml", SITE)
    p.write("content/01-first/_module.md", MODULE)
    p.write("content/01-first/01-one.md", PAGE_ONE)
    p.write("content/01-first/02-two.md", PAGE_TWO)
    return p
