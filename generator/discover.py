"""Find the course's source files: one folder per module, one file per page.

Order comes from the number at the start of a name (``02-behaviours.md``);
ids come from the rest of it, so renumbering reorders without renaming.

Only what is inside the content folder is read. A symbolic link may point
elsewhere inside it (a shared image, say), but one that leads outside it, or
to nothing, is an error wherever it is in content/, used or not; a file or
folder that cannot be read is an error too, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import Diagnostic, SourceLocation
from .i18n.names import translation_of

MODULE_FILE = "_module.md"
_NUMBERED = re.compile(r"^(\d+)[-_ ](.+)$")
_DIGEST_ID = re.compile(r"^(page|module)-[0-9a-f]{8}$")


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file, read."""

    rel: str
    """Path relative to the project folder, with forward slashes."""
    path: str
    """Where it was read: a string, not a ``Path``, which took a tenth of discovery's time to make for each file."""
    text: str

    @property
    def name(self) -> str:
        """The file's name: ``02-mentoring.md``."""
        return os.path.basename(self.path)

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
    translations: tuple[SourceFile, ...] = ()
    """Its files named for a language (``02-mentoring.cy.md``, ``_module.cy.md``): see i18n/translations.py."""


def order_key(name: str) -> tuple[int, str]:
    """Numbered names first, by number; the rest after, by name."""
    match = _NUMBERED.match(name)
    return (int(match.group(1)), name) if match else (10**9, name)


def slug_of(name: str) -> str:
    """The id part of a file or folder name: ``02-four-behaviours.md`` → ``four-behaviours``.

    Never empty: a name with no letters a-z or digits after its number
    (``05-日本語.md``) gives ``page-`` (``module-`` for a folder) and eight
    characters of a digest of the name, stable while the name is. Names are
    read in Unicode's composed form (NFC), so the same name gives the same id
    on every system (macOS may store it decomposed).
    """
    page = name.endswith(".md")
    stem = unicodedata.normalize("NFC", name[:-3] if page else name)
    match = _NUMBERED.match(stem)
    stem = match.group(2) if match else stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if slug:
        return slug
    return f"{'page' if page else 'module'}-{hashlib.sha256(stem.encode()).hexdigest()[:8]}"


def is_digest_id(slug: str) -> bool:
    """Whether ``slug_of`` made ``slug`` from a digest, the name having nothing to make it from."""
    return bool(_DIGEST_ID.match(slug))


def is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def content_files(folder: str) -> list[str]:
    """Every file under ``folder`` but hidden and temporary ones (``is_ignored``), by path, in ``os.walk``'s order
    with each folder's names sorted (its files, then its folders; symbolic links to folders neither listed nor
    followed). In a third of ``os.walk``'s time: the build's stamp and its checks both list the content."""
    found: list[str] = []

    def walk(path: str) -> None:
        try:
            with os.scandir(path) as listed:
                entries = {entry.name: entry for entry in listed if not is_ignored(entry.name)}
        except OSError:
            return
        folders = []
        for name in sorted(entries):
            entry = entries[name]
            if not _is_dir(entry):
                found.append(entry.path)
            elif not entry.is_symlink():
                folders.append(entry.path)
        for inner in folders:
            walk(inner)

    walk(folder)
    return found


def is_not_page(name: str) -> bool:
    """Markdown files whose names start with '_' are not pages: ``_module.md``, and ``_support.md`` (see support.py)."""
    return name.startswith("_")


def discover(root: Path, content_dir: Path) -> tuple[list[ModuleSource], list[Diagnostic]]:
    """Read every module folder under ``content_dir``."""
    problems: list[Diagnostic] = []
    modules: list[ModuleSource] = []
    if not content_dir.is_dir():
        where = SourceLocation(_rel(root, content_dir))
        return [], [Diagnostic(where, "no content folder", "create content/<NN-module>/_module.md")]
    inside = os.path.realpath(content_dir)
    if not _within(inside, os.path.realpath(root)):
        return [], [Diagnostic(SourceLocation(_rel(root, content_dir) + "/"),
                               f"the content folder is a symbolic link to {inside}, outside the course",
                               "keep the course's content inside its own folder")]
    refused = _walk(root, content_dir, inside, problems)
    entries = _entries(root, content_dir, problems) or []
    for entry in sorted(entries, key=lambda e: order_key(e.name)):
        if is_ignored(entry.name) or entry.path in refused:
            continue
        if _is_file(entry) and entry.name.endswith(".md") and not is_not_page(entry.name):
            problems.append(Diagnostic(SourceLocation(_rel(root, Path(entry.path))), "Markdown file outside a module folder",
                                       "move it into a module folder such as content/01-introduction/"))
        if not _is_dir(entry):
            continue
        folder_path = Path(entry.path)
        index_path = folder_path / MODULE_FILE
        found = _entries(root, folder_path, problems)  # a preview reads every file on every rebuild: no Path per file
        if found is None:
            continue
        # refused: reported by _walk; a link seen through a linked module folder is checked here again
        names = {e.name: e for e in found if e.path not in refused
                 and not (e.is_symlink() and not _within(os.path.realpath(e.path), inside))}
        if MODULE_FILE not in names or not _is_file(names[MODULE_FILE]):
            if os.path.join(entry.path, MODULE_FILE) not in refused:
                problems.append(Diagnostic(SourceLocation(_rel(root, folder_path) + "/"), f"module folder has no {MODULE_FILE}",
                                           f"create {_rel(root, index_path)} with a title, summary and objectives"))
            continue
        markdown = [name for name, e in names.items() if name.endswith(".md") and not is_ignored(name) and _is_file(e)]
        translated = sorted((name for name in markdown if translation_of(name)), key=order_key)
        pages = sorted((name for name in markdown if not is_not_page(name) and name not in translated), key=order_key)
        folder = _rel(root, folder_path)
        files = [_read(os.path.join(entry.path, name), f"{folder}/{name}", problems)
                 for name in [MODULE_FILE, *pages, *translated]]
        if all(files):
            modules.append(ModuleSource(folder_path, files[0], tuple(files[1:1 + len(pages)]),
                                        tuple(files[1 + len(pages):])))
    return modules, problems


def inside_content(path: str | Path, content_dir: str | Path, folders: dict[str, str] | None = None) -> bool:
    """Whether ``path`` is inside ``content_dir`` once every symbolic link on the way is followed.

    What may be published: a file reached through a link that leads out of
    the content folder never is. ``folders`` keeps the folders' real paths for
    the next call (the files a build checks share a few dozen folders); keep it
    no longer than one build.
    """
    if folders is None:
        return _within(os.path.realpath(path), os.path.realpath(content_dir))
    parent, name = os.path.split(os.fspath(path))
    for folder in (parent, os.fspath(content_dir)):
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
    real = os.path.realpath(path) if os.path.islink(path) else os.path.join(folders[parent], name)
    return _within(real, folders[os.fspath(content_dir)])


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _walk(root: Path, folder: Path, inside: str, problems: list[Diagnostic]) -> set[str]:
    """Report every symbolic link under ``folder`` that leads nowhere or out of ``inside``,
    and every folder that cannot be read; return the paths of those links."""
    refused: set[str] = set()
    pending = [folder]
    while pending:
        entries = _entries(root, pending.pop(), problems, report=True)
        for entry in entries or ():
            if is_ignored(entry.name):  # editors' lock files are often dangling links
                continue
            if entry.is_symlink():
                problem = _link_problem(root, entry, inside)
                if problem:
                    problems.append(problem)
                    refused.add(entry.path)
            elif _is_dir(entry):
                pending.append(Path(entry.path))
    return refused


def _link_problem(root: Path, entry: os.DirEntry, inside: str) -> Diagnostic | None:
    where = SourceLocation(_rel(root, Path(entry.path)))
    try:
        target = os.readlink(entry.path)
    except OSError:
        target = "?"
    real = os.path.realpath(entry.path)
    if not os.path.exists(real):
        return Diagnostic(where, f"broken symbolic link: '{target}' does not exist",
                          "delete the link, or point it at a file inside the content folder")
    if not _within(real, inside):
        return Diagnostic(where, f"symbolic link to '{target}', outside the content folder",
                          "nothing outside content/ is published: copy the file into content/ instead of linking to it")
    return None


def _entries(root: Path, folder: Path, problems: list[Diagnostic], report: bool = False) -> list[os.DirEntry] | None:
    """The entries of ``folder``, or None when it cannot be read (a problem too, if ``report``).

    ``_walk`` reports unreadable folders, so ``discover``'s second look at them does not.
    """
    try:
        with os.scandir(folder) as found:
            return list(found)
    except OSError as error:
        if report:
            problems.append(Diagnostic(SourceLocation(_rel(root, folder) + "/"), f"cannot read the folder: {_reason(error)}",
                                       "check its permissions: the user running Learnmark must be able to open it"))
        return None


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _read(path: str, rel: str, problems: list[Diagnostic]) -> SourceFile | None:
    try:
        with open(path, encoding="utf-8") as file:
            return SourceFile(rel, path, file.read())
    except UnicodeDecodeError as error:
        problems.append(Diagnostic(SourceLocation(rel), f"file is not UTF-8 text ({error.reason} at byte {error.start})",
                                   "save the file as UTF-8 in your editor"))
    except OSError as error:
        problems.append(Diagnostic(SourceLocation(rel), f"cannot read the file: {_reason(error)}",
                                   "check its permissions: the user running Learnmark must be able to read it"))
    return None


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
