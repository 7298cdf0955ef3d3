"""What one build leaves for the next, so rebuilding an unchanged course costs almost nothing.

Three levels:

- ``ParseCache``: each Markdown file's parse, under a digest of its text. A
  rebuild parses only files whose text changed. ``learnmark serve`` keeps one
  in memory; ``learnmark build`` keeps one on disk in ``build/cache/``, a
  file per folder, so a rebuild writes again only the folders that changed.
- ``LastBuild``: a digest of every input of the last site (the Markdown,
  every other content file's size and time, site.yaml, the theme, Learnmark's
  own code), a listing of the files it wrote and each page's signature
  (``render.page_signatures``). When nothing changed and the site is as it
  was written, the build is already done; otherwise pages whose signature is
  unchanged are linked from the last site rather than rendered again.
- The memos (``MEMOS``, see memo.py): search entries and indexes, the
  theme's catalogues, the checks of content files, what Babel answered
  about the course's languages, each kept in a file of its own.

Each is dropped whole when Learnmark's code or its Markdown libraries
change, so a new version never reads an old version's parse. An unreadable
cache, or one not signed with this user's key (``_secret``), is ignored and
rebuilt: a cache is never the only copy of anything.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import babel
import jinja2
import markdown_it
import mdit_py_plugins
import nh3
import yaml

from . import search
from .discover import SourceFile, content_files
from .errors import Diagnostic
from .i18n.catalogues import CATALOGUES
from .i18n.language import CLDR
from .links import LinkMemo
from .media.files import VERDICTS
from .memo import settled
from .memory import collector_paused

_PACKAGE = Path(__file__).parent
_LIBRARIES = (markdown_it, mdit_py_plugins, yaml, jinja2, nh3, babel)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of Learnmark's own code and the versions of the libraries that shape its output."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library.__name__}={library.__version__}\0".encode())
    return digest.hexdigest()


MEMOS = (search.ENTRIES, search.INDEXES, CATALOGUES, VERDICTS, CLDR)
"""The memos (see memo.py) that a build cache keeps, each in its own files; seeded in this order (the search
indexes take their rows from the entries)."""


class ParseCache:
    """The last parse of each file, by path, under a digest of its text.

    One entry per file, replaced when its text changes, so a long preview
    session does not keep every version an author saved.
    """

    def __init__(self, entries: dict | None = None):
        self.entries: dict[str, tuple[tuple, tuple]] = entries or {}
        """Path → (key, (document without its source, problems))."""
        self.changed_shards: set[str] = set()
        """The folders (``shard``) holding a file whose entry changed since loading."""

    @property
    def changed(self) -> bool:
        return bool(self.changed_shards)

    def shard(self, folder: str) -> dict[str, tuple[tuple, tuple]]:
        """The entries of the files in ``folder`` (see ``_shard``)."""
        return {rel: entry for rel, entry in self.entries.items() if _shard(rel) == folder}

    def get(self, source: SourceFile, allow_html: bool, what: str):
        """The cached ``(document, problems)`` for ``source``, or None."""
        entry = self.entries.get(source.rel)
        if entry is None or entry[0] != _key(source, allow_html, what):
            return None
        document, problems = entry[1]
        return (document and document.with_source(source)), problems

    def put(self, source: SourceFile, allow_html: bool, what: str, result) -> None:
        document, problems = result
        # Kept without its source: the text is read again anyway, and would double the cache's size.
        self.entries[source.rel] = (_key(source, allow_html, what), (document and document.with_source(None), problems))
        self.changed_shards.add(_shard(source.rel))

    def keep_only(self, rels: set[str]) -> None:
        """Forget files that are gone."""
        for rel in set(self.entries) - rels:
            del self.entries[rel]
            self.changed_shards.add(_shard(rel))


def _sharded(memo, entries: dict) -> list[dict]:
    """``entries`` of a memo kept in shards, by shard."""
    shards = [{} for _ in range(memo.SHARDS)]
    for key, value in entries.items():
        shards[memo.shard(key)][key] = value
    return shards


def _shard(rel: str) -> str:
    """The part of the on-disk parse cache a file's entry is kept in: its folder (a module's)."""
    return rel.rpartition("/")[0]


def _shard_name(folder: str) -> str:
    return "parse-" + hashlib.sha256(folder.encode()).hexdigest()[:16]


def _key(source: SourceFile, allow_html: bool, what: str) -> tuple:
    return source.digest, source.path, allow_html, what


@dataclass
class LastBuild:
    stamp: str
    """Digest of every input of the site (``input_stamp``)."""
    listing: dict[str, tuple[int, int]]
    """Every file written: site path → (size, modification time in ns)."""
    warnings: list[Diagnostic]
    counts: tuple[int, int, int]
    """Pages, modules and lesson pages, for the summary line."""
    signatures: dict[str, str]
    """Each module and content page's signature (``render.page_signatures``) and each content file's
    (``build._file_signatures``), by path in the site."""
    intact: set[str] = field(default_factory=set)
    """Filled on loading: the files of ``listing`` still in the site exactly as written."""
    untouched: bool = False
    """Filled on loading: the site holds exactly the files of ``listing``, as written."""


class BuildCache:
    """The on-disk cache in ``folder`` (``build/cache/``): the parse cache, the search index's entries,
    the link targets, and the last build's stamp (the package cache keeps its own, see scorm/reuse.py)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._parse: ParseCache | None = None
        self._digests: dict | None = None
        self._digests_were: dict = {}
        self._memos: dict[str, dict] = {}
        """What each of ``MEMOS`` was seeded with, by its name."""
        self._links: LinkMemo | None = None

    @property
    def digests(self) -> dict:
        """The Markdown files' digests by their size, times and inode, for ``input_stamp``: an up-to-date
        check then reads no page whose times say it is unchanged."""
        if self._digests is None:
            found = self._load("digests")
            self._digests = found if isinstance(found, dict) else {}
            self._digests_were = dict(self._digests)
        return self._digests

    @property
    def links(self) -> LinkMemo:
        """The last build's link targets (see ``links.LinkMemo``): an edit that moves no page or heading
        leaves them all true, so only the edited page's links are resolved again."""
        if self._links is None:
            found = self._load("links")
            self._links = found if isinstance(found, LinkMemo) else LinkMemo()
        return self._links

    @property
    def parse(self) -> ParseCache:
        """Loaded on first use: an up-to-date build never needs it. It is kept in one file per folder
        (``parse-<digest of the folder>.pickle``), so that saving after an edit writes one module's parses,
        not the whole course's (a 1,000-page course's cache is 7 MB of pickled documents)."""
        if self._parse is None:
            entries = {}
            for path in sorted(self.folder.glob("parse-*.pickle")):
                shard = self._load(path.stem)
                if isinstance(shard, dict):
                    entries.update(shard)
            self._parse = ParseCache(entries)
            self._seed_memos()  # what parses renders: the memos of the render stage are wanted with it
        return self._parse

    def _seed_memos(self) -> None:
        """Seed each of ``MEMOS`` with what the cache kept of it (a shard that cannot be read is left out)."""
        for memo in MEMOS:
            loaded = {}
            for name in (f"{memo.NAME}-{shard}" for shard in range(memo.SHARDS)) if memo.SHARDS else (memo.NAME,):
                found = self._load(name)
                if isinstance(found, dict):
                    loaded.update(found)
            self._memos[memo.NAME] = loaded
            memo.seed(loaded)

    def last_build(self, out: Path) -> LastBuild | None:
        """The record of the last site written, with which of its files ``out`` still holds unchanged."""
        last = self._load("last-build")
        if not isinstance(last, LastBuild):
            return None
        now = listing(out)
        last.intact = {path for path, entry in last.listing.items() if now.get(path) == entry}
        last.untouched = now == last.listing
        return last

    def save(self, last: LastBuild | None = None) -> None:
        """Keep the parse cache (when it changed) and, given one, the record of the site just written.

        A failed build changes no site, so the record of the last one stays true.
        """
        if self._parse is not None:
            for folder in sorted(self._parse.changed_shards):
                self._store(_shard_name(folder), self._parse.shard(folder))
            for memo in MEMOS:
                if (kept := memo.kept(self._memos[memo.NAME])) is None:
                    continue
                if not memo.SHARDS:
                    self._store(memo.NAME, kept)
                    continue
                was = _sharded(memo, self._memos[memo.NAME])
                for shard, part in enumerate(_sharded(memo, kept)):
                    if part.keys() != was[shard].keys():
                        self._store(f"{memo.NAME}-{shard}", part)
        if self._digests is not None and self._digests != self._digests_were:
            self._store("digests", self._digests)
        if self._links is not None and self._links.changed:
            self._store("links", self._links)
        if last is not None:
            self._store("last-build", last)

    def load(self, name: str):
        """What ``store`` kept under ``name``, or None (missing, unsigned, or another version's)."""
        return self._load(name)

    def store(self, name: str, value) -> None:
        """Keep ``value`` under ``name`` (``build/cache/<name>.pickle``), signed; see ``_store``."""
        self._store(name, value)

    def touch(self, name: str) -> None:
        """Mark what is kept under ``name`` used (see ``mark_used``)."""
        mark_used(self._path(name))

    def drop_unused(self, days: float) -> None:
        """Delete what was neither stored nor touched in the last ``days`` (see ``drop_unused``)."""
        drop_unused(self.folder, "*.pickle", days)

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def _load(self, name: str):
        key = _secret()
        try:
            data = self._path(name).read_bytes()
            if key is None or not hmac.compare_digest(data[:_MAC], hmac.digest(key, data[_MAC:], "sha256")):
                return None  # not written by this user's Learnmark (a cache shipped with a course, say)
            with collector_paused():  # what a cache holds lives as long as the build: see memory.py
                version, value = pickle.loads(data[_MAC:])
        except Exception:  # noqa: BLE001 - missing, truncated or from another version: start afresh
            return None
        return value if version == code_version() else None

    def _store(self, name: str, value) -> None:
        """Write one cache file whole, or not at all; a cache that cannot be written (a full
        disk, a read-only folder) only makes the next build slower, so it never fails this one."""
        key = _secret()
        if key is None:
            return
        data = pickle.dumps((code_version(), value), protocol=pickle.HIGHEST_PROTOCOL)
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                file.write(hmac.digest(key, data, "sha256") + data)
            os.replace(temporary, self._path(name))
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


_MAC = 32
"""Bytes of HMAC-SHA256 in front of every cache file."""


UNUSED_DAYS = 30
"""What the user's folder keeps for builds (compiled templates, catalogues) and none used for this long is dropped:
a theme copied into many courses is one text, but each version of a template or catalogue saved is another."""


def mark_used(path: Path) -> bool:
    """Give ``path`` (made if missing) the time now, for ``drop_unused``, unless it has one from the last day, so
    that most builds write nothing more: True if it was given."""
    try:
        if path.stat().st_mtime > time.time() - 86400:
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        path.touch()
    except OSError:
        return False
    return True


def drop_unused(folder: Path, pattern: str, days: float) -> None:
    """Delete the files of ``folder`` matching ``pattern`` neither written nor touched in the last ``days``: for
    stores in the user's folder, which nothing else empties. A folder that cannot be listed, or a file another
    build drops first, stops it."""
    unused = time.time() - days * 86400
    try:
        for kept in folder.glob(pattern):
            if kept.stat().st_mtime < unused:
                kept.unlink(missing_ok=True)
    except OSError:
        pass


def user_folder() -> Path:
    """This user's Learnmark cache folder, outside every course: the signing key, compiled templates (and
    classes and patterns: startcode.py)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "learnmark"


@lru_cache(maxsize=1)
def _secret() -> bytes | None:
    """This user's key for signing cache files; None (no disk cache) where it cannot be kept.

    Unpickling runs code, so a cache file is read only if it carries this key's
    signature: one written by Learnmark for this user, never one that came with
    a course from elsewhere. The key lives outside any course, in the user's
    cache folder, readable by the user alone.
    """
    folder = user_folder()
    path = folder / "cache-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it first
        return path.read_bytes()
    except OSError:
        return None


def input_stamp(root: Path, content_dir: Path, theme_stamp: tuple, options: tuple,
                digests: dict | None = None) -> str:
    """A digest of everything a site is built from.

    Markdown and site.yaml by content (a Markdown file's digest taken from ``digests`` while its size,
    times and inode are those it had: see ``_digest``); other content files (images, downloads,
    which may be large) and theme files by size and modification time. Only
    regular files are read: a symbolic link counts by where it points (what it
    points to inside content/ is counted on its own; one that leads outside is
    an error of the build that follows), and a pipe or device by its type, so
    a link to /dev/zero or a named pipe cannot make the stamp read forever.
    """
    digest = hashlib.sha256(f"{code_version()}\0{options!r}\0{theme_stamp!r}\0".encode())
    digest.update(_content(str(root / "site.yaml"), follow=True))
    now, seen = time.time_ns(), set()
    for path in content_files(os.fspath(content_dir)):  # not editors' swap files
        digest.update(path.encode() + b"\0")
        digest.update(_digest(path, now, digests) if path.endswith(".md") else _stat(path))
        seen.add(path)
    for gone in (digests.keys() - seen) if digests is not None else ():  # deleted or renamed since
        del digests[gone]
    return digest.hexdigest()


def _digest(path: str, now: int, digests: dict | None) -> bytes:
    """``_content(path)``, remembered in ``digests`` by the file's size, modification and change times and
    inode: any write changes its change time, which no program can set, so while those are the same the text
    is. Reading and digesting every page was most of an up-to-date build's check. A file that changed within
    ``memo.RACY_NS`` of ``now`` is not remembered."""
    if digests is None:
        return _content(path)
    try:
        found = os.lstat(path)
    except OSError:
        return _content(path)
    signature = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_mode)
    kept = digests.get(path)
    if kept is not None and kept[0] == signature:
        return kept[1]
    value = _content(path)
    if stat.S_ISREG(found.st_mode) and settled(found, now):
        digests[path] = (signature, value)
    else:
        digests.pop(path, None)
    return value


def _content(path: str, follow: bool = False) -> bytes:
    """A digest of a regular file's text (``follow``: also through a symbolic link); for anything
    else, what ``_stat`` says of it."""
    try:
        if stat.S_ISREG((os.stat if follow else os.lstat)(path).st_mode):
            with open(path, "rb") as file:
                return hashlib.sha256(file.read()).digest()
    except OSError as error:
        return f"unreadable:{error.errno}\0".encode() + _stat(path)
    return _stat(path)


def _stat(path: str) -> bytes:
    """Size, time and type of a file, never following a symbolic link (whose target is counted instead)."""
    try:
        found = os.lstat(path)
        target = os.readlink(path) if stat.S_ISLNK(found.st_mode) else ""
    except OSError:
        return b"gone\0"
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_mode}:{target}\0".encode()


def listing(out: Path) -> dict[str, tuple[int, int]]:
    """Every file in a written site with its size and modification time. As ``os.walk`` would list them
    (folders that cannot be read, and symbolic links to folders, skipped), in a third of its time."""
    found = {}

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            elif not (entry.is_symlink() and entry.is_dir()):
                found[prefix + entry.name] = (stat := entry.stat()).st_size, stat.st_mtime_ns
    walk(str(out), "")
    return found
