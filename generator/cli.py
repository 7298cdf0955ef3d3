"""``learnmark`` command line: thin argument handling around ``build``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .build import build, check
from .config import SCORM_VERSIONS
from .scorm.package import package_course
from .errors import BuildFailed
from .write import UnsafeOutput


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="learnmark", description="Markdown in, accessible e-learning courses out.")
    parser.add_argument("--version", action="version", version=f"learnmark {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser(
        "build", help="build the course into a static site",
        description="Build the course in the project folder into a static site.",
        epilog="examples:\n  learnmark build\n  learnmark build --project my-course --out /tmp/site",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    build_cmd.add_argument("--project", type=Path, default=Path("."), help="course folder holding site.yaml (default: .)")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/build/site)")
    build_cmd.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    package_cmd = commands.add_parser(
        "package", help="write SCORM packages for an LMS",
        description="Check the course and write SCORM zips to build/packages/: one per module, "
                    "or one for the whole course with --course.",
        epilog="examples:\n  learnmark package\n  learnmark package --scorm 2004-4 --module compassionate-leadership\n"
               "  learnmark package --course --scorm 1.2 --scorm 2004-3",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    package_cmd.add_argument("--project", type=Path, default=Path("."), help="course folder holding site.yaml (default: .)")
    package_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/build/packages)")
    package_cmd.add_argument("--scorm", action="append", choices=SCORM_VERSIONS,
                             help="SCORM version; repeat for several (default: scorm_version in site.yaml, else 1.2)")
    package_cmd.add_argument("--module", action="append", metavar="ID", help="package only this module; repeatable")
    package_cmd.add_argument("--course", action="store_true", help="one package for the whole course, a SCO per module")
    package_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = parser.parse_args(argv)
    if args.command == "package":
        return run_package(args)
    return run_build(args.project, args.out or args.project / "build" / "site", args.quiet, args.strict)


def run_package(args) -> int:
    started = time.perf_counter()
    try:
        course, _, warnings = check(args.project.resolve(), args.strict)
        versions = args.scorm or [course.config.scorm_version]
        packages = package_course(course, args.out or args.project / "build" / "packages", list(dict.fromkeys(versions)),
                                  args.module, args.course)
    except BuildFailed as failure:
        return _failed(failure, "no packages were written")
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    for package in packages:
        budget = max(package.suspend_sizes.values())
        print(f"{package.path}  {package.size / 1024:.0f} KB  suspend_data worst case {budget} of {package.limit} characters")
    print(f"Wrote {_count(len(packages), 'package')} in {time.perf_counter() - started:.2f} s")
    return 0


def run_build(project: Path, out: Path, quiet: bool, strict: bool = False) -> int:
    started = time.perf_counter()
    try:
        result = build(project.resolve(), out, strict)
    except BuildFailed as failure:
        return _failed(failure, f"{out} was left as it was")
    except UnsafeOutput as error:
        print(f"error: {error}", file=sys.stderr)
        print("  hint: choose an empty folder or a previous Learnmark output folder with --out", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    if not quiet:
        course = result.course
        pages = sum(1 for path in result.site.files if path.endswith(".html"))
        print(f"Built {_count(pages, 'page')} ({_count(len(course.modules), 'module')}, "
              f"{_count(course.page_count, 'lesson page')}) in {time.perf_counter() - started:.2f} s → {out}")
    return 0


def _failed(failure: BuildFailed, consequence: str) -> int:
    for problem in failure.diagnostics:
        print(problem.format(), file=sys.stderr)
    errors, warnings = len(failure.errors), len(failure.diagnostics) - len(failure.errors)
    print(f"Build failed: {_count(errors, 'error')}{', ' + _count(warnings, 'warning') if warnings else ''}; "
          f"{consequence}.", file=sys.stderr)
    return 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
