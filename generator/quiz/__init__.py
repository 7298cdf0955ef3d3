"""Quizzes and reflections: the model (``model``), the readers of ``::: quiz`` and ``::: reflection``
blocks (``read``, with ``arranged`` for fill-in, matching and ordering questions) and their helpers."""

from .model import ARRANGED_KINDS, CHOICE_KINDS, KINDS, Choice, Question, Quiz, Reflection, Target
from .read import DEFAULT_TITLE, QUIZ_OPTIONS, SCENARIO, parse_options, read_quiz, read_reflection
from .tokens import ID_HINT, slug

__all__ = ["ARRANGED_KINDS", "CHOICE_KINDS", "DEFAULT_TITLE", "ID_HINT", "KINDS", "QUIZ_OPTIONS", "SCENARIO",
           "Choice", "Question", "Quiz", "Reflection", "Target", "parse_options", "read_quiz", "read_reflection", "slug"]
