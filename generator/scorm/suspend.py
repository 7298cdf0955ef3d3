"""The size of a module's ``cmi.suspend_data``, worst case, before it reaches an LMS.

The runtime (themes/default/scorm/suspend.js) saves a module's progress as
compact ASCII, format 2, keyed by stable ids:

    2|<L>|<location>|<visited>|<seed>|<quiz>~<quiz>...
    quiz   = <quiz>.<attempts>.<best raw>.<best max>.<passed 0/1>.<answer>-<answer>...
    answer = <question><option><option>...[!]        ("!" marks a wrong answer)
             <question><item><target>...[!]           (matching; ordering lists its items)
             <question>:<text>[!]                     (fill-in: the text, kept only while the record fits)

Each id is a token of L base-36 characters (FNV-1a of the id, modulo 36^L),
L being the shortest length from 4 to 6 at which the module's ids all differ.
This module builds the longest string that format can produce for a module
(every page seen, the longest questions drawn and answered wrongly with
every option they allow, the most attempts) so a package that could overflow its version's limit fails at build
time, naming the module, instead of losing a learner's progress in the LMS.
"""

from __future__ import annotations

import sys
from array import array

from ..errors import Diagnostic, Severity
from ..model import Module

FORMAT = "2"
MAX_ATTEMPTS = 36 ** 2 - 1
"""Attempt counts above this are stored as this (two base-36 digits)."""
MAX_SEED = 2 ** 32 - 1
MIN_TOKEN, MAX_TOKEN = 4, 6
LIMITS = {"1.2": 4096, "2004-3": 64000, "2004-4": 64000}


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def fnv1a(text: str) -> int:
    """FNV-1a over UTF-16 code units, as JavaScript's charCodeAt sees the text."""
    h = 2166136261
    for unit in array("H", text.encode(_UTF16)):
        h = ((h ^ unit) * 16777619) & 0xFFFFFFFF
    return h


_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
"""UTF-16 in the machine's order, as ``array("H")`` reads it."""


def token(item_id: str, length: int) -> str:
    return base36(fnv1a(item_id) % 36 ** length).rjust(length, "0")


def watched_ids(module: Module) -> list[str]:
    """How the record names each required media item played to its end: ``~<id>`` among the visited pages
    (``~`` is in no page id)."""
    return ["~" + item.id for item in module.all_media if item.required]


def token_length(module: Module) -> int:
    """The runtime's L for ``module``: the shortest token length at which its ids all differ."""
    ids = {"index", *(p.id for p in module.pages), *watched_ids(module)}
    for quiz in module.all_quizzes:
        ids.add(quiz.id)
        for question in quiz.questions:
            ids.add(question.id)
            ids.update(c.id for c in question.choices)
            ids.update(t.id for t in question.targets)
    hashes = [fnv1a(i) for i in ids]  # a token is its id's hash modulo 36**length, written in base 36
    for length in range(MIN_TOKEN, MAX_TOKEN):
        if len({h % 36 ** length for h in hashes}) == len(ids):
            return length
    return MAX_TOKEN


def worst_case(module: Module, size: int | None = None) -> str:
    """The longest suspend_data the runtime can write for ``module``; with tokens of ``size`` characters if
    given, which is as long or longer when ``size`` is at least the module's own (``token_length``)."""
    size = token_length(module) if size is None else size
    t = "z" * size
    quizzes = []
    for quiz in module.all_quizzes:
        attempts = MAX_ATTEMPTS if quiz.retries is None else min(quiz.retries + 1, MAX_ATTEMPTS)
        # A learner answers the questions drawn for them; the longest answers are counted.
        answers = sorted((t + t * _tokens(q) + "!" for q in quiz.questions), key=len, reverse=True)[:quiz.shown]
        answers = "-".join(answers)
        count = base36(quiz.shown * (100 if quiz.partial else 1))  # part marks are kept in hundredths
        quizzes.append(f"{t}.{base36(attempts)}.{count}.{count}.1.{answers}")
    return "|".join([FORMAT, str(size), t, t * (1 + len(module.pages) + len(watched_ids(module))), base36(MAX_SEED), "~".join(quizzes),
                     module.version])


def _tokens(question) -> int:
    """The most ids one answer to ``question`` names. A fill-in answer names none: the runtime keeps what was
    typed only while the record fits the LMS's limit, so it never counts against it."""
    if question.kind == "multiple" or question.kind == "ordering":
        return len(question.choices)
    if question.kind == "matching":
        return 2 * len(question.choices)
    return 0 if question.kind == "fill-in" else 1


def worst_case_size(module: Module) -> int:
    return len(worst_case(module))


def over_budget(module: Module, version: str, hint: str, severity: Severity = "error") -> Diagnostic | None:
    """The problem when ``module``'s worst-case suspend_data overflows ``version``'s limit, else None."""
    limit = LIMITS[version]
    # What fits with the longest tokens fits with the module's own, which are worked out by hashing every id of
    # the module: more than half of a 1,000-page course's checks.
    if len(worst_case(module, MAX_TOKEN)) <= limit:
        return None
    size = worst_case_size(module)
    if size <= limit:
        return None
    return Diagnostic(module.location, f"module '{module.id}' may need {size} characters of suspend_data, "
                                       f"more than SCORM {version} allows ({limit})", hint, severity)
