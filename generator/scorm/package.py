"""Build SCORM packages: each module rendered on its own, a manifest, a deterministic zip.

Each module is a SCO whose launch page owns the LMS session and shows the
module's pages in a frame, so moving between pages never ends the session.
The same input gives a byte-identical zip: entries are sorted and carry a
fixed time (``SOURCE_DATE_EPOCH``, else 2000-01-01) and fixed permissions.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..errors import BuildFailed, Diagnostic, SourceLocation, did_you_mean
from ..links import check_references
from ..markdown import make_markdown
from ..model import Course, Module
from ..parallel import fork_map, worker_count
from ..printable import print_pages, render_print_page
from ..render import clashing_ids, guarded, own_pages, prefill, render_page, search_index, site_extras
from ..search import SEARCH_INDEX
from ..theme import SCRIPT, STYLESHEET, Theme, component_files, load_course_theme
from ..tracking import COURSE_SCRIPT, COURSE_TITLES, course_script, titles_script
from ..urls import SEARCH, print_url
from ..write import UnsafeOutput, checked, encoded
from .deflate import Deflated
from .dispatch import hosted_url, relay_page, relay_scripts
from .manifest import Sco, manifest
from .names import LAUNCH, MANIFEST, RUNTIME
from .scripts import scorm_scripts
from .suspend import LIMITS, over_budget, worst_case_size

SUFFIX = {"1.2": "scorm12", "2004-3": "scorm2004-3", "2004-4": "scorm2004-4"}
DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z


@dataclass(frozen=True)
class Package:
    path: Path
    version: str
    modules: tuple[Module, ...]
    size: int
    suspend_sizes: dict[str, int]
    """Worst-case suspend_data length per module id."""
    frames: tuple[str, ...] = ()
    """A dispatch package's addresses of the modules it frames."""

    @property
    def limit(self) -> int:
        return LIMITS[self.version]


def package_course(course: Course, out_dir: Path, versions: list[str], module_ids: list[str] | None = None,
                   whole_course: bool = False, dispatch: str | None = None,
                   bytecode: Path | None = None, meanwhile: Callable[[], object] | None = None) -> list[Package]:
    """Write one zip per module (or one for the whole course) per SCORM version into ``out_dir``.

    With ``dispatch`` (the address the site is published at, see ``dispatch.base_address``),
    thin packages that frame the modules there instead of holding them.
    All or nothing: every name a package would hold is checked before it is
    written, and the zips are moved into ``out_dir`` only once all are made.
    ``bytecode``: the folder compiled templates are kept in (as ``build`` keeps them: ``cache.user_folder``).
    ``meanwhile``: work for this process while workers package (the course checks, ``build.check_later``);
    if it raises, nothing is written. It is not done if this raises before packaging begins.
    """
    modules = _select(course, module_ids)
    _check_budgets(modules, versions)
    theme = load_course_theme(course.config, course.config.language, bytecode)
    md = make_markdown(course.config.allow_html)
    groups = [tuple(modules)] if whole_course else [(m,) for m in modules]
    language = [course.config.language] if len(course.config.languages) > 1 else []  # one package per language
    names = {(group, version): "-".join([course.config.id, *([] if whole_course else [group[0].id]), *language,
                                         SUFFIX[version]]) + ".zip"
             for group in groups for version in versions}
    _check_names(names)
    shared = _shared(course, theme)
    made = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()]  # to take away if this fails
    out_dir.mkdir(parents=True, exist_ok=True)
    run = secrets.token_hex(6)  # names this run's unfinished zips, to clear them up if it fails
    # The same in every zip: deflated once, by the parent's first module, the workers inheriting them.
    deflated = Deflated(frozenset({STYLESHEET, SCRIPT, *RUNTIME, *theme.files, *component_files(theme)}))

    def write_group(group: tuple[Module, ...]) -> tuple[list[tuple[str, str, int, str]], list[Diagnostic]]:
        problems = _clashes(course, shared, group)
        if problems:
            return [], problems
        rendered = {}
        for module in () if dispatch else group:
            rendered[module.id], found = _render_module(course, theme, md, module)
            problems += found
        if problems:  # reported from whichever process found them
            return [], problems
        written = []
        for version in versions:
            name = names[group, version]
            files = (_dispatch_files(course, theme, group, version, dispatch) if dispatch
                     else _package_files(course, theme, group, rendered, version))
            temporary = _write_zip(files, out_dir / name, run, deflated)
            written.append((name, version, os.stat(temporary).st_size, temporary))
        return written, []
    pages = sum(1 + len(m.pages) for m in modules)
    results: list = []
    moved = False
    try:
        # One group at a time, the biggest first: each is a whole module's work, so batches of several (or a
        # big module last) left one worker finishing while the other had none. The smallest first of all, in
        # this process: what it loads (templates, the interface's strings) is then loaded once, not in every
        # worker; then this process checks the course (``meanwhile``) while the workers package the rest.
        largest = sorted(groups, key=_weight, reverse=True)
        order = largest[-1:] + largest[:-1]
        done = dict(zip(order, fork_map(write_group, order, worker_count(pages) if len(groups) > 1 else 0,
                                        batch=1, here=1, meanwhile=meanwhile)))
        results = [done[group] for group in groups]
        problems = list(dict.fromkeys(problem for _, found in results for problem in found))  # a theme's mistake, once
        if problems:
            raise BuildFailed(problems)
        for written, _ in results:
            for name, _, _, temporary in written:
                os.replace(temporary, out_dir / name)
        moved = True
    finally:
        for temporary in out_dir.glob(f".*.{run}.tmp"):  # none are left unless a package failed
            temporary.unlink(missing_ok=True)
        for folder in made if not moved else ():  # a failed run leaves no trace, not even build/packages/
            with contextlib.suppress(OSError):
                folder.rmdir()
    frames = {group: tuple(hosted_url(dispatch, m) for m in group) if dispatch else () for group in groups}
    packages = [Package(out_dir / name, version, group, size, {m.id: worst_case_size(m) for m in group}, frames[group])
                for group, (written, _) in zip(groups, results) for name, version, size, _ in written]
    return sorted(packages, key=lambda p: versions.index(p.version))


def _weight(group: tuple[Module, ...]) -> int:
    """About how long packaging a group takes: its pages' bodies' size."""
    return sum(len(doc.document.packed_html) for module in group for doc in (module, *module.pages))


def packaged_languages(course: Course, tags: list[str] | None = None) -> list[tuple[Course, str]]:
    """The course in each language to package (``--language``; default: all), each with its folder in the
    site (``cy/``, where a dispatch package frames it), and made a site of its own: a package holds its
    assets, so its pages must not look for them in a bilingual site's root."""
    languages = {each.config.language: each for each in (course, *course.translations)}
    for tag in tags or ():
        if tag not in languages:
            raise BuildFailed([Diagnostic(course.config.location_of("languages" if course.translations else "language"),
                                          f"--language {tag}: the course is not in '{tag}'",
                                          f"the course's languages: {', '.join(languages)}")])
    return [(replace(each, config=replace(each.config, folder="")), each.config.folder)
            for tag, each in languages.items() if not tags or tag in tags]


def _check_names(names: dict[tuple, str]) -> None:
    """Refuse, before anything is written, a package whose name is not safe."""
    problems = [Diagnostic(SourceLocation("site.yaml"), f"cannot name a package '{name}'",
                           "course and module ids must be lower-case letters, digits and single hyphens")
                for name in sorted(set(names.values()))
                if "/" in name or "\\" in name or name.startswith(".") or "--" in name]
    if problems:
        raise BuildFailed(problems)


def _shared(course: Course, theme: Theme) -> dict[str, SourceLocation]:
    """The files every package holds, each at the file it comes from."""
    shared = {path: SourceLocation(_rel(source, course.config.root)) for path, source in theme.files.items()}
    shared.update({path: SourceLocation(_rel(theme.folder, course.config.root))
                   for path in (STYLESHEET, SCRIPT, COURSE_SCRIPT, COURSE_TITLES, *RUNTIME, MANIFEST, *own_pages(course), SEARCH,
                                SEARCH_INDEX, *component_files(theme))})
    return shared


def _clashes(course: Course, shared: dict[str, SourceLocation], group: tuple[Module, ...]) -> list[Diagnostic]:
    """The files of the group's package whose names are not safe (each a relative path inside the
    package, see ``write.checked``) or are used twice: found before its zip is written, by the
    process that writes it (finding its modules' files resolves their links, a tenth of a second
    for 50 modules, which the parent did alone while a core waited)."""
    problems: list[Diagnostic] = []
    claimed: dict[str, str] = {}

    def claim(path: str, where: SourceLocation, what: str) -> None:
        try:
            checked(path)
        except UnsafeOutput:
            problems.append(Diagnostic(where, f"{what} cannot be written into a package as '{path}'",
                                       "rename it: a package's files are paths inside it, with no '..', "
                                       "leading '/' or backslash"))
            return
        if path in claimed and claimed[path] != what:  # one file shown by two modules is one file
            problems.append(Diagnostic(where, f"{what} would be written into the package as '{path}', "
                                       f"where {claimed[path]} is", "rename one of them, or set another 'id:'"))
        else:
            claimed[path] = what
    for path, where in shared.items():
        claim(path, where, f"the theme's '{path}'")
    for path, source in sorted(_extra_media(course).items()):
        claim(path, SourceLocation(source), f"the file {source}")
    for module in group:
        claim(f"{module.id}/{LAUNCH}", module.location, f"the launch page of module '{module.id}'")
        for doc in (module, *module.pages):
            claim(doc.url, doc.location, f"page '{doc.url}'")
        claim(print_url(module), module.location, f"the print page of module '{module.id}'")
        media, _ = check_references(course, docs=(module, *module.pages))
        for path, source in sorted(media.items()):
            claim(path, SourceLocation(source), f"the file {source}")
    return problems


def _extra_media(course: Course) -> dict[str, str]:
    """The files the support page uses, which every package holds with it: {output path: source path}."""
    return check_references(course, docs=course.extra_documents)[0] if course.extra_documents else {}


def _rel(path: Path, root: Path) -> str:
    """``path`` as diagnostics name it: relative to the course folder when it is in it."""
    for base in (root, root.resolve()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _select(course: Course, module_ids: list[str] | None) -> list[Module]:
    if not module_ids:
        return list(course.modules)
    known = {m.id: m for m in course.modules}
    unknown = [i for i in module_ids if i not in known]
    if unknown:
        raise BuildFailed([Diagnostic(SourceLocation("site.yaml"), f"no module '{i}' to package", did_you_mean(i, known))
                           for i in unknown])
    return [known[i] for i in module_ids]


def _check_budgets(modules: list[Module], versions: list[str]) -> None:
    hint = "package it as SCORM 2004 (--scorm 2004-4), limit quiz retries, or split the module"
    problems = [p for version in versions for module in modules if (p := over_budget(module, version, hint))]
    if problems:
        raise BuildFailed(problems)


@dataclass(frozen=True)
class _Rendered:
    files: dict[str, bytes]
    """The module's own files: its pages and the media they use."""
    shared: dict[str, bytes]
    """What every SCO shares: theme files, the support page and the accessibility statement."""


def _render_module(course: Course, theme: Theme, md, module: Module) -> tuple[_Rendered | None, list[Diagnostic]]:
    """The module's pages as they go into a package, and the problems rendering them found.

    ``learnmark package`` checks a course without rendering the whole site, since every page that goes
    into a package is rendered here: so whatever ``build`` would report about these pages is reported here.
    """
    problems: list[Diagnostic] = []
    root = course.config.root
    media, _ = check_references(course, docs=(module, *module.pages, *course.extra_documents))
    files: dict[str, bytes] = {}
    bodies = {}  # each filled once for its page and the print page
    for doc in (module, *module.pages):
        body = guarded(lambda: prefill(course, theme, md, doc, module), doc.location, root, problems)
        if body is None:
            continue
        bodies[doc.url] = body
        html = guarded(lambda: render_page(course, theme, md, doc, module, body), doc.location, root, problems)
        if html is None:
            continue
        if doc.document.quizzes or doc.document.reflections:
            problems += clashing_ids(doc, html)
        files[doc.url] = html.encode("utf-8")
    if print_pages(course, theme):
        html = guarded(lambda: render_print_page(course, theme, md, module, module, bodies), module.location, root,
                       problems)
        if html is not None:
            files[print_url(module)] = html.encode("utf-8")
    extras = guarded(lambda: site_extras(course, theme, media, module), course.config.location_of("theme"), root,
                     problems)
    if extras is None:
        return None, problems
    files.update({path: encoded(text) for path, text in extras.files.items()})
    for path, source in extras.copies.items():
        try:
            files[path] = source.read_bytes()
        except OSError as error:
            problems.append(Diagnostic(SourceLocation(_rel(source, root)),
                                       f"cannot read the file: {(error.strerror or str(error)).lower()}",
                                       "it could be read when the course was checked; check it is still there"))
    if problems:
        return None, problems
    # The support page and the statement are the package's, not one module's: in a course package, one copy.
    shared_paths = ({STYLESHEET, SCRIPT, COURSE_SCRIPT, COURSE_TITLES, SEARCH, SEARCH_INDEX, *own_pages(course), *_extra_media(course)}
                    | set(theme.files) | set(component_files(theme)))
    return _Rendered({p: b for p, b in files.items() if p not in shared_paths},
                     {p: b for p, b in files.items() if p in shared_paths}), []


def _package_files(course: Course, theme: Theme, group: tuple[Module, ...], rendered: dict[str, _Rendered],
                   version: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    scos = []
    for module in group:
        own = dict(rendered[module.id].files)
        launch = f"{module.id}/{LAUNCH}"
        own[launch] = _launch_page(course, theme, module, version).encode("utf-8")
        scos.append(Sco(module, launch, tuple(sorted(own))))
        files.update(own)
        for path, data in rendered[module.id].shared.items():  # the first module's: its support page links home to it
            files.setdefault(path, data)
    files[COURSE_SCRIPT] = course_script(course, group, theme.messages.browser()).encode("utf-8")
    files[COURSE_TITLES] = titles_script(course, group).encode("utf-8")
    if len(group) > 1:  # the package's index; a one-module package's is its module's, made with its pages
        files[SEARCH_INDEX] = search_index(course, theme, group)
    files.update({path: text.encode("utf-8") for path, text in scorm_scripts(theme, RUNTIME).items()})
    shared = sorted(set(files) - {f for sco in scos for f in sco.files})
    files[MANIFEST] = manifest(course, scos, shared, version)
    return files


def _dispatch_files(course: Course, theme: Theme, group: tuple[Module, ...], version: str, base: str) -> dict[str, bytes]:
    """A dispatch package: a manifest, and per module a launch page that frames the module at ``base``."""
    files = relay_scripts(theme)
    scos = []
    for module in group:
        launch = f"{module.id}/{LAUNCH}"
        files[launch] = relay_page(course, theme, module, version, base).encode("utf-8")
        scos.append(Sco(module, launch, (launch,)))
    files[MANIFEST] = manifest(course, scos, sorted(relay_scripts(theme)), version)
    return files


def _launch_page(course: Course, theme: Theme, module: Module, version: str) -> str:
    settings = {
        "version": "1.2" if version == "1.2" else "2004",
        "module": module.id,
        "failedStatus": module.scorm_failed_status,
        "start": "index.html",
    }
    return theme.env.get_template("launch.html").render(
        site=course.config, course=course, module=module,
        title=f"{module.title} – {course.title}",
        settings=json.dumps(settings, separators=(",", ":")).replace("</", "<\\/"),
        stylesheet=f"../{STYLESHEET}", scripts=[f"../{path}" for path in (COURSE_SCRIPT, *RUNTIME)],
    )


def _write_zip(files: dict[str, bytes], path: Path, run: str, deflated: Deflated) -> str:
    """A byte-identical zip for identical input, written whole to a hidden file beside ``path``;
    returns that file, for the caller to move to ``path`` (``os.replace``) once every package is made."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot hold times before 1980
    # Created like any file the user makes (0666 less their umask): mkstemp's 0600 left zips
    # that a web server or a colleague could not read.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{run}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            for name in sorted(files):
                checked(name)
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100644 << 16
                info.create_system = 3
                deflated.write(archive, info, files[name])  # zlib's default level: level 9 took 1.7x as long for 0.5 % less
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return str(temporary)
