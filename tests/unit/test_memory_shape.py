"""What keeps a 5,000-page build's peak memory down (bench/README.md, issue 18): the shape of what is held,
not a number. A parsed page keeps its body packed, not as tokens; parsing leaves no reference cycles behind
(the collector is paused while it runs); a worker's parse comes back without its text; and the site's own
files (the search index, 20 MB at 5,000 pages) are written before the pages render, not held until after."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

from markdown_it.token import Token

import generator.build as build_module
import generator.load as load_module
from generator.build import build
from generator.load import FIELDS, parse_all
from generator.discover import SourceFile
from generator.markdown import make_markdown
from generator.mdplugins.deferred import fill
from generator.parse import parse
from generator.search import SEARCH_INDEX

PAGE = """\
---
title: One
summary: "A page with a bit of everything deferred"
---
## A heading

See [the other page](02-two.md) and ![a chart](chart.png).

::: quiz id=check
### Which?
- [x] This
  > Yes.
- [ ] That
  > No.
:::

::: reflection id=think
What would you do?
:::
"""


def held(value, seen=None):
    """Every object reachable from ``value`` through dataclass fields, tuples, lists and dicts."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, (tuple, list, set, frozenset)):
        parts = list(value)
    else:
        parts = []
    for part in parts:
        yield from held(part, seen)


def parsed(text: str = PAGE):
    source = SourceFile("content/01-first/01-one.md", Path("content/01-first/01-one.md"), text)
    return parse(source, make_markdown(False), FIELDS["page"], "page")


def test_a_parsed_page_keeps_its_body_packed_and_no_tokens():
    doc, problems = parsed()
    assert problems == []
    assert isinstance(doc.packed_html, bytes) and isinstance(doc.packed_deferred, bytes)
    # A quiz or reflection keeps the tokens of its labels and feedback for rendering (one page in twenty
    # has one); what every page has holds none.
    kept = [f.name for f in dataclasses.fields(doc) if f.name not in ("quizzes", "reflections")
            and any(isinstance(part, Token) for part in held(getattr(doc, f.name)))]
    assert kept == []
    # Unpacked on demand, as rendering reads it: the markers and their tokens are all there.
    assert {token.type for token in doc.deferred} >= {"link_open", "image", "quiz", "reflection"}
    assert "\ue000" in doc.html and "\ue000" not in fill(make_markdown(False), doc.html, doc.deferred, {
        "rewrite_url": lambda url, kind: url, "render_block": lambda token: "", "gettext": str})


def test_parsing_leaves_no_reference_cycles_behind():
    """Parsing runs with the collector paused (memory.py): a cycle it made would stay for good."""
    md = make_markdown(False)
    source = SourceFile("content/01-first/01-one.md", Path("content/01-first/01-one.md"), PAGE)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            parse(source, md, FIELDS["page"], "page")
        gc.collect()
        left = sorted({f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage
                       if type(o).__module__.split(".")[0] in ("yaml", "markdown_it", "generator")})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []


def test_a_worker_sends_a_parse_back_without_its_text(tmp_path, monkeypatch):
    sent = []
    real = load_module.fork_map

    def recording(function, items, workers):
        results = real(function, items, 0)
        sent.extend(results)
        return results
    monkeypatch.setattr(load_module, "fork_map", recording)
    file = SourceFile("content/01-first/01-one.md", tmp_path / "01-one.md", PAGE)
    results = parse_all([(file, "page")], False, None)
    assert [doc.source for doc, _ in sent] == [None]
    assert results[file.rel][0].source is file


def test_the_sites_own_files_are_written_before_any_page_renders(project, monkeypatch):
    out = project.root / "build" / "site"
    seen = []
    real = build_module.render_page

    def rendering(course, theme, md, doc, *args, **kwargs):
        seen.append([path.relative_to(staging).as_posix() for staging in out.parent.glob(".site.new-*")
                     for path in staging.rglob("search-index.js")])
        return real(course, theme, md, doc, *args, **kwargs)
    monkeypatch.setattr(build_module, "render_page", rendering)
    build(project.root, out)
    assert seen and all(found == [SEARCH_INDEX] for found in seen)
    assert (out / SEARCH_INDEX).read_bytes().endswith(b"}});\n")


def test_slotted_parse_records_survive_the_parse_cache_as_they_were():
    """They pickle by their fields (``__reduce__``), faster to load than slots' own state: nothing lost on the way."""
    import pickle
    from generator.errors import SourceLocation
    from generator.parse import Heading, Reference
    at = SourceLocation("content/01-a/02-b.md", 7, 3)
    for record in (at, Heading(2, "Raising a concern", "concern", at),
                   Reference("images/chart.svg", at, "image", "A chart", True, "")):
        again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == record and type(again) is type(record) and not hasattr(again, "__dict__")


def test_a_parse_handed_over_with_another_source_is_what_replace_makes():
    """``with_source`` (cache and workers) copies the parse as ``dataclasses.replace`` would, only cheaper: every
    field the same, the original untouched, and what it worked out (its anchors) true of the copy."""
    doc, _ = parsed()
    assert doc.anchors == {"a-heading"}
    other = SourceFile("content/01-first/02-two.md", Path("content/01-first/02-two.md"), PAGE)
    for source in (None, other):
        copy = doc.with_source(source)
        assert copy == dataclasses.replace(doc, source=source) and copy is not doc
        assert copy.source is source and copy.anchors == doc.anchors
    assert doc.source.rel == "content/01-first/01-one.md"


def test_locations_headings_and_references_come_back_from_a_pickle_as_they_were():
    """They are unpickled by setting their slots directly (errors.slot_setters), not through the class, a heading
    or reference with its location in one call: every field must come back, in its place, as a worker's parse or
    the parse cache hands them over."""
    import pickle

    from generator.errors import SourceLocation
    from generator.parse import Heading, Reference
    doc, _ = parsed()
    assert doc.headings and doc.references
    back = pickle.loads(pickle.dumps(doc.with_source(None)))
    assert back == doc.with_source(None)
    for made, kind in ((back.headings[0], Heading), (back.references[0], Reference),
                       (back.references[0].location, SourceLocation)):
        assert type(made) is kind and made == pickle.loads(pickle.dumps(made))
        fields = [getattr(made, name) for name in kind.__dataclass_fields__]
        flat = [part for field in fields for part in  # a heading's or reference's location: its fields, in place
                ((field.path, field.line, field.column) if isinstance(field, SourceLocation) else (field,))]
        assert flat == list(made.__reduce__()[1])
