"""Hypothesis strategies for courses whose every author field holds what Learnmark uses internally.

Shared by tests/unit/test_fuzz_fields.py (builds, in memory: never a traceback, no live markup) and
tests/browser/test_fuzz_browser.py (the built pages in Chromium: no script runs). Every field an
author writes gets text mixed from ``NASTY``: the private-use characters of the body's hole markers
(mdplugins/deferred.py) and markers themselves, NUL and other control characters, bidi controls,
template syntax (``{{``), block syntax (``:::``), and markup that would run a script if it were ever
written into a page as markup. Each payload sets ``window.__pwned`` or opens a dialog.
"""

from __future__ import annotations

import json
import re

from hypothesis import strategies as st

PWNED = "window.__pwned=1"
SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"

NASTY = [
    # the body's hole markers, their characters, and marker-like text
    "\ue000", "\ue001", "\ue000learnmark-deferred-0\ue001", "\ue000learnmark-deferred-99\ue001",
    "\ue000" + "0" * 24 + "-0\ue001", "\ue000" + "f" * 24 + "-1\ue001", "&#xe000;", "&#57344;0-0&#57345;", "\uf8ff",
    # control, bidi and other invisible characters
    "\x00", "\x01", "\x1b", "\x7f", "\r", "\t", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200f", "\u061c",
    "\u202a", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    # template, block and inline syntax
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ site }}", ":::", "::: quiz", "::: note", "::: details", "\n:::\n", "\n",
    "[", "]", "(", ")", "![", "](", "`", "*", "_", "|", "#", "> ", "- [x] ", "{.decorative}", "{#x}", "{multiple}",
    "[^1]", "---", "\\", "&", "&amp;", "&quot;", "%", "..", "/", " ",
    # markup that runs a script wherever it is taken for markup
    "<script>" + PWNED + "</script>", '"><img src=x onerror="' + PWNED + '">', "' onmouseover='" + PWNED + "' x='",
    '" onfocus="' + PWNED + '" autofocus x="', "onload=" + PWNED + ";alert(1)//", "javascript:" + PWNED,
    "<svg onload=" + PWNED + ">", "<img src=x onerror=" + PWNED + ">", "</textarea><script>" + PWNED + "</script>",
    "</script><script>" + PWNED + "</script>", "<!--", "-->", "<iframe srcdoc='<script>parent.__pwned=1</script>'>",
    "<a href=\"javascript:" + PWNED + "\">x</a>", "<details open ontoggle=" + PWNED + ">",
]
"""Fragments of author text: what the pipeline itself uses, and what must never become markup."""

_CHARS = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be saved as UTF-8
LINE = st.lists(st.one_of(st.sampled_from([n for n in NASTY if "\n" not in n]), st.text(_CHARS, max_size=5)),
                min_size=1, max_size=6).map("".join).map(lambda s: s.replace("\n", " ").replace("\r", " ")).map(
    lambda s: s if s.strip() else s + "x")
"""One line of text, not blank (headings, titles, options)."""
BLOCK = st.lists(st.one_of(st.sampled_from(NASTY), st.text(_CHARS, max_size=8)), min_size=1, max_size=10).map(
    "".join).map(lambda s: s if s.strip() else s + "x")
"""Any text, over several lines, not blank."""


def yaml_text(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` exactly: JSON's escapes are YAML's, and the
    characters YAML may not hold raw (controls, U+FFFE ...) are escaped too. Characters beyond
    U+FFFF stay raw: YAML reads JSON's escape for them (a surrogate pair) as two half characters."""
    return _YAML_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


_YAML_RAW = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@st.composite
def courses(draw) -> dict[str, str]:
    """A one-module course of three pages: {path: text}; page ``01-fuzz.md`` uses every field."""
    f = {name: draw(LINE) for name in ("title", "summary", "objective", "note", "module_title", "course", "heading",
                                       "link", "external", "alt", "callout", "question", "right", "wrong", "right_why",
                                       "wrong_why", "page_title", "summary2")}
    body, aside, explanation, prompt = draw(BLOCK), draw(BLOCK), draw(BLOCK), draw(BLOCK)
    allow_html = draw(st.booleans())
    page = (f"---\ntitle: {yaml_text(f['page_title'] or 'x')}\nsummary: {yaml_text(f['summary2'])}\n---\n"
            f"## {f['heading']}\n\n{body}\n\n"
            f"[{f['link']}](02-two.md) and [{f['external']}](https://example.org/onload={PWNED};alert(1)//)\n\n"
            f"![{f['alt']}](images/ok.svg)\n\n"
            f"::: note {f['callout']}\n{aside}\n:::\n\n"
            f"::: quiz\n### {f['question']}\n- [x] {f['right']}\n  > {f['right_why']}\n"
            f"- [ ] {f['wrong']}\n  > {f['wrong_why']}\n\n{explanation}\n:::\n\n"
            f"::: reflection\n{prompt}\n:::\n")
    return {
        "site.yaml": f"id: fuzz\ntitle: {yaml_text(f['course'] or 'x')}\nallow_html: {str(allow_html).lower()}\n",
        "content/01-first/_module.md": (
            f"---\ntitle: {yaml_text(f['module_title'] or 'x')}\nsummary: {yaml_text(f['summary'])}\n"
            f"objectives:\n  - {yaml_text(f['objective'])}\ncontent_note: {yaml_text(f['note'])}\n---\n{draw(BLOCK)}\n"),
        "content/01-first/01-fuzz.md": page,
        "content/01-first/02-two.md": "---\ntitle: Two\n---\n## Two\n\nText.\n",
        "content/01-first/images/ok.svg": SVG,
    }


def reported_attack() -> dict[str, str]:
    """The course the issue reported: marker 0, typed as an image's alt text after a link whose
    address holds a handler, was filled with that link and closed the alt attribute."""
    page = ("---\ntitle: One\n---\n"
            f"[the guide](https://example.org/onload={PWNED};alert(document.domain)//) followed by "
            "![\ue000learnmark-deferred-0\ue001](images/ok.svg)\n")
    return {
        "site.yaml": "id: fuzz\ntitle: Fuzz\n",
        "content/01-first/_module.md": "---\ntitle: First\nsummary: S.\n---\nHi.\n",
        "content/01-first/01-fuzz.md": page,
        "content/01-first/02-two.md": "---\ntitle: Two\n---\n## Two\n\nText.\n",
        "content/01-first/images/ok.svg": SVG,
    }
