"""The package cache (build/cache/packages/) may make `learnmark package` faster, never different.

The oracle is a run with ``--no-cache`` into another folder: after any edit, a
cached run must leave the same zips, byte for byte.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cache as cache_module
from generator.cli import main
from generator.scorm import reuse
from tests.conftest import REPO

from .test_scorm_package import course_project  # noqa: F401  (a fixture)


def learnmark(*args, cwd, **env):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", **env})


def zips(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.zip"))}


def packaged(project, *args, **env) -> str:
    run = learnmark("package", *args, cwd=project.root, **env)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[-1]


def clean(project, *args, **env) -> dict[str, bytes]:
    out = project.root.parent / "clean"
    shutil.rmtree(out, ignore_errors=True)
    run = learnmark("package", "--no-cache", "--out", str(out), *args, cwd=project.root, **env)
    assert run.returncode == 0, run.stderr
    return zips(out)


def read(project, rel: str) -> str:
    return (project.root / rel).read_text(encoding="utf-8")


def out(project) -> Path:
    return project.root / "build" / "packages"


def test_an_unchanged_course_is_copied_from_the_cache_byte_for_byte(course_project):
    assert packaged(course_project).startswith("Wrote 2 packages")
    shutil.rmtree(out(course_project))
    assert packaged(course_project).startswith("Up to date: 2 packages")
    assert zips(out(course_project)) == clean(course_project)
    assert len(zips(out(course_project))) == 2


def test_the_up_to_date_run_reports_the_stored_warnings(course_project):
    course_project.write("content/02-second/unused.txt", "not linked from anywhere")
    first = learnmark("package", cwd=course_project.root)
    assert "warning" in first.stderr and first.returncode == 0
    again = learnmark("package", cwd=course_project.root)
    assert again.stdout.splitlines()[-1].startswith("Up to date")
    assert again.stderr == first.stderr


def _own_theme(project) -> Path:
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    project.write("site.yaml", read(project, "site.yaml") + "theme: mine\n")
    return theme


EDITS = {
    "page": lambda project: project.write("content/02-second/01-other.md",
                                          "---\ntitle: Other edited\n---\nBack to [two](../01-first/02-two.md).\n"),
    "site.yaml": lambda project: project.write("site.yaml", read(project, "site.yaml").replace(
        "Scratch course", "Scratch course, edited")),
    "theme file": lambda project: (project.root / "themes/mine/static/css/base.css").write_text(
        (project.root / "themes/mine/static/css/base.css").read_text() + "\n.edited { color: red; }\n"),
    "media file": lambda project: project.write("content/02-second/images/a.svg",
                                                "<svg xmlns='http://www.w3.org/2000/svg'><title>edited</title></svg>"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_makes_the_packages_again(course_project, edit):
    if edit == "theme file":
        _own_theme(course_project)
    packaged(course_project)
    before = zips(out(course_project))
    EDITS[edit](course_project)
    assert packaged(course_project).startswith("Wrote 2 packages")
    after = zips(out(course_project))
    assert after == clean(course_project)
    assert after["scratch-second-scorm12.zip"] != before["scratch-second-scorm12.zip"]


@pytest.mark.parametrize("args, env", [(("--scorm", "2004-4"), {}), (("--module", "second"), {}), (("--course",), {}),
                                       ((), {"SOURCE_DATE_EPOCH": "1700000000"})])
def test_the_command_s_options_are_part_of_the_key(course_project, args, env):
    packaged(course_project)
    shutil.rmtree(out(course_project))
    assert packaged(course_project, *args, **env).startswith("Wrote ")
    assert zips(out(course_project)) == clean(course_project, *args, **env)


def test_a_new_version_of_learnmark_makes_the_packages_again(course_project, monkeypatch, capsys):
    """In process, with the code's digest replaced: the record carries it, and so does the key."""
    root = str(course_project.root)
    assert main(["package", "--project", root]) == 0
    assert main(["package", "--project", root]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Up to date")
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    assert main(["package", "--project", root]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Wrote 2 packages")


def test_a_tampered_zip_in_the_cache_is_not_used(course_project):
    packaged(course_project)
    kept = course_project.root / "build/cache/packages/scratch-second-scorm12.zip"
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    kept.write_bytes(bytes(data))
    assert packaged(course_project).startswith("Wrote 2 packages")
    assert zips(out(course_project)) == clean(course_project)
    assert packaged(course_project).startswith("Up to date")  # the cache was made good again


def test_an_unsigned_record_is_not_trusted(course_project, tmp_path):
    packaged(course_project)
    marker = tmp_path / "marker"

    class Payload:
        def __reduce__(self):
            return (marker.write_text, ("unpickled",))
    record = course_project.root / "build/cache/last-package.pickle"
    record.write_bytes(b"\0" * 32 + pickle.dumps((cache_module.code_version(), Payload())))
    assert packaged(course_project).startswith("Wrote 2 packages")
    assert not marker.exists()


def test_a_missing_zip_in_the_cache_leaves_the_out_folder_to_a_full_run(course_project):
    packaged(course_project)
    (course_project.root / "build/cache/packages/scratch-second-scorm12.zip").unlink()
    shutil.rmtree(out(course_project))
    assert packaged(course_project).startswith("Wrote 2 packages")
    assert zips(out(course_project)) == clean(course_project)


def test_no_cache_neither_reads_nor_writes_the_cache(course_project):
    packaged(course_project)
    cache = course_project.root / "build/cache"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    assert packaged(course_project, "--no-cache").startswith("Wrote 2 packages")
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*")} == before


def package_cache(project) -> dict[Path, int]:
    kept = project.root / "build/cache"
    return {p: p.stat().st_mtime_ns for p in (kept / "last-package.pickle", *(kept / "packages").iterdir())}


def test_a_failing_course_fails_though_a_cache_exists_and_touches_nothing(course_project):
    packaged(course_project)
    good = read(course_project, "content/02-second/01-other.md")
    written = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out(course_project).iterdir()}
    cache = package_cache(course_project)
    course_project.write("content/02-second/01-other.md", good.replace("02-two.md", "02-gone.md"))
    run = learnmark("package", cwd=course_project.root)
    assert run.returncode == 1 and "02-gone.md" in run.stderr and "Traceback" not in run.stderr
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out(course_project).iterdir()} == written
    assert package_cache(course_project) == cache  # (the parse cache is kept: a failed run's parses hold)
    course_project.write("content/02-second/01-other.md", good)  # the record of the last good run still holds
    assert packaged(course_project).startswith("Up to date")


def test_strict_is_part_of_the_key(course_project):
    course_project.write("content/02-second/unused.txt", "not linked from anywhere")
    packaged(course_project)
    run = learnmark("package", "--strict", cwd=course_project.root)
    assert run.returncode == 1 and "unused.txt" in run.stderr


def test_the_cache_keeps_one_run(course_project):
    packaged(course_project, "--scorm", "2004-4")
    packaged(course_project, "--module", "first")
    kept = course_project.root / "build/cache/packages"
    assert sorted(os.listdir(kept)) == ["scratch-first-scorm12.zip"]
    assert isinstance(cache_module.BuildCache(course_project.root / "build/cache").load(reuse.RECORD), reuse.LastPackage)


def test_a_new_day_makes_the_packages_again(course_project, monkeypatch, capsys):
    """Without SOURCE_DATE_EPOCH the accessibility statement is dated the day it is made."""
    import datetime
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = str(course_project.root)
    assert main(["package", "--project", root]) == 0
    assert main(["package", "--project", root]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Up to date")
    monkeypatch.setattr(reuse, "build_date", lambda: datetime.date(2099, 1, 1))
    assert main(["package", "--project", root]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Wrote 2 packages")
