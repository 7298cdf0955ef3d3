"""A theme's message catalogues: gettext ``.po`` files read with Babel, no compile step.

A theme keeps them in ``locale/``: ``messages.pot`` and ``js.pot`` list every
string (``messages`` for templates and the generator, ``js`` for the
components' scripts, as Django splits ``django`` and ``djangojs``), and
``locale/<lang>/LC_MESSAGES/<domain>.po`` translates them. A string a
catalogue lacks falls back to its English msgid, one string at a time.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import Diagnostic, SourceLocation
from ..memo import Memo
from .language import SOURCE_LANGUAGE, Language, language_of
from .messages import Messages

DOMAINS = ("messages", "js")
LOCALE = "locale"


@dataclass(frozen=True)
class Strings:
    """A catalogue as a build uses it, made from Babel's ``Catalog`` when its file is read. The build cache keeps
    catalogues in this form, so an edit's build neither unpickles Babel's catalogue classes nor imports the code
    behind them (``babel.messages`` and the date and number code it brings: 12-24 ms of the process's start),
    and gettext reads the ``.mo`` form made once with it rather than on every build."""

    messages: dict[str, tuple]
    """Each message by its msgid (a plural one's by its singular): (msgid, string or strings, fuzzy), in the
    file's order; the header left out."""
    plural_expr: str
    compiled: bytes = b""
    """The ``.mo`` form, for ``gettext.GNUTranslations``; empty for a template (``.pot``)."""

    def get(self, msgid) -> tuple | None:
        """The message of ``msgid`` (a plural one by either form's tuple or its singular), as Babel's ``get``."""
        return self.messages.get(_text(msgid))

    @classmethod
    def of(cls, catalogue, compiled: bool = True) -> Strings:
        """``catalogue`` (Babel's ``Catalog``), with its ``.mo`` form if ``compiled``."""
        from babel.messages.mofile import write_mo  # only when a catalogue is read: see the class's docstring
        buffer = io.BytesIO()
        if compiled:
            write_mo(buffer, catalogue)
        messages = {_text(m.id): (m.id, m.string, m.fuzzy) for m in catalogue if m.id}
        return cls(messages, catalogue.plural_expr, buffer.getvalue())


class CatalogueError(Exception):
    """A catalogue that cannot be read: where, and why."""

    def __init__(self, path: Path, line: int, reason: str):
        super().__init__(reason)
        self.path, self.line, self.reason = path, line, reason


def load_messages(themes: tuple[Path, ...], tag: str) -> Messages:
    """The interface strings in the language ``tag``, from the first of ``themes`` (a theme, then the built-in
    theme it grew from) that translates each; English where none does."""
    language = language_of(tag)
    chain = [folder / "LC_MESSAGES" for folder in _catalogue_folders(themes, language)]
    translations = gettext.NullTranslations()
    for folder in reversed(chain):
        own = _translations(_catalogue(folder / "messages.po"))
        own.add_fallback(translations)
        translations = own
    js = next((c for c in (_catalogue(folder / "js.po") for folder in chain) if c is not None), None)
    return Messages(language, translations, js)


def catalogue_problems(themes: tuple[Path, ...], tag: str, where: SourceLocation) -> list[Diagnostic]:
    """Warnings, at ``where``, for a language the theme cannot show its interface in, wholly or in part."""
    language = language_of(tag)
    folders = _catalogue_folders(themes, language)
    if not folders:
        if language.candidates[-1] == SOURCE_LANGUAGE:
            return []
        return [Diagnostic(where, f"the theme has no translation of its interface into '{tag}': "
                                  "buttons, messages and headings will be in English",
                           f"add {LOCALE}/{language.candidates[-1]}/LC_MESSAGES/messages.po and js.po to the theme "
                           "(see docs/languages.md), or use a language it has: "
                           + ", ".join(sorted({name for folder in themes for name in available(folder)})),
                           severity="warning")]
    missing = []
    for domain in DOMAINS:
        template = next((c for c in (_catalogue(folder / LOCALE / f"{domain}.pot") for folder in themes)
                         if c is not None), None)
        catalogues = [_catalogue(folder / "LC_MESSAGES" / f"{domain}.po") for folder in folders]
        missing += [_text(msgid) for msgid, _, _ in (template.messages.values() if template else ())
                    if not any(_translated(c, msgid) for c in catalogues)]
    if not missing:
        return []
    shown = "; ".join(f'"{m}"' for m in missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    return [Diagnostic(where, f"the theme's '{folders[0].name}' catalogues lack {len(missing)} interface "
                              f"string{'s' if len(missing) != 1 else ''}, shown in English: {shown}",
                       f"translate them in the theme's {LOCALE}/{folders[0].name}/LC_MESSAGES/ (see docs/languages.md)",
                       severity="warning")]


def available(theme: Path) -> list[str]:
    """The languages ``theme`` has catalogues for."""
    folder = theme / LOCALE
    return sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir()) if folder.is_dir() else []


def _catalogue_folders(themes: tuple[Path, ...], language: Language) -> list[Path]:
    """Each theme's catalogue folder for ``language`` (the most specific it has), in order."""
    found = []
    for theme in dict.fromkeys(themes):
        folder = next((theme / LOCALE / name for name in language.candidates
                       if (theme / LOCALE / name / "LC_MESSAGES").is_dir()), None)
        if folder is not None:
            found.append(folder)
    return found


def _translated(catalogue: Strings | None, msgid) -> bool:
    message = catalogue.get(msgid) if catalogue is not None else None
    if message is None:
        return False
    _, string, fuzzy = message
    strings = string if isinstance(string, (tuple, list)) else (string,)
    return not fuzzy and bool(strings) and all(strings)


def _text(msgid) -> str:
    """A message's msgid, a plural one's by its singular."""
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def _catalogue(path: Path) -> Strings | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return CATALOGUES.read(path, stat.st_mtime_ns, stat.st_size)


class Catalogues(Memo[tuple, Strings]):
    """Catalogues read by earlier builds, by file and version, that the build cache keeps (a ``memo.Memo``):
    reading a theme's four with Babel took a twentieth of a one-page rebuild, loading them a tenth of that."""

    NAME = "catalogues"

    def read(self, path: Path, mtime: int, size: int) -> Strings:
        return self.get((str(path), mtime, size), lambda: _read(path, mtime, size))


CATALOGUES = Catalogues()


@lru_cache(maxsize=32)
def _read(path: Path, mtime: int, size: int) -> Strings:
    """A catalogue, read once per version of its file (a bilingual build and the preview read them often), and
    made once per version of its text for this user (``_kept``)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogueError(path, 1, error.strerror or str(error)) from None
    return _kept(path, data)


def _parsed(path: Path, data: bytes) -> Strings:
    from babel.messages.pofile import PoFileError, read_po  # see Strings
    try:
        return Strings.of(read_po(io.BytesIO(data), abort_invalid=True), compiled=path.suffix == ".po")
    except PoFileError as error:
        raise CatalogueError(path, error.lineno + 1, str(error).rsplit(" on ", 1)[0]) from None
    except UnicodeDecodeError as error:
        raise CatalogueError(path, 1, f"not UTF-8 text ({error.reason})") from None


def _kept(path: Path, data: bytes) -> Strings:
    """``_parsed(path, data)``, or what it made of the same text before, kept in this user's Learnmark folder as
    the theme's compiled templates are (``catalogues/``, a signed file per text: see ``cache.BuildCache``). A build
    without a course cache (``--no-cache``, a new course, ``check``) read the theme's four catalogues with Babel,
    and imported the code that reads them: 30-40 ms a build while the other core waited."""
    from ..cache import UNUSED_DAYS, BuildCache, user_folder  # here: the course cache keeps CATALOGUES (MEMOS)
    store = BuildCache(user_folder() / "catalogues")
    name = f"{path.suffix[1:]}-{hashlib.sha256(data).hexdigest()[:32]}"
    found = store.load(name)
    if isinstance(found, Strings):
        store.touch(name)  # used now: see cache.UNUSED_DAYS
        return found
    made = _parsed(path, data)
    store.store(name, made)
    store.drop_unused(UNUSED_DAYS)
    return made


def _translations(catalogue: Strings | None) -> gettext.NullTranslations:
    """gettext's view of a catalogue (plural forms from its header), from its ``.mo`` form made in memory: no
    .mo files to keep."""
    if catalogue is None:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(catalogue.compiled))
