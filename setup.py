"""The package list, found rather than written out: a new subpackage of generator/ cannot be left out
of the wheel (generator.scorm once was, and `pip install .` gave a tool that could not start).

Everything else is in pyproject.toml. The list is made here because pyproject.toml can either
list packages or find them, not both, and the themes (themes/ at the top of the repository,
installed as generator/themes/ through package-dir) are not where a search for generator.* looks.

Also here: the compiled Markdown front end, the crate native/ (pyo3 + pulldown-cmark), which cargo
builds into generator/_native*.so through setuptools-rust, in its release profile. It is optional:
without cargo, or when cargo fails (the crates missing, say), the install goes on with a one-line
warning and Learnmark uses its pure-Python parser, which gives the same output. The condition on a
machine's crate sources (Debian's, offline, where installed) is made in code, so it is here too.
"""

import os
import shutil
import sys
from pathlib import Path

from setuptools import find_namespace_packages, setup

CRATE = Path(__file__).resolve().parent / "native"
FALLBACK = "Learnmark will use its pure-Python parser (the same output, slower)"


def warn(why: str) -> None:
    if not {"egg_info", "dist_info"} & set(sys.argv[1:]):  # pip's metadata steps: said once, at the build
        print(f"warning: Learnmark's compiled parser (native/) not built: {why}; {FALLBACK}", file=sys.stderr)


def native() -> dict:
    """setup()'s arguments for generator._native: none, after a warning, where it cannot even be tried."""
    if not (CRATE / "Cargo.toml").is_file():
        warn("native/ is not in this source tree")
        return {}
    if not (shutil.which(os.environ.get("CARGO", "cargo")) and shutil.which("rustc")):
        warn("no cargo (on Debian: apt-get install cargo librust-pyo3-dev librust-pulldown-cmark-dev)")
        return {}
    try:
        from setuptools_rust import Binding, RustExtension, build_rust
    except ImportError:  # a build without isolation, in an environment without it
        warn("setuptools-rust is not installed")
        return {}
    sys.path.insert(0, str(CRATE))
    from cargo_args import cargo_config, drop_unreadable_lock

    class BuildRust(build_rust):
        """setuptools-rust's build, its failure said in one line (cargo's own error is printed above it)."""

        def run_for_extension(self, ext) -> None:
            try:
                super().run_for_extension(ext)
            except Exception as error:  # optional: any failure leaves the pure-Python parser
                first = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
                warn(f"the Rust build failed ({first})")

    drop_unreadable_lock(CRATE)
    extension = RustExtension("generator._native", path=str(CRATE / "Cargo.toml"), binding=Binding.PyO3,
                              optional=True, debug=False,  # release, in an editable install too
                              # metadata and rustc alike: Debian's crates, offline, where installed
                              cargo_manifest_args=cargo_config())
    return {"rust_extensions": [extension], "cmdclass": {"build_rust": BuildRust}}


setup(packages=find_namespace_packages(include=["generator", "generator.*"], exclude=["*.__pycache__"])
      + ["generator.themes"], **native())
