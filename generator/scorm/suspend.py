"""The size of a module's ``cmi.suspend_data``, worst case, before it reaches an LMS.

The runtime (themes/default/scorm/runtime.js, ``encode``) saves a module's
progress as compact ASCII, version 1:

    1|<fingerprint>|<location>|<visited>|<seed>|<quiz>~<quiz>...
    quiz      = <attempts>.<best raw>.<passed 0/1>.<answer>-<answer>...
    answer    = <chosen options as a bitmask>[!]   ("!" marks a wrong answer)

Numbers are base 36; attempts are capped at ``MAX_ATTEMPTS``. This module
builds the longest string that format can produce for a module (every page
seen, every question answered with every option, the most attempts) so a
package that could overflow its version's limit fails at build time, naming
the module, instead of losing a learner's progress in the LMS.
"""

from __future__ import annotations

from ..errors import Diagnostic, Severity
from ..model import Module

FORMAT = "1"
FINGERPRINT_LENGTH = 6
MAX_ATTEMPTS = 36 ** 2 - 1
"""Attempt counts above this are stored as this (two base-36 digits)."""
MAX_SEED = 2 ** 32 - 1
LIMITS = {"1.2": 4096, "2004-3": 64000, "2004-4": 64000}


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def worst_case(module: Module) -> str:
    """The longest suspend_data the runtime can write for ``module``."""
    pages = 1 + len(module.pages)
    quizzes = []
    for quiz in module.all_quizzes:
        attempts = MAX_ATTEMPTS if quiz.retries is None else min(quiz.retries + 1, MAX_ATTEMPTS)
        answers = "-".join(base36(2 ** len(q.choices) - 1) + "!" for q in quiz.questions)
        quizzes.append(f"{base36(attempts)}.{base36(len(quiz.questions))}.1.{answers}")
    return "|".join([FORMAT, "z" * FINGERPRINT_LENGTH, base36(pages - 1), base36(2 ** pages - 1),
                     base36(MAX_SEED), "~".join(quizzes)])


def worst_case_size(module: Module) -> int:
    return len(worst_case(module))


def over_budget(module: Module, version: str, hint: str, severity: Severity = "error") -> Diagnostic | None:
    """The problem when ``module``'s worst-case suspend_data overflows ``version``'s limit, else None."""
    size, limit = worst_case_size(module), LIMITS[version]
    if size <= limit:
        return None
    return Diagnostic(module.location, f"module '{module.id}' may need {size} characters of suspend_data, "
                                       f"more than SCORM {version} allows ({limit})", hint, severity)
