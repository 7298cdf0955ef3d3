"""The SCORM launch pages' scripts, as a package or the published site carries them.

Those pages load neither assets/learnmark.js nor, always, course.js, yet show
the learner notices ("not recorded", "cannot reach the course"): so
``assets/scorm-lms.js``, which each of them loads first, starts with the
theme's i18n functions (static/js/i18n.js, also the first part of
learnmark.js), and ``Learnmark.t`` works there as on every other page.
"""

from __future__ import annotations

from ..theme import DEFAULT_THEME, Theme

I18N = "static/js/i18n.js"
CARRIER = "lms.js"
"""The script every launch page loads first: the i18n functions go in front of it."""


def scorm_scripts(theme: Theme, scripts: dict[str, str]) -> dict[str, str]:
    """``scripts`` (output path → file in the theme's scorm/ folder) as the text each output file holds."""
    return {path: _i18n(theme) + _read(theme, f"scorm/{name}") if name == CARRIER else _read(theme, f"scorm/{name}")
            for path, name in scripts.items()}


def _i18n(theme: Theme) -> str:
    return f"/* {I18N} */\n{_read(theme, I18N)}\n/* scorm/{CARRIER} */\n"


def _read(theme: Theme, name: str) -> str:
    """A theme file; a theme made before it existed (static/js/i18n.js) uses the built-in theme's."""
    path = theme.folder / name
    return (path if path.exists() or name != I18N else DEFAULT_THEME / name).read_text(encoding="utf-8")
