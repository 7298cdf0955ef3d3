"""``learnmark new``: start a course, or add a numbered module or page.

Everything written is a working example that passes ``learnmark build --strict``,
so an author starts from green and learns the format by editing it. Titles go
into YAML through ``yaml.safe_dump``, so ``Yes: no`` or ``1.10`` stay text.
Nothing is ever overwritten: every new file is opened with mode ``x``. The one
existing file changed is a module's ``_module.md``, when a page is added: the page
goes at the end of the "What you will cover" list of its landing text (the list of
the module's pages that ``new course`` and ``new module`` write), and nothing else
in the file changes.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from .config import CONFIG_FILE
from .discover import MODULE_FILE, is_ignored, order_key, slug_of
from .errors import did_you_mean

USAGE = {
    "course": "learnmark new course DIR",
    "module": 'learnmark new module "Module title" [--project DIR]',
    "page": 'learnmark new page MODULE "Page title" [--project DIR]',
}
_UNNUMBERED = order_key("")[0]
"""``order_key``'s number for a name that has none."""


class ScaffoldError(Exception):
    """A reason not to create anything, with what to do instead."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass
class Made:
    """What ``new`` did: the files it created, as paths under ``project`` (or DIR), and what else to tell the author."""

    created: list[Path]
    notes: list[str] = field(default_factory=list)


def new(what: str, names: list[str], project: Path) -> Made:
    """Create a course, module or page."""
    makers = {"course": (1, lambda: Made(new_course(Path(names[0])))),
              "module": (1, lambda: Made(new_module(project, names[0]))),
              "page": (2, lambda: new_page(project, names[0], names[1]))}
    if what not in makers:
        raise ScaffoldError(f"cannot create '{what}'", did_you_mean(what, makers))
    count, make = makers[what]
    if len(names) != count:
        raise ScaffoldError(f"'new {what}' takes {count} argument{'s' if count > 1 else ''}, got {len(names)}",
                            f"usage: {USAGE[what]} (quote titles that contain spaces)")
    return make()


def new_course(folder: Path) -> list[Path]:
    """A course with one module that shows the main features, ready to build."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not an empty folder",
                            "choose a new folder name; learnmark new course never overwrites files")
    name = folder.resolve().name
    course_id = slugify(name)
    if not course_id:
        raise ScaffoldError(f"cannot make a course id from the folder name '{name}'",
                            "use a folder name with letters or digits, e.g. my-course")
    title = course_id.replace("-", " ").capitalize()
    module = Path("content/01-getting-started")
    return _write(folder, {
        Path(CONFIG_FILE): SITE_YAML.format(id=_scalar(course_id), title=_scalar(title)),
        # build/ holds the site, the packages and the build cache: nothing to commit
        Path(".gitignore"): "build/\n",
        module / MODULE_FILE: _document(STARTER_MODULE, STARTER_MODULE_BODY),
        module / "01-welcome.md": _document({"title": "Welcome"}, WELCOME_BODY),
        module / "02-check-your-understanding.md": _document({"title": "Check your understanding"}, QUIZ_BODY),
    })


def new_module(project: Path, title: str) -> list[Path]:
    """The next numbered module folder, with placeholder front matter and a first page."""
    content = _content_dir(project)
    module_id = _slug_for(title, "module")
    modules = _modules(content)
    if module_id in modules:
        raise ScaffoldError(f"a module with the id '{module_id}' already exists: {modules[module_id]}",
                            "choose another title, or add a page to it with: learnmark new page "
                            f"{module_id} \"Page title\"")
    folder = Path("content") / f"{_next_number(content.iterdir() if content.is_dir() else []):02d}-{module_id}"
    meta = {"title": title.strip(),
            "summary": "TODO: one or two sentences on what learners get from this module.",
            "objectives": ["TODO: what learners will be able to do afterwards"],
            "minutes": 10}
    return _write(project, {folder / MODULE_FILE: _document(meta, MODULE_BODY),
                            folder / "01-introduction.md": _document({"title": "Introduction"}, PAGE_BODY)})


def new_page(project: Path, module: str, title: str) -> Made:
    """The next numbered page in a module, found by its id or its folder name, added to the
    "What you will cover" list on the module's landing page."""
    content = _content_dir(project)
    modules = _modules(content)
    folder = modules.get(module) or next((f for f in modules.values() if f.name == module.rstrip("/")), None)
    if folder is None:
        listed = ", ".join(sorted(modules)) or "none yet; create one with learnmark new module \"Title\""
        close = did_you_mean(module, modules) if modules else ""
        raise ScaffoldError(f"no module '{module}' in {content} (modules: {listed})",
                            close if close.startswith("did you mean") else "give the module's id or folder name")
    page_id = _slug_for(title, "page")
    if page_id == "index":
        raise ScaffoldError("the page id 'index' is reserved for the module's landing page", "choose another title")
    pages = [p for p in folder.iterdir() if p.suffix == ".md" and p.name != MODULE_FILE and not is_ignored(p.name)]
    taken = {_pinned_id(p) or slug_of(p.name): p for p in pages}
    if page_id in taken:
        raise ScaffoldError(f"a page with the id '{page_id}' already exists: {taken[page_id]}",
                            "choose another title")
    name = f"{_next_number(pages):02d}-{page_id}.md"
    created = _write(project, {folder.relative_to(project) / name: _document({"title": title.strip()}, PAGE_BODY)})
    landing = folder / MODULE_FILE
    line = add_to_contents(landing, title.strip(), name)
    if line is None:
        return Made(created, [f'Next: link to {name} from {landing} if its landing text lists the pages '
                              f'(it has no "{CONTENTS_HEADING}" list to add it to)'])
    return Made(created, [f'Updated {landing}: added the page to "{CONTENTS_HEADING}" (line {line})'])


CONTENTS_HEADING = "What you will cover"
"""The heading of the list of a module's pages in its landing text (``_module.md``)."""
_HEADING = re.compile(r"^ {0,3}#{2,6}[ \t]+(.*?)[ \t#]*$")
_ITEM = re.compile(r"^( {0,3})(?:(\d{1,9})([.)])|([-*+]))[ \t]")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>&{}|~!])")


def add_to_contents(landing: Path, title: str, file_name: str) -> int | None:
    """Add ``[title](file_name)`` at the end of the list under the "What you will cover" heading
    of ``landing``, numbered (or bulleted) like the items before it; return its line number, or
    None when there is no such list. Only that line is added: the rest of the file stays byte for byte."""
    try:
        with landing.open(encoding="utf-8", newline="") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines(keepends=True)
    plain = [line.rstrip("\r\n") for line in lines]
    after = _contents_list_end(plain)
    if after is None:
        return None
    items = [match for match in map(_ITEM.match, plain[after[0]:after[1] + 1]) if match]
    last = items[-1]
    if last.group(2) is not None:
        numbers = [int(item.group(2)) for item in items]
        number = numbers[0] if len(numbers) > 1 and len(set(numbers)) == 1 else numbers[-1] + 1  # "1. 1. 1." lists
        marker = f"{number}{last.group(3)}"
    else:
        marker = last.group(4)
    newline = "\r\n" if "\r\n" in text else "\n"
    if not lines[after[1]].endswith(("\n", "\r")):  # the list ends the file without a final newline
        lines[after[1]] += newline
    label = _MARKDOWN_PUNCTUATION.sub(r"\\\1", title)  # as written: Markdown would read `*`, `[`, `<` ...
    link = f"{last.group(1)}{marker} [{label}]({file_name}){newline}"
    lines.insert(after[1] + 1, link)
    _replace_text(landing, "".join(lines))
    return after[1] + 2


def _contents_list_end(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) line index of the list under the contents heading, outside front matter and code."""
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" and "---" in lines[1:] else 0
    fenced, heading = None, None
    for index in range(start, len(lines)):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence and (fenced is None or fence.group(1) == fenced):
            fenced = fence.group(1) if fenced is None else None
            continue
        if fenced:
            continue
        match = _HEADING.match(line)
        if match:
            if heading is not None:
                return None  # the next section began before any list
            if match.group(1).strip().casefold() == CONTENTS_HEADING.casefold():
                heading = index
            continue
        if heading is None or not line.strip():
            continue
        if not _ITEM.match(line):
            return None  # the section starts with something other than a list
        first = last = index
        for following in range(index + 1, len(lines)):
            text = lines[following]
            if _ITEM.match(text) or (text[:1] in (" ", "\t") and text.strip()):
                last = following  # another item, or more of the last one (indented)
            elif text.strip():
                break
        return first, last
    return None


def _replace_text(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` by rename, so an editor or the preview never reads half a file."""
    temporary = path.with_name(f".{path.name}.learnmark-new")
    with temporary.open("w", encoding="utf-8", newline="") as file:
        file.write(text)
    os.replace(temporary, path)


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens, as ids must be (``Über 1.10`` → ``uber-1-10``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _slug_for(title: str, what: str) -> str:
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"cannot make a {what} id from the title '{title}'",
                            "use a title with Latin letters or digits; you can change the title afterwards")
    return slug


def _content_dir(project: Path) -> Path:
    """``project/content``, once we know ``project`` is a course."""
    if not (project / CONFIG_FILE).is_file():
        raise ScaffoldError(f"no {CONFIG_FILE} in {project.resolve()}",
                            "run learnmark new in the course folder, pass --project DIR, "
                            "or start a course with: learnmark new course DIR")
    return project / "content"


def _modules(content: Path) -> dict[str, Path]:
    """Module folders by id, as the build will see them (a pinned ``id:`` wins over the folder name)."""
    if not content.is_dir():
        return {}
    folders = sorted((p for p in content.iterdir() if p.is_dir() and not is_ignored(p.name)),
                     key=lambda p: order_key(p.name))
    return {_pinned_id(folder / MODULE_FILE) or slug_of(folder.name): folder for folder in folders}


def _pinned_id(path: Path) -> str | None:
    """The ``id:`` in a file's front matter, if any: authors pin ids that way when renaming."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        end = lines.index("---", 1) if lines and lines[0] == "---" else 0
        meta = yaml.safe_load("\n".join(lines[1:end])) if end else None
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    pinned = meta.get("id") if isinstance(meta, dict) else None
    return pinned if isinstance(pinned, str) else None


def _next_number(entries: Iterable[Path]) -> int:
    """One more than the highest number at the start of the names (1 when none is numbered)."""
    return max((n for n, _ in (order_key(p.name) for p in entries) if n != _UNNUMBERED), default=0) + 1


def _scalar(value: str) -> str:
    """``value`` as one YAML scalar, quoted only when YAML would read it as something else."""
    return yaml.safe_dump(value, allow_unicode=True, width=10**6).removesuffix("\n...\n").rstrip("\n")


def _document(meta: dict, body: str) -> str:
    """A Markdown file: YAML front matter between ``---`` lines, then the body."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{front}---\n{body}"


def _write(root: Path, files: dict[Path, str]) -> list[Path]:
    """Write ``files`` under ``root``; refuse before writing anything if one exists."""
    paths = [root / rel for rel in files]
    for path in paths:
        if path.exists():
            raise ScaffoldError(f"{path} already exists", "learnmark new never overwrites files")
    for path, text in zip(paths, files.values()):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    return paths


SITE_YAML = """\
# Course settings. The Learnmark authoring guide (docs/authoring.md) describes every key.

# The course id: lower-case letters, digits and hyphens. Learners' saved progress
# is kept under it, so change it only before the course is published.
id: {id}
# The course title, shown on every page.
title: {title}
# Who publishes the course; shown in the header and footer.
organisation: Your organisation
# The language of the pages and of every button and message, as a language tag (en-GB, cy, ...).
# For a course in English and Welsh, write 'languages: [en-GB, cy]' instead (docs/languages.md).
language: en-GB
# The accessibility statement (accessibility.html, linked from every page's footer).
# Put your own team's contact here: it is where learners report accessibility problems.
accessibility:
  contact:
    email: learning@example.org
"""

STARTER_MODULE = {
    "title": "Getting started",
    "summary": "A first module that shows how a Learnmark course is written. Edit it, or replace it with your own.",
    "objectives": ["Find your way around a Learnmark course", "Answer a short knowledge check"],
    "minutes": 5,
}

STARTER_MODULE_BODY = """\
This is the module's landing page, written in `_module.md`. Learners see it
before the module's pages.

## What you will cover

1. [Welcome](01-welcome.md)
2. [Check your understanding](02-check-your-understanding.md)
"""

WELCOME_BODY = """\
## How this course is written

Every page is a Markdown file in a numbered module folder under `content/`.
The number sets the order; the rest of the name becomes the page's address.
The title comes from the front matter, so headings on the page start at `##`.

::: tip Make it yours
Run `learnmark serve` and edit this file: the page reloads as you save.
:::

Next, [check your understanding](02-check-your-understanding.md).
"""

QUIZ_BODY = """\
## A knowledge check

::: quiz pass=50
### Where does a page's title come from?
- [ ] The first heading on the page
  > Not quite: headings on the page start at `##`, below the title.
- [x] The `title:` in its front matter
  > Right: the front matter at the top of the file sets the title.

### Which of these set the order in which learners see pages? {multiple}
- [x] The number a file name starts with
  > Yes: `01-welcome.md` comes before `02-check-your-understanding.md`.
- [ ] The date each file was last edited
  > No: editing a page never moves it.
- [x] The number a folder name starts with
  > Yes: modules are shown in the order of their folder numbers.
:::

## Your turn

::: reflection id=first-module
What will your first module be about, and who is it for?
:::
"""

MODULE_BODY = """\
TODO: introduce the module: who it is for and why it matters.

## What you will cover

1. [Introduction](01-introduction.md)
"""

PAGE_BODY = """\
## Overview

TODO: write this page.
"""
