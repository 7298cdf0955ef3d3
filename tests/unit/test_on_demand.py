"""The components few pages use (quiz, reflection, media) have scripts (and reflection and media stylesheets)
of their own, which only the pages that need them load: on the site, in each language's folder and in SCORM
packages."""

from __future__ import annotations

import posixpath
import shutil
import zipfile

import pytest

from bs4 import BeautifulSoup

from generator.build import build
from generator.errors import BuildFailed
from generator.on_demand import UnplacedComponents, with_components
from generator.theme import DEFAULT_THEME, ON_DEMAND, ON_DEMAND_STYLES, load_theme
from tests.bilingual import write_bilingual
from tests.conftest import REPO

from .test_bilingual import built
from .test_scorm_package import course_project, package  # noqa: F401 - the fixture

TAG = '<script src="../assets/learnmark.js" defer></script>'
STYLE = '<link rel="stylesheet" href="../assets/learnmark.css">'
THEME = load_theme(DEFAULT_THEME)


def href(path: str) -> str:
    return "../" + path


def scripts(html: str) -> list[str]:
    return [tag["src"] for tag in BeautifulSoup(html, "html.parser").find_all("script", src=True)]


def styles(html: str) -> list[str]:
    return [tag["href"] for tag in BeautifulSoup(html, "html.parser").find_all("link", rel="stylesheet")]


def test_the_theme_script_and_stylesheet_leave_out_the_on_demand_components_which_have_their_own():
    theme = THEME
    assert set(theme.scripts) == set(ON_DEMAND) and set(theme.styles) == set(ON_DEMAND_STYLES)
    assert "quizKindOf" in theme.scripts["quiz"] and "quizKindOf" not in theme.script  # answers.js, with quiz.js
    assert "register('quiz'" in theme.scripts["quiz"].replace('"', "'")
    assert "reflections" in theme.scripts["reflection"] and "L.reflections=" not in theme.script.replace(" ", "")
    assert "register('media'" in theme.scripts["media"] and "register('media'" not in theme.script
    assert "L.tracker" in theme.script  # the tracker, progress and the core stay in the one script
    assert ".media__title" in theme.styles["media"] and ".media__title" not in theme.stylesheet
    assert ".reflection" in theme.styles["reflection"] and ".reflection__" not in theme.stylesheet
    assert ".quiz" in theme.stylesheet  # the quiz's stays: one file gzips smaller than two on its pages


def test_a_page_loads_the_scripts_and_styles_of_the_components_it_holds_after_the_theme_s():
    page = (f'<head>{STYLE}{TAG}</head>'
            '<body><form data-module="quiz"></form><figure data-module="media"></figure></body>')
    html = with_components(page, THEME, href)
    assert scripts(html) == ["../assets/learnmark.js", "../assets/quiz.js", "../assets/media.js"]
    assert styles(html) == ["../assets/learnmark.css", "../assets/media.css"]


def test_a_page_without_them_is_left_as_it_is_and_one_without_the_theme_s_tags_is_an_error():
    plain = f"<head>{STYLE}{TAG}</head><body><p>data-module=&quot;quiz&quot;</p></body>"
    assert with_components(plain, THEME, href) == plain
    assert with_components("<body><p>No quiz.</p></body>", THEME, href) == "<body><p>No quiz.</p></body>"
    with pytest.raises(UnplacedComponents, match="assets/quiz.js"):
        with_components('<body><form data-module="quiz"></form></body>', THEME, href, "page.html")


def test_every_page_of_both_languages_loads_the_quiz_script_exactly_when_it_has_a_quiz(tmp_path):
    out, _ = built(write_bilingual(tmp_path / "course"))
    with_quiz = {"": 0, "cy/": 0}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        html = path.read_text(encoding="utf-8")
        loaded = scripts(html)
        quiz = [src for src in loaded if src.endswith("assets/quiz.js")]
        if 'data-module="quiz"' in html:
            with_quiz["cy/" if rel.startswith("cy/") else ""] += 1
            assert len(quiz) == 1, rel
            # One copy, at the root, for every language; after the theme's script, so register() is there.
            assert posixpath.normpath(posixpath.join(posixpath.dirname(rel), quiz[0])) == "assets/quiz.js"
            assert loaded.index(quiz[0]) == loaded.index(quiz[0].replace("quiz.js", "learnmark.js")) + 1
        elif rel.endswith(".html") and not rel.endswith("dispatch.html"):
            assert quiz == [], rel
    assert with_quiz[""] and with_quiz["cy/"]
    assert (out / "assets/quiz.js").is_file() and not (out / "cy/assets/quiz.js").exists()


def test_the_progress_page_loads_the_reflection_script_its_download_button_calls(tmp_path):
    out, _ = built(write_bilingual(tmp_path / "course"))
    for progress in ("progress.html", "cy/progress.html"):
        html = (out / progress).read_text(encoding="utf-8")
        loaded = scripts(html)
        assert any(src.endswith("assets/reflection.js") for src in loaded), progress
        assert any(src.endswith("assets/reflection.css") for src in styles(html)), progress
        assert not any(src.endswith("assets/quiz.js") for src in loaded), progress


def test_a_package_holds_the_quiz_script_its_quiz_page_loads(course_project, tmp_path):
    packages = package(course_project, tmp_path)
    archive = zipfile.ZipFile(packages[0].path)
    quiz_page = archive.read("first/two.html").decode()
    assert "../assets/quiz.js" in scripts(quiz_page)
    assert archive.read("assets/quiz.js").decode() == load_theme(DEFAULT_THEME).scripts["quiz"]
    assert 'href="assets/quiz.js"' in archive.read("imsmanifest.xml").decode()
    assert "../assets/quiz.js" not in scripts(archive.read("first/index.html").decode())


def test_a_theme_whose_page_lacks_the_script_tag_is_told_where(tmp_path):
    """A quiz page whose base.html loads learnmark.js some other way would get no quiz.js: a theme error, not silence."""
    project = tmp_path / "course"
    shutil.copytree(REPO / "tests" / "fixtures" / "question-types", project)
    base = project / "overrides" / "templates" / "base.html"
    base.parent.mkdir(parents=True, exist_ok=True)
    original = (REPO / "themes" / "default" / "templates" / "base.html").read_text()
    assert '" defer></script>' in original
    base.write_text(original.replace('" defer></script>', '" async></script>'))
    config = project / "site.yaml"
    assert "theme:" not in config.read_text()
    config.write_text(config.read_text() + "theme:\n  overrides: overrides\n")
    with pytest.raises(BuildFailed) as failed:
        build(project, tmp_path / "out")
    messages = [f"{d.location.path}:{d.message}" for d in failed.value.errors]
    assert any("assets/quiz.js" in m and "base.html" in m for m in messages), messages
