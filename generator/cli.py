"""``learnmark`` command line: thin argument handling around the pipeline.

Every command prints problems gcc-style (``file:line:col: error: message`` and
a hint) and exits 1 when there are errors; bad content never shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from . import __version__
from .build import build, check, check_later
from .cache import BuildCache, user_folder
from .startcode import CODES
from .config import SCORM_VERSIONS, load_config
from .discover import slug_of
from .errors import BuildFailed, Diagnostic, SourceLocation
from .scorm.dispatch import base_address
from .timing import TerminalProgress
from .write import UnsafeOutput

EXAMPLES = {
    "build": "learnmark build\n  learnmark build --project my-course --out /tmp/site --strict",
    "check": "learnmark check\n  learnmark check > report.txt\n  learnmark check --strict --format json > problems.json",
    "package": "learnmark package\n  learnmark package --scorm 2004-4 --module compassionate-leadership\n"
               "  learnmark package --course --scorm 1.2 --scorm 2004-3\n"
               "  learnmark package --dispatch --base-url https://courses.example.nhs.uk/culture/",
    "serve": "learnmark serve\n  learnmark serve --port 8080 --open",
    "new": 'learnmark new course my-course\n  learnmark new module "Giving feedback"\n'
           '  learnmark new page giving-feedback "Why feedback matters"',
}


def run() -> NoReturn:
    """The ``learnmark`` command (and ``python -m generator``): ``main``, then the classes' and patterns' code
    made by this start kept for the next (see startcode.py), then the process ends without Python
    freeing its objects one by one, which the system does at once (as Clang's ``-disable-free``): that took
    20-30 ms at the end of each build of a 1,000-page course. The output is flushed first; an exception, or
    ``sys.exit`` (argparse's ``--help``), ends it as usual. A reader that stops early (``learnmark check | head``)
    ends it too, with status 1 and no traceback (as Python's documentation of SIGPIPE advises)."""
    try:
        code = main()
        CODES.save()
        sys.stdout.flush()
    except BrokenPipeError:
        code = 1
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="learnmark", description="Markdown in, accessible e-learning courses out.")
    parser.add_argument("--version", action="version", version=f"learnmark {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str):
        sub = commands.add_parser(name, help=summary, description=description, epilog=f"examples:\n  {EXAMPLES[name]}",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        if name != "new":
            sub.add_argument("--project", type=Path, default=Path("."), help="course folder holding site.yaml (default: .)")
        return sub

    build_cmd = command("build", "build the course into a static site",
                        "Check the course and build it into a static site (default: build/site/).")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/build/site)")
    check_cmd = command("check", "check the course without writing anything",
                        "Load and check everything: config, front matter, links, images, headings, quizzes, "
                        "unused files and the SCORM suspend_data budget. Writes nothing but the report, "
                        "to standard output; exits 1 when there are errors.")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    package_cmd = command("package", "write SCORM packages for an LMS",
                          "Check the course and write SCORM zips to build/packages/: one per module, "
                          "or one for the whole course with --course.")
    package_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/build/packages)")
    package_cmd.add_argument("--scorm", action="append", choices=SCORM_VERSIONS,
                             help="SCORM version; repeat for several (default: scorm_version in site.yaml, else 1.2)")
    package_cmd.add_argument("--module", action="append", metavar="ID", help="package only this module; repeatable")
    package_cmd.add_argument("--course", action="store_true", help="one package for the whole course, a SCO per module")
    package_cmd.add_argument("--language", action="append", metavar="TAG",
                             help="a bilingual course's packages in this language only; repeatable (default: every "
                                  "language, one package each)")
    package_cmd.add_argument("--dispatch", action="store_true",
                             help="thin packages that frame the course as published at base_url (see docs/dispatch.md)")
    package_cmd.add_argument("--base-url", metavar="URL", help="with --dispatch: the https:// address build/site/ is "
                                                                "published at (default: base_url in site.yaml)")
    serve_cmd = command("serve", "preview the course, rebuilding and reloading as you edit",
                        "Build, serve build/site/ on 127.0.0.1, and rebuild and reload the browser when "
                        "site.yaml, content/ or themes/ change. Errors show on every page until fixed.")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_cmd.add_argument("--open", action="store_true", help="open the course in a web browser")
    new_cmd = command("new", "start a course, module or page",
                      "Create a working course, or add a numbered module or page with its front matter.")
    new_cmd.add_argument("what", choices=("course", "module", "page"), help="what to create")
    new_cmd.add_argument("names", nargs="+", metavar="ARG",
                         help="course: DIR; module: TITLE; page: MODULE TITLE")
    new_cmd.add_argument("--project", type=Path, default=Path("."), help="course folder (default: .)")
    for sub in (build_cmd, check_cmd, package_cmd, serve_cmd):
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    for sub in (build_cmd, check_cmd, package_cmd):
        sub.add_argument("--no-cache", action="store_true",
                         help="parse everything again, ignoring PROJECT/build/cache/ (build and package also update it)")
    for sub in (build_cmd, package_cmd):
        sub.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        sub.add_argument("--verbose", "-v", action="store_true", help="print how long each stage took")

    args = parser.parse_args(argv)
    return {"build": run_build, "check": run_check, "package": run_package, "serve": run_serve, "new": run_new}[args.command](args)


def run_build(args) -> int:
    started = time.perf_counter()
    out = args.out or args.project / "build" / "site"
    cache = _cache(args)
    try:
        result = build(args.project.resolve(), out, args.strict, TerminalProgress(verbose=args.verbose), cache)
    except BuildFailed as failure:
        return _failed(failure, f"{out} was left as it was")
    except UnsafeOutput as error:
        print(f"error: {error}\n  hint: choose an empty folder or a previous Learnmark output folder with --out",
              file=sys.stderr)
        return 1
    _print(result.warnings)
    if not args.quiet:
        pages, modules, lessons = result.counts
        summary = f"{_count(pages, 'page')} ({_count(modules, 'module')}, {_count(lessons, 'lesson page')})"
        took = f"{time.perf_counter() - started:.2f} s"
        print(f"Up to date: {summary}, nothing changed since the last build (checked in {took}) → {out}"
              if result.up_to_date else f"Built {summary} in {took} → {out}")
    return 0


def _cache(args) -> BuildCache | None:
    return None if args.no_cache else BuildCache(args.project.resolve() / "build" / "cache")


def run_check(args) -> int:
    cache = _cache(args)  # read, never written: check writes nothing
    try:
        course, _, problems = check(args.project.resolve(), args.strict, cache=cache and cache.parse)
    except BuildFailed as failure:
        problems = failure.diagnostics
    errors = [p for p in problems if p.severity == "error"]
    # The report is what check makes, so it goes to stdout (`learnmark check > report.txt`) in either
    # format; the exit status says whether there were errors. build and package print problems to
    # stderr instead: their output is the site or the packages.
    if args.format == "json":
        print(json.dumps({"errors": len(errors), "warnings": len(problems) - len(errors),
                          "diagnostics": [_as_json(p) for p in problems]}, indent=2))
    else:
        _print(problems, sys.stdout)
        print(f"{_count(len(errors), 'error')}, {_count(len(problems) - len(errors), 'warning')}.")
    return 1 if errors else 0


def run_package(args) -> int:
    if args.base_url and not args.dispatch:
        print("error: --base-url is for --dispatch packages\n  hint: add --dispatch, or leave --base-url out",
              file=sys.stderr)
        return 2
    # Imported here: the packaging code (zip, XML, manifests) is a tenth of a build's imports, which a
    # one-page edit's `learnmark build` would otherwise pay for (bench/README.md, issue 18).
    from .scorm.package import package_course, packaged_languages
    from .scorm.reuse import cached_packages
    started = time.perf_counter()
    progress = TerminalProgress(verbose=args.verbose)
    cache = _cache(args)
    out = args.out or args.project / "build" / "packages"

    def make():
        # A dispatch package holds no pages, so they are checked as build would; package checks those it renders,
        # and checks the course while its workers package (``check_later``), dropping the packages if that fails.
        if args.dispatch:
            course, _, found = check(args.project.resolve(), args.strict, progress, cache and cache.parse)
            pending = [lambda: found]
        else:
            course, rest = check_later(args.project.resolve(), args.strict, progress, cache and cache.parse)
            pending = [rest]
        warnings = []

        def meanwhile():  # once, by the first package_course; or here, if none gets that far
            while pending:
                warnings.extend(pending.pop()())
        versions = list(dict.fromkeys(args.scorm or [course.config.scorm_version]))
        base = None
        if args.dispatch:
            where = course.config.location_of("base_url") if not args.base_url else SourceLocation("--base-url", 0)
            base = base_address(args.base_url or course.config.base_url, where)
        with progress.stage("package"):
            try:
                packages = [package for each, folder in packaged_languages(course, args.language)
                            for package in package_course(each, out, versions, args.module, args.course,
                                                          dispatch=base and base + folder,
                                                          bytecode=user_folder() / "templates", meanwhile=meanwhile)]
            finally:
                meanwhile()  # the course's problems are the ones reported, as when it was checked first
            return packages, warnings
    options = (args.strict, args.scorm, args.module, args.course, args.language, args.dispatch, args.base_url)
    try:
        packages, warnings, up_to_date = cached_packages(cache, args.project.resolve(), out, options, make)
    except BuildFailed as failure:
        return _failed(failure, "no packages were written")
    finally:
        if cache is not None:
            cache.save()
    _print(warnings)
    if not args.quiet:
        for package in packages:
            budget = max(package.suspend_sizes.values())
            print(f"{package.path}  {package.size / 1024:.0f} KB  "
                  f"suspend_data worst case {budget} of {package.limit} characters")
            for url in package.frames:
                print(f"  frames {url}")
        took = f"{time.perf_counter() - started:.2f} s"
        print(f"Up to date: {_count(len(packages), 'package')}, nothing changed since the last run, copied in {took}"
              if up_to_date else f"Wrote {_count(len(packages), 'package')} in {took}")
    return 0


def run_serve(args) -> int:
    from .serve import serve
    return serve(args.project.resolve(), args.host, args.port, args.open, args.strict)


def run_new(args) -> int:
    from .scaffold import ScaffoldError, new
    try:
        made = new(args.what, args.names, args.project)
        for path in made.created:
            print(f"Created {path}")
        for note in made.notes:
            print(note)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        if error.hint:
            print(f"  hint: {error.hint}", file=sys.stderr)
        return 1
    if args.what == "module":
        config, _ = load_config(args.project.resolve())
        if config is not None and config.modules is not None:
            module_id = slug_of(made.created[0].parent.name)
            print(f"Next: add '{module_id}' to the 'modules' list in site.yaml "
                  f"(line {config.location_of('modules').line}), where you want it to appear.")
    return 0


def _print(problems: list[Diagnostic], stream=None) -> None:
    for problem in problems:
        print(problem.format(), file=stream or sys.stderr)


def _as_json(problem: Diagnostic) -> dict:
    at = problem.location
    return {"path": at.path, "line": at.line, "column": at.column, "severity": problem.severity,
            "message": problem.message, "hint": problem.hint}


def _failed(failure: BuildFailed, consequence: str) -> int:
    _print(failure.diagnostics)
    errors, warnings = len(failure.errors), len(failure.diagnostics) - len(failure.errors)
    print(f"Build failed: {_count(errors, 'error')}{', ' + _count(warnings, 'warning') if warnings else ''}; "
          f"{consequence}.", file=sys.stderr)
    return 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
