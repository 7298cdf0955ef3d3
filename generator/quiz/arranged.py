"""Fill-in, matching and ordering questions: reading their lists and checking them.

A matching question's list is ``item -> target`` lines; an ordering question's
is its items in the right order; a fill-in question's is ``[x]`` accepted answers
(and ``[ ]`` anticipated wrong ones, for their feedback), read like options.
"""

from __future__ import annotations

import hashlib

from markdown_it.token import Token

from ..errors import Diagnostic, SourceLocation
from .model import Choice, Target
from .tokens import MARKER, list_items, option_id, slug

MAX_ITEMS = 36
"""SCORM 2004 records at most 36 pairs or steps, and 1.2 names each with one of 36 characters."""
ARROW = "->"
PAIR_HINT = "write the item, ' -> ', then what it matches: 'Wellbeing guardian -> Seeks assurance at board level'"


def read_pairs(items: list[Token], file: SourceLocation, problems: list[Diagnostic]
               ) -> tuple[list[Choice], list[Target]]:
    """A matching question's ``item -> target`` lines: the items (each naming its target) and the targets, each once."""
    choices: list[Choice] = []
    targets: dict[str, Target] = {}
    for at, inline in _lines(items, file, problems, "matching"):
        split = _split(inline)
        if split is None:
            problems.append(Diagnostic(at, "matching line has no '->'", PAIR_HINT))
            continue
        left, right = split
        right, explicit_id = option_id(right, at, problems)
        item, target = _text(left), _text(right)
        if not item or not target:
            problems.append(Diagnostic(at, f"matching line has nothing {'before' if not item else 'after'} '->'", PAIR_HINT))
            continue
        target_id = _target_id(target, targets)
        targets.setdefault(target_id, Target(target_id, target, right))
        choices.append(Choice(explicit_id or slug(item, 32, "option"), item, left, True, (), at, target_id))
    return choices, list(targets.values())


def _target_id(text: str, targets: dict[str, Target]) -> str:
    """The id of the target ``text``: its slug, shared by the same text written again; a different text whose
    slug is taken (two long texts that begin alike) gets a digest of itself after it."""
    target_id = slug(text, 32, "target")
    if target_id in targets and " ".join(targets[target_id].text.split()) != " ".join(text.split()):
        target_id = f"{target_id[:23]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return target_id


def read_items(items: list[Token], file: SourceLocation, problems: list[Diagnostic]) -> list[Choice]:
    """An ordering question's items, in the right order."""
    choices = []
    for at, inline in _lines(items, file, problems, "ordering"):
        label, explicit_id = option_id(tuple(inline.children or ()), at, problems)
        text = _text(label)
        if not text:
            problems.append(Diagnostic(at, "ordering item has no text", "write the step after its number: '1. Agree a time'"))
            continue
        choices.append(Choice(explicit_id or slug(text, 32, "option"), text, label, True, (), at))
    return choices


def check_arranged(kind: str, choices: list[Choice], targets: list[Target], at: SourceLocation,
                   problems: list[Diagnostic]) -> None:
    """The problems of a fill-in, matching or ordering question as a whole."""
    if kind == "fill-in":
        if not any(c.correct for c in choices):
            problems.append(Diagnostic(at, "fill-in question has no accepted answer",
                                       "list each answer to accept as '- [x] answer' under the question"))
        for choice in choices:
            if not choice.correct and not choice.feedback:
                problems.append(Diagnostic(choice.location, "anticipated wrong answer has no feedback",
                                           "add a '>' line under it saying why it is wrong, or delete it: "
                                           "any answer not accepted is marked wrong anyway", severity="warning"))
        return
    noun = "pair" if kind == "matching" else "item"
    if len(choices) < 2:
        problems.append(Diagnostic(at, f"{kind} question has {len(choices)} {noun}{'s' if len(choices) != 1 else ''}; "
                                       "it needs at least 2", PAIR_HINT if kind == "matching" else
                                   "list the steps under the question, in the right order: '1. First', '2. Then'"))
    elif kind == "matching" and len(targets) < 2:
        problems.append(Diagnostic(at, "every item matches the same thing",
                                   "a matching question needs at least 2 different things after '->'"))
    if len(choices) > MAX_ITEMS:
        problems.append(Diagnostic(at, f"{kind} question has {len(choices)} {noun}s; an LMS records at most {MAX_ITEMS}",
                                   "split it into two questions"))


def _lines(items: list[Token], file: SourceLocation, problems: list[Diagnostic], kind: str):
    """Each list item's location and inline token; anything else in an item is a problem."""
    for at, inline, rest in list_items(items, file):
        if inline is None:
            problems.append(Diagnostic(at, f"{kind} line is empty", "delete it, or write its text"))
            continue
        if MARKER.match(inline.content):
            problems.append(Diagnostic(at, f"{kind} lines are not marked [x] or [ ]",
                                       "the answer is the " + ("pairs as written" if kind == "matching" else "order of the list")
                                       + ": delete the '[x] ' or '[ ] '"))
            continue
        if rest:
            problems.append(Diagnostic(file.at((rest[0].map or [at.line - 1])[0] + 1),
                                       f"an item of {'an' if kind == 'ordering' else 'a'} {kind} question is one line of text",
                                       "put explanations after the list, not inside it"))
        yield at, inline


def _split(inline: Token) -> tuple[tuple[Token, ...], tuple[Token, ...]] | None:
    """``item -> target`` split at the first ``->`` in plain text (not inside code or a link)."""
    children = list(inline.children or ())
    for i, child in enumerate(children):
        if child.type == "text" and ARROW in child.content:
            before, after = child.content.split(ARROW, 1)
            left = [*children[:i], child.copy(content=before.rstrip())]
            right = [child.copy(content=after.lstrip()), *children[i + 1:]]
            return tuple(t for t in left if t.type != "text" or t.content), tuple(t for t in right if t.type != "text" or t.content)
    return None


def _text(label: tuple[Token, ...]) -> str:
    return "".join(t.content for t in label).strip()
