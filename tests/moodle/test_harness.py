"""Smoke tests of the Moodle harness: packages made by the current code go through a real Moodle.

Each test uploads a package with the "Add SCORM package" form's defaults, logs a fresh student
in, enters through Moodle's player, turns a page inside the SCO, leaves with "Exit activity" and
reads what Moodle stored. They check the harness, not the runtime's status semantics.
"""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .harness import Moodle, MoodleError

REPO_ROOT = Path(__file__).resolve().parents[2]
MODULES = {
    "01-safety": ("Safety culture", {
        "01-speak-up.md": ("Speaking up", "Speak up early."),
        "02-listen.md": ("Listening", "Listen well."),
    }),
    "02-feedback": ("Giving feedback", {
        "01-timely.md": ("Timely feedback", "Soon, not later."),
    }),
}


def write_course(root: Path, extra: str = "") -> Path:
    """A two-module scratch course; extra is appended to the first page (to make a changed package)."""
    course = root / "course"
    (course / "content").mkdir(parents=True, exist_ok=True)
    (course / "site.yaml").write_text("id: moodletest\ntitle: Moodle test\n")
    for folder, (title, pages) in MODULES.items():
        (course / "content" / folder).mkdir(exist_ok=True)
        (course / "content" / folder / "_module.md").write_text(f"---\ntitle: {title}\nsummary: For tests.\n---\nWelcome.\n")
        for i, (name, (page_title, text)) in enumerate(pages.items()):
            body = text + (("\n\n" + extra) if extra and i == 0 else "")
            (course / "content" / folder / name).write_text(f"---\ntitle: {page_title}\n---\n## {page_title}\n\n{body}\n")
    return course


def package(course: Path, out: Path, *args: str) -> list[Path]:
    """Runs the current code's `package` on course; returns the zips it wrote."""
    run = subprocess.run([sys.executable, "-m", "generator", "package", "--project", str(course), "--out", str(out), *args],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"learnmark package {' '.join(args)} failed:\n{run.stderr}\n{run.stdout}"
    return sorted(out.glob("*.zip"))


@pytest.fixture(scope="module")
def zips(tmp_path_factory) -> dict[str, Path]:
    """Packages of the scratch course: the first module as 1.2 and 2004-4, and the whole course as 1.2 (two SCOs)."""
    root = tmp_path_factory.mktemp("moodle-packages")
    course = write_course(root)
    out = {}
    for version, suffix in (("1.2", "scorm12"), ("2004-4", "scorm2004-4")):
        (zip_path,) = package(course, root / version, "--scorm", version, "--module", "safety")
        assert zip_path.name.endswith(f"-{suffix}.zip"), zip_path
        out[version] = zip_path
    (out["course"],) = package(course, root / "course-1.2", "--scorm", "1.2", "--course")
    return out


def content(sco):
    """The SCO launch page's own frame, where Learnmark shows the module's pages."""
    return sco.frame_locator("#lm-content")


def next_page(sco) -> str:
    """Follows the page's rel=next link; returns the new page's h1."""
    h1 = content(sco).locator("h1")
    before = h1.inner_text()
    content(sco).locator('a[rel="next"]').first.click()
    deadline = time.monotonic() + 15
    while (now := h1.inner_text()) == before:
        assert time.monotonic() < deadline, f"still on {before!r} after following rel=next"
        time.sleep(0.05)
    return now


def test_the_activity_has_the_forms_defaults(moodle: Moodle, zips):
    activity = moodle.add_scorm(zips["1.2"], name="Defaults")
    config = {row["name"]: row["value"] for row in moodle.sql(
        "SELECT name, value FROM mdl_config_plugins WHERE plugin = 'scorm'")}
    same_name = ["grademethod", "maxgrade", "maxattempt", "whatgrade", "forcenewattempt", "lastattemptlock",
                 "forcecompleted", "auto", "autocommit", "masteryoverride", "popup", "skipview", "hidebrowse",
                 "displaycoursestructure", "hidetoc", "nav", "navpositionleft", "navpositiontop",
                 "displayattemptstatus", "updatefreq"]
    stored = {name: activity.scorm[name] for name in same_name}
    assert stored == {name: config[name] for name in same_name}
    assert (activity.scorm["width"], activity.scorm["height"]) == (config["framewidth"], config["frameheight"])
    # Moodle's own defaults (not its test generator's GRADESCOES): highest grade, mastery overrides status.
    assert (stored["grademethod"], stored["masteryoverride"], stored["forcenewattempt"], stored["popup"]) == \
        ("1", "1", "0", "0")
    assert activity.completion["completion"] == 2  # automatic
    assert activity.completion["completionstatusrequired"] == "4"  # "Completed"
    assert activity.version == "SCORM_1.2" and activity.revision == 1
    assert moodle.grade_max(activity) == 100.0


@pytest.mark.parametrize("version, location", [("1.2", "cmi.core.lesson_location"), ("2004-4", "cmi.location")])
def test_a_student_enters_turns_a_page_and_exits(moodle: Moodle, zips, student, student_page, version, location):
    activity = moodle.add_scorm(zips[version], name=f"Safety {version}")
    assert activity.version == ("SCORM_1.2" if version == "1.2" else "SCORM_1.3")
    errors = []
    student_page.on("pageerror", lambda e: errors.append(str(e)))

    sco = moodle.enter(student_page, activity)
    assert f"/pluginfile.php/{activity.contextid}/mod_scorm/content/{activity.revision}/" in sco.url
    assert sco.url.endswith("/launch.html")
    assert "Safety culture" in content(sco).locator("h1").inner_text()
    assert "Speaking up" in next_page(sco)
    moodle.exit_activity(student_page)

    assert moodle.attempts(activity, student) == [1]
    tracks = moodle.tracks(activity, student)
    assert set(tracks) == {1}
    assert tracks[1].get(location), f"no {location} stored: {tracks}"
    assert moodle.completion(activity, student) in (None, 0, 1, 2, 3)  # readable; its value is the runtime's business
    assert errors == []


def test_update_package_re_parses_and_serves_the_new_revision(moodle: Moodle, zips, student, student_page,
                                                              tmp_path):
    activity = moodle.add_scorm(zips["1.2"], name="Updated")
    (changed,) = package(write_course(tmp_path, extra="A sentence added in version two."), tmp_path / "v2",
                         "--scorm", "1.2", "--module", "safety")
    updated = moodle.update_package(activity, changed)
    assert (updated.cmid, updated.instance) == (activity.cmid, activity.instance)
    assert updated.revision == activity.revision + 1
    assert updated.scorm["reference"] == changed.name
    assert updated.scorm["sha1hash"] != activity.scorm["sha1hash"]

    sco = moodle.enter(student_page, updated)
    assert f"/mod_scorm/content/{updated.revision}/" in sco.url
    next_page(sco)
    assert "A sentence added in version two." in content(sco).locator("main").inner_text()


def test_the_players_buttons_and_table_of_contents_move_between_scos(moodle: Moodle, zips, student, student_page):
    activity = moodle.add_scorm(zips["course"], name="Two modules")
    scoes = moodle.scoes(activity)
    assert [s["title"] for s in scoes] == ["Safety culture", "Giving feedback"]
    first, second = scoes

    sco = moodle.enter(student_page, activity)
    assert sco.url.endswith("/" + first["launch"])
    assert "Speaking up" in next_page(sco)  # a click inside the SCO: the next click in the player must still work
    sco = moodle.next_sco(student_page)
    assert sco.url.endswith("/" + second["launch"])
    assert "Giving feedback" in content(sco).locator("h1").inner_text()
    sco = moodle.previous_sco(student_page)
    assert sco.url.endswith("/" + first["launch"])
    sco = moodle.open_sco(student_page, "Giving feedback")
    assert sco.url.endswith("/" + second["launch"])
    assert "Timely feedback" in next_page(sco)
    sco = moodle.open_sco(student_page, first["id"])
    assert sco.url.endswith("/" + first["launch"])
    moodle.exit_activity(student_page)

    assert moodle.attempts(activity, student) == [1]
    assert moodle.tracks(activity, student, sco=second["id"])[1].get("cmi.core.lesson_location")


def test_a_package_without_a_manifest_is_refused_as_the_form_would(moodle: Moodle, tmp_path):
    bad = tmp_path / "not-scorm.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("index.html", "<p>Hello</p>")
    with pytest.raises(MoodleError, match="imsmanifest.xml"):
        moodle.add_scorm(bad, name="Not SCORM")
