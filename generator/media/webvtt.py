"""Check that a captions file is WebVTT a browser will show: the header, and every cue's timing.

Browsers skip what they cannot read in a caption file without a word, so a
typo in one timing line silently drops that caption for every learner. This
follows the WebVTT parsing rules (https://www.w3.org/TR/webvtt1/#file-parsing)
closely enough to refuse what a browser would drop: a file that does not start
with ``WEBVTT``, a cue whose timing line is malformed, ends before it starts,
or starts before the cue above it. A file with no cues is valid WebVTT, but
as a video's captions it shows nothing: ``cue_count`` lets the media checks say so.
"""

from __future__ import annotations

import re

HINT = ("a caption file starts with a line 'WEBVTT', then a blank line, then cues: a timing line such as "
        "'00:00:01.000 --> 00:00:04.000' and the text under it, with a blank line between cues")
_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]|$)")
_HEADER = re.compile(r"^WEBVTT(?:[ \t]|$)")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_NOT_CUES = re.compile(r"^(NOTE|STYLE|REGION)(?:[ \t]|$)")


def webvtt_problem(data: bytes) -> tuple[int, int, str] | None:
    """The first thing in ``data`` that keeps it from being a WebVTT caption file, as ``(line, column, message)``."""
    return _read(data)[0]


def cue_count(data: bytes) -> int:
    """How many cues a valid WebVTT file has (0 for one that is not valid)."""
    problem, cues = _read(data)
    return 0 if problem else cues


def _read(data: bytes) -> tuple[tuple[int, int, str] | None, int]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return (line, 1, "the caption file is not UTF-8 text"), 0
    lines = _NEWLINES.split(text.removeprefix("\ufeff"))
    if not _HEADER.match(lines[0]):
        return (1, 1, "the caption file does not start with 'WEBVTT'"), 0
    index = 1
    while index < len(lines) and lines[index]:  # the header's own lines
        if "-->" in lines[index]:
            return (index + 1, 1, "a cue must come after a blank line below the 'WEBVTT' line"), 0
        index += 1
    cues, previous = 0, -1.0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[start:index]
        if _NOT_CUES.match(block[0]) and "-->" not in block[0]:
            continue
        timing = 0 if "-->" in block[0] else 1
        if timing >= len(block) or "-->" not in block[timing]:
            return (start + 1, 1, f"the cue '{block[0][:40]}' has no timing line ('00:00:01.000 --> 00:00:04.000')"), 0
        line, problem = start + timing + 1, _timing_problem(block[timing], previous)
        if isinstance(problem, tuple):
            column, message = problem
            return (line, column, message), 0
        previous = problem
        cues += 1
    return None, cues


def _timing_problem(line: str, previous: float) -> tuple[int, str] | float:
    """The cue's start in seconds, or ``(column, message)`` saying what is wrong with its timing line."""
    match = _TIMING.match(line)
    if not match:
        return 1, f"the timing line '{line.strip()[:60]}' is not 'HH:MM:SS.mmm --> HH:MM:SS.mmm'"
    numbers = [int(n) if n else 0 for n in match.groups()]
    start = numbers[0] * 3600 + numbers[1] * 60 + numbers[2] + numbers[3] / 1000
    end = numbers[4] * 3600 + numbers[5] * 60 + numbers[6] + numbers[7] / 1000
    if end <= start:
        return match.start(5) + 1 if match.group(5) else match.start(6) + 1, "the cue ends before it starts"
    if start < previous:
        return 1, "the cue starts before the cue above it: cues must be in time order"
    return start
