"""The search index (generator/search.py): what it holds, stemming shared with the browser, one per language,
and each package's scoped to what it packages."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from array import array
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from generator.build import build, check
from generator.scorm.package import package_course
from generator.search import STEM_RULES, stem, words
from tests.bilingual import write_bilingual

THEME = Path(__file__).resolve().parents[2] / "themes" / "default"

QUIZ_PAGE = """\
---
title: Two
---
## Details of two

### Handling quokkas

Managing a ward well means listening.

::: quiz id=check pass=70
### Which animal hops around Rottnest?
- [x] Zanzibarquoll
  > Wellfoundfeedback.
- [ ] Xylophonewrong
  > Nopefeedback.
:::

::: reflection id=think
How would you ponder wombats at work?
:::
"""


def index_of(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r"window\.LearnmarkSearch\.load\((.*)\);\n$", text, re.S).group(1))


def built(root: Path) -> Path:
    out = root / "build" / "site"
    build(root, out)
    return out


def test_index_holds_titles_headings_text_questions_and_prompts_but_no_answers(project):
    project.write("content/01-first/02-two.md", QUIZ_PAGE)
    index = index_of(built(project.root) / "assets" / "search-index.js")
    terms = index["terms"]
    for word in ("two", "quokkas", "managing", "rottnest", "ponder", "wombats"):
        assert stem(word) in terms, word
    for answer in ("zanzibarquoll", "xylophonewrong", "wellfoundfeedback", "nopefeedback"):
        assert not any(answer in t for t in terms), answer
        assert not any(answer in json.dumps(doc).lower() for doc in index["docs"]), answer
    (two,) = [doc for doc in index["docs"] if doc[0].endswith("two.html")]
    assert two[1] == "Two" and two[2]  # its title and its module's title
    assert "Rottnest" in two[3] and "ponder wombats" in two[3]


def test_a_title_weighs_more_than_the_text(project):
    project.write("content/01-first/02-two.md", QUIZ_PAGE)
    index = index_of(built(project.root) / "assets" / "search-index.js")
    urls = [doc[0] for doc in index["docs"]]
    postings = index["terms"][stem("quokkas")]
    weight = dict(zip(postings[::2], postings[1::2]))[urls.index(next(u for u in urls if u.endswith("two.html")))]
    assert weight >= 5  # a heading


@pytest.mark.parametrize("forms", [("manage", "managing", "managed", "manages"), ("class", "classes"),
                                   ("policy", "policies"), ("listen", "listening", "listened", "listens"),
                                   ("communicate", "communication", "communicating")])
def test_forms_of_a_word_share_a_stem(forms):
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


def test_short_words_are_left_alone():
    assert stem("is") == "is" and stem("bed") == "bed" and stem("us") == "us"


def test_the_browser_stems_with_the_same_rules():
    """templates/search.js, run in Node over the index's rules, stems as search.py does."""
    sample = ["managing", "managed", "classes", "status", "communication", "policies", "kindness", "wellbeing",
              "activities", "hopefully", "listened", "a", "is", "café", "gwirio", "ymddygiadau"]
    engine = (THEME / "templates" / "search.js").read_text(encoding="utf-8")
    # The stems themselves are private to the engine; check through search: each word's stem as the index key.
    terms: dict[str, list[int]] = {}
    for number, word in enumerate(sample):
        terms.setdefault(stem(word), []).extend((number, 1))
    data = {"stem": STEM_RULES, "docs": [[w + ".html", w, "", w] for w in sample], "terms": terms}
    script = ("var window = globalThis; var document = {querySelectorAll: function () { return []; }};\n" + engine +
              f"\nwindow.LearnmarkSearch.load({json.dumps(data)});\nvar SAMPLE = {json.dumps(sample)};\n" + """
    console.log(JSON.stringify(SAMPLE.map(function (w) {
      return window.LearnmarkSearch.search(w + ' ').map(function (r) { return r.doc[0]; });
    })));""")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    found = json.loads(result.stdout)
    for word, hits in zip(sample, found):
        assert hits == [f"{w}.html" for w in sample if stem(w) == stem(word)], word


def test_words_are_runs_of_letters_and_digits():
    assert words("Don't stop: NHS-111, café!") == ["don", "t", "stop", "nhs", "111", "café"]
    assert words("snake_case __dunder__ Ŵyr_2") == ["snake", "case", "dunder", "ŵyr", "2"]


@given(st.text(st.sampled_from("aZ9_ -ŵ·\u0302\u00b2\u2160'’é")))
def test_words_split_at_underscores_as_runs_of_letters_and_digits_would(text):
    assert words(text) == re.findall(r"[^\W_]+", text.lower())


def test_a_bilingual_course_has_an_index_per_language(tmp_path):
    out = built(write_bilingual(tmp_path / "course"))
    english = index_of(out / "assets" / "search-index.js")
    welsh = index_of(out / "cy" / "assets" / "search-index.js")
    assert english["stem"] and welsh["stem"] == []  # English stems; Welsh is matched on whole words
    assert "darllen" in welsh["terms"] and "darllen" not in english["terms"]
    assert stem("reading") in english["terms"] and "reading" not in welsh["terms"]
    assert (out / "search.html").is_file() and (out / "cy" / "search.html").is_file()


def test_each_package_carries_an_index_of_its_own_modules(project, tmp_path):
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nHello platypus.\n")
    project.write("content/02-second/01-other.md", "---\ntitle: Other\n---\nMore platypus.\n")
    course, _, _ = check(project.root)
    zips = package_course(course, tmp_path / "packages", versions=["1.2"])
    indexes = {}
    for path in zips:
        with zipfile.ZipFile(path.path) as package:
            assert "search.html" in package.namelist()
            text = package.read("assets/search-index.js").decode("utf-8")
            indexes[path.path.name] = json.loads(re.search(r"load\((.*)\);\n$", text, re.S).group(1))
    assert len(indexes) == 2
    for name, index in indexes.items():
        folders = {doc[0].split("/")[0] for doc in index["docs"] if "/" in doc[0]}
        assert len(folders) == 1, (name, folders)
        assert ("platypus" in index["terms"]) == (folders == {"second"}), name
    whole = package_course(course, tmp_path / "course-package", versions=["1.2"], whole_course=True)
    with zipfile.ZipFile(whole[0].path) as package:
        text = package.read("assets/search-index.js").decode("utf-8")
    index = json.loads(re.search(r"load\((.*)\);\n$", text, re.S).group(1))
    assert {doc[0].split("/")[0] for doc in index["docs"] if "/" in doc[0]} == {"first", "second"}


# An edit patches the last index (search.Indexes): it must be byte for byte the index made anew.
_WORDS = st.sampled_from(["care", "caring", "ward", "wards", "team", "kind", "listen", "trainee", "return", "a"])
_PAGE = st.tuples(st.sampled_from(["One", "Two", "Care"]), st.lists(_WORDS, max_size=12))


def _keyed(pages, stems):
    """Entries as ``search._entries`` gives them, for pages of (title, words); keyed by their content."""
    from generator.search import STEM_RULES, _stemmed
    from types import SimpleNamespace
    keyed = []
    for number, (title, text) in enumerate(pages):
        document = SimpleNamespace(html=" ".join(text), headings=(), quizzes=(), reflections=())
        doc = SimpleNamespace(url=f"m/{number}.html", title=title, document=document)
        keyed.append((repr((number, title, text)).encode(), _stemmed(doc, None, STEM_RULES, stems)))
    return keyed


@given(st.lists(_PAGE, min_size=1, max_size=30), st.data())
def test_a_patched_index_is_the_index_made_anew(pages, data):
    from generator import search
    edits = data.draw(st.lists(st.tuples(st.integers(0, len(pages) - 1), _PAGE), max_size=3))
    after = list(pages)
    for number, page in edits:
        after[number] = page
    search.ENTRIES.seed({})
    before = _keyed(pages, {})
    search.ENTRIES.known.update((key, entry) for key, entry in before)
    last = search._made(before)
    now = _keyed(after, {})
    patched = search._patched(last, now)
    assert patched is not None  # few pages changed, all known: it patches
    made = search._made(now)
    assert (patched.rows, list(patched.terms.items())) == (made.rows, list(made.terms.items()))
    search.ENTRIES.known = None


def test_an_edit_patches_the_index_and_a_new_process_gets_the_same_bytes(project, monkeypatch):
    from generator import search
    from generator.cache import BuildCache
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    build(project.root, out, cache=BuildCache(cache))
    made = []
    monkeypatch.setattr(search, "_made", lambda keyed, real=search._made: made.append(keyed) or real(keyed))
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nWombats listen.\n")
    build(project.root, out, cache=BuildCache(cache))
    assert made == []  # patched, not made anew
    assert "wombat" in index_of(out / search.SEARCH_INDEX)["terms"]
    fresh = project.root / "fresh"
    search.ENTRIES.known = search.INDEXES.known = None  # as a build without a cache: the index made anew
    build(project.root, fresh)
    assert (out / search.SEARCH_INDEX).read_bytes() == (fresh / search.SEARCH_INDEX).read_bytes()


def test_the_cache_keeps_the_indexes_used_last_and_drops_the_least_recently_used():
    from generator import search
    from generator.search import Index, Indexes
    entry = (b'["m/0.html","One","",""]', ("one",), array("I", [10]))
    search.ENTRIES.seed({b"page": entry})
    indexes = Indexes()
    loaded = {("en", (f"module-{n}",)): Index((b"page",), [], {}) for n in range(Indexes.LIMIT)}
    loaded["en", ("gone",)] = Index((b"page", b"an entry no longer kept"), [], {})
    indexes.seed(loaded)
    assert indexes.known["en", ("module-0",)].rows == [entry[0]]  # kept without its rows: taken from the entries
    assert ("en", ("gone",)) not in indexes.known  # one of its rows is not there: made anew when asked for
    assert indexes.kept(loaded) is None  # nothing used: what was kept is still true
    made = indexes.index(("en", None), [(b"page", entry)])  # a build: the site's index, made
    assert made.rows == [entry[0]]
    kept = indexes.kept(loaded)
    assert len(kept) == Indexes.LIMIT and list(kept)[-1] == ("en", None) and kept["en", None].rows == []
    assert ("en", ("module-0",)) not in kept and ("en", ("module-1",)) in kept and ("en", ("gone",)) not in kept
    search.ENTRIES.known = None


def test_a_kept_entry_is_made_again_when_the_course_turns_html_on(project):
    """Entries are kept by their page's text (search.Entries), but the same text parses to another body when
    the course allows HTML: ``<kbd>`` is words on the page without it, a tag with it."""
    from generator import search
    from generator.cache import BuildCache
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nPress <kbd>wombat</kbd> now.\n")
    build(project.root, out, cache=BuildCache(cache))
    assert "kbd" in index_of(out / search.SEARCH_INDEX)["terms"]
    site = project.root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "allow_html: true\n", encoding="utf-8")
    search.ENTRIES.known = search.INDEXES.known = None  # a new process
    build(project.root, out, cache=BuildCache(cache))
    terms = index_of(out / search.SEARCH_INDEX)["terms"]
    assert "kbd" not in terms and "wombat" in terms
    search.ENTRIES.known = search.INDEXES.known = None
    fresh = project.root / "fresh"
    build(project.root, fresh)
    assert (out / search.SEARCH_INDEX).read_bytes() == (fresh / search.SEARCH_INDEX).read_bytes()


def test_the_index_a_worker_writes_beside_the_pages_is_the_one_check_makes(project, monkeypatch):
    from generator.search import SEARCH_INDEX
    from generator.write import encoded
    project.write("content/01-first/02-two.md", QUIZ_PAGE)
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")  # a build's index is then a worker's job (build._IndexJob)
    written = (built(project.root) / SEARCH_INDEX).read_bytes()
    kept = build(project.root).site.files[SEARCH_INDEX]  # no output folder: made with the site's own files
    assert written == encoded(kept) and b"zanzibarquoll" not in written and b"wombat" in written


def test_a_full_build_with_workers_keeps_the_index_for_the_next_edit(project, monkeypatch):
    """With a cache the index is made where the cache keeps it (not by a worker, whose memo would be lost)."""
    from generator import search
    from generator.cache import BuildCache
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    build(project.root, out, cache=BuildCache(cache))
    assert (cache / "search-index.pickle").exists()
    search.ENTRIES.known = search.INDEXES.known = None  # a new process
    monkeypatch.setenv("LEARNMARK_WORKERS", "0")  # an edit's build, with too few pages to render for workers
    made = []
    monkeypatch.setattr(search, "_made", lambda keyed, real=search._made: made.append(keyed) or real(keyed))
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nWombats listen.\n")
    build(project.root, out, cache=BuildCache(cache))
    assert made == []  # patched from what the full build kept
