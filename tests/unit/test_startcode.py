"""Dataclasses' methods and regular expressions are made once for a user (generator/startcode.py), and still
behave as written."""

from __future__ import annotations

import dataclasses
import marshal
import re
import subprocess
import sys

import pytest

from generator.startcode import Codes, _path
from tests.conftest import REPO

COMPILED = ("import generator.cli; from generator.startcode import CODES; "
            "print(round(CODES.spent * 1000, 1), sum(str(key).startswith('def __create_fn__') for key in CODES.used), "
            "sum(isinstance(key, tuple) for key in CODES.used), len(CODES.known))")


def _env(cache) -> dict[str, str]:
    return {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache)}


def _python(code: str, cache) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=_env(cache)).stdout.strip()


def test_a_build_keeps_the_start_s_code_and_the_next_start_makes_almost_none_of_it(project, tmp_path):
    cache = tmp_path / "user-cache"
    spent, classes, patterns, known = _python(COMPILED, cache).split()
    assert float(spent) > 10 and int(known) == 0  # nothing kept yet: every class's methods, every pattern made
    run = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project.root, capture_output=True,
                         text=True, env=_env(cache))
    assert run.returncode == 0, run.stderr
    [kept] = (cache / "learnmark").glob("start-*.marshal")
    written = kept.stat().st_mtime_ns
    spent, classes, patterns, known = _python(COMPILED, cache).split()
    assert int(classes) > 200 and int(patterns) > 100  # the model's classes and the libraries' patterns
    # All of them taken from the file but the two patterns Babel and markdown-it build from sets, whose order
    # differs from process to process: not worth rewriting the file for.
    assert float(spent) < 2 and int(known) >= int(classes) + int(patterns) - 2
    assert kept.stat().st_mtime_ns == written


def _made(codes: Codes):
    """A frozen dataclass made with ``codes`` standing in for ``exec``, as generator/classcode.py installs it."""
    installed = dataclasses.exec
    dataclasses.exec = codes.exec
    try:
        @dataclasses.dataclass(frozen=True, order=True)
        class Point:
            x: int
            y: int = 2
        return Point
    finally:
        dataclasses.exec = installed


def test_a_class_made_from_kept_code_behaves_as_one_compiled_afresh(tmp_path):
    path = str(tmp_path / "classes.marshal")
    first = Codes(path)
    fresh = _made(first)
    first.save(worth=0)
    again = Codes(path)
    kept = _made(again)
    assert not again.spent and again.used.keys() == first.used.keys()
    for Point in (fresh, kept):
        point = Point(1)
        assert repr(point).endswith(".Point(x=1, y=2)")
        assert (point == Point(1, 2), point < Point(1, 3), hash(point) == hash(Point(1, 2))) == (True, True, True)
        with pytest.raises(dataclasses.FrozenInstanceError):
            point.x = 3
        with pytest.raises(TypeError):
            Point()


@pytest.mark.parametrize("content", [b"", b"not a marshal at all", marshal.dumps([1, 2, 3])])
def test_a_damaged_file_is_compiled_past_and_replaced(tmp_path, content):
    path = tmp_path / "classes.marshal"
    path.write_bytes(content)
    codes = Codes(str(path))
    assert codes.known == {}
    assert _made(codes)(1).y == 2
    codes.save(worth=0)
    assert Codes(str(path)).known.keys() == codes.used.keys()


def test_a_folder_that_cannot_be_written_costs_only_the_compiling(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    codes = Codes(str(blocked / "learnmark" / "classes.marshal"))
    _made(codes)
    codes.save(worth=0)  # no error: the next start compiles again
    assert codes.spent and list(tmp_path.iterdir()) == [blocked]


def test_without_a_home_folder_nothing_is_kept(monkeypatch, tmp_path):
    """``~`` that cannot be resolved stays ``~``: a folder of that name in the course must not be made."""
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.chdir(tmp_path)
    assert _path() is None
    codes = Codes(_path())
    _made(codes)
    codes.save(worth=0)
    assert codes.spent and list(tmp_path.iterdir()) == []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert _path().startswith(str(tmp_path / "cache" / "learnmark" / "start-"))


PATTERNS = [(r"(?P<word>[\w’-]+)\s*(?:=|:)\s*(\d{2,4})?", 0), (r"^#{1,6}\s+(.*?)\s*#*$", re.MULTILINE),
            (r"[^\W\d_]+", re.UNICODE), (r"café|ŵyr|ÇA", re.IGNORECASE),
            (r"<(/?)([a-z][a-z0-9-]*)\b[^>]*>", re.IGNORECASE | re.DOTALL), (rb"\x00[\x80-\xff]+", 0),
            (r"(a)(b)?(?(2)c|d)", re.VERBOSE), (r"(?i:x)y", re.ASCII)]
TEXTS = ["word = 2024", "## A heading ##\nline", "Café, ŵyr, ça va", "<A href=x>\n</a>", "abc ad", "Xy xy xY"]


def _patterns(codes: Codes) -> list:
    """``PATTERNS`` compiled with ``codes`` standing in for ``re``'s compiler, as generator/startcode.py installs it."""
    return [codes.pattern(pattern, flags) for pattern, flags in PATTERNS]


def _behaviour(compiled) -> list:
    """All a pattern says of itself and of ``TEXTS``."""
    seen = [compiled.pattern, compiled.flags, compiled.groups, dict(compiled.groupindex)]
    for text in TEXTS:
        subject = text.encode() if isinstance(compiled.pattern, bytes) else text
        seen += [[m.span(0) + m.groups() for m in compiled.finditer(subject)], bool(compiled.fullmatch(subject))]
    return seen


def test_a_pattern_made_from_kept_code_matches_as_one_compiled_afresh(tmp_path):
    path = str(tmp_path / "start.marshal")
    first = Codes(path)
    fresh = _patterns(first)
    assert first.spent > 0
    first.save(worth=0)
    again = Codes(path)
    kept = _patterns(again)
    assert not again.spent and again.used.keys() == first.used.keys()  # every pattern's code from the file
    assert [_behaviour(p) for p in kept] == [_behaviour(p) for p in fresh] == [_behaviour(re.compile(p, f))
                                                                               for p, f in PATTERNS]


def test_a_pattern_whose_kept_code_is_wrong_is_made_again(tmp_path):
    path = tmp_path / "start.marshal"
    pattern, flags = PATTERNS[0]
    path.write_bytes(marshal.dumps({(pattern, flags): (0, [1, 2, 3], 0, {}, ()), (rb"\d", 0): ("not", "code")}))
    codes = Codes(str(path))
    assert _behaviour(codes.pattern(pattern, flags)) == _behaviour(re.compile(pattern, flags))
    assert codes.pattern(rb"\d", 0).findall(b"a1b2") == [b"1", b"2"]
    assert codes.spent > 0 and codes.used[(pattern, flags)] != (0, [1, 2, 3], 0, {}, ())


def test_an_invalid_pattern_fails_as_re_says_and_is_not_kept(tmp_path):
    codes = Codes(str(tmp_path / "start.marshal"))
    with pytest.raises(re.error, match="missing \\), unterminated subpattern"):
        codes.pattern("(a", 0)
    assert codes.used == {}


def test_a_start_that_made_little_does_not_rewrite_the_file(tmp_path):
    path = tmp_path / "start.marshal"
    codes = Codes(str(path))
    codes.pattern(r"a|b", 0)
    codes.save()  # well under a millisecond: the next start makes it again
    assert not path.exists()
    _patterns(codes)
    _made(codes)
    codes.spent = 1.0  # as a first start's, which makes hundreds
    codes.save()
    assert Codes(str(path)).known.keys() == codes.used.keys()
