"""`pip install .` for real: a wheel built from the source, installed into a fresh venv, run from outside the repo.

The editable install the other tests use finds every module in the working tree, so it hides a
package left out of the wheel (generator.scorm once was, and the installed `learnmark` could not
even print its version).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

SOURCES = ("pyproject.toml", "setup.py", "README.md", "generator", "themes")


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, venv): a wheel of a copy of the source (pip builds in the source folder, and the
    repository's build/ is a course's output), installed into a venv that has never seen the repository."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(REPO / name, source / name)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    pip = [sys.executable, "-m", "pip"]
    built = run(*pip, "wheel", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((work / "dist").glob("learnmark-*.whl"))
    venv = work / "venv"
    made = run(sys.executable, "-m", "venv", venv, cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    # as an author would: the venv's own pip, the dependencies from the package registry
    done = run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=work, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return wheel, venv


def test_the_wheel_holds_every_module_and_theme_file(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")}
    theme_files = {"generator/" + p.relative_to(REPO).as_posix() for p in (REPO / "themes").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
    assert modules - names == set()
    assert theme_files - names == set()
    assert {"generator/scorm/package.py", "generator/themes/default/scorm/runtime.js",
            "generator/themes/default/scorm/suspend.js"} <= names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_installed_tool_builds_and_packages_a_course_outside_the_repository(installed, tmp_path):
    _, venv = installed
    learnmark = venv / "bin" / "learnmark"
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}  # no PYTHONPATH: only the venv
    version = run(learnmark, "--version", cwd=tmp_path, env=env)
    assert (version.returncode, version.stderr) == (0, ""), version.stderr
    assert version.stdout.startswith("learnmark ")
    where = run(venv / "bin" / "python", "-c", "import generator; print(generator.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    assert run(learnmark, "new", "course", "course", cwd=tmp_path, env=env).returncode == 0
    course = tmp_path / "course"
    build = run(learnmark, "build", "--strict", cwd=course, env=env)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "Traceback" not in build.stderr
    assert (course / "build/site/getting-started/welcome.html").is_file()
    assert any((course / "build/site").rglob("*.css")) and any((course / "build/site").rglob("*.js"))
    package = run(learnmark, "package", "--scorm", "1.2", "--scorm", "2004-4", cwd=course, env=env)
    assert package.returncode == 0, package.stdout + package.stderr
    zips = sorted(p.name for p in (course / "build/packages").glob("*.zip"))
    assert len(zips) == 2, zips
    for path in (course / "build/packages").glob("*.zip"):
        names = zipfile.ZipFile(path).namelist()
        assert "imsmanifest.xml" in names and any(name.endswith("runtime.js") for name in names), (path.name, names)
