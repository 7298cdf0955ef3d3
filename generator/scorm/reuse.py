"""The packaging stage's cache: the zips of the last successful ``learnmark package``, made again only
when something they are made from changed.

Packages are byte-identical for identical input (see package.py), so when the
course's inputs (``cache.input_stamp``: its Markdown, content files, site.yaml,
the theme and the built-in theme it falls back on, Learnmark's code) and the
command's options (versions, modules, ``--course``, ``--language``, dispatch
address, ``--strict``, ``SOURCE_DATE_EPOCH``, else the day) are those of the last run, its
zips are copied from ``build/cache/packages/`` and even the check is skipped:
its warnings are reported as stored. A layer around the stage: the stage itself
(``make``) knows nothing of it.

One run is kept, replaced by the next (a cache never grows with use). The
record is signed like every cache file (``BuildCache.load``), and it holds each
zip's SHA-256, so a zip changed in the cache folder is not copied out: the
packages are made again instead. All or nothing, like a run that makes them:
every zip is read and checked before any is moved into the out folder.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..cache import BuildCache, input_stamp
from ..config import load_config
from ..errors import Diagnostic, has_errors
from ..statement import build_date
from ..theme import DEFAULT_THEME, theme_stamp
from .package import DEFAULT_EPOCH, Package

RECORD = "last-package"
FOLDER = "packages"
"""Where in the cache folder the zips are kept."""


@dataclass(frozen=True)
class _Zip:
    name: str
    version: str
    size: int
    suspend_sizes: dict[str, int]
    frames: tuple[str, ...]
    digest: str
    """SHA-256 of the zip, checked before it is copied out."""


@dataclass(frozen=True)
class LastPackage:
    stamp: str
    warnings: list[Diagnostic]
    zips: tuple[_Zip, ...]


def cached_packages(cache: BuildCache | None, root: Path, out: Path, options: tuple,
                    make: Callable[[], tuple[list[Package], list[Diagnostic]]]
                    ) -> tuple[list[Package], list[Diagnostic], bool]:
    """``make()``'s packages and warnings, or the last run's when nothing they come from changed
    (then the third value is True). ``options``: the command's, as they shape the packages."""
    stamp = package_stamp(root, options, cache.digests) if cache is not None else None
    last = cache.load(RECORD) if stamp else None
    if isinstance(last, LastPackage) and last.stamp == stamp and _restore(cache.folder / FOLDER, last, out):
        return [_package(out, z) for z in last.zips], last.warnings, True
    packages, warnings = make()
    if stamp:
        _keep(cache, stamp, packages, warnings)
    return packages, warnings, False


def package_stamp(root: Path, options: tuple, digests: dict | None = None) -> str | None:
    """The digest of a package run's inputs; None when site.yaml cannot be read (the run will say why)."""
    config, problems = load_config(root)
    if config is None or has_errors(problems):
        return None
    themes = (theme_stamp(config.theme_dir, config.overrides_dir), theme_stamp(DEFAULT_THEME))
    epoch = os.environ.get("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    # The accessibility statement is dated the day it is made (``build_date``), unless SOURCE_DATE_EPOCH says.
    return input_stamp(root, config.content_dir, themes, ("package", epoch, build_date().isoformat(), *options),
                       digests)


def _package(out: Path, kept: _Zip) -> Package:
    return Package(out / kept.name, kept.version, (), kept.size, kept.suspend_sizes, kept.frames)


def _restore(folder: Path, last: LastPackage, out: Path) -> bool:
    """Copy the kept zips into ``out``, all or none; False (``out`` untouched) if one is missing or changed."""
    run = secrets.token_hex(6)
    temporaries = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for kept in last.zips:
            data = (folder / kept.name).read_bytes()
            if hashlib.sha256(data).hexdigest() != kept.digest:
                return False
            temporary = out / f".{kept.name}.{run}.tmp"
            temporaries.append(temporary)
            with open(temporary, "xb") as file:  # created as package.py's are: 0666 less the umask
                file.write(data)
        for kept, temporary in zip(last.zips, temporaries):
            os.replace(temporary, out / kept.name)
        return True
    except OSError:
        return False
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def _keep(cache: BuildCache, stamp: str, packages: list[Package], warnings: list[Diagnostic]) -> None:
    """Keep this run's zips and the record naming them, replacing the last run's; a cache that
    cannot be written only makes the next run slower."""
    folder = cache.folder / FOLDER
    kept = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for package in packages:
            name = package.path.name
            temporary = folder / f".{name}.{secrets.token_hex(6)}.tmp"
            shutil.copyfile(package.path, temporary)
            digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
            os.replace(temporary, folder / name)
            kept.append(_Zip(name, package.version, package.size, package.suspend_sizes, package.frames, digest))
        for stale in set(os.listdir(folder)) - {z.name for z in kept}:  # the last run's, and leftovers
            (folder / stale).unlink(missing_ok=True)
    except OSError:
        return
    cache.store(RECORD, LastPackage(stamp, warnings, tuple(kept)))
