"""The learner interface in the course's language: message catalogues, plural forms,
dates and numbers, and the language's direction (see docs/languages.md)."""

from .catalogues import DOMAINS, CatalogueError, catalogue_problems, load_messages
from .language import Language, language_of
from .messages import ENGLISH, N_, Messages

__all__ = ["DOMAINS", "ENGLISH", "N_", "CatalogueError", "Language", "Messages", "catalogue_problems", "language_of",
           "load_messages"]
