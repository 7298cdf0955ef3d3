"""Read ``quiz`` and ``reflection`` tokens into typed, validated objects.

A quiz is written as headings (questions) followed by ``[x]``/``[ ]`` lists
(options) with ``>`` quotes under options (feedback) and paragraphs after the
list (explanation); see docs/authoring.md. Every object keeps its source
location so each problem is reported at its own line.
"""

from __future__ import annotations

import re
import shlex

from markdown_it.token import Token

from ..errors import Diagnostic, SourceLocation, did_you_mean
from ..i18n import N_
from ..schema import SLUG
from .arranged import check_arranged, read_items, read_pairs
from .model import CHOICE_KINDS, KINDS, Choice, Question, Quiz, Reflection, Target
from .tokens import ID_HINT, MARKER, close, list_items, option_id, slug, strip_marker

DEFAULT_TITLE = N_("Check your understanding")
DEFAULT_PASS = 80
SCENARIO = "scenario"
"""The question flag that marks a scenario question: ``### A colleague ... What do you do? {scenario}``."""
QUIZ_OPTIONS = ("id", "title", "pass", "retries", "shuffle", "draw", "partial")
_PART = {"fill-in": "answer", "matching": "item", "ordering": "item"}
"""What the lines of a question's list are called in messages, by kind (else "option")."""
REFLECTION_OPTIONS = ("id",)
_FLAGS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_NUMBER = re.compile(r"[0-9]+")
"""A whole number as authors type it: ASCII digits only (``int`` also reads ``٨٠``, and ``isdigit`` passes ``²``)."""


def parse_options(info: str, allowed: tuple[str, ...], at: SourceLocation) -> tuple[dict[str, str], list[Diagnostic]]:
    """``quiz id=x pass=80 shuffle`` → {"id": "x", "pass": "80", "shuffle": "true"}."""
    try:
        words = shlex.split(info)[1:]
    except ValueError as error:
        return {}, [Diagnostic(at, f"cannot read the options after ':::': {error}", "close every quote: title=\"My quiz\"")]
    options, problems = {}, []
    for word in words:
        key, has_value, value = word.partition("=")
        if key not in allowed:
            problems.append(Diagnostic(at, f"unknown option '{key}'", did_you_mean(key, allowed)))
        elif key in options:
            problems.append(Diagnostic(at, f"option '{key}' is given twice", "keep one of them"))
        elif has_value and not value.strip():
            problems.append(Diagnostic(at, f"option '{key}=' has no value", f"write a value after '{key}=', or delete it"))
        else:
            options[key] = value if has_value else "true"
    return options, problems


def read_reflection(token: Token, file: SourceLocation) -> tuple[Reflection, list[Diagnostic]]:
    at = file.at(token.map[0] + 1)
    options, problems = parse_options(token.info, REFLECTION_OPTIONS, at)
    inner = tuple(token.meta["tokens"])
    text = " ".join(t.content for t in inner if t.type == "inline").strip()
    if not text:
        problems.append(Diagnostic(at, "reflection has no prompt", "write the question for the learner inside the block"))
    reflection_id = options.get("id", "")
    if reflection_id and not SLUG.match(reflection_id):
        problems.append(Diagnostic(at, f"'{reflection_id}' is not a valid reflection id", ID_HINT))
    return Reflection(reflection_id or slug(text, 40, "reflection"), text, inner, at), problems


def read_quiz(token: Token, file: SourceLocation) -> tuple[Quiz, list[Diagnostic]]:
    """The quiz in a folded ``quiz`` token, and every problem with it."""
    at = file.at(token.map[0] + 1)
    options, problems = parse_options(token.info, QUIZ_OPTIONS, at)
    settings = _settings(options, at, problems)
    tokens = list(token.meta["tokens"])
    intro: list[Token] = []
    questions: list[Question] = []
    index = 0
    while index < len(tokens):
        current = tokens[index]
        end = close(tokens, index)
        if current.type == "heading_open":
            question, index = _question(tokens, index, file, problems)
            questions.append(question)
            continue
        if current.type == "blockquote_open":
            problems.append(Diagnostic(file.at(current.map[0] + 1), "feedback is not attached to an option",
                                       "indent the '>' line by two spaces under the option it belongs to"))
        elif current.type in ("bullet_list_open", "ordered_list_open"):
            problems.append(Diagnostic(file.at(current.map[0] + 1), "options come before any question",
                                       "start each question with a heading, e.g. '### Which ...?'"))
        elif not questions:
            intro += tokens[index:end + 1]
        index = end + 1
    if not questions:
        problems.append(Diagnostic(at, "quiz has no questions", "write each question as a heading followed by a list of '- [x]' and '- [ ]' options"))
    _unique([q.id for q in questions], [q.location for q in questions], "question", problems)
    if settings["draw"] is not None and questions and settings["draw"] > len(questions):
        problems.append(Diagnostic(at, f"draw={settings['draw']} is more than the {len(questions)} questions in the quiz",
                                   f"use draw={len(questions)} or fewer, or add questions"))
    return Quiz(intro=tuple(intro), questions=tuple(questions), location=at, **settings), problems


def _settings(options: dict[str, str], at: SourceLocation, problems: list[Diagnostic]) -> dict:
    def number(key: str, low: int, high: int | None, hint: str) -> int | None:
        if key not in options:
            return None
        value = options[key]
        if not _NUMBER.fullmatch(value):
            problems.append(Diagnostic(at, f"{key}={value} is not a whole number", hint))
            return None
        if len(value) > 9 or int(value) < low or (high is not None and int(value) > high):
            problems.append(Diagnostic(at, f"{key}={value} is out of range", hint))
            return None
        return int(value)

    quiz_id = options.get("id", "")
    if quiz_id and not SLUG.match(quiz_id):
        problems.append(Diagnostic(at, f"'{quiz_id}' is not a valid quiz id", ID_HINT))
    switches = {}
    for name in ("shuffle", "partial"):
        value = options.get(name, "false")
        if value not in ("true", "false"):
            problems.append(Diagnostic(at, f"{name}={value} is not true or false", f"write '{name}' on its own to turn it on"))
        switches[name] = value == "true"
    retries = None if options.get("retries", "unlimited") == "unlimited" else \
        number("retries", 0, None, "use a whole number of extra attempts, or retries=unlimited")
    pass_mark = number("pass", 0, 100, "the pass mark is a percentage from 0 to 100, e.g. pass=80")
    return {
        "id": quiz_id,
        "title": options.get("title", DEFAULT_TITLE),
        "pass_mark": DEFAULT_PASS if pass_mark is None else pass_mark,
        "retries": retries,
        "shuffle": switches["shuffle"],
        "partial": switches["partial"],
        "draw": number("draw", 1, None, "draw is how many questions each learner sees, e.g. draw=3"),
    }


def _question(tokens: list[Token], index: int, file: SourceLocation, problems: list[Diagnostic]) -> tuple[Question, int]:
    """Read the question starting at the heading at ``index``; return it and where the next one starts."""
    at = file.at(tokens[index].map[0] + 1)
    prompt, flags = _strip_flags(tokens[index + 1])
    text = "".join(t.content for t in prompt).strip()
    if not text:
        problems.append(Diagnostic(at, "question has no text", "write the question after the '###'"))
    explicit_id, kind, scenario = "", "", False
    for flag in flags:
        if flag.startswith("#"):
            if SLUG.match(flag[1:]):
                explicit_id = flag[1:]
            else:
                problems.append(Diagnostic(at, f"'{flag[1:]}' is not a valid question id", ID_HINT))
        elif flag in KINDS:
            kind = flag
        elif flag == SCENARIO:
            scenario = True
        else:
            problems.append(Diagnostic(at, f"unknown question marker '{{{flag}}}'",
                                       did_you_mean(flag, [*KINDS, SCENARIO, "#id"])))
    index += 3
    choices: list[Choice] = []
    targets: list[Target] = []
    explanation: list[Token] = []
    listed = False
    while index < len(tokens) and tokens[index].type != "heading_open":
        end = close(tokens, index)
        block = tokens[index]
        if block.type in ("bullet_list_open", "ordered_list_open") and not listed:
            listed = True
            items = tokens[index + 1:end]
            if kind == "matching":
                choices, targets = read_pairs(items, file, problems)
            elif kind == "ordering":
                choices = read_items(items, file, problems)
            else:
                choices = _choices(items, file, problems)
        elif block.type == "blockquote_open":
            problems.append(Diagnostic(file.at(block.map[0] + 1), "feedback is not attached to an option",
                                       "indent the '>' line by two spaces under the option it belongs to"))
        else:
            explanation += tokens[index:end + 1]
        index = end + 1
    if kind in CHOICE_KINDS or not kind:
        kind = _kind(kind, choices, at, problems)
    else:
        check_arranged(kind, choices, targets, at, problems)
    _unique([c.id for c in choices], [c.location for c in choices], _PART.get(kind, "option"), problems)
    question = Question(explicit_id or slug(text, 48, "question"), kind, text, prompt, tuple(choices), tuple(explanation),
                        at, scenario, tuple(targets))
    return question, index


def _choices(items: list[Token], file: SourceLocation, problems: list[Diagnostic]) -> list[Choice]:
    choices = []
    for at, inline, rest in list_items(items, file):
        marker = MARKER.match(inline.content) if inline else None
        if marker is None:
            problems.append(Diagnostic(at, "option has no [ ] or [x]", "start the option with '[x] ' if it is correct, '[ ] ' if not"
                                       + ("; or, for pairs to match, mark the question {matching}" if "->" in (inline.content if inline else "") else "")))
            continue
        label, explicit_id = option_id(strip_marker(inline, len(marker.group(0))), at, problems)
        text = "".join(t.content for t in label).strip()
        if not text:
            problems.append(Diagnostic(at, "option has no text", "write the answer after the '[x]' or '[ ]'"))
        feedback: list[Token] = []
        position = 0
        while position < len(rest):
            closing = close(rest, position)
            if rest[position].type == "blockquote_open":
                feedback += rest[position + 1:closing]
            else:
                problems.append(Diagnostic(file.at((rest[position].map or [at.line - 1])[0] + 1),
                                           "only a '>' feedback quote can follow an option",
                                           "put explanations after the list of options, not inside it"))
            position = closing + 1
        choices.append(Choice(explicit_id or slug(text, 32, "option"), text, label, marker.group(1) != " ", tuple(feedback), at))
    return choices


def _kind(explicit: str, choices: list[Choice], at: SourceLocation, problems: list[Diagnostic]) -> str:
    correct = sum(c.correct for c in choices)
    if len(choices) < 2:
        problems.append(Diagnostic(at, f"question has {len(choices)} option{'s' if len(choices) != 1 else ''}; it needs at least 2",
                                   "list the options under the question as '- [x] right' and '- [ ] wrong'"))
    if choices and correct == 0:
        problems.append(Diagnostic(at, "quiz question has no correct answer", 'mark the correct option with "- [x]"'))
    if explicit in ("single", "true-false") and correct > 1:
        problems.append(Diagnostic(at, f"{explicit} question has {correct} correct answers",
                                   "mark only one option [x], or mark the question {multiple}"))
    is_true_false = sorted(c.text.lower() for c in choices) == ["false", "true"]
    if explicit == "true-false" and not is_true_false:
        problems.append(Diagnostic(at, "true/false question needs exactly the options True and False", ""))
    for choice in choices:
        if not choice.correct and not choice.feedback:
            problems.append(Diagnostic(choice.location, "wrong option has no feedback",
                                       "add a '>' line under it saying why it is wrong; learners learn most from this",
                                       severity="warning"))
    if explicit:
        return explicit
    if correct > 1:
        return "multiple"
    return "true-false" if is_true_false else "single"


def _strip_flags(inline: Token) -> tuple[tuple[Token, ...], list[str]]:
    """Split ``Question text {multiple #id}`` (or ``{multiple} {#id}``) into its inline tokens and flags."""
    children = list(inline.children or [])
    flags: list[str] = []
    while children and children[-1].type == "text" and (match := _FLAGS.search(children[-1].content)):
        children[-1] = children[-1].copy(content=children[-1].content[:match.start()])
        flags = match.group(1).split() + flags
    return tuple(children), flags


def _unique(ids: list[str], locations: list[SourceLocation], kind: str, problems: list[Diagnostic]) -> None:
    seen = set()
    for item_id, at in zip(ids, locations):
        if item_id in seen:
            hint = ("give one an id with {#another-id} at the end of its heading: '### Which ...? {#another-id}'"
                    if kind == "question" else
                    "write each once (the same words give the same id), or give one an id with {#another-id} at "
                    "the end of its line" if kind in ("item", "answer") else
                    "give one an id with {#another-id} at the end of its line: '- [ ] 否 {#no}'")
            problems.append(Diagnostic(at, f"two {kind}s in this quiz have the id '{item_id}'", hint))
        seen.add(item_id)
