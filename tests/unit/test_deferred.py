"""What fills a page's holes (mdplugins/deferred.py) cannot be forged or reached by what an author writes."""

from __future__ import annotations

import pickle

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from generator.cache import BuildCache
from generator.markdown import make_markdown
from generator.mdplugins.deferred import Deferred, fill, prerender

PAGE = "content/01-first/01-one.md"
SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
OLD_MARK = "\ue000learnmark-deferred-{}\ue001"
ATTACK = "https://example.org/onload=window.__pwned=1;alert(document.domain)//"


def page_html(project, path="first/one.html", **options) -> str:
    return build(project.root, **options).site.files[path]


def handlers(html: str) -> list[tuple[str, str]]:
    """Every event-handler attribute in the page: (tag, attribute)."""
    soup = BeautifulSoup(html, "html.parser")
    return [(tag.name, name) for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]


def test_a_marker_typed_in_alt_text_stays_text(project):
    """The reported attack: marker 0 in an image's alt text used to be filled with the link before it."""
    project.write("content/01-first/images/ok.svg", SVG)
    project.write(PAGE, f"---\ntitle: One\n---\n[the guide]({ATTACK}) followed by ![{OLD_MARK.format(0)}](images/ok.svg)\n")
    html = page_html(project)
    assert handlers(html) == []
    image = BeautifulSoup(html, "html.parser").select_one(".prose img")
    assert image["alt"] == OLD_MARK.format(0)


@pytest.mark.parametrize("index", [99, 10**12, -1])
def test_a_marker_with_any_index_is_no_crash(project, index):
    project.write(PAGE, f"---\ntitle: One\n---\n[a](02-two.md) {OLD_MARK.format(index)}\n")
    assert OLD_MARK.format(index) in BeautifulSoup(page_html(project), "html.parser").select_one(".prose").get_text()


def test_markers_copied_from_a_previous_render_are_not_filled(project):
    """Even an author who saw a real marker (its nonce) of one render cannot use it in the next."""
    md = make_markdown()
    html, deferred = prerender(md, md.parse("[a](b.md)", {}), {})
    copied = html[html.index("\ue000"):html.index("\ue001") + 1]
    project.write("content/01-first/images/ok.svg", SVG)
    project.write(PAGE, f"---\ntitle: One\n---\n[x]({ATTACK}) ![{copied}](images/ok.svg) {copied}\n")
    out = page_html(project)
    assert handlers(out) == [] and out.count(copied) == 2


FIELDS = {
    "heading": "## Heading {m}\n",
    "link text": "[text {m}](02-two.md)\n",
    "alt text": "![alt {m}](images/ok.svg)\n",
    "callout title": "::: note Title {m}\nBody\n:::\n",
    "details summary": "::: details Summary {m}\nBody\n:::\n",
    "table": "| a {m} |\n| --- |\n| b {m} |\n",
    "footnote": "Text[^1]\n\n[^1]: Note {m}\n",
    "quiz": "::: quiz\n### Question {m}\n- [x] Right {m}\n  > Yes {m}\n- [ ] Wrong {m}\n  > No {m}\n\nExplained {m}.\n:::\n",
    "reflection": "::: reflection\nThink {m}\n:::\n",
}


@pytest.mark.parametrize("allow_html", [False, True])
@pytest.mark.parametrize("field", FIELDS)
def test_markers_in_every_field_are_never_filled(project, field, allow_html):
    marks = " ".join(OLD_MARK.format(i) for i in range(12))
    project.write("site.yaml", f"id: scratch\ntitle: T\nallow_html: {str(allow_html).lower()}\n")
    project.write("content/01-first/images/ok.svg", SVG)
    project.write(PAGE, f'---\ntitle: "One {marks}"\nsummary: "S {marks}"\n---\n[first]({ATTACK})\n\n'
                  + FIELDS[field].format(m=marks) + f"\n[last]({ATTACK})\n")
    html = page_html(project)
    assert handlers(html) == []
    assert html.count("\ue000learnmark-deferred-") >= 12  # left as the author wrote them


def test_a_real_marker_inside_an_attribute_is_removed_not_filled():
    md = make_markdown()
    html, deferred = prerender(md, md.parse(f"[a]({ATTACK})", {}), {})
    opening = html[html.index("\ue000"):html.index("\ue001") + 1]
    forged = f'<p><img alt="{opening}" src="x.svg"> {opening}</p>'
    filled = fill(md, forged, deferred, {})
    assert filled.startswith('<p><img alt="" src="x.svg"> <a href=')


def test_author_html_cannot_put_a_quiz_inside_an_attribute(project):
    """With allow_html, raw HTML opened around a quiz left the quiz's marker in an attribute
    value after sanitising; filling it there put the quiz's markup inside the value."""
    project.write("site.yaml", "id: scratch\ntitle: T\nallow_html: true\n")
    project.write(PAGE, '---\ntitle: One\n---\n<div title="\n\n::: quiz\n### Is it here?\n'
                  '- [x] Yes\n  > Yes\n- [ ] No\n  > No\n:::\n\n<p class=">\n\nEnd\n')
    prose = BeautifulSoup(page_html(project), "html.parser").select_one(".prose")
    values = [value for tag in prose.find_all(True) for value in tag.attrs.values()]
    assert not [value for value in values if "<section" in str(value) or "\ue000" in str(value)]


def test_the_nonce_survives_pickling_for_the_cache_and_workers():
    md = make_markdown()
    html, deferred = prerender(md, md.parse("[a](b.md) ![c](d.svg)", {}), {})
    copy = pickle.loads(pickle.dumps(deferred))
    assert isinstance(copy, Deferred) and copy.nonce == deferred.nonce and len(copy) == len(deferred) == 3
    assert fill(md, html, copy, {}) == fill(md, html, deferred, {}) == md.render("[a](b.md) ![c](d.svg)")


def test_tokens_pickle_as_their_values_and_come_back_whole():
    """Every field of every token, tokens within tokens too (an image's alt text, a quiz's inner tokens), comes
    back; the pickle names no field, as a dict of each token's fields would, every time."""
    md = make_markdown()
    tokens = md.parse("![alt *text*](d.svg)\n\n::: quiz\n- [x] yes\n- [ ] no\n:::\n", {})
    deferred = prerender(md, tokens, {})[1]
    quiz = next(token for token in deferred if token.type == "quiz")
    assert quiz.meta["tokens"] and deferred[0].children
    pickled = pickle.dumps(deferred, pickle.HIGHEST_PROTOCOL)
    assert b"nesting" not in pickled and b"children" not in pickled
    copy = pickle.loads(pickled)
    assert list(copy) == list(deferred) and copy[0] is not deferred[0]
    assert copy[0].children[0] is not deferred[0].children[0] and copy[0].attrs is not deferred[0].attrs


def test_pages_from_the_disk_cache_and_from_workers_are_filled(project, tmp_path, monkeypatch):
    project.write(PAGE, f"---\ntitle: One\n---\n[two](02-two.md) {OLD_MARK.format(0)}\n")
    expected = page_html(project)
    cache = BuildCache(project.root / "build" / "cache")
    build(project.root, tmp_path / "site", cache=cache)            # parsed, and the parse kept
    build(project.root, tmp_path / "again", cache=BuildCache(project.root / "build" / "cache"))  # parsed from the cache
    assert (tmp_path / "again" / "first" / "one.html").read_text() == expected
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    build(project.root, tmp_path / "forked")
    assert (tmp_path / "forked" / "first" / "one.html").read_text() == expected
