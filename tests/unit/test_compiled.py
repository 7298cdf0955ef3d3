"""The compiled front end (native/, generator/compiled/) gives generator/parse.py's output exactly, or declines.

Each page is parsed twice, by markdown-it-py (``LEARNMARK_PARSER=python``) and through the crate, and
everything the later stages read must be the same: front matter, the body's HTML once its deferred holes are
filled, headings, links and images at their lines and columns, words, quizzes, reflections, media and every
problem. Pages the crate declines go to markdown-it-py; the tests also check that it declines what it must,
and that it does not decline the pages Learnmark ships and the benchmark's course, so the fast path is the one
tested. Skipped where the extension was not built (no cargo: see README).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st
from markdown_it.common.normalize_url import normalizeLink, validateLink

from generator import compiled, printable, search
from generator.compiled import page
from generator.compiled.page import compile_page
from generator.discover import SourceFile
from generator.load import FIELDS
from generator.markdown import heading_id, make_markdown
from generator.mdplugins.deferred import MARKER_SHAPE, fill
from generator.parse import parse
from generator.search import STEM_RULES
from tests import golden
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(compiled.native() is None, reason="the compiled front end is not built (no cargo)")

MD = make_markdown()


def _both(text: str, what: str = "page", monkeypatch=None) -> tuple[dict, dict | None]:
    """``parse``'s output read both ways; the second is None where the crate declines the page."""
    source = SourceFile(rel="content/01-a/01-page.md", path=Path("content/01-a/01-page.md"), text=text)
    fields = FIELDS[what]
    body = text[1:] if text.startswith("\ufeff") else text
    fast = _summary(parse(source, MD, fields, what)) if compile_page(MD, body, body.splitlines()) else None
    os.environ["LEARNMARK_PARSER"] = "python"
    compiled.native.cache_clear()
    try:
        slow = _summary(parse(source, MD, fields, what))
    finally:
        del os.environ["LEARNMARK_PARSER"]
        compiled.native.cache_clear()
    return slow, fast


def _summary(result) -> dict:
    doc, problems = result
    env = {"rewrite_url": lambda target, kind: f"{kind}:{target}", "gettext": str.upper,
           "render_block": lambda token: f"<{token.type} {token.info!r} {token.map} {token.level}"
                                         f" {[(t.type, t.content, t.attrs) for t in token.meta['tokens']]}>"}
    return {"meta": doc.meta, "html": fill(MD, doc.html, doc.deferred, env), "headings": doc.headings,
            "references": doc.references, "words": doc.words, "quizzes": doc.quizzes,
            "reflections": doc.reflections, "media": doc.media, "problems": problems}


def _same(paths: list[Path]) -> tuple[int, list[Path]]:
    """How many of ``paths`` the crate parsed (each the same as markdown-it-py), and those it declined."""
    fast, declined = 0, []
    for path in paths:
        slow, quick = _both(path.read_text(encoding="utf-8"), "module" if path.name.startswith("_module") else "page")
        if quick is None:
            declined.append(path)
            continue
        assert quick == slow, path
        fast += 1
    return fast, declined


def test_the_shipped_course_and_fixtures_parse_the_same_both_ways():
    shipped = sorted((REPO / "content").rglob("*.md"))
    fast, declined = _same(shipped)
    # Declined: the pages with footnotes or a definition list, which the crate leaves to markdown-it-py.
    assert fast >= len(shipped) - 6, declined
    _same(sorted((REPO / "tests" / "fixtures").rglob("*.md")) + sorted((REPO / "docs").rglob("*.md")))


def test_the_benchmark_course_parses_the_same_both_ways(tmp_path):
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "bench" / "make_corpus.py")
    corpus = sys.modules["make_corpus"] = importlib.util.module_from_spec(spec)  # its dataclasses look it up
    spec.loader.exec_module(corpus)
    corpus.generate(tmp_path, modules=4, pages=12, words=400, seed=18, bilingual=True)
    pages = sorted((tmp_path / "content").rglob("*.md"))
    fast, declined = _same(pages)
    assert not declined and fast == len(pages) == 104


def test_the_shipped_course_builds_to_the_golden_files_with_markdown_it_py_alone():
    """The golden test builds through the crate; the same files come out without it."""
    script = "import json; from tests import golden; print(json.dumps(golden.digests()))"
    other = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                           env={**os.environ, "LEARNMARK_PARSER": "python"})
    found = golden.differences(golden.load(), json.loads(other.stdout))
    assert not any(found.values()), found


FRONT = "---\ntitle: A page\n---\n"


@pytest.mark.parametrize("body", [
    "Text <span>with HTML</span> in it.\n",
    "<div>\nA block.\n</div>\n",
    "A claim.[^1]\n\n[^1]: The source.\n",
    "Mentor\n: Someone who guides.\n",
    "See <https://example.org>.\n",
    "A heading\n---------\n",
    "::: note\n```\n:::\n```\n:::\n",
    "    ::: note\n",
    "[a link][ref]\n\n[ref]: https://example.org\n",
    "[bad](javascript:alert(1))\n",
    "![a *b* \\[c\\]](x.png)\n",
    "> ::: quiz\n> ### Q?\n> - [x] A\n> - [ ] B\n> :::\n",
    "| a | b |\n| - | - |\n| 1 \\| 2 | 3 |\n",
    "::: note Where *to* look\nText.\n:::\n",
    "Line one\r\nLine two\r\n",
    "Line one\rLine two\n",
    "A form feed\x0c",  # the last line ended by a character splitlines cuts at and markdown-it-py does not
    "Lines\u2028apart\n",
    "A NUL\0 in text\n",
    "> " * 25 + "Deeper than markdown-it-py nests.\n",
    "*" * 40 + "a" + "*" * 40 + "\n",
])
def test_pages_the_crate_declines_go_to_markdown_it_py(body):
    text = FRONT + body
    assert compile_page(MD, text, text.splitlines()) is None
    slow, fast = _both(text)
    assert fast is None and slow["html"]


@pytest.mark.parametrize("text", [
    "---\ntitle: A\n...\nBody.\n",  # front matter closed by '...'
    "--- \ntitle: A\n---\nBody.\n",  # opened by more than '---'
    "No front matter.\n",
    "---\ntitle: never closed\n",
])
def test_front_matter_the_crate_does_not_split_goes_to_markdown_it_py(text):
    assert compile_page(MD, text, text.splitlines()) is None


def test_allow_html_goes_to_markdown_it_py():
    text = FRONT + "Plain text.\n"
    assert compile_page(make_markdown(allow_html=True), text, text.splitlines()) is None
    assert compile_page(MD, text, text.splitlines()) is not None


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("LEARNMARK_PARSER", "python")
    compiled.native.cache_clear()
    try:
        assert compiled.native() is None
    finally:
        monkeypatch.delenv("LEARNMARK_PARSER")
        compiled.native.cache_clear()
    assert compiled.native() is not None


# Pages made of Learnmark's constructs, in any order and nesting the strategy reaches; every one the crate
# does not decline must parse as markdown-it-py parses it.
WORDS = st.sampled_from(["care", "Croeso", "ŵyr", "staff's", "a", "team", "café", "  ", "\t", "1.", "#", "x_y",
                         "&amp;", "&copy;", "\\*", "*", "_", "`", "<", ">", "\"", "'", ":", "{", "}", "!", "~", "|"])


@st.composite
def inline(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["words", "em", "strong", "code", "link", "image", "break", "words"]))
        text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=4)))
        if kind == "em":
            parts.append(f"*{text.strip() or 'x'}*")
        elif kind == "strong":
            parts.append(f"**{text.strip() or 'x'}**")
        elif kind == "code":
            parts.append(f"`{text.replace('`', '')}`")
        elif kind == "link":
            target = draw(st.sampled_from(["02-next.md", "../02-b/01-x.md#a-heading", "https://example.org/a b",
                                           "<with space.md>", "page.md \"Its title\"", "#local", "café.md"]))
            parts.append(f"[{text}]({target})")
        elif kind == "image":
            classes = draw(st.sampled_from(["", "{.decorative}", "{.wide .decorative}", "{.x}"]))
            parts.append(f"![{text}](images/figure.svg){classes}")
        elif kind == "break":
            parts.append(draw(st.sampled_from(["\n", "  \n", "\\\n"])))
        else:
            parts.append(text)
    return " ".join(parts).strip(" \t") or "text"


@st.composite
def block(draw, depth: int = 0) -> str:
    kinds = ["paragraph", "heading", "list", "ordered", "quote", "table", "fence", "callout", "details", "rule",
             "quiz", "reflection", "stray"]
    kind = draw(st.sampled_from(kinds if depth < 2 else kinds[:3]))
    line = draw(inline()).replace("\n", " ")
    if kind == "paragraph":
        return draw(inline())
    if kind == "heading":
        closing = draw(st.sampled_from(["", " ##", " #"]))
        return f"{'#' * draw(st.integers(2, 4))} {line}{closing}"
    if kind in ("list", "ordered"):
        items = draw(st.lists(inline(), min_size=1, max_size=3))
        loose = draw(st.booleans())
        start = draw(st.sampled_from([1, 3]))
        marks = [f"{start + i}." if kind == "ordered" else "-" for i in range(len(items))]
        out = ("\n\n" if loose else "\n").join(f"{m} {i.replace(chr(10), chr(10) + '   ')}" for m, i in zip(marks, items))
        if draw(st.booleans()):
            out += "\n   - " + line
        return out
    if kind == "quote":
        inner = draw(block(depth + 1))
        return "\n".join("> " + x if x else ">" for x in inner.split("\n"))
    if kind == "table":
        align = draw(st.sampled_from(["| --- | --- |", "| :-- | --: |", "| :-: | --- |"]))
        return f"| Head | {line.replace('|', '')} |\n{align}\n| 1 | {line.replace('|', '')} |\n| two | |"
    if kind == "fence":
        info = draw(st.sampled_from(["", "python", "yaml extra"]))
        closed = draw(st.sampled_from(["```", "```", "````", ""]))
        return f"```{info}\n{line}\n{closed}".rstrip("\n")
    if kind in ("callout", "details"):
        name = draw(st.sampled_from(["note", "tip", "warning", "content-note"])) if kind == "callout" else "details"
        title = draw(st.sampled_from(["", " Where to get help", " Croeso i'r tîm"]))
        inner = draw(block(depth + 1))
        close = draw(st.sampled_from([":::", ":::", ""]))
        return f"::: {name}{title}\n{inner}\n{close}".rstrip("\n")
    if kind == "rule":
        return "---"
    if kind == "quiz":
        return (f"::: quiz pass=60\n### {line.replace('{', '').replace('}', '') or 'Q'}?\n- [x] {line}\n  > Yes.\n"
                f"- [ ] No\n  > Not that.\n:::")
    if kind == "reflection":
        return f"::: reflection\n{draw(inline())}\n:::"
    return draw(st.sampled_from([":::", "::: unknown", "::::: notee words"]))


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block(), min_size=1, max_size=6), st.sampled_from(["\n\n", "\n"]))
def test_pages_of_learnmarks_constructs_parse_the_same_both_ways(blocks, between):
    text = FRONT + between.join(blocks) + "\n"
    slow, fast = _both(text)
    event("declined" if fast is None else "compiled")
    if fast is not None:
        assert fast == slow


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab #*_`[]()!<>&;:|-+.=~{}\\\n\t '\"1") + ["\u00e9", "\u0175", "\u00a0",
                                                                                      "\ue000", "\U0001f600"]),
               max_size=120))
@example("#1\n=")  # a setext heading whose text starts with '#'
def test_any_text_parses_the_same_both_ways(body):
    """Markdown's punctuation in any order: the crate never fails, and never differs where it answers."""
    text = FRONT + body
    slow, fast = _both(text)
    event("declined" if fast is None else "compiled")
    if fast is not None:
        assert fast == slow


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)) * 10, deadline=None)
@given(st.lists(st.sampled_from(["main", "modules", "lm-", "quiz-", "reflection-", "fn", "fnref", "1", "42", ":", "-",
                                 "_", " ", "\t", "\n", "\x0b", "A", "z", "Z9", "section", "!", "é", "ŵ", "\u4e00"]),
                max_size=8).map("".join) | st.text(max_size=30))
@example("fn1")
@example("fnref12")
@example("Main")
@example("modules")
@example("lm-x")
@example("quiz-")
@example("Reflection-1")
@example("")
@example("fnref")
@example("A: b!")
def test_the_crates_heading_ids_are_generator_markdowns(title):
    """The crate makes an ASCII heading's id itself, as ``heading_id`` does, and leaves any other to it."""
    made = compiled.native().heading_id(title)
    event("made by the crate" if made is not None else "left to Python")
    assert made == (heading_id(title) if title.isascii() else None)


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)) * 10, deadline=None)
@given(st.tuples(st.sampled_from(["", "", "http://", "https://", "HTTPS://", "//", "mailto:", "javascript:"]),
                 st.lists(st.sampled_from(list("aZ09-._~/?#!$&'()*+,;=:@%[] \\é\t") + ["xn--", "a" * 63, "."]),
                          max_size=40).map("".join)
                 | st.lists(st.sampled_from(list("az09-._/?#&=;") + ["a" * 63, "//", "://", "www.nhs.uk"]),
                            max_size=20).map("".join)))
def test_targets_taken_as_written_are_what_normalize_link_makes(parts):
    """The targets ``_target`` takes as they are, without markdown-it-py's ``normalizeLink``: it would give each
    back unchanged, and accept it."""
    written = "".join(parts)
    plain = page._PLAIN.match(written) is not None
    event("as written" if plain else "normalised")
    if plain:
        assert normalizeLink(written) == written and validateLink(written)


def test_the_targets_a_course_has_are_taken_as_written_and_others_are_not():
    """The fast path covers the links a course has (pages, fragments, web pages), so the test above is not empty;
    what ``normalizeLink`` would change, or ``validateLink`` refuse, goes to them."""
    for written in ("02-next.md", "../02-b/01-x.md#a-heading", "https://www.england.nhs.uk/a/b-c", "images/a.svg",
                    "#local", "https://example.org", "https://example.org?q=1#top"):
        assert page._PLAIN.match(written), written
    for refused in ("javascript:alert(1)", "//host/x", "https://Example.org/", "a b.md", "caf\u00e9.md", "%41.md",
                    "mailto:a@b.c", "https://" + "a" * 64 + ".org/"):
        assert not page._PLAIN.match(refused), refused


def _python(function, *arguments):
    """``function`` of generator/search.py with the crate switched off there: the Python it stands in for."""
    with mock.patch.object(compiled, "native", lambda: None):
        return function(*arguments)


_MARK = MARKER_SHAPE[0] + "0123456789abcdef01234567-"


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)) * 10, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", "<p>", "</a>", "&", "amp;", "lt;", "&gt;", "&quot;", "&#x27;", "&#39;", "&nbsp;",
                                 "&nbsp", "#", _MARK, "7", "1234567890", MARKER_SHAPE[2], MARKER_SHAPE[0], "a", "Z", " ",
                                 "\n", "\t", "\x0b", "\x1c", "\x1f", "\x85", "\u00a0", "\u2028", "\u3000", "\u200b",
                                 "\u00e9", "\u0175", "\U0001f600", "-"]), max_size=40).map("".join))
@example(f"<p>a {_MARK}42{MARKER_SHAPE[2]}b</p>\n<p>&amp;lt; x&nbsp;y</p>")
@example(f"{_MARK}1234567890{MARKER_SHAPE[2]} <a href='{_MARK}1{MARKER_SHAPE[2]}'>x")
@example("a < b & c")
def test_the_crates_plain_text_is_search_pys(html):
    """Markers, tags, entities and whitespace in any order: the crate's plain text is the Python's."""
    assert search.plain_text(html) == _python(search.plain_text, html)


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)) * 10, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(
    ["Manage", "managing", "managed", "class", "status", "ies", "happily", "_", " ", "-", "’", "\n", "1", "²", "½", "Ⅻ",
     "\u0301", "İ", "ẞ", "ς", "Σ", "\u212a", "ﬁ", "Ŵ", "ŵ", "ÉCOLE", "大学", "\u00a0", "x_y"]), max_size=12).map("".join),
                          st.sampled_from([1, 5, 10])), max_size=4),
       st.sampled_from([STEM_RULES, (), STEM_RULES[:3]]))
@example([("Managing managed MANAGE", 10), ("the management", 1)], STEM_RULES)
@example([("ΟΔΟΣ", 1)], ())  # a capital sigma, lower-cased by its context: left to Python
def test_the_crates_stemmed_weights_are_search_pys(parts, rules):
    """Any words, cases and scripts, with or without stemming: the same terms, weights and order as the Python."""
    made = search.stemmed_weights(parts, rules, {})
    assert list(made.items()) == list(_python(search.stemmed_weights, parts, rules, {}).items())
    assert all(sys.intern(term) is term for term in made)


def test_text_the_crate_cannot_take_is_left_to_python():
    """A lone surrogate (a YAML escape can make one) is not UTF-8: the Python indexes it."""
    assert search.stemmed_weights([("caf\ud800 Cafe", 1)], STEM_RULES, {}) == {"caf": 2}
    assert search.plain_text("<p>caf\ud800</p>") == "caf\ud800"


_SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\x1c", "\u00a0", "\u3000"])


@st.composite
def _tag(draw) -> str:
    """A tag as ``for_paper`` might be given one, well formed or nearly."""
    name = draw(st.sampled_from(["h1", "H2", "h6", "h7", "h2x", "details", "DETAILS", "details-x", "detailsx", "p", "a",
                                 "x-y", "img", "label", "é"]))
    attributes = draw(st.lists(st.tuples(
        _SPACES, st.sampled_from(["id", "ID", "for", "headers", "aria-controls", "aria-Describedby", "href", "HREF",
                                  "open", "Open", "class", "src", "data-x", "İd"]),
        st.none() | st.lists(st.sampled_from(["", "x", " ", "a.md", "b.md", "c.md", "#", "#top", "x y", "\u00a0", "é",
                                              ">", "'", "/"]), max_size=4).map("".join)), max_size=4))
    written = "".join(space + key + ("" if value is None else f'="{value}"') for space, key, value in attributes)
    return (draw(st.sampled_from(["<", "</"])) + name + written + draw(st.sampled_from(["", " ", "/", " /", "\n"]))
            + draw(st.sampled_from([">", ">", "", "=>", '="'])))


@settings(max_examples=int(os.environ.get("LEARNMARK_FUZZ_EXAMPLES", 300)) * 10, deadline=None)
@given(st.lists(_tag() | st.sampled_from(["<", ">", "/", "=", '"', "text", " ", "é", "\n", "<p>", "</p>"]),
                max_size=8).map("".join))
@example('<h2 id="a b">x</h2><details class="d"><summary>s</summary></details><a href="b.md#top">b</a>')
@example('<a href="#top">t</a><a href="a.md">a</a><a href="c.md#x">c</a><a href="">e</a><a href="#">h</a>')
@example('<details open><DETAILS Open="x"><details-x class="y"><h6 >')
def test_the_crates_print_sections_are_printable_pys(html):
    """Headings, ids, links, ``<details>`` and near misses in any order: the crate's section is the Python's."""
    here = {"a.md": "alpha", "b.md": "beta"}
    made = printable.for_paper(html, "key", here)
    with mock.patch.object(compiled, "native", lambda: None):
        assert made == printable.for_paper(html, "key", here)
