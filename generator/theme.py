"""Load a theme: Jinja2 templates, and its CSS and JS joined into one file each.

A theme has ``templates/`` (pages), ``components/<name>/`` (macro, CSS, JS,
README, as in nhsuk-frontend) and ``static/`` (base CSS/JS and other files).
Joining the CSS and JS keeps each page to two small, cacheable requests with
no front-end build step; stripping their comments and spaces as they are
joined (rjsmin, rcssmin) keeps a theme's sources readable and its pages
inside the 30 KB budget. The components few pages use (``ON_DEMAND``: quizzes,
reflections, media) have a script of their own, which only the pages with their
markup load (see on_demand.py): a page without a quiz does not load the quiz's
code. So do reflections' and media's stylesheets (``ON_DEMAND_STYLES``).
"""

from __future__ import annotations

import os
import stat
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from rcssmin import cssmin
from rjsmin import jsmin

from .branding import Branding
from .cache import UNUSED_DAYS, drop_unused, mark_used
from .config import BUILTIN_THEMES, SiteConfig
from .errors import Diagnostic, SourceLocation
from .i18n import Messages, load_messages
from .templating import ThemeEnvironment

ASSETS = "assets"
STYLESHEET = f"{ASSETS}/learnmark.css"
SCRIPT = f"{ASSETS}/learnmark.js"
ON_DEMAND = {
    "quiz": ('data-module="quiz"',),
    "reflection": ('data-module="reflection"', "data-reflections-download"),  # the progress page's download
    "media": ('data-module="media"',),
}
"""Components whose script is ``assets/<name>.js``, loaded only by pages whose HTML holds one of these markers
(their markup, or a control that calls their code)."""
ON_DEMAND_STYLES = ("reflection", "media")
"""``ON_DEMAND`` components whose stylesheet is ``assets/<name>.css``, loaded as their script is. The quiz's stays
in the theme's stylesheet: pages with a quiz are the heaviest, and one file gzips smaller than two."""
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
    overrides: Path | None = None
    """The course's folder of files replacing the theme's, one by one (``theme: overrides:``)."""
    branding: Branding = Branding()
    scripts: dict[str, str] = field(default_factory=dict)
    """The ``ON_DEMAND`` components' scripts the theme has: component name → minified script."""
    styles: dict[str, str] = field(default_factory=dict)
    """The ``ON_DEMAND_STYLES`` components' stylesheets the theme has: component name → minified stylesheet."""


def component_script(name: str) -> str:
    """Where an ``ON_DEMAND`` component's script is written."""
    return f"{ASSETS}/{name}.js"


def component_style(name: str) -> str:
    """Where an ``ON_DEMAND_STYLES`` component's stylesheet is written."""
    return f"{ASSETS}/{name}.css"


def component_files(theme: Theme) -> dict[str, str]:
    """The on-demand components' scripts and stylesheets by the path each is written to (beside the theme's)."""
    return {**{component_script(name): text for name, text in theme.scripts.items()},
            **{component_style(name): text for name, text in theme.styles.items()}}


def load_theme(folder: Path, language: str = "en", bytecode_cache: Path | None = None,
               overrides: Path | None = None, branding: Branding = Branding(), root: Path | None = None) -> Theme:
    """The theme in ``folder``, speaking ``language``; with ``bytecode_cache``, compiled templates are kept
    there between builds. Raises babel's PoFileError for a catalogue that cannot be read.

    A file in ``overrides`` replaces the theme's file at the same path (a template, a component's macro,
    CSS or JS, a static file); a template there reaches the one it replaces as ``theme:NAME`` (and the
    built-in default theme's as ``default:NAME``). ``branding``'s colour is added to the stylesheet and its
    images (relative to ``root``, the project) to the files.
    """
    own = jinja2.FileSystemLoader([folder / "templates", folder])
    layers = [jinja2.FileSystemLoader([overrides / "templates", overrides]), own] if overrides else [own]
    prefixed = jinja2.PrefixLoader({"theme": own, "default": jinja2.FileSystemLoader(
        [DEFAULT_THEME / "templates", DEFAULT_THEME])}, delimiter=":")
    env = ThemeEnvironment(
        bytecode_cache=_bytecode_cache(bytecode_cache),
        loader=jinja2.ChoiceLoader([prefixed, *layers]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # a theme whose files change is loaded anew (``Theme.stamp``): no stat per template used
    )
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} text is one line in the catalogue, however it is wrapped
    messages = load_messages((folder, DEFAULT_THEME), language)
    messages.install(env)
    files = {**_theme_files(folder), **(_theme_files(overrides) if overrides else {})}
    css = _ordered(files, ".css")
    styles = {name: [rel for rel in css if rel.split("/")[:2] == ["components", name]] for name in ON_DEMAND_STYLES}
    css = [rel for rel in css if rel not in {rel for names in styles.values() for rel in names}]
    js = _ordered(files, ".js")
    own = {name: [rel for rel in js if rel.split("/")[:2] == ["components", name]] for name in ON_DEMAND}
    core = [rel for rel in js if rel not in {rel for names in own.values() for rel in names}]
    others = {f"{ASSETS}/{rel[len('static/'):]}": path for rel, path in sorted(files.items())
              if rel.startswith("static/") and path.suffix not in (".css", ".js")}
    if root is not None:
        others.update({out: root / src for out, src in branding.files().items()})
    stylesheet = cssmin(_join(files, css) + brand_css(branding.colour, branding.colour_dark))
    return Theme(folder, env, stylesheet, jsmin(_join(files, core)), others, messages, theme_stamp(folder, overrides),
                 overrides, branding, {name: jsmin(_join(files, names)) for name, names in own.items() if names},
                 {name: cssmin(_join(files, names)) for name, names in styles.items() if names})


def load_course_theme(config: SiteConfig, language: str, bytecode_cache: Path | None = None) -> Theme:
    """The theme a course's ``site.yaml`` names, with its overrides and brand."""
    return load_theme(config.theme_dir, language, bytecode_cache, config.overrides_dir, config.branding, config.root)


def brand_css(colour: str, colour_dark: str = "") -> str:
    """The brand's colours as the theme's custom properties, last in the one stylesheet so they win: ``colour``
    is ``--color-brand-fill`` (behind ``--color-on-brand`` text) in light and dark and ``--color-brand``
    (boundaries) in light; ``colour_dark`` is ``--color-brand`` in dark, where boundaries meet dark surfaces."""
    light = _declare({"--color-brand": colour, "--color-brand-fill": colour})
    dark = _declare({"--color-brand-fill": colour, "--color-brand": colour_dark})
    rules = ([f":root {{ {light} }}"] if light else []) + (
        [f"@media (prefers-color-scheme: dark) {{ :root {{ {dark} }} }}"] if dark else [])
    return "".join(["\n/* site.yaml theme: brand: */\n", *(rule + "\n" for rule in rules)]) if rules else ""


def _declare(properties: dict[str, str]) -> str:
    """CSS declarations of the properties that have a value."""
    return " ".join(f"{name}: {value};" for name, value in properties.items() if value)


def _theme_files(folder: Path) -> dict[str, Path]:
    """A theme's (or overrides folder's) static and component files by path relative to it."""
    return {f.relative_to(folder).as_posix(): f for part in ("static", "components")
            for f in sorted((folder / part).rglob("*")) if f.is_file()}


def _ordered(files: dict[str, Path], suffix: str) -> list[str]:
    """The static files of a type, then each component's, as the stylesheet and script join them."""
    static = sorted(rel for rel in files if rel.startswith("static/") and rel.endswith(suffix))
    components = sorted((rel for rel in files if rel.startswith("components/") and rel.endswith(suffix)
                         and rel.count("/") == 2), key=lambda rel: rel.split("/")[1:])
    return static + components


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja2's own cache of compiled templates (keyed by template source), if ``folder`` can hold it."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache only saves time: build without it
        return None
    return KeptTemplates(str(folder))


class KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates, with what no build used for ``cache.UNUSED_DAYS`` dropped. It keeps a
    file for each version of each template's source, so every theme edited and every course's overrides add
    files for good (240 MB on this project's machine in a month). A build marks each file it loads used, and
    compiling a template looks for unused ones: each at most once a day, so most builds write nothing more."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is not None:
            mark_used(Path(self.directory, self.pattern % (bucket.key,)))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        if mark_used(Path(self.directory, ".dropped")):  # when the unused were last looked for
            drop_unused(Path(self.directory), self.pattern % ("*",), UNUSED_DAYS)


def theme_stamp(folder: Path, overrides: Path | None = None) -> tuple:
    """Names, times and sizes of a theme's files and its overrides': cheap to compute, changes whenever they do.
    Each file is looked at once (a build asks for it two or three times: ``pathlib``'s ``rglob`` and a stat for
    each question took 1.6 ms a time for the default theme's 90 files, this 0.5 ms)."""
    found = []
    for each in (folder, overrides):
        for path, folders, files in os.walk(each) if each is not None else ():  # as rglob: links to folders not followed
            folders.sort()
            for name in sorted(files):
                file = os.path.join(path, name)
                try:
                    st = os.stat(file)
                except OSError:  # a dangling link
                    continue
                if stat.S_ISREG(st.st_mode):
                    found.append((file, st.st_mtime_ns, st.st_size))
    return tuple(found)


def _join(files: dict[str, Path], names: list[str]) -> str:
    return "\n".join(f"/* {name} */\n{files[name].read_text(encoding='utf-8')}" for name in names)


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
