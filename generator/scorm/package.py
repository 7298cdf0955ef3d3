"""Build SCORM packages: each module rendered on its own, a manifest, a deterministic zip.

Each module is a SCO whose launch page owns the LMS session and shows the
module's pages in a frame, so moving between pages never ends the session.
The same input gives a byte-identical zip: entries are sorted and carry a
fixed time (``SOURCE_DATE_EPOCH``, else 2000-01-01) and fixed permissions.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildFailed, Diagnostic, SourceLocation, did_you_mean
from ..links import check_references
from ..markdown import make_markdown
from ..model import Course, Module
from ..parallel import fork_map, worker_count
from ..render import render_site
from ..theme import SCRIPT, STYLESHEET, Theme, load_theme
from ..tracking import COURSE_SCRIPT, course_script
from ..write import checked
from .manifest import Sco, manifest
from .suspend import LIMITS, over_budget, worst_case_size

RUNTIME = {"assets/scorm-suspend.js": "suspend.js", "assets/scorm-runtime.js": "runtime.js"}
"""The launch page's scripts, in load order: package path -> file in the theme's scorm/ folder."""
LAUNCH = "launch.html"
"""Each module's launch page, beside its pages: ``<module-id>/launch.html``."""
MANIFEST = "imsmanifest.xml"
"""At the top of every package."""
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

    @property
    def limit(self) -> int:
        return LIMITS[self.version]


def package_course(course: Course, out_dir: Path, versions: list[str], module_ids: list[str] | None = None,
                   whole_course: bool = False) -> list[Package]:
    """Write one zip per module (or one for the whole course) per SCORM version into ``out_dir``."""
    modules = _select(course, module_ids)
    _check_budgets(modules, versions)
    theme = load_theme(course.config.theme_dir)
    md = make_markdown(course.config.allow_html)
    groups = [tuple(modules)] if whole_course else [(m,) for m in modules]
    out_dir.mkdir(parents=True, exist_ok=True)

    def write_group(group: tuple[Module, ...]) -> list[tuple[str, str, int]]:
        rendered = {module.id: _render_module(course, theme, md, module) for module in group}
        written = []
        for version in versions:
            name = "-".join([course.config.id, *([] if whole_course else [group[0].id]), SUFFIX[version]]) + ".zip"
            _write_zip(_package_files(course, theme, group, rendered, version), out_dir / name)
            written.append((name, version, (out_dir / name).stat().st_size))
        return written
    pages = sum(1 + len(m.pages) for m in modules)
    written = fork_map(write_group, groups, worker_count(pages) if len(groups) > 1 else 0)
    packages = [Package(out_dir / name, version, group, size, {m.id: worst_case_size(m) for m in group})
                for group, results in zip(groups, written) for name, version, size in results]
    return sorted(packages, key=lambda p: versions.index(p.version))


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
    """Theme files every SCO shares."""


def _render_module(course: Course, theme: Theme, md, module: Module) -> _Rendered:
    media, _ = check_references(course, docs=(module, *module.pages))
    site = render_site(course, theme, md, media, scope=module)
    files = {path: text.encode("utf-8") for path, text in site.files.items()}
    files.update({path: source.read_bytes() for path, source in site.copies.items()})
    shared_paths = {STYLESHEET, SCRIPT, COURSE_SCRIPT} | set(theme.files)
    return _Rendered({p: b for p, b in files.items() if p not in shared_paths},
                     {p: b for p, b in files.items() if p in shared_paths})


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
        files.update(rendered[module.id].shared)
    files[COURSE_SCRIPT] = course_script(course, group).encode("utf-8")
    files.update({path: (theme.folder / "scorm" / name).read_bytes() for path, name in RUNTIME.items()})
    shared = sorted(set(files) - {f for sco in scos for f in sco.files})
    files[MANIFEST] = manifest(course, scos, shared, version)
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
        stylesheet=f"../{STYLESHEET}", scripts=[f"../{path}" for path in RUNTIME],
    )


def _write_zip(files: dict[str, bytes], path: Path) -> None:
    """A byte-identical zip for identical input, written whole or not at all."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot hold times before 1980
    # Created like any file the user makes (0666 less their umask): mkstemp's 0600 left zips
    # that a web server or a colleague could not read.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            for name in sorted(files):
                checked(name)
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100644 << 16
                info.create_system = 3
                archive.writestr(info, files[name])  # zlib's default level: level 9 took 1.7x as long for 0.5 % less
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
