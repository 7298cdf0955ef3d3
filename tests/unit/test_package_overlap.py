"""``learnmark package`` checks the course while its workers package (``build.check_later``,
``parallel.fork_map``'s ``meanwhile``): the same packages, and a course that fails its checks
still fails with every problem of them and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from generator.build import check, check_later
from generator.errors import BuildFailed
from generator.parallel import fork_map
from tests.conftest import REPO

from .test_scorm_package import two_modules

_seen: list[str] = []


def _what_a_worker_saw(n: int) -> tuple[int, int, tuple[str, ...]]:
    time.sleep(0.05)  # so that both processes take items
    return n * n, os.getpid(), tuple(_seen)


def test_meanwhile_runs_here_once_the_workers_are_forked_and_its_failure_stops_them():
    _seen.clear()
    results = fork_map(_what_a_worker_saw, list(range(6)), workers=2, batch=1, meanwhile=lambda: _seen.append("checked"))
    assert [square for square, _, _ in results] == [n * n for n in range(6)]
    assert _seen == ["checked"], "done in this process"
    assert len({pid for _, pid, _ in results}) == 2, "this process takes items too, once it is done"
    assert all(saw == (() if pid != os.getpid() else ("checked",)) for _, pid, saw in results), \
        "the worker was forked before it ran, and this process's items come after it"

    _seen.clear()
    serial = fork_map(_what_a_worker_saw, [1, 2], workers=0, meanwhile=lambda: _seen.append("checked"))
    assert [saw for _, _, saw in serial] == [("checked",), ("checked",)], "without workers it runs first"

    def failing():
        raise ValueError("the course failed its checks")
    with pytest.raises(ValueError, match="failed its checks"):
        fork_map(_what_a_worker_saw, list(range(6)), workers=2, batch=1, meanwhile=failing)


def package(root, *args, workers: str = "2"):
    return subprocess.run([sys.executable, "-m", "generator", "package", "--no-cache", *args], cwd=root,
                          capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LEARNMARK_WORKERS": workers})


@pytest.fixture
def course(project):
    two_modules(project)
    project.write("content/03-third/_module.md", "---\ntitle: Third\nsummary: T.\n---\nHi.\n")
    project.write("content/03-third/01-more.md", "---\ntitle: More\n---\n" + "Words and more words.\n\n" * 40)
    return project


def zips(folder):
    return {path.name: path.read_bytes() for path in folder.glob("*.zip")}


def test_packages_made_by_workers_largest_first_are_those_made_in_one_process(course):
    serial = package(course.root, "--out", "serial", workers="0")
    parallel = package(course.root, "--out", "parallel")
    assert serial.returncode == 0 and parallel.returncode == 0, serial.stderr + parallel.stderr
    assert len(zips(course.root / "serial")) == 3
    assert zips(course.root / "parallel") == zips(course.root / "serial")
    listed = [line.split()[0] for line in parallel.stdout.splitlines()[:3]]
    assert listed == [f"parallel/scratch-{m}-scorm12.zip" for m in ("first", "second", "third")], "in course order"


def test_a_course_failing_its_checks_while_workers_package_writes_nothing_and_reports_every_problem(course):
    course.write("content/02-second/02-broken.md", "---\ntitle: Broken\n---\nSee [nothing](nope.md).\n")
    course.write("content/03-third/02-image.md", "---\ntitle: Image\n---\n![Gone](images/gone.png)\n")
    run = package(course.root)
    assert run.returncode == 1
    assert "content/02-second/02-broken.md:4:" in run.stderr and "nope.md" in run.stderr
    assert "content/03-third/02-image.md:4:" in run.stderr and "gone.png" in run.stderr
    assert "no packages were written" in run.stderr
    assert not (course.root / "build").exists(), "not even an empty build/packages/"

    (course.root / "build" / "packages").mkdir(parents=True)
    (course.root / "build" / "packages" / "old.zip").write_bytes(b"the last run's")
    assert package(course.root).returncode == 1
    assert [p.name for p in (course.root / "build" / "packages").iterdir()] == ["old.zip"], "no zip moved in, none left"
    assert (course.root / "build" / "packages" / "old.zip").read_bytes() == b"the last run's"


def test_the_course_checks_come_before_the_packages_own_refusals(course):
    course.write("content/02-second/02-broken.md", "---\ntitle: Broken\n---\nSee [nothing](nope.md).\n")
    run = package(course.root, "--module", "frist")
    assert run.returncode == 1 and "nope.md" in run.stderr
    assert "no module 'frist'" not in run.stderr, "as when the course was checked before packaging"


def test_check_later_is_check_in_two_halves(course):
    course.write("content/02-second/02-broken.md", "---\ntitle: Broken\n---\nSee [nothing](nope.md).\n")
    course_now, rest = check_later(course.root)
    assert [m.id for m in course_now.modules] == ["first", "second", "third"]
    with pytest.raises(BuildFailed) as later:
        rest()
    with pytest.raises(BuildFailed) as whole:
        check(course.root, pages=False)
    assert later.value.diagnostics == whole.value.diagnostics

    course.write("content/03-third/01-more.md", "---\ntitle: More\nno_such_field: 1\n---\nText.\n")
    with pytest.raises(BuildFailed) as at_once:  # a course that cannot be modelled cleanly is checked at once
        check_later(course.root)
    messages = [p.format() for p in at_once.value.diagnostics]
    assert any("no_such_field" in m for m in messages) and any("nope.md" in m for m in messages)


def test_a_clash_a_worker_finds_before_writing_its_zip_fails_the_run_and_leaves_nothing(course, tmp_path, monkeypatch):
    import generator.scorm.package as scorm_package
    from generator.scorm.package import package_course
    built, _, _ = check(course.root)
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    monkeypatch.setattr(scorm_package, "LAUNCH", "more.html")  # module third's launch page is its page's name
    with pytest.raises(BuildFailed) as failure:
        package_course(built, tmp_path / "packages", ["1.2"])
    assert [d.format().splitlines()[0] for d in failure.value.diagnostics] == [
        "content/03-third/01-more.md:1:1: error: page 'third/more.html' would be written into the package as "
        "'third/more.html', where the launch page of module 'third' is"]
    assert not (tmp_path / "packages").exists()
