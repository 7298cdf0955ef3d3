"""A small typed schema for YAML mappings that reports errors at the key's line.

``site.yaml`` and front matter are composed into PyYAML nodes (which keep a
mark on every key and value) and checked against a table of ``Field``s, so a
wrong type or an unknown key is reported as ``file:line:col`` with a hint.
PyYAML's surprises (``no`` is False, ``1.10`` is 1.1) are caught by checking
the type of every value instead of trusting it.

YAML that could make a small file huge or deep is refused while it is read:
aliases (``*name``, which can repeat a value thousands of times over, the
"billion laughs"), more than ``MAX_DEPTH`` levels of nesting, and more than
``MAX_CHARS`` characters.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import yaml

from .errors import Diagnostic, SourceLocation, did_you_mean

Locate = Callable[[yaml.Mark], SourceLocation]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: several times faster, and it keeps the same marks."""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DEPTH = 20
"""Most levels of lists and mappings inside one another, the file itself being the first; front matter needs two or three."""
MAX_CHARS = 1_000_000
"""The longest YAML read: far more than any site.yaml or front matter needs, and still quick to read."""


@dataclass(frozen=True)
class Field:
    """What one key of a mapping may hold."""

    kind: str
    """One of ``text``, ``integer``, ``boolean``, ``list of text``, ``mapping``, ``date``."""
    required: bool = False
    default: Any = None
    slug: bool = False
    """Text must be lower-case letters, digits and single hyphens."""
    minimum: int | None = None
    """Smallest allowed integer."""
    choices: tuple[str, ...] = ()
    """The only texts allowed, when not empty."""
    removed: str = ""
    """Why a key that used to exist is no longer read (the hint of its error); empty for live keys."""


_PYTHON_TYPES = {"text": str, "integer": int, "boolean": bool, "mapping": dict, "date": datetime.date}
_YAML_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true/false",
               list: "a list", dict: "a mapping", type(None): "nothing",
               datetime.date: "a date (YYYY-MM-DD)", datetime.datetime: "a date and time"}


def load_mapping(text: str, locate: Locate, what: str) -> tuple[yaml.MappingNode | None, list[Diagnostic]]:
    """Compose YAML text into a mapping node; syntax errors, aliases, deep nesting and huge text become diagnostics."""
    if len(text) > MAX_CHARS:
        return None, [Diagnostic(locate(_START), f"{what} is too long ({len(text):,} characters; the most is {MAX_CHARS:,})",
                                 "keep long text in the page itself, not in YAML")]
    try:
        node = _compose(text)
    except _Refused as refused:
        return None, [Diagnostic(locate(refused.mark), f"{what} {refused.message}", refused.hint)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        hint = "check the indentation, and put text containing ':' or '#' in quotes"
        return None, [Diagnostic(locate(mark), f"{what} is not valid YAML: {message}", hint)]
    except yaml.YAMLError as error:  # e.g. a control character, which has no mark
        return None, [Diagnostic(locate(_START), f"{what} is not valid YAML: {str(error).splitlines()[0]}",
                                 "remove invisible control characters from the file")]
    if node is None:
        return None, []
    if not isinstance(node, yaml.MappingNode):
        return None, [Diagnostic(locate(node.start_mark), f"{what} must be a set of 'key: value' lines")]
    return node, []


_START = yaml.Mark("", 0, 0, 0, None, None)


def _compose(text: str) -> yaml.Node | None:
    """libyaml's fast composer when it can be trusted, else the pure-Python one that checks as it goes.

    Only text with a '*' can hold an alias, and only a libyaml failure (its
    limit is 1,000 levels) can be nesting too deep for it: the pure-Python
    composer reports both, and its messages and marks are clearer.
    """
    if "*" not in text:
        try:
            return yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Checked)


class _Refused(Exception):
    """YAML that is valid but not read: where, what and what to do instead."""

    def __init__(self, mark: yaml.Mark, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _Checked(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, refusing aliases and nesting deeper than ``MAX_DEPTH`` as it composes."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, f"uses an alias ('*{event.anchor}'), which Learnmark does not read",
                           "write the value out in full; if the text starts with '*', put it in quotes: "
                           "title: \"*Draft* notes\"")
        if not self.check_event(yaml.MappingStartEvent, yaml.SequenceStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(self.peek_event().start_mark, f"is nested more than {MAX_DEPTH} levels deep", _DEEP_HINT)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_DEEP_HINT = f"use at most {MAX_DEPTH} levels of lists and mappings inside one another"


def _too_deep(node: yaml.Node, depth: int) -> yaml.Node | None:
    """The first list or mapping in ``node`` (a list or mapping at ``depth``) deeper than ``MAX_DEPTH``, or None.

    libyaml composes up to 1,000 levels; this bounds what is constructed, and
    is only needed for lists and mappings, which are few and small.
    """
    stack = [(node, depth)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            return node
        if isinstance(node, yaml.SequenceNode):
            stack += ((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack += ((part, depth + 1) for pair in node.value for part in pair)
    return None


def validate(node: yaml.MappingNode | None, fields: Mapping[str, Field], locate: Locate,
             where: SourceLocation, what: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Check a mapping node against ``fields``; return the values (defaults filled in)."""
    values: dict[str, Any] = {}
    seen: set[str] = set()
    problems: list[Diagnostic] = []
    constructor = yaml.SafeLoader("")
    for key_node, value_node in node.value if node else []:
        at = locate(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Diagnostic(at, f"a key in {what} is not plain text", "write keys as 'name: value'"))
            continue
        key = key_node.value
        if key not in fields:
            problems.append(Diagnostic(at, f"unknown key '{key}' in {what}", did_you_mean(key, fields)))
            continue
        if key in seen:
            problems.append(Diagnostic(at, f"'{key}' is set twice in {what}", "delete one of them"))
            continue
        seen.add(key)
        if fields[key].removed:
            problems.append(Diagnostic(at, f"'{key}' is no longer used", fields[key].removed))
            continue
        if not isinstance(value_node, yaml.ScalarNode) and (deep := _too_deep(value_node, 2)):
            problems.append(Diagnostic(locate(deep.start_mark), f"'{key}' is nested more than {MAX_DEPTH} levels deep",
                                       _DEEP_HINT))
            continue
        try:
            value = constructor.construct_object(value_node, deep=True)
        except yaml.YAMLError as error:  # e.g. a !!python tag, which safe loading refuses
            problems.append(Diagnostic(locate(value_node.start_mark), f"'{key}' cannot be read: {error.problem}",
                                       "remove the '!!' tag; write plain text, numbers, lists or true/false"))
            continue
        except Exception as error:  # noqa: BLE001 -- a value PyYAML mistakes for a date or number it cannot make
            problems.append(Diagnostic(locate(value_node.start_mark), f"'{key}' cannot be read as {_reading(value_node)}: "
                                       f"{_reason(error)}", f"put the value in quotes: {key}: \"...\""))
            continue
        if _has_surrogate(value):  # "\ud83d" alone: half a character, which no page can be written with
            problems.append(Diagnostic(locate(value_node.start_mark), f"'{key}' has half of a character (an escape "
                                       "such as \\ud83d on its own)", "write the character itself, or escape it whole: \\U0001F600"))
            continue
        problem = _check(key, value, fields[key])
        if problem:
            problems.append(Diagnostic(locate(value_node.start_mark), problem[0], problem[1]))
        else:
            values[key] = value
    constructor.dispose()  # a loader is a reference cycle, which parsing (collector paused) would never free
    for key, field in fields.items():
        if key in seen or field.removed:
            continue
        if field.required:
            problems.append(Diagnostic(where, f"{what} has no '{key}'", f"add a line '{key}: ...'"))
        else:
            values[key] = field.default
    return values, problems


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    return False


def _reading(node: yaml.Node) -> str:
    """What PyYAML took a value for: ``2024-13-01`` is a date, ``!!bool x`` true/false."""
    kind = node.tag.rsplit(":", 1)[-1]
    return {"timestamp": "a date", "int": "a whole number", "float": "a number", "bool": "true/false"}.get(kind, kind)


def _reason(error: Exception) -> str:
    """What went wrong constructing a value, in one line: PyYAML reads ``2024-13-01`` as a date, and so on."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _check(key: str, value: Any, field: Field) -> tuple[str, str] | None:
    """Why ``value`` does not fit ``field``, as (message, hint), or None."""
    got = _YAML_NAMES.get(type(value), type(value).__name__)
    quote_hint = f"put the value in quotes: {key}: \"...\""
    if field.kind == "list of text":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"'{key}' must be a list of text, not {got}", f"write one '- item' line per entry under '{key}:', quoting items YAML reads as numbers or true/false"
        if field.slug and (bad := [v for v in value if not SLUG.match(v)]):
            return f"'{bad[0]}' in '{key}' is not a valid id", "use lower-case letters, digits and hyphens"
        return None
    expected = _PYTHON_TYPES[field.kind]
    if type(value) is not expected:
        hint = quote_hint if field.kind == "text" else f"'{key}' takes {_YAML_NAMES[expected]}"
        return f"'{key}' must be {_YAML_NAMES[expected]}, not {got}", hint
    if field.kind == "text" and not value.strip():
        return f"'{key}' is empty", f"write a value after '{key}:' or delete the line"
    if field.choices and value not in field.choices:
        return f"'{value}' is not a valid '{key}'", did_you_mean(value, field.choices)
    if field.slug and not SLUG.match(value):
        return f"'{value}' is not a valid id for '{key}'", "use lower-case letters, digits and hyphens, e.g. 'compassionate-leadership'"
    if field.minimum is not None and value < field.minimum:
        return f"'{key}' must be at least {field.minimum}", ""
    return None
