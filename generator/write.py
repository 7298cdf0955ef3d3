"""Write a rendered site to disk all at once, or not at all.

The site is written to a temporary folder beside the target and swapped in
with renames, so a failed or interrupted build never leaves a half-written
site, and learners keep being served the last good one.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .render import RenderedSite

MARKER = ".learnmark-site"
"""Marks a folder as Learnmark output, so it is safe to replace."""


class UnsafeOutput(Exception):
    """The output folder holds something that is not a Learnmark site."""


def write_site(site: RenderedSite, out: Path) -> None:
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise UnsafeOutput(f"{out} exists and is not a Learnmark site; refusing to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, text in site.files.items():
            target = _inside(staging, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for path, source in site.copies.items():
            target = _inside(staging, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        (staging / MARKER).write_text("Built by Learnmark; this folder is replaced on every build.\n")
        staging.chmod(0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)


def _swap(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _inside(root: Path, rel: str) -> Path:
    """``root/rel``, refusing any path that would land outside ``root``."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafeOutput(f"refusing to write {rel!r} outside the output folder")
    return target
