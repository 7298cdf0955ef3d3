"""Course-wide media checks, once every file an item names is resolved: what an author should know but
that does not stop a build (a file too big for an LMS, a video with no audio description), and caption files
with nothing in them."""

from __future__ import annotations

import os

from ..errors import Diagnostic
from ..links import resolve
from ..model import Course
from ..parse import Reference
from .webvtt import cue_count

MAX_BYTES = 50 * 1024 * 1024
"""Many LMSs refuse uploads over 50 MB (Moodle's default limit is lower still), and a package carries its media."""


def media_checks(course: Course) -> list[Diagnostic]:
    """A warning for each media file over ``MAX_BYTES`` and each video from content/ with no ``descriptions=``."""
    problems = []
    for doc in course.sequence:
        for item in doc.document.media:
            if item.kind == "video" and not item.external and item.descriptions is None:
                problems.append(Diagnostic(item.location, "video has no audio description track",
                                           "if what is shown matters and is not said, add descriptions=FILE.vtt (a "
                                           "WebVTT file describing it); the accessibility statement lists videos "
                                           "without one", severity="warning"))
            problems += _empty_tracks(item, doc, course)
            if not item.src:
                continue
            target, problem = resolve(Reference(item.src, item.location, item.kind), doc, course)
            if problem is None and target.media:
                try:
                    size = os.stat(os.path.join(course.config.root, target.media)).st_size
                except OSError:  # gone since it was checked: reported when it is copied
                    continue
                if size > MAX_BYTES:
                    problems.append(Diagnostic(item.location, f"{item.kind} file '{item.src}' is "
                                               f"{size / 1024 / 1024:.0f} MB, over {MAX_BYTES // 1024 // 1024} MB",
                                               "many LMSs refuse packages over 50 MB: make the file smaller (a lower "
                                               "resolution or bit rate), or host the film on YouTube or Vimeo "
                                               "(youtube=ID)", severity="warning"))
    return problems


def _empty_tracks(item, doc, course: Course) -> list[Diagnostic]:
    """Caption and description files with no cues: valid WebVTT, but the learner would get nothing."""
    problems = []
    for kind, target in (("captions", item.captions), ("descriptions", item.descriptions)):
        resolved, problem = resolve(Reference(target, item.location, kind), doc, course) if target else (None, None)
        if resolved is None or problem is not None or not resolved.media:
            continue
        try:
            with open(os.path.join(course.config.root, resolved.media), "rb") as file:
                empty = cue_count(file.read()) == 0
        except OSError:  # reported when it is copied
            continue
        if empty:
            problems.append(Diagnostic(item.location, f"{kind} file '{target}' has no cues",
                                       "write each caption as a timing line and its text: "
                                       "'00:00:01.000 --> 00:00:04.000', then the words, then a blank line"))
    return problems
