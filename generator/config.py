"""Load and validate ``site.yaml`` into a typed ``SiteConfig``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yaml import MappingNode, ScalarNode

from .accessibility import AccessibilityConfig, read_accessibility
from .branding import Branding, read_theme
from .errors import Diagnostic, SourceLocation
from .schema import Field, load_mapping, validate

CONFIG_FILE = "site.yaml"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_HERE = Path(__file__).resolve().parent
COMPLETION_RULES = ("all-pages", "quiz", "all-pages+quiz")
"""How a module is completed; the tracker's rule table (themes/default/static/js/tracker.js) applies them.
Unset, a module with a quiz uses ``all-pages+quiz`` and one without uses ``all-pages``."""
SCORM_VERSIONS = ("1.2", "2004-3", "2004-4")
MASTERY_REMOVED = ("delete the line: packages no longer give the LMS a mastery score, because LMSs such as Moodle "
                   "use it to mark an attempt failed while the learner still has retries; each quiz's pass= decides")
FAILED_STATUSES = ("failed", "incomplete")
"""What an LMS is told when a learner has not passed: ``failed``, or ``incomplete`` so the attempt stays open."""
BUILTIN_THEMES = next((p for p in (_HERE / "themes", _HERE.parent / "themes") if p.is_dir()), _HERE / "themes")
"""The themes shipped with Learnmark: the repository's themes/, which a wheel installs as generator/themes/."""

FIELDS = {
    "id": Field("text", required=True, slug=True),
    "title": Field("text", required=True),
    "organisation": Field("text", default=""),
    "language": Field("text", default="en-GB"),
    "languages": Field("list of text", default=None),
    "theme": Field("text", default="default"),
    "base_url": Field("text", default=""),
    "modules": Field("list of text", default=None, slug=True),
    "allow_html": Field("boolean", default=False),
    "completion": Field("text", choices=COMPLETION_RULES),
    "scorm_version": Field("text", default="1.2", choices=SCORM_VERSIONS),
    "scorm_mastery": Field("integer", removed=MASTERY_REMOVED),
    "scorm_failed_status": Field("text", default="failed", choices=FAILED_STATUSES),
    "extra": Field("mapping", default={}),
    "support": Field("text", default=""),
    "accessibility": Field("mapping", default={}),
    "translations": Field("mapping", default={}),
}


@dataclass(frozen=True)
class SiteConfig:
    """The course-wide settings from ``site.yaml``."""

    root: Path
    """The project folder (holds ``site.yaml`` and ``content/``)."""
    id: str
    """Course id; namespaces learners' saved progress and package names."""
    title: str
    organisation: str = ""
    language: str = "en-GB"
    """BCP 47 language tag for ``<html lang>``."""
    languages: tuple[str, ...] = ()
    """A bilingual course's languages, the default first (``languages:``); empty for a one-language course."""
    folder: str = ""
    """Where this language's pages sit in the site: ``cy/`` for a bilingual course's other languages, else ''."""
    theme: str = "default"
    """A theme name under ``themes/`` or a path to a theme folder."""
    base_url: str = ""
    """Where the site is published; used for canonical links and the 404 page."""
    modules: tuple[str, ...] | None = None
    """Module ids in display order; None means folder-number order."""
    allow_html: bool = False
    """Let authors write raw HTML (sanitised); otherwise it is shown as text."""
    completion: str | None = None
    """Default completion rule for modules (one of COMPLETION_RULES); None: by whether a module has a quiz."""
    scorm_version: str = "1.2"
    """Default SCORM version for ``learnmark package``."""
    scorm_failed_status: str = "failed"
    """Reported to the LMS when a learner has not passed (``failed`` or ``incomplete``)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form values for themes."""
    support: str = ""
    """The support page's Markdown file, relative to the project (``content/_support.md``); empty: none."""
    accessibility: AccessibilityConfig = AccessibilityConfig()
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """A bilingual course's title and organisation in its other languages: ``{"cy": {"title": ...}}``."""
    """The generated accessibility statement's settings (see accessibility.py)."""
    branding: Branding = Branding()
    """``theme:`` as a mapping: overrides folder and brand colour, logo and favicon (see branding.py)."""
    locations: dict[str, SourceLocation] = field(default_factory=dict, compare=False)
    """Where each key's value was written, for errors found later (e.g. in ``modules``)."""

    def location_of(self, key: str) -> SourceLocation:
        return self.locations.get(key, SourceLocation(CONFIG_FILE))

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def theme_dir(self) -> Path:
        """The course's own ``themes/<name>``, else a built-in theme, else a path."""
        for candidate in (self.root / "themes" / self.theme, BUILTIN_THEMES / self.theme):
            if candidate.is_dir():
                return candidate
        return self.root / self.theme

    @property
    def overrides_dir(self) -> Path | None:
        """The folder of files replacing the theme's (``theme: overrides:``), or None."""
        return self.root / self.branding.overrides if self.branding.overrides else None


def load_config(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read ``root/site.yaml``: the config and its problems.

    None only when there is no ``site.yaml``. When it has errors, the config
    holds what could be read and defaults for the rest (``PLACEHOLDERS`` for a
    missing id or title), so that the rest of the build can still check the
    content in the same run; the errors make the build fail.
    """
    where = SourceLocation(CONFIG_FILE)
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [Diagnostic(where, f"no {CONFIG_FILE} in {root}",
                                 "run learnmark in the course folder, or pass --project DIR")]
    text, problems = _read(path, where)
    locate = lambda mark: where.at(mark.line + 1, mark.column + 1)  # noqa: E731
    node, found = load_mapping(text, locate, CONFIG_FILE) if not problems else (None, [])
    problems += found
    node, theme_node = _without_theme_mapping(node)
    values, found = validate(node, FIELDS, locate, where, CONFIG_FILE)
    # A value inside 'accessibility:' that cannot be read is reported where it is, by _accessibility.
    found = [d for d in found if not d.message.startswith("'accessibility' cannot be read")]
    problems = problems or found  # a file that cannot be read would also have "no 'id'": say only why
    values = {**values, **{key: value for key, value in PLACEHOLDERS.items() if values.get(key) is None}}
    if values["modules"] is not None:
        values["modules"] = tuple(values["modules"])
    locations = {k.value: locate(v.start_mark) for k, v in node.value if isinstance(k, ScalarNode)} if node else {}
    if theme_node is not None:
        locations["theme"] = locate(theme_node.start_mark)
    values["accessibility"], found = _accessibility(node, locate, where)
    problems += found
    values["languages"], found = _languages(values, locations)
    problems += found
    values["translations"], found = _translations(node, locate, values["languages"])
    problems += found
    values["branding"] = Branding()
    if theme_node is not None:
        values["theme"], values["branding"], found = read_theme(theme_node, locate, locations["theme"], root)
        problems += found
    config = SiteConfig(root=root, locations=locations, **values)
    if config.languages:
        config = replace(config, language=config.languages[0])
    if not _LANGUAGE.match(config.language):
        problems.append(Diagnostic(config.location_of("language"), f"'{config.language}' is not a language tag",
                                   "use a tag such as en-GB, cy or en"))
        config = replace(config, language=FIELDS["language"].default)
    if config.base_url and not re.match(r"^https?://[^\s/]+", config.base_url):
        problems.append(Diagnostic(config.location_of("base_url"), f"'{config.base_url}' is not a web address",
                                   "write the full address, e.g. https://learning.example.org/culture/"))
        config = replace(config, base_url="")
    if not config.theme_dir.is_dir():
        problems.append(Diagnostic(config.location_of("theme"), f"theme '{config.theme}' not found",
                                   f"expected a folder themes/{config.theme}/ or a path to a theme folder; "
                                   f"built-in themes: {', '.join(sorted(p.name for p in BUILTIN_THEMES.glob('*/')))}"))
        config = replace(config, theme=FIELDS["theme"].default)
    return config, problems


def _without_theme_mapping(node: MappingNode | None) -> tuple[MappingNode | None, MappingNode | None]:
    """``site.yaml`` without ``theme:`` when that is a mapping (read by branding.read_theme), and that mapping."""
    pairs = node.value if node else ()
    theme = next((v for k, v in pairs if isinstance(k, ScalarNode) and k.value == "theme"), None)
    if not isinstance(theme, MappingNode):
        return node, None
    rest = [(k, v) for k, v in pairs if not (isinstance(k, ScalarNode) and k.value == "theme" and v is theme)]
    return MappingNode(node.tag, rest, node.start_mark, node.end_mark), theme


def _accessibility(node: MappingNode | None, locate, where: SourceLocation
                   ) -> tuple[AccessibilityConfig, list[Diagnostic]]:
    """The ``accessibility:`` settings; a value that is not a mapping was reported by ``validate``."""
    key, value = next(((k, v) for k, v in (node.value if node else ()) if k.value == "accessibility"), (None, None))
    if node is None or (value is not None and not isinstance(value, MappingNode)):  # unreadable: reported already
        return AccessibilityConfig(), []
    return read_accessibility(value, locate, locate(key.start_mark) if key is not None else where)


TRANSLATED = {"title": Field("text"), "organisation": Field("text")}
"""What ``translations: <language>:`` may give: the course-wide text of ``site.yaml``."""


def _translations(node: MappingNode | None, locate, languages: tuple[str, ...]
                  ) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """``translations:``: the course's title and organisation in each of its other languages."""
    value = next((v for k, v in (node.value if node else ()) if k.value == "translations"), None)
    if not isinstance(value, MappingNode):  # absent, or not a mapping: reported by validate
        return {}, []
    out, problems = {}, []
    for key, fields in value.value:
        tag = key.value if isinstance(key, ScalarNode) else ""
        if tag not in languages[1:]:
            others = ", ".join(languages[1:])
            problems.append(Diagnostic(locate(key.start_mark), f"'translations' names '{tag}', which is not one of "
                                       "the course's other languages",
                                       f"use one of: {others}" if others else
                                       "translations are for a bilingual course: list its languages first, "
                                       "languages: [en-GB, cy]"))
            continue
        if not isinstance(fields, MappingNode):
            problems.append(Diagnostic(locate(fields.start_mark), f"'translations: {tag}' is not a list of settings",
                                       f"write the course's {tag} title under it: 'title: ...'"))
            continue
        values, found = validate(fields, TRANSLATED, locate, locate(key.start_mark), f"translations: {tag}")
        problems += found
        out[tag] = {k: v for k, v in values.items() if v}
    return out, problems


def _languages(values: dict, locations: dict[str, SourceLocation]) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """A bilingual course's ``languages:`` (see i18n/translations.py): tags, none twice, not with ``language:``."""
    tags = values.get("languages")
    if tags is None:
        return (), []
    at = locations.get("languages", SourceLocation(CONFIG_FILE))
    problems = [Diagnostic(at, f"'{tag}' is not a language tag", "use tags such as en-GB and cy")
                for tag in tags if not _LANGUAGE.match(tag)]
    if "language" in locations:  # reported, and 'languages' used, so translations are not reported too
        problems.append(Diagnostic(locations["language"], "'language' and 'languages' cannot both be set",
                                   "keep 'languages: [en-GB, cy]' for a bilingual course (its first is the default), "
                                   "or 'language:' alone for a course in one language"))
        return tuple(tags) if len(problems) == 1 else (), problems
    problems += [Diagnostic(at, f"'languages' lists '{tag}' twice", "list each language once")
                 for tag in dict.fromkeys(t for i, t in enumerate(tags) if t in tags[:i])]
    if not tags:
        problems.append(Diagnostic(at, "'languages' is empty", "list the course's languages, the default first: "
                                                               "languages: [en-GB, cy]"))
    return (() if problems else tuple(tags)), problems


PLACEHOLDERS = {"id": "course", "title": "Course"}
"""The id and title of a course whose site.yaml has none (or wrong ones): the build fails, but goes on checking."""


def _read(path: Path, where: SourceLocation) -> tuple[str, list[Diagnostic]]:
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        column = error.start - (error.object.rfind(b"\n", 0, error.start) + 1) + 1
        return "", [Diagnostic(where.at(line, column), f"{CONFIG_FILE} is not UTF-8 text ({error.reason} at byte {error.start})",
                               "save the file as UTF-8 in your editor")]
    except OSError as error:
        return "", [Diagnostic(where, f"cannot read {CONFIG_FILE}: {error.strerror or error}",
                               "check the file's permissions")]
