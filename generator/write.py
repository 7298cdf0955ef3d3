"""Write a rendered site to disk all at once, or not at all.

The site is written to a temporary folder beside the target and swapped in
with renames, so a failed or interrupted build never leaves a half-written
site, and learners keep being served the last good one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

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

    def __init__(self, out: Path):
        self.out = out.resolve()
        if self.out.exists() and (not self.out.is_dir() or (any(self.out.iterdir()) and not (self.out / MARKER).exists())):
            raise UnsafeOutput(f"{self.out} exists and is not a Learnmark site; refusing to replace it")
        self.staging: Path | None = None
        self._folders: set[Path] = set()

    def __enter__(self) -> SiteWriter:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        for left in self.out.parent.glob(f".{self.out.name}.old-*"):  # a removal cut short (see _discard)
            _discard(left)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        return self

    def write(self, path: str, text: str | bytes) -> None:
        if isinstance(text, bytes):  # the search index (see search.search_script)
            self._target(path).write_bytes(text)
        else:
            self._target(path).write_text(text, encoding="utf-8")

    def copy(self, path: str, source: Path) -> None:
        """Copy ``source``, checked when the course was: one that cannot be read now (gone, or its
        permissions changed since) fails the build with a diagnostic, not a traceback."""
        target = self._target(path)
        try:
            shutil.copyfile(source, target)
        except OSError as error:
            if error.filename is not None and Path(error.filename) == target:
                raise  # our own output: not the author's to fix
            raise BuildFailed([Diagnostic(SourceLocation(_shown(source)),
                                          f"cannot read the file: {(error.strerror or str(error)).lower()}",
                                          "it could be read when the course was checked; check it is still there")]) from None

    def link(self, path: str, source: Path) -> None:
        """Take a file unchanged from the site being replaced: a hard link, else a copy."""
        target = self._target(path)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def write_all(self, site: RenderedSite) -> None:
        for path, text in site.files.items():
            self.write(path, text)
        for path, source in site.copies.items():
            self.copy(path, source)

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        (self.staging / MARKER).write_text("Built by Learnmark; this folder is replaced on every build.\n")
        self.staging.chmod(0o755)
        _swap(self.staging, self.out)

    def _target(self, path: str) -> Path:
        target = self.staging / checked(path)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
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


_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def _discard(folder: Path) -> None:
    """Delete the site just replaced without waiting for it to go.

    Unlinking a thousand pages, most of them hard links into the new site, keeps
    the file system busy for half a second: longer than the rest of a one-page
    rebuild. A process of its own removes them; one cut short leaves a
    ``.<site>.old-*`` folder, which the next build removes.
    """
    try:
        subprocess.Popen([sys.executable, "-c", _REMOVE, str(folder)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


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
