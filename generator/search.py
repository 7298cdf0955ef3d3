"""The course's search index, built with the site: ``assets/search-index.js``.

Search has to work wherever the course does: opened from disk (file://), on any static host and
inside an LMS's SCORM package, with no server and nothing fetched from elsewhere. So the index is a
script that sets a global (``fetch`` fails on file://, as for ``assets/course.js``), made at build time
and loaded by the page only when the learner first focuses or uses search.

It is an index of our own rather than a library's: the well-kept ones (lunr, FlexSearch, Pagefind,
MiniSearch) either need a build step or Node to make their index, fetch their index files (which
file:// forbids), or weigh more than this whole feature. What is needed is small: a word → pages
map with weights, and the text of each page for snippets.

Words are stemmed with a short Porter-style suffix stripper for English (``STEM_RULES``), so
"manage", "managing" and "managed" find each other. The rules are data written into the index,
and the browser (``templates/search.js``) applies them to the query with the same loop as
``stem`` below: one set of rules, so both sides always agree. Other languages are matched on
whole words, lower-cased, and by prefix as the learner types. Where the compiled front end is
built, it finds the words (native/src/search.rs), the same as ``plain_text``, ``words`` and ``stem``.

Indexed: page and module titles, headings, body text, quiz questions and reflection prompts.
Never a quiz's choices or feedback: the index would hand the learner the answers.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from collections import Counter
from typing import Iterable, Iterator

from .compiled import by_crate
from .mdplugins.deferred import MARKER, MARKER_SHAPE
from .memo import Memo
from .model import Course, Document, Module

SEARCH_INDEX = "assets/search-index.js"

STEM_RULES: tuple[tuple[str, str, int], ...] = (
    # (suffix, replacement, shortest stem left): the first rule that fits is the only one applied.
    # Rules that replace a suffix by itself guard words the later rules would spoil ("class", "status").
    ("sses", "ss", 2), ("ss", "ss", 0), ("us", "us", 0), ("is", "is", 0),
    ("ational", "at", 2), ("ations", "at", 2), ("ation", "at", 2), ("fulness", "ful", 2),
    ("ousness", "ous", 2), ("iveness", "iv", 2), ("nesses", "", 3), ("ness", "", 3),
    ("ingly", "", 3), ("edly", "", 3), ("ities", "it", 2), ("ity", "it", 2),
    ("ies", "i", 2), ("ied", "i", 2), ("y", "i", 3),
    ("ings", "", 3), ("ing", "", 3), ("ed", "", 3), ("es", "", 3), ("s", "", 3), ("e", "", 3),
)
"""English suffixes, in the order they are tried."""

TITLE, HEADING, BODY = 10, 5, 1
"""How much a word counts where it stands."""

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'", "&nbsp;": " "}
_ENTITIES = re.compile("|".join(_ENTITY))


def stem_rules(language: str) -> tuple[tuple[str, str, int], ...]:
    """The rules for ``language`` (a BCP 47 tag): English's, or none."""
    return STEM_RULES if language.lower().split("-")[0] == "en" else ()


def stem(word: str, rules=STEM_RULES) -> str:
    """``word`` (lower case) with its suffix stripped by the first rule that fits."""
    for suffix, replacement, shortest in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            return word[: len(word) - len(suffix)] + replacement
    return word


def words(text: str) -> list[str]:
    """The words of ``text``, lower case: runs of letters and digits, as the browser's ``/[\\p{L}\\p{N}]+/u``.
    Found as runs of ``\\w`` (letters, digits and ``_``), split at ``_`` where there is one: ``[^\\W_]+``
    finds the same, a seventh slower."""
    text = text.lower()
    found = _WORD.findall(text)
    return [part for word in found for part in word.split("_") if part] if "_" in text else found


def plain_text(html: str) -> str:
    """The text of a parsed body: markers (links, images, quizzes, reflections, media) and tags gone."""
    if (found := by_crate("plain_text", html, MARKER_SHAPE)) is not None:
        return found
    text = _TAG.sub(" ", MARKER.sub(" ", html))
    return " ".join(_ENTITIES.sub(lambda m: _ENTITY[m.group()], text).split())


def stemmed_weights(parts: list[tuple[str, int]], rules, stems: dict[str, str]) -> dict[str, int]:
    """The ``words`` of each (text, weight) part, stemmed by ``rules`` (``stems`` remembers each word's stem),
    each term's weights added up: ``{term: weight}``, the terms interned, in the order they first come."""
    if (found := by_crate("stemmed_weights", parts, rules)) is not None:
        return found
    weights: Counter = Counter()
    for part, weight in parts:
        if weight == 1:
            weights.update(words(part))  # the body, most of the words: counted in C
        else:
            for word in words(part):
                weights[word] += weight
    stemmed: dict[str, int] = {}
    for word, weight in weights.items():
        term = stems.get(word)
        if term is None:
            term = stems[word] = sys.intern(stem(word, rules))
        stemmed[term] = stemmed.get(term, 0) + weight
    return stemmed


def _entry(doc: Document, module: Module | None) -> tuple[list, list[tuple[str, int]]]:
    """A document's row in the index (url, title, module title, text) and its texts, each with how much its
    words count."""
    document = doc.document
    headings = [h.text for h in document.headings]
    asked = [q.text for quiz in document.quizzes for q in quiz.questions] + [r.text for r in document.reflections]
    text = " ".join([plain_text(document.html), *asked])
    module_title = module.title if module is not None else ""
    parts = [(doc.title, TITLE), (module_title, BODY), (" ".join(headings), HEADING), (text, BODY)]
    return [doc.url, doc.title, module_title if module is not doc else "", text], parts


class Entries(Memo[bytes, tuple]):
    """Documents' stemmed index entries, by a digest of everything each is made from.

    An edit changes a page or two, yet the index is made whole on every build,
    and its entries were a third of a one-page rebuild: with a cache, the rest
    are taken from here (a ``memo.Memo``). Each entry is its row, its terms and
    an ``array`` of their weights, the terms shared between entries: made with
    ``sys.intern``, and loaded from the cache shared within each shard's file
    (interning them all again took 13 ms of an edit's build at 1,000 pages; a
    term in every shard costs sixteen copies of a short string).
    """

    NAME = "search"
    SHARDS = 16  # an edit writes the shards of its page's old and new keys: a sixteenth of 4 MB at 1,000 pages, or two

    def shard(self, key: bytes) -> int:
        return key[0] % self.SHARDS

    def kept(self, loaded: dict) -> dict | None:
        """An entry is made once for its key (seeding copies it), so only the keys can differ."""
        return dict(self.used) if self.used and self.used.keys() != loaded.keys() else None

    def keyed(self, doc: Document, module: Module | None, rules, stems: dict[str, str],
              allow_html: bool = False) -> tuple[bytes | None, tuple]:
        """``doc``'s key (None when nothing is kept) and its row, terms and their weights: kept, or made (and
        kept, when seeded). ``allow_html``: the course's, which its pages were parsed with."""
        if self.known is None:
            return None, _stemmed(doc, module, rules, stems)
        document, source = doc.document, doc.document.source
        digest = _ruled(rules).copy()  # the rules' repr, the same for every page, is most of the key's text
        digest.update(repr((doc.url, doc.title, module.title if module is not None else None, module is doc,
                            source is not None and source.rel, allow_html)).encode())
        # What the entry is made of (body, headings, questions) is the parse of the page's text (cache.ParseCache
        # keys it so): the text's digest, worked out already, stands for it; else the body as kept.
        digest.update(source.digest if source is not None else document.packed_html)
        key = digest.digest()
        found = self.known.get(key)
        if found is None:
            if len(self.known) > 50_000:  # a long preview session's versions of pages
                self.known = dict(self.used)
            found = self.known[key] = _stemmed(doc, module, rules, stems)
        self.used[key] = found
        return key, found


ENTRIES = Entries()


@lru_cache(maxsize=8)
def _ruled(rules: tuple):
    """A digest begun with ``rules`` (see ``Entries.keyed``); copy it before adding to it."""
    return hashlib.sha256(repr(rules).encode() + b"\0")


def _stemmed(doc: Document, module: Module | None, rules, stems: dict[str, str]) -> tuple[bytes, tuple, array]:
    """``_entry`` with its words stemmed (see ``stemmed_weights``): the row as the index's JSON, terms, weights."""
    row, parts = _entry(doc, module)
    stemmed = stemmed_weights(parts, rules, stems)
    return _json(row).encode(), tuple(stemmed), array("I", stemmed.values())


def _entries(course: Course, modules: tuple[Module, ...] | None) -> tuple[tuple, Iterator[tuple[bytes | None, tuple]]]:
    """The stemming rules, and each document's entry (see ``Entries``) with its key, in index order: made
    one at a time, so that without a cache no more than one is held (a 5,000-page course's are 15 MB)."""
    rules = stem_rules(course.config.language)
    docs = [doc for module in (course.modules if modules is None else modules) for doc in (module, *module.pages)]
    stems: dict[str, str] = {}  # a course has far fewer distinct words than words: stem each once
    return rules, (ENTRIES.keyed(doc, course.module_of(doc) if number < len(docs) else None, rules, stems,
                                 course.config.allow_html)
                   for number, doc in enumerate([*docs, *course.extra_documents]))


def _postings(entries: Iterable[tuple]) -> dict[str, array]:
    """Each term's postings: (document number, weight) pairs, flat in an ``array`` of 32-bit numbers (a
    5,000-page course has millions: Python ints in lists took 64 MiB more); terms in order of first use."""
    terms: dict[str, array] = {}
    for number, (_, stemmed, weights) in enumerate(entries):
        for term, weight in zip(stemmed, weights):
            found = terms.get(term)
            if found is None:
                terms[term] = array("I", (number, weight))
            else:
                found.append(number)
                found.append(weight)
    return terms


def search_script(course: Course, engine: str, modules: tuple[Module, ...] | None = None) -> bytes:
    """``assets/search-index.js``, UTF-8 encoded: the theme's search ``engine`` (``templates/search.js``),
    then the index as JSON (the stemming rules, a row per document, each term's postings), written piece by
    piece rather than through one dict of lists.

    It is the biggest file of a site (20 MB at 5,000 pages), so it is made with as little else held as can
    be (see bench/README.md, issue 18): as bytes (its engine has curly quotes: as a ``str`` every character
    would take two bytes), each row and each term's postings as JSON of their own as soon as they are
    known, and all of them joined once, into the script. An index like the last one made for the same
    pages is patched instead (see ``Indexes``).
    """
    rules, keyed = _entries(course, modules)
    scope = (course.config.language, None if modules is None else tuple(m.id for m in modules))
    index = INDEXES.index(scope, keyed)
    return b"".join((engine.encode(), b"\nwindow.LearnmarkSearch.load(", b'{"stem":',
                     _json([list(rule) for rule in rules]).encode(), b',"docs":[', *_separated(index.rows),
                     b'],"terms":{', *_separated(index.terms.values()), b"}});\n"))


@dataclass(frozen=True)
class Index:
    """An index as JSON pieces: a row per document, and each term's postings (``"term":[n,w,...]``)."""

    keys: tuple[bytes | None, ...]
    """The documents' entry keys (see ``Entries``), in order."""
    rows: list[bytes]
    terms: dict[str, bytes]
    """In order of first use, as ``_postings`` makes them."""


def _made(keyed: Iterable[tuple]) -> Index:
    keys, rows = [], []

    def entries():  # each row (JSON already) kept, the rest of the entry dropped once counted
        for key, (row, stemmed, weights) in keyed:
            keys.append(key)
            rows.append(row)
            yield row, stemmed, weights
    postings = _postings(entries())
    terms = {}
    for term in list(postings):  # each term's array freed as its JSON is made
        terms[term] = _piece(term, postings.pop(term))
    return Index(tuple(keys), rows, terms)


def _piece(term: str, postings) -> bytes:
    return f"{_json(term)}:{_NUMBERS(list(postings))}".encode()


_NUMBERS = json.JSONEncoder(separators=(",", ":")).encode
"""A list of numbers as JSON, by the C encoder: a third quicker than joining each one's ``str``."""


def _patched(last: Index, keyed) -> Index | None:
    """``last`` with the documents whose keys changed indexed again: the same bytes as ``_made`` makes, in
    a fraction of its time when one page of many was edited. None when the pages are not the same ones,
    too many changed, or a changed one's last entry is no longer known."""
    keys = tuple(key for key, _ in keyed)
    entries = [entry for _, entry in keyed]  # (row, terms, weights) of each document, in order
    if len(keys) != len(last.keys) or None in keys:
        return None
    changed = [number for number, (key, was) in enumerate(zip(keys, last.keys)) if key != was]
    before = {number: ENTRIES.known.get(last.keys[number]) for number in changed}
    if len(changed) > max(8, len(keys) // 20) or None in before.values():
        return None
    now = {number: dict(zip(*entries[number][1:])) for number in changed}  # term → weight
    was = {number: dict(zip(*entry[1:])) for number, entry in before.items()}
    # Only a term whose weight in a changed page changed has other postings; most of a page's words keep theirs.
    affected = {term for number in changed for term in now[number].keys() | was[number].keys()
                if now[number].get(term) != was[number].get(term)}
    terms = dict(last.terms)
    for term in affected:
        piece = terms.get(term, b"")
        numbers = list(map(int, piece[piece.rindex(b":[") + 2:-1].split(b","))) if piece else []
        pairs = sorted([*((n, w) for n, w in zip(numbers[::2], numbers[1::2]) if n not in now),
                        *((number, weights[term]) for number, weights in now.items() if term in weights)])
        if pairs:
            terms[term] = _piece(term, (n for pair in pairs for n in pair))  # in its place: the order holds
        else:
            del terms[term]
    if any(entries[number][1] != entry[1] for number, entry in before.items()):  # terms came, went or moved
        terms = {term: terms[term] for term in dict.fromkeys(chain.from_iterable(stemmed for _, stemmed, _ in entries))}
    rows = [entries[number][0] if number in now else row for number, row in enumerate(last.rows)]
    return Index(keys, rows, terms)


class Indexes(Memo[tuple, Index]):
    """The last index made of each scope (a language's course, or a package's modules), kept by the build
    cache and the preview like ``Entries``: an edit patches one page's postings into it, where making the
    index anew was the largest part of a one-page rebuild."""

    NAME = "search-index"
    LIMIT = 256
    """Scopes kept, the least recently used dropped: a module renamed leaves its package's behind."""

    def seed(self, known: dict) -> None:
        """Kept without their rows, which ``ENTRIES`` keeps (seeded first: see cache.MEMOS): each index's rows
        are taken from there, and an index one of whose entries is not there is dropped (made anew if asked)."""
        rows = ENTRIES.known or {}
        super().seed({scope: Index(index.keys, [rows[key][0] for key in index.keys], index.terms)
                      for scope, index in known.items() if all(key in rows for key in index.keys)})

    def kept(self, loaded: dict) -> dict | None:
        """The scopes used now and those kept before, as a build uses the site's and packaging the packages',
        without their rows (see ``seed``): the rows are most of an index, the text of every page."""
        if all(index is loaded.get(scope) for scope, index in self.used.items()):
            return None
        kept = {scope: index for scope, index in loaded.items() if scope not in self.used and scope in self.known}
        kept.update((scope, Index(index.keys, [], index.terms)) for scope, index in self.used.items())
        return dict(list(kept.items())[-self.LIMIT:])  # the most recently used last

    def index(self, scope: tuple, keyed) -> Index:
        if self.known is None:
            return _made(keyed)
        last, keyed = self.known.get(scope), list(keyed)
        made = (_patched(last, keyed) if last is not None else None) or _made(keyed)
        self.known[scope] = self.used[scope] = made
        return made


INDEXES = Indexes()


def _separated(parts: list[bytes]) -> Iterator[bytes]:
    """``parts`` with a comma between each two."""
    for number, part in enumerate(parts):
        if number:
            yield b","
        yield part


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""``json.dumps`` with these settings, without making an encoder for each of a course's thousands of rows."""


def _json(data) -> str:
    return _JSON(data).replace("</", "<\\/")
