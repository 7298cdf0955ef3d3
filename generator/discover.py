"""Find the course's source files: one folder per module, one file per page.

Order comes from the number at the start of a name (``02-behaviours.md``);
ids come from the rest of it, so renumbering reorders without renaming.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import Diagnostic, SourceLocation

MODULE_FILE = "_module.md"
_NUMBERED = re.compile(r"^(\d+)[-_ ](.+)$")


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file, read."""

    rel: str
    """Path relative to the project folder, with forward slashes."""
    path: Path
    text: str

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.rel)

    @cached_property
    def digest(self) -> bytes:
        """SHA-256 of the text: how the caches recognise an unchanged file."""
        return hashlib.sha256(self.text.encode()).digest()


@dataclass(frozen=True)
class ModuleSource:
    """A module folder: its ``_module.md`` and its pages, in order."""

    folder: Path
    index: SourceFile
    pages: tuple[SourceFile, ...]


def order_key(name: str) -> tuple[int, str]:
    """Numbered names first, by number; the rest after, by name."""
    match = _NUMBERED.match(name)
    return (int(match.group(1)), name) if match else (10**9, name)


def slug_of(name: str) -> str:
    """The id part of a file or folder name: ``02-four-behaviours.md`` → ``four-behaviours``."""
    stem = name[:-3] if name.endswith(".md") else name
    match = _NUMBERED.match(stem)
    stem = match.group(2) if match else stem
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def discover(root: Path, content_dir: Path) -> tuple[list[ModuleSource], list[Diagnostic]]:
    """Read every module folder under ``content_dir``."""
    problems: list[Diagnostic] = []
    modules: list[ModuleSource] = []
    if not content_dir.is_dir():
        where = SourceLocation(_rel(root, content_dir))
        return [], [Diagnostic(where, "no content folder", "create content/<NN-module>/_module.md")]
    for entry in sorted(content_dir.iterdir(), key=lambda p: order_key(p.name)):
        if is_ignored(entry.name):
            continue
        if entry.is_file() and entry.suffix == ".md":
            problems.append(Diagnostic(SourceLocation(_rel(root, entry)), "Markdown file outside a module folder",
                                       "move it into a module folder such as content/01-introduction/"))
        if not entry.is_dir():
            continue
        index_path = entry / MODULE_FILE
        if not index_path.is_file():
            problems.append(Diagnostic(SourceLocation(_rel(root, entry) + "/"), f"module folder has no {MODULE_FILE}",
                                       f"create {_rel(root, index_path)} with a title, summary and objectives"))
            continue
        with os.scandir(entry) as found:  # a preview reads every file on every rebuild: no Path per file
            pages = sorted((e.name for e in found if e.name.endswith(".md") and e.name != MODULE_FILE
                            and not is_ignored(e.name) and e.is_file()), key=order_key)
        folder = _rel(root, entry)
        files = [_read(entry / name, f"{folder}/{name}", problems) for name in [MODULE_FILE, *pages]]
        if all(files):
            modules.append(ModuleSource(entry, files[0], tuple(files[1:])))
    return modules, problems


def _read(path: Path, rel: str, problems: list[Diagnostic]) -> SourceFile | None:
    try:
        with open(path, encoding="utf-8") as file:
            return SourceFile(rel, path, file.read())
    except UnicodeDecodeError as error:
        problems.append(Diagnostic(SourceLocation(rel), f"file is not UTF-8 text ({error.reason} at byte {error.start})",
                                   "save the file as UTF-8 in your editor"))
        return None


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
