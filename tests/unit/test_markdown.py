"""Markdown extensions, in markdown-it's fixture-file format (title, input, expected HTML)."""

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from generator.markdown import make_markdown

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markdown.md"


@pytest.mark.parametrize("line,title,text,expected", read_fixture_file(FIXTURES),
                         ids=[f"{case[0]}-{case[1]}" for case in read_fixture_file(FIXTURES)])
def test_fixture(line, title, text, expected):
    assert make_markdown().render(text) == expected


def test_block_tokens_keep_source_lines():
    tokens = make_markdown().parse("---\ntitle: x\n---\n\n::: note\nText.\n:::\n")
    note = next(t for t in tokens if t.type == "container_note_open")
    assert note.map[0] == 4  # 0-based: "::: note" is line 5 of the file, front matter included
