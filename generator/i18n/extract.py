"""Keep a theme's catalogues in step with its code: ``python -m generator.i18n.extract [THEME]``.

Finds every string the theme's templates, scripts and the generator mark for
translation (Babel's extractors), writes ``locale/messages.pot`` and
``locale/js.pot``, and updates each ``locale/<lang>/LC_MESSAGES/*.po`` from
them (new strings empty, changed ones fuzzy, as ``pybabel update`` does).
The English catalogue is filled in with the English text itself.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .catalogues import DOMAINS, LOCALE

GENERATOR = Path(__file__).resolve().parent.parent
JS_KEYWORDS = {"Learnmark.t": None, "Learnmark.n": (1, 2)}
PY_KEYWORDS = {"gettext": None, "ngettext": (1, 2), "_": None}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true", "trimmed": "true"}


def extract(theme: Path, generator: Path | None = GENERATOR) -> dict[str, Catalog]:
    """The strings to translate, by domain: ``messages`` (templates, and the generator's pages when
    ``generator`` is given) and ``js`` (the theme's scripts)."""
    found = {domain: _new(None) for domain in DOMAINS}
    sources = [("messages", theme, [("**.html", "jinja2")], JINJA_OPTIONS, {"_": None, "gettext": None,
                                                                           "ngettext": (1, 2)}),
               ("js", theme, [("**.js", "javascript")], {}, JS_KEYWORDS)]
    if generator is not None:
        sources.append(("messages", generator, [("themes/**", "ignore"), ("**.py", "python")], {}, PY_KEYWORDS))
    for domain, folder, methods, options, keywords in sources:
        option_map = {pattern: options for pattern, _ in methods}
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, methods, option_map, keywords, comment_tags=("Translators:",), strip_comment_tags=True):
            location = (f"{folder.name}/{filename}", lineno)
            found[domain].add(message, locations=[location], auto_comments=comments, context=context)
    return found


def update(theme: Path, generator: Path | None = GENERATOR) -> list[Path]:
    """Write the theme's templates (.pot) and bring its catalogues up to date; returns the files written."""
    written = []
    for domain, template in extract(theme, generator).items():
        written.append(_write(theme / LOCALE / f"{domain}.pot", template))
        for folder in sorted((theme / LOCALE).glob("*/LC_MESSAGES")):
            path = folder / f"{domain}.po"
            if path.exists():
                with path.open("rb") as file:
                    catalogue = read_po(file, locale=folder.parent.name)
            else:
                catalogue = _new(folder.parent.name)
            catalogue.update(template, update_header_comment=False)
            catalogue.obsolete.clear()
            if folder.parent.name == "en":
                for message in catalogue:
                    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
                    if message.id and not all(strings) or message.fuzzy:  # a new plural's string is ("", "")
                        message.string = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
                        message.flags.discard("fuzzy")
            written.append(_write(path, catalogue))
    return written


def _new(language: str | None) -> Catalog:
    """An empty catalogue with a header that stays put from one run to the next (no dates, no placeholders)."""
    name = Locale.parse(language).english_name if language else "Template of the"
    catalogue = Catalog(locale=language, project="Learnmark", version="", copyright_holder="Learnmark",
                        msgid_bugs_address="", charset="utf-8", fuzzy=False, last_translator="Learnmark",
                        language_team=f"{name} <none>" if language else "", creation_date=_EPOCH, revision_date=_EPOCH,
                        header_comment=f"# {name} interface strings of a Learnmark theme: see docs/languages.md.")
    return catalogue


_EPOCH = datetime.datetime(2026, 11, 27, tzinfo=datetime.timezone.utc)


def _write(path: Path, catalogue: Catalog) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=120, omit_header=False, sort_output=False, include_previous=True)
    return path


if __name__ == "__main__":
    for written in update(Path(sys.argv[1]) if len(sys.argv) > 1 else GENERATOR.parent / "themes" / "default"):
        print(written)
