"""Dataclasses' methods are compiled once for a user (generator/classcode.py), and still behave as written."""

from __future__ import annotations

import dataclasses
import marshal
import subprocess
import sys

import pytest

from generator.classcode import Codes
from tests.conftest import REPO

COMPILED = ("import generator.cli; from generator.classcode import CODES; "
            "print(CODES.new, sum(text.startswith('def __create_fn__') for text in CODES.used))")


def _env(cache) -> dict[str, str]:
    return {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache)}


def _python(code: str, cache) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=_env(cache)).stdout.strip()


def test_a_build_keeps_the_classes_code_and_the_next_start_compiles_none_of_it(project, tmp_path):
    cache = tmp_path / "user-cache"
    assert _python(COMPILED, cache).split()[0] == "True"  # nothing kept yet: every class's methods compiled
    run = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project.root, capture_output=True,
                         text=True, env=_env(cache))
    assert run.returncode == 0, run.stderr
    [kept] = (cache / "learnmark").glob("classes-*.marshal")
    new, used = _python(COMPILED, cache).split()
    assert (new, int(used) > 200) == ("False", True)  # the model's classes, their methods all taken from the file
    assert len(marshal.loads(kept.read_bytes())) >= int(used)


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
    first.save()
    again = Codes(path)
    kept = _made(again)
    assert not again.new and again.used.keys() == first.used.keys()
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
    codes.save()
    assert Codes(str(path)).known.keys() == codes.used.keys()


def test_a_folder_that_cannot_be_written_costs_only_the_compiling(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    codes = Codes(str(blocked / "learnmark" / "classes.marshal"))
    _made(codes)
    codes.save()  # no error: the next start compiles again
    assert codes.new and list(tmp_path.iterdir()) == [blocked]


def test_without_a_home_folder_nothing_is_kept(monkeypatch, tmp_path):
    """``~`` that cannot be resolved stays ``~``: a folder of that name in the course must not be made."""
    from generator.classcode import _path

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.chdir(tmp_path)
    assert _path() is None
    codes = Codes(_path())
    _made(codes)
    codes.save()
    assert codes.new and list(tmp_path.iterdir()) == []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert _path().startswith(str(tmp_path / "cache" / "learnmark" / "classes-"))
