"""Big builds run in worker processes; the site they produce is identical to a one-process build."""

from __future__ import annotations

from generator.build import build


def test_parallel_build_gives_the_same_site(project, monkeypatch):
    for n in range(3, 12):
        project.write(f"content/01-first/{n:02d}-extra-{n}.md",
                      f"---\ntitle: Extra {n}\n---\n## Part {n}\n\n[back](01-one.md) and [two](02-two.md#details-of-two)\n\n"
                      "::: quiz\n### Q\n- [x] A\n  > yes\n- [ ] B\n  > no\n:::\n")
    monkeypatch.setenv("LEARNMARK_WORKERS", "0")
    serial = build(project.root).site.files
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    parallel = build(project.root).site.files
    assert parallel.keys() == serial.keys()
    assert [path for path in serial if parallel[path] != serial[path]] == []


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
    from tests.conftest import REPO
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ page.title }}", "{{ page.no_such_field }}"))
    project.write("site.yaml", "id: scratch\ntitle: T\ntheme: mine\n")
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")
    try:
        build(project.root)
    except BuildFailed as failure:
        (problem,) = failure.diagnostics
        assert problem.location.path == "themes/mine/templates/page.html"
        assert "no_such_field" in problem.message
    else:
        raise AssertionError("the build should fail")
