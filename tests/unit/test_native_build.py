"""`pip install -e .` builds native/, the compiled Markdown front end, into generator/_native*.so
(setup.py, through setuptools-rust), and an install without cargo still succeeds without it.

The first test is skipped where the crate cannot be built: no cargo, or Debian's crate sources
(librust-pyo3-dev, librust-pulldown-cmark-dev) missing, which `bash tests/run` installs. The second
installs the project into a scratch venv twice (about 10 s each: pip fetches the build requirements,
setuptools and setuptools-rust, into its isolated build environment, from its cache once seen).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import generator
from tests.conftest import REPO

CRATE = REPO / "native"
REGISTRY = Path("/usr/share/cargo/registry")
CRATES = {"pyo3-0.17.": "librust-pyo3-dev", "pulldown-cmark-0.9.": "librust-pulldown-cmark-dev"}
WARNING = "warning: Learnmark's compiled parser (native/) not built: "


def unbuildable() -> list[str]:
    """What this machine lacks for setup.py to build native/: cargo, and Debian's crate sources."""
    gone = [] if shutil.which(os.environ.get("CARGO", "cargo")) else ["cargo"]
    have = [p.name for p in REGISTRY.iterdir()] if REGISTRY.is_dir() else []
    return gone + [pkg for prefix, pkg in CRATES.items() if not any(name.startswith(prefix) for name in have)]


def sources() -> list[Path]:
    return [CRATE / "Cargo.toml", *sorted((CRATE / "src").rglob("*.rs"))]


def test_the_editable_install_built_generator_native_from_the_crate():
    if need := unbuildable():
        pytest.skip(f"native/ cannot be built here without {', '.join(need)} (Debian: apt-get install "
                    "cargo librust-pyo3-dev librust-pulldown-cmark-dev); Learnmark uses its pure-Python parser")
    spec = importlib.util.find_spec("generator._native")
    assert spec is not None, ("cargo and Debian's crates are here, yet `pip install -e .` left no "
                              "generator/_native*.so: run it again with -v to see cargo's error")
    built = Path(spec.origin)
    assert built.parent == Path(generator.__file__).parent, (
        f"generator._native is {built}, another tree's build: `pip install -e .` in this one")
    assert built.name.startswith("_native.") and built.name.endswith(tuple(EXTENSION_SUFFIXES))
    module = importlib.import_module("generator._native")
    # what the crate's #[pymodule] adds: its functions and its option flags
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources())
    names = set(re.findall(r"wrap_pyfunction!\(\s*(?:\w+::)*(\w+)", text)) | set(re.findall(r'\.add\(\s*"(\w+)"', text))
    assert names and names - set(dir(module)) == set()
    newest = max(sources(), key=lambda p: p.stat().st_mtime)
    assert built.stat().st_mtime >= newest.stat().st_mtime, (
        f"{built.name} is older than {newest.relative_to(REPO)}: `pip install -e .` again to rebuild it")


def run(*args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)


def test_without_cargo_the_install_succeeds_with_a_warning_and_no_extension(tmp_path):
    """Cargo missing (not on PATH), then cargo failing (CARGO=/bin/false, as a build error would): both
    installs succeed, say why in one line (pip shows it with -v), and leave generator without _native."""
    source = tmp_path / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "_native*.so", "target", "Cargo.lock")
    for name in ("pyproject.toml", "setup.py", "README.md", "generator", "themes", "native"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=skip)
        else:
            shutil.copy2(REPO / name, source / name)
    base = {key: value for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CARGO")}
    base["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=base)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    for case, env in (("cargo missing", {**base, "PATH": str(venv / "bin")}),
                      ("cargo failing", {**base, "CARGO": "/bin/false"})):
        done = run(python, "-m", "pip", "install", "-v", "--no-deps", "--force-reinstall", source,
                   cwd=tmp_path, env=env)
        assert done.returncode == 0, f"{case}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        said = [line for line in (done.stdout + done.stderr).splitlines() if WARNING in line]
        assert said, f"{case}: no warning in pip's output"
        assert ("no cargo" if case == "cargo missing" else "the Rust build failed") in said[0], said
        where = run(python, "-c", "import importlib.util, generator; print(generator.__file__); "
                                  "print(importlib.util.find_spec('generator._native'))", cwd=tmp_path, env=env)
        assert where.returncode == 0, where.stderr
        assert where.stdout.split() == [where.stdout.split()[0], "None"], where.stdout
        assert Path(where.stdout.split()[0]).is_relative_to(venv), where.stdout


def test_the_sdist_carries_the_crate_and_nothing_built(tmp_path):
    """An sdist (what pip builds a wheel from on a machine with no wheel to fetch) has native/ as git has it,
    so an install from it builds the compiled parser as `pip install -e .` does; no .so, no target/."""
    pytest.importorskip("setuptools.build_meta", reason="the sdist is made with setuptools' own backend, and venvs "
                        "of Python 3.12 and later come without setuptools")
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "bench",
                                                                "tests", "docs", "content", ".*"))
    (source / "native" / "target").mkdir(exist_ok=True)
    (source / "native" / "target" / "left.so").write_bytes(b"")
    made = run(sys.executable, "-c", "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))",
               tmp_path / "dist", cwd=source, env={**os.environ, "PYTHONPATH": ""})
    assert made.returncode == 0, made.stderr[-3000:]
    with tarfile.open(tmp_path / "dist" / made.stdout.split()[-1]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    tracked = subprocess.run(["git", "ls-files", "native"], cwd=REPO, capture_output=True, text=True, check=True)
    crate = {name for name in tracked.stdout.split() if not name.endswith(".gitignore")}
    assert crate and crate <= names, f"missing from the sdist: {sorted(crate - names)}"
    assert not [name for name in names if name.endswith(".so") or "/target/" in name or "__pycache__" in name]
    assert {"generator/compiled/page.py", "themes/default/templates/page.html"} <= names
