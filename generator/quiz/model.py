"""A quiz as typed, immutable data: Quiz ▸ Question ▸ Choice (and Target, for matching).

Every object keeps its source location so each problem is reported at its own line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markdown_it.token import Token

from ..errors import SourceLocation

CHOICE_KINDS = ("single", "multiple", "true-false")
"""Questions answered by choosing options."""
ARRANGED_KINDS = ("fill-in", "matching", "ordering")
"""Questions answered by typing, matching or ordering: always flagged, as ``### ... {matching}``."""
KINDS = CHOICE_KINDS + ARRANGED_KINDS


@dataclass(frozen=True)
class Choice:
    id: str
    """Unique in its question: set with ``{#id}`` at the end of the option, else from its text (see ``slug``)."""
    text: str
    label: tuple[Token, ...]
    """Inline tokens of the option's text (marker removed)."""
    correct: bool
    feedback: tuple[Token, ...]
    """Block tokens of the quote under the option; empty when none."""
    location: SourceLocation
    target: str = ""
    """In a matching question, the id of the ``Target`` this item matches; else empty."""


@dataclass(frozen=True)
class Target:
    """What a matching question's items are matched to: the right-hand side of ``item -> target``."""

    id: str
    text: str
    label: tuple[Token, ...]


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    """One of ``KINDS``. Its ``choices`` are options (choice kinds), accepted ``[x]`` and anticipated ``[ ]``
    answers (fill-in), the items to match (matching), or the items in their right order (ordering)."""
    text: str
    prompt: tuple[Token, ...]
    """Inline tokens of the question heading (flags removed)."""
    choices: tuple[Choice, ...]
    explanation: tuple[Token, ...]
    location: SourceLocation
    scenario: bool = False
    """Marked ``{scenario}``: the stem sets a situation to apply an idea to (the quality lint counts these)."""
    targets: tuple[Target, ...] = ()
    """A matching question's targets, each once, in the order first written; else empty."""

    @property
    def correct(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.correct)

    @property
    def answers(self) -> list[dict]:
        """A fill-in question's answers as its page's script marks them: id, text, and whether it is accepted."""
        return [{"id": c.id, "text": c.text, "correct": c.correct} for c in self.choices]

    @property
    def scrambled(self) -> tuple[Choice, ...] | tuple[Target, ...]:
        """An ordering question's items, or a matching question's targets, in the order the page lists them:
        stable (from the ids, so the same every build) and never the answer's order. With JavaScript each
        learner then gets an order of their own."""
        items = self.targets if self.kind == "matching" else self.choices
        order = sorted(items, key=lambda item: hashlib.sha256(f"{self.id}\0{item.id}".encode()).digest())
        return tuple(order[1:] + order[:1]) if len(order) > 1 and order == list(items) else tuple(order)


@dataclass(frozen=True)
class Quiz:
    id: str
    """Unique in its module; empty until the course assigns a default."""
    title: str
    pass_mark: int
    """Percent of questions to answer correctly, 0–100."""
    retries: int | None
    """Attempts allowed after the first; None for unlimited."""
    shuffle: bool
    """Show options in a stable, per-learner random order."""
    draw: int | None
    """Show each learner this many questions from the bank; None for all."""
    intro: tuple[Token, ...]
    questions: tuple[Question, ...]
    location: SourceLocation
    partial: bool = False
    """Give part marks for a partly right matching, ordering or multiple-choice answer."""

    @property
    def shown(self) -> int:
        """How many questions a learner answers."""
        return self.draw or len(self.questions)


@dataclass(frozen=True)
class Reflection:
    id: str
    text: str
    """The prompt as plain text (for the learner's export)."""
    prompt: tuple[Token, ...]
    location: SourceLocation
