"""native/, the compiled Markdown front end that bench/rustparse measures, gives source lines and columns an
error can point at.

Through bench/rustparse.py's load(): generator._native as `pip install -e .` built it, when it is as new
as native/'s sources, else the crate built by cargo into native/target/. Skipped where neither can be had
(no cargo, or Debian's librust-pyo3-dev and librust-pulldown-cmark-dev missing): without them Learnmark
uses its pure-Python parser.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

DRIVER = Path(__file__).resolve().parents[2] / "bench" / "rustparse.py"


@pytest.fixture(scope="module")
def rp():
    spec = importlib.util.spec_from_file_location("bench_rustparse", DRIVER)
    driver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(driver)
    if need := driver.missing():
        pytest.skip(f"cannot build native/ without {', '.join(need)}")
    return driver.load()


def test_events_carry_file_lines_and_character_columns(rp):
    body = "## Café {#cafe}\n\nSee [the ward](ward.md) and ![x](a.svg).\n\n| a |\n|---|\n| 1 |\n"
    events = rp.events(body, 5, rp.TABLES | rp.FOOTNOTES | rp.HEADING_ATTRIBUTES)
    assert events[0] == ("open", "h2", 5, 1, 5, 16, "cafe", "")
    assert ("text", "", 5, 4, 5, 8, "Café", "") in events
    link = next(e for e in events if e[:2] == ("open", "a"))
    image = next(e for e in events if e[:2] == ("open", "img"))
    assert (link[2:4], link[6]) == ((7, 5), "ward.md")
    assert (image[2:4], image[6]) == ((7, 29), "a.svg")
    assert [e[1] for e in events if e[0] == "open" and e[1] in ("th", "td")] == ["th", "td"]


def test_heading_attributes_drop_words_a_quiz_question_needs(rp):
    """Why Learnmark would read `{...}` itself: pulldown-cmark 0.9 keeps only ids and classes."""
    events = rp.events("### Which is right? {multiple}\n", 1, rp.HEADING_ATTRIBUTES)
    assert "".join(e[6] for e in events if e[0] == "text").strip() == "Which is right?"
    assert not any("multiple" in e[6] + e[7] for e in events)


PAGE = """---
title: A page
---
Intro with a note[^n].

:::: details Read more
::: tip Where to *look*
Inside.
:::
::::

Mentor
: Someone who guides.

![A chart](chart.svg){.wide}

::: quiz
### Which is right? {multiple}
- [x] This
- [ ] That
:::

[^n]: The note.
"""


def test_the_crate_and_its_shim_parse_a_page_as_learnmarks_parser_does(rp):
    """`:::` blocks nested by their colons, a definition list, an image's class, a quiz, a footnote: the
    whole of generator/parse.py's output is the same through bench/rustshim.py."""
    import sys

    sys.path.insert(0, str(DRIVER.parent))
    import rustshim
    from generator.discover import SourceFile
    from generator.markdown import BLOCK_NAMES, make_markdown

    spec = importlib.util.spec_from_file_location("bench_rustparse", DRIVER)
    driver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(driver)
    md = make_markdown()
    source = SourceFile("page.md", Path("page.md"), PAGE)
    ours = driver.outcome(rustshim.ShimParser(md, rp, list(BLOCK_NAMES)), source, "page")
    assert ours == driver.outcome(md, source, "page")
    assert "<dl>" in ours["html"] and ours["quizzes"] and ours["references"]
