"""Property: whatever an author writes in any field, the build never shows a traceback, and no page
it writes holds markup the author did not intend to be markup (tests/fuzzing.py has the generator;
tests/browser/test_fuzz_browser.py loads such pages in Chromium)."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings

from generator.build import build
from generator.errors import BuildFailed
from generator.theme import ON_DEMAND
from generator.write import encoded
from tests.conftest import REPO
from tests.fuzzing import courses, reported_attack

THEME_SCRIPTS = {("course.js", ""), ("dispatch-course.js", ""), ("learnmark.js", ""), ("", "document.body.className += ' js-enabled';"),
                 *((f"scorm-{name}.js", "") for name in ("lms", "suspend", "bridge", "runtime")),
                 *((f"{name}.js", "") for name in ON_DEMAND),  # the components' own, on the pages that use them
                 # The 404 page's <base> fixer, inlined from the theme (it reads the site's folders from JSON data).
                 ("", (REPO / "themes/default/templates/404-base.js").read_text(encoding="utf-8").removesuffix("\n"))}
"""The theme's scripts: (file name, inline text)."""


def write(root, files: dict[str, str]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def live_markup(html: str) -> list[str]:
    """What in a page could run a script: handlers, scripts the theme did not write, javascript: URLs."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        found += [f"<{tag.name} {name}>" for name in tag.attrs if name.lower().startswith("on")]
        found += [f"<{tag.name} {name}={value!r}>" for name, value in tag.attrs.items()
                  if name in ("href", "src", "action", "formaction") and "javascript:" in str(value).lower()]
        if tag.name in ("iframe", "object", "embed", "svg", "math", "base", "meta") and tag.find_parent("main"):
            found.append(f"<{tag.name}> in the page's body")
    found += [f"<script src={s.get('src')!r}>{s.string}" for s in soup.find_all("script")
              if (s.get("src", "").rpartition("/")[2], s.string or "") not in THEME_SCRIPTS
              and s.get("type") != "application/json"]  # data, which browsers never run
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=courses())
@example(files=reported_attack())
def test_any_text_in_any_field_builds_or_is_reported_and_never_becomes_markup(tmp_path, files):
    root = tmp_path / "course"
    write(root, files)
    try:
        site = build(root).site
    except BuildFailed as failure:
        assert failure.errors, "BuildFailed must carry at least one error"
        return
    for path, text in site.files.items():
        encoded(text)  # every page can be written (YAML's "\ud83d" used to reach the output alone)
        if path.endswith(".html"):
            assert live_markup(text) == [], (path, textwrap.shorten(files["content/01-first/01-fuzz.md"], 2000))


def test_half_a_character_in_yaml_is_an_error_not_a_traceback_on_writing(project, tmp_path):
    """Found by the browser proof: YAML reads "\\ud83d" (JSON's way to write half an emoji) as a lone
    surrogate, which no file can be written with."""
    project.write("content/01-first/01-one.md", '---\ntitle: One\nsummary: "a \\ud83d b"\n---\nHi\n')
    with pytest.raises(BuildFailed) as failure:
        build(project.root, tmp_path / "site")
    assert [d.format().splitlines()[0] for d in failure.value.errors] == [
        "content/01-first/01-one.md:3:10: error: 'summary' has half of a character (an escape such as \\ud83d on its own)"]
