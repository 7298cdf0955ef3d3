"""Load a theme: Jinja2 templates, and its CSS and JS joined into one file each.

A theme has ``templates/`` (pages), ``components/<name>/`` (macro, CSS, JS,
README, as in nhsuk-frontend) and ``static/`` (base CSS/JS and other files).
Joining the CSS and JS keeps each page to two small, cacheable requests with
no front-end build step; stripping their comments and spaces as they are
joined (rjsmin, rcssmin) keeps a theme's sources readable and its pages
inside the 30 KB budget.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
from rcssmin import cssmin
from rjsmin import jsmin

from .config import BUILTIN_THEMES
from .errors import Diagnostic, SourceLocation
from .i18n import Messages, load_messages

ASSETS = "assets"
STYLESHEET = f"{ASSETS}/learnmark.css"
SCRIPT = f"{ASSETS}/learnmark.js"
DEFAULT_THEME = BUILTIN_THEMES / "default"
"""Where a theme's strings fall back to when its own catalogues lack them (a theme usually grows from this one)."""


@dataclass(frozen=True)
class Theme:
    folder: Path
    env: jinja2.Environment
    stylesheet: str
    script: str
    files: dict[str, Path]
    """Other static files: output path → source file."""
    messages: Messages
    """Its interface strings, dates and numbers in the course's language (see i18n/)."""
    stamp: tuple = ()
    """Names, sizes and times of every theme file: changes when any of them does."""


def load_theme(folder: Path, language: str = "en", bytecode_cache: Path | None = None) -> Theme:
    """The theme in ``folder``, speaking ``language``; with ``bytecode_cache``, compiled templates are kept
    there between builds. Raises babel's PoFileError for a catalogue that cannot be read."""
    env = jinja2.Environment(
        bytecode_cache=_bytecode_cache(bytecode_cache),
        loader=jinja2.FileSystemLoader([folder / "templates", folder]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} text is one line in the catalogue, however it is wrapped
    messages = load_messages((folder, DEFAULT_THEME), language)
    messages.install(env)
    static = folder / "static"
    components = sorted((folder / "components").glob("*/")) if (folder / "components").is_dir() else []
    css = _files(static, "*.css") + [f for c in components for f in sorted(c.glob("*.css"))]
    js = _files(static, "*.js") + [f for c in components for f in sorted(c.glob("*.js"))]
    others = {f"{ASSETS}/{f.relative_to(static).as_posix()}": f
              for f in sorted(static.rglob("*")) if static.is_dir() and f.is_file() and f.suffix not in (".css", ".js")}
    return Theme(folder, env, cssmin(_join(folder, css)), jsmin(_join(folder, js)), others, messages,
                 theme_stamp(folder))


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja2's own cache of compiled templates (keyed by template source), if ``folder`` can hold it."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache only saves time: build without it
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def theme_stamp(folder: Path) -> tuple:
    """Names, times and sizes of a theme's files: cheap to compute, changes whenever the theme does."""
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(folder.rglob("*")) if f.is_file())


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.rglob(pattern)) if folder.is_dir() else []


def _join(root: Path, files: list[Path]) -> str:
    return "\n".join(f"/* {f.relative_to(root).as_posix()} */\n{f.read_text(encoding='utf-8')}" for f in files)


def template_problem(error: jinja2.TemplateError, root: Path) -> Diagnostic:
    """A theme author's template mistake, reported at the template's line.

    Syntax errors carry their place; errors while rendering (an undefined
    variable) do not, but Jinja2 points the traceback's frames at template lines.
    """
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
        filename, line = (frames[-1].filename, frames[-1].lineno) if frames else ("themes/", 1)
    try:
        filename = Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    line = line or 1
    return Diagnostic(SourceLocation(filename, line), f"template error: {error.message or error}",
                      "fix the theme template; variables pages receive are listed in the theme's README.md")
