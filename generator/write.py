"""Write a rendered site to disk all at once, or not at all.

The site is written to a temporary folder beside the target and swapped in
with renames, so a failed or interrupted build never leaves a half-written
site, and learners keep being served the last good one. The site replaced is
emptied in the background and kept, folders only, for the next build to write
into (see recycle.py).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Collection

from .errors import BuildFailed, Diagnostic, SourceLocation
from .render import RenderedSite

MARKER = ".learnmark-site"
"""Marks a folder as Learnmark output, so it is safe to replace."""


class UnsafeOutput(Exception):
    """The output folder holds something that is not a Learnmark site."""


class SiteWriter:
    """Write a site file by file into a staging folder, swapped in for ``out`` only on success.

    Use it as a context manager: leaving the block with an exception deletes
    the staging folder and leaves ``out`` as it was. Files may be written from
    forked worker processes: each write is a separate file.
    """

    def __init__(self, out: Path, unchanged: Collection[str] = frozenset()):
        self.out = out.resolve()
        if self.out.exists() and (not self.out.is_dir() or (any(self.out.iterdir()) and not (self.out / MARKER).exists())):
            raise UnsafeOutput(f"{self.out} exists and is not a Learnmark site; refusing to replace it")
        self.staging: Path | None = None
        self.recycled: Path | None = None
        """The staging folder, when it is an emptied earlier site (see ``_spare``)."""
        self._folders: set[str] = set()
        self._staged = self._replaced = ""
        """``staging`` and ``out`` as strings: paths are joined as strings, a thousand times in an edit's build."""
        self._unchanged = unchanged
        """Files of the site being replaced still as the last build wrote them (``LastBuild.intact``): one
        written or copied again with the same bytes is linked from it (``_relinked``)."""

    def __enter__(self) -> SiteWriter:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        for left in self.out.parent.glob(f".{self.out.name}.old-*"):  # a removal cut short (see _discard)
            _discard(left)
        self.recycled = _spare(self.out)
        self.staging = self.recycled or Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self._staged, self._replaced = str(self.staging), str(self.out)
        return self

    def write(self, path: str, text: str | bytes) -> None:
        data, target = encoded(text), self._target(path)
        if path in self._unchanged and self._relinked(path, target, lambda old: old.read() == data, len(data)):
            return
        with open(target, "wb") as file:
            file.write(data)

    def copy(self, path: str, source: Path) -> None:
        """Copy ``source``, checked when the course was: one that cannot be read now (gone, or its
        permissions changed since) fails the build with a diagnostic, not a traceback."""
        target = self._target(path)
        try:
            if path in self._unchanged and self._relinked(
                    path, target, lambda old: filecmp.cmp(source, old.name, shallow=False), os.stat(source).st_size):
                return
            shutil.copyfile(source, target)
        except OSError as error:
            if error.filename is not None and os.fspath(error.filename) == target:
                raise  # our own output: not the author's to fix
            raise BuildFailed([Diagnostic(SourceLocation(_shown(source)),
                                          f"cannot read the file: {(error.strerror or str(error)).lower()}",
                                          "it could be read when the course was checked; check it is still there")]) from None

    def keep(self, path: str) -> None:
        """Take ``path`` unchanged from the site being replaced: a hard link, else a copy."""
        source, target = os.path.join(self._replaced, path), self._target(path)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def _relinked(self, path: str, target: str, same: Callable[[BinaryIO], bool], size: int) -> bool:
        """Link ``target`` to ``path`` of the site being replaced if that is a file of ``size`` bytes that
        ``same`` finds as wanted: True if it did. An edit's build writes a hundred of the site's own files
        again unchanged (the modules' launch pages, the theme's scripts), and a link makes no new file, which
        the file system may be slow to find room for after the last build's deletions."""
        source = os.path.join(self._replaced, path)
        try:
            with open(source, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NOFOLLOW)) as old:
                found = os.fstat(old.fileno())
                if not stat.S_ISREG(found.st_mode) or found.st_size != size or not same(old):
                    return False
            os.link(source, target, follow_symlinks=False)
        except OSError:
            return False
        return True

    def write_all(self, site: RenderedSite) -> None:
        for path, text in site.files.items():
            self.write(path, text)
        for path, source in site.copies.items():
            self.copy(path, source)

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        if self.recycled:  # folders of the last site that this one does not have
            for folder, _, _ in os.walk(self.staging, topdown=False):
                if folder != str(self.staging):
                    with contextlib.suppress(OSError):  # not empty
                        os.rmdir(folder)
        self.write(MARKER, "Built by Learnmark; this folder is replaced on every build.\n")
        self.staging.chmod(0o755)
        _swap(self.staging, self.out)

    def _target(self, path: str) -> str:
        target = os.path.join(self._staged, checked(path))
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return target


def encoded(text: str | bytes) -> bytes:
    """A site file's content as written: text in UTF-8; bytes (the search index) as they are."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


def write_site(site: RenderedSite, out: Path) -> None:
    """Write a whole rendered site at once."""
    with SiteWriter(out) as writer:
        writer.write_all(site)


def _swap(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    staging.rename(out)
    if old is not None:
        _discard(old)


def _discard(folder: Path) -> None:
    """Empty the site just replaced for the next build to reuse (or delete it) without waiting for it.

    Unlinking a thousand pages, most of them hard links into the new site, keeps
    the file system busy for half a second: longer than the rest of a one-page
    rebuild. A process of its own does it (recycle.py); one cut short leaves a
    ``.<site>.old-*`` folder, which the next build hands to another.
    """
    spare = folder.parent / f"{folder.name.rsplit('.old-', 1)[0]}.spare"
    try:
        subprocess.Popen([sys.executable, str(Path(__file__).with_name("recycle.py")), str(folder), str(spare)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _spare(out: Path) -> Path | None:
    """The emptied site ``_discard`` left, claimed as this build's staging folder; None if there is none.

    A spare holds folders only. One that holds anything else (nothing of ours puts it there) is
    never used: whatever is in it would be published.
    """
    claimed = out.parent / f".{out.name}.new-{secrets.token_hex(6)}"
    try:
        os.rename(out.parent / f".{out.name}.spare", claimed)  # atomic: two builds never claim the same one
    except OSError:
        return None
    if _only_folders(claimed):
        return claimed
    shutil.rmtree(claimed, ignore_errors=True)
    return None


def _only_folders(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return all(entry.is_dir(follow_symlinks=False) and _only_folders(Path(entry.path)) for entry in entries)


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is in it (as the command line names it), else whole."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def checked(rel: str) -> str:
    """``rel``, if it is a relative path that stays inside the folder it is written to.

    A pure check of the path's parts, so it costs no system calls: the folders
    written into are made by Learnmark and hold no symbolic links.
    """
    parts = [part for part in rel.split("/") if part not in ("", ".")]  # PurePosixPath's parts, without its cost
    if not parts or rel.startswith("/") or ".." in parts or "\\" in rel:
        raise UnsafeOutput(f"refusing to write {rel!r} outside the output folder")
    return rel
