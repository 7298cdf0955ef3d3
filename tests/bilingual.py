"""A bilingual course (English and Welsh) for the unit and browser tests of bilingual sites.

Module ``first``: a landing page and two pages, all translated; the second holds
a quiz whose Welsh questions and options take the English ids by position.
Module ``second``: a landing page translated, its one page not (a warning).
Module ``third``: nothing translated (a warning at its _module.md).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

SITE = """\
id: bilingual
title: Bilingual course
languages: [en-GB, cy]
translations:
  cy:
    title: Cwrs dwyieithog
support: content/_support.md
accessibility:
  contact:
    email: help@example.org
"""

FILES = {
    "content/_support.md": "---\ntitle: Get support\n---\nAsk your manager.\n",
    "content/_support.cy.md": "---\ntitle: Cael cymorth\n---\nGofynnwch i'ch rheolwr.\n",
    "content/01-first/_module.md": """\
        ---
        title: First module
        summary: The first module.
        ---
        Welcome.
        """,
    "content/01-first/_module.cy.md": """\
        ---
        title: Modiwl cyntaf
        summary: Y modiwl cyntaf.
        ---
        Croeso.
        """,
    "content/01-first/01-reading.md": """\
        ---
        title: Reading
        ---
        Some text to read.
        """,
    "content/01-first/01-reading.cy.md": """\
        ---
        title: Darllen
        ---
        Testun i'w ddarllen.
        """,
    "content/01-first/02-check.md": """\
        ---
        title: Check
        ---
        ::: quiz pass=100
        ### Which colour is the sky?
        - [x] Blue
          > Yes.
        - [ ] Green
          > No.
        :::
        """,
    "content/01-first/02-check.cy.md": """\
        ---
        title: Gwirio
        ---
        ::: quiz pass=100
        ### Pa liw yw'r awyr?
        - [x] Glas
          > Ie.
        - [ ] Gwyrdd
          > Na.
        :::
        """,
    "content/02-second/_module.md": "---\ntitle: Second module\nsummary: The second.\n---\nHello.\n",
    "content/02-second/_module.cy.md": "---\ntitle: Ail fodiwl\nsummary: Yr ail.\n---\nHelo.\n",
    "content/02-second/01-only.md": "---\ntitle: Only English\n---\nNot translated yet.\n",
    "content/03-third/_module.md": "---\ntitle: Third module\nsummary: The third.\n---\nHello again.\n",
    "content/03-third/01-more.md": "---\ntitle: More\n---\nMore text.\n",
}


def write_bilingual(root: Path) -> Path:
    """Write the course into ``root``; returns ``root``."""
    for rel, text in {"site.yaml": SITE, **FILES}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root
