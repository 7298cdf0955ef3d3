"""Packaging's templates compiled by a helper process while the course is checked (generator/scorm/precompile.py)."""

from __future__ import annotations

import os
import zipfile

import pytest

from generator.build import check
from generator.scorm.package import package_course
from generator.scorm.precompile import TEMPLATES, _compile, templates_compiled
from generator.theme import load_course_theme


def test_the_helper_writes_the_themes_compiled_templates_and_the_theme_renders_from_them(project, tmp_path):
    folder = tmp_path / "bytecode"
    folder.mkdir()
    _compile(project.root, folder)  # what the helper process does, here
    written = list(folder.iterdir())
    assert len(written) >= len(TEMPLATES) + 5  # the pages' templates and the components'
    course, _, _ = check(project.root)
    theme = load_course_theme(course.config, course.config.language, folder)
    before = {path: path.stat().st_mtime_ns for path in written}
    theme.env.get_template("page.html")
    assert {path: path.stat().st_mtime_ns for path in folder.iterdir()} == before  # loaded, not compiled again


def test_packages_made_with_the_helpers_templates_are_the_same_and_nothing_is_left(project, tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNMARK_WORKERS", "2")  # as on two cores
    course, _, _ = check(project.root)
    (plain,) = package_course(course, tmp_path / "plain", versions=["1.2"])
    before = _children()
    with templates_compiled(project.root) as folder:
        assert folder is not None and folder.is_dir()
        assert len(_children() - before) == 1  # the helper
        course, _, _ = check(project.root)
        _compile(project.root, folder)  # as if the helper had finished: the package then loads every template
        (helped,) = package_course(course, tmp_path / "helped", versions=["1.2"], bytecode=folder)
    assert not folder.exists()
    assert _children() <= before  # the helper was ended and reaped: no process (nor zombie) is left behind
    assert helped.path.read_bytes() == plain.path.read_bytes()
    assert "first/print.html" in zipfile.ZipFile(helped.path).namelist()


def test_with_one_core_no_helper_is_started(project, monkeypatch):
    monkeypatch.setenv("LEARNMARK_WORKERS", "0")
    before = _children()
    with templates_compiled(project.root) as folder:
        assert folder is None and _children() == before


def _children() -> set[str]:
    """This process's child processes, zombies included (Linux)."""
    pid = os.getpid()
    return set(open(f"/proc/{pid}/task/{pid}/children", encoding="ascii").read().split())


def test_a_theme_with_a_broken_template_is_still_reported_where_it_is_used(project, tmp_path):
    from generator.errors import BuildFailed
    from tests.conftest import REPO
    import shutil
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    (theme / "templates" / "search.html").write_text("{% if %}", encoding="utf-8")
    project.write("site.yaml", (project.root / "site.yaml").read_text() + "theme: mine\n")
    folder = tmp_path / "bytecode"
    folder.mkdir()
    _compile(project.root, folder)  # skips it, compiles the rest
    course, _, _ = check(project.root, pages=False)
    with pytest.raises(BuildFailed) as failure:
        package_course(course, tmp_path / "out", versions=["1.2"], bytecode=folder)
    assert [str(d.location) for d in failure.value.diagnostics] == ["themes/mine/templates/search.html:1:1"]


def test_package_course_loads_its_templates_through_the_folder_it_is_given(project, tmp_path):
    """Templates the helper had not written yet are compiled here, and kept there too."""
    folder = tmp_path / "bytecode"
    folder.mkdir()
    course, _, _ = check(project.root, pages=False)
    package_course(course, tmp_path / "out", versions=["1.2"], bytecode=folder)
    assert len(list(folder.iterdir())) >= len(TEMPLATES)
