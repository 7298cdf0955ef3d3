"""Big builds run in worker processes; the site they produce is identical to a one-process build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build, check
from generator.errors import BuildFailed
from generator.parallel import fork_map
from generator.write import encoded


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_parallel_build_gives_the_same_site(project, monkeypatch):
    for n in range(3, 12):
        project.write(f"content/01-first/{n:02d}-extra-{n}.md",
                      f"---\ntitle: Extra {n}\n---\n## Part {n}\n\n[back](01-one.md) and [two](02-two.md#details-of-two)\n\n"
                      "::: quiz\n### Q\n- [x] A\n  > yes\n- [ ] B\n  > no\n:::\n")
    monkeypatch.setenv("LEARNMARK_WORKERS", "0")
    build(project.root, project.root / "serial")
    in_memory = build(project.root).site
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    build(project.root, project.root / "parallel")
    serial, parallel = files_in(project.root / "serial"), files_in(project.root / "parallel")
    assert parallel.keys() == serial.keys()
    assert [path for path in serial if parallel[path] != serial[path]] == []
    assert {path: encoded(text) for path, text in in_memory.files.items()} == {
        path: serial[path] for path in in_memory.files}


def test_parallel_build_reports_errors_like_a_serial_one(project, monkeypatch):
    from .helpers import errors_of
    project.write("content/01-first/03-bad.md", "---\ntitle: Bad\n---\n[x](nope.md)\n\n# Second title\n")
    monkeypatch.setenv("LEARNMARK_WORKERS", "0")
    serial = errors_of(project.root)
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    assert errors_of(project.root) == serial and serial


def test_a_template_mistake_in_a_worker_is_a_located_error(project, monkeypatch):
    import shutil

    from generator.errors import BuildFailed
    from tests.conftest import CONTACT, REPO
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ page.title }}", "{{ page.no_such_field }}"))
    project.write("site.yaml", "id: scratch\ntitle: T\ntheme: mine\n" + CONTACT)
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    (project.root / "out").mkdir()
    try:
        build(project.root, project.root / "out")
    except BuildFailed as failure:
        assert list((project.root / "out").iterdir()) == [], "a failed build writes nothing"
        assert [p.name for p in project.root.iterdir() if p.name.startswith(".out")] == [], "no staging left"
        (problem,) = failure.diagnostics
        assert problem.location.path == "themes/mine/templates/page.html"
        assert "no_such_field" in problem.message
    else:
        raise AssertionError("the build should fail")


def _square_slowly(n: int) -> tuple[int, int]:
    time.sleep(0.05)
    return n * n, os.getpid()


def test_fork_map_does_the_first_items_here_and_shares_the_rest_with_a_worker_in_order():
    """``here``: the first items run in this process before forking, so what they load (a package's
    templates) is inherited by every worker, not loaded again in each. The rest are shared: this process
    takes batches too, and a worker (``workers`` counts this process) the others; results keep the items' order."""
    results = fork_map(_square_slowly, list(range(9)), workers=2, batch=1, here=1)
    assert [square for square, _ in results] == [n * n for n in range(9)]
    pids = {pid for _, pid in results[1:]}
    assert results[0][1] == os.getpid() and os.getpid() in pids and len(pids) == 2
    assert fork_map(lambda n: n, [], workers=2, here=1) == []
    assert fork_map(_square_slowly, [3], workers=2) == [(9, os.getpid())], "one item: not worth a worker"


PARENT = os.getpid()


def _fails_in_a_worker(n: int) -> int:
    if os.getpid() != PARENT:
        raise ValueError(f"item {n} failed")
    time.sleep(0.1)  # so that the worker takes a batch
    return n


def test_a_workers_exception_is_raised_here():
    with pytest.raises(ValueError, match=r"item \d+ failed"):
        fork_map(_fails_in_a_worker, list(range(6)), workers=2, batch=1)


def _dies_in_a_worker(n: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    time.sleep(0.1)
    return n


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="worker process stopped"):
        fork_map(_dies_in_a_worker, list(range(6)), workers=2, batch=1)


def _says(n: int) -> int:
    print(f"item {n} from {'this process' if os.getpid() == PARENT else 'a worker'}")
    time.sleep(0.05)
    return n


def test_what_a_worker_prints_is_kept_and_nothing_printed_before_is_printed_twice(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO
    script = ("import sys; sys.path.insert(0, 'tests/unit'); from test_parallel import _says;"
              "from generator.parallel import fork_map;"
              "print('before', end=' '); fork_map(_says, list(range(6)), workers=2, batch=1)")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    lines = done.stdout.split("\n")
    assert done.stdout.count("before") == 1, done.stdout
    assert sorted(int(number) for number in re.findall(r"item (\d+)", done.stdout)) == list(range(6))
    assert any("a worker" in line for line in lines) and any("this process" in line for line in lines)


def test_results_bigger_than_a_pipe_holds_come_back_whole():
    """A worker's results go to a thread here as it sends them: it never waits while this process works."""
    big = fork_map(lambda n: str(n) * 300_000, list(range(8)), workers=2, batch=1)
    assert big == [str(n) * 300_000 for n in range(8)]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_the_course_wide_checks_a_build_runs_beside_its_pages_report_as_checks_do(project, monkeypatch, workers):
    """A build to write runs the course-wide checks (checks.course_checks) as a job beside its pages: their
    warnings are the build's, their errors (or warnings, if strict) fail it with what ``check`` reports, and
    the site is left as it was."""
    monkeypatch.setenv("LEARNMARK_WORKERS", workers)
    project.write("content/01-first/notes.txt", "nobody links to this\n")
    out = project.root / "out"
    result = build(project.root, out)
    assert "file is not used by any page" in [warning.message for warning in result.warnings]
    before = files_in(out)
    with pytest.raises(BuildFailed) as strict:
        build(project.root, out, strict=True)
    assert "file is not used by any page" in [problem.message for problem in strict.value.diagnostics]
    project.write("content/01-first/01-one.md", "---\ntitle: One\n---\nSee [](02-two.md).\n")
    with pytest.raises(BuildFailed) as failed:
        build(project.root, out)
    with pytest.raises(BuildFailed) as checked:
        check(project.root)
    assert "link has no text" in [problem.message for problem in failed.value.diagnostics]
    assert failed.value.diagnostics == checked.value.diagnostics
    assert files_in(out) == before


_LOADS = """
import os, sys
import babel.localedata
from pathlib import Path
from generator.build import build
real = babel.localedata.load
def load(name, merge_inherited=True):
    with open(sys.argv[2], "a") as found:
        found.write(f"{os.getpid()} {name}\\n")
    return real(name, merge_inherited)
babel.localedata.load = load
build(Path(sys.argv[1]), Path(sys.argv[1]) / "build" / "site")
print(os.getpid())
"""


def test_the_languages_data_is_loaded_once_before_the_workers_fork(project, tmp_path):
    """Every page asks its language's text direction: asked before the workers fork, what Babel loads to answer
    (a tenth of a second of CPU in all) is loaded once, in a new process, not again in each worker."""
    loads = tmp_path / "loads"
    ran = subprocess.run([sys.executable, "-c", _LOADS, str(project.root), str(loads)], capture_output=True, text=True,
                         env={**os.environ, "LEARNMARK_WORKERS": "2"}, check=True)
    pids = {line.split()[0] for line in loads.read_text().splitlines()}
    assert pids == {ran.stdout.strip()}
