"""Fixtures for the Moodle tests: a real Moodle 4.5.5, started once per session (see README.md).

``moodle`` is the running site (harness.Moodle). It skips, with one line saying why, when the
Moodle tarball is absent (LEARNMARK_MOODLE_TARBALL) or PHP 8.1-8.3 is not installed; any other
problem bringing it up is a failure showing the end of the log. Every test in tests/moodle is
marked ``moodle`` (deselect them with ``-m "not moodle"``).

The browser is the shared one from tests/conftest.py (Debian's chromium through Playwright).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import harness
from .provision import MoodleUnavailable, ProvisioningError, check_machine

HERE = Path(__file__).resolve().parent
_REPORT: list[str] = []


def pytest_collection_modifyitems(config, items):
    mine = [item for item in items if HERE in Path(str(item.fspath)).resolve().parents]
    if not mine:
        return
    try:
        check_machine()
        unavailable = None
    except MoodleUnavailable as exc:
        unavailable = str(exc)
    for item in mine:
        item.add_marker(pytest.mark.moodle)
        if unavailable:
            # A skip mark (rather than a skip in the fixture) makes -ra fold them into one line per file.
            item.add_marker(pytest.mark.skip(reason=unavailable))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    mark = item.get_closest_marker("skip")
    if report.skipped and mark and str(mark.kwargs.get("reason", "")).startswith("Moodle tests skipped"):
        # One line for all of them under -ra, wherever they are.
        report.longrepr = (str(Path(__file__)), None, mark.kwargs["reason"])


def pytest_terminal_summary(terminalreporter):
    for line in _REPORT:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def moodle() -> harness.Moodle:
    """The running Moodle (one per session): add_scorm, new_student, login, enter, tracks, grade..."""
    problem = None
    try:
        site = harness.start()
    except MoodleUnavailable as exc:
        problem = (pytest.skip, str(exc))
    except ProvisioningError as exc:
        problem = (pytest.fail, f"bringing up Moodle failed: {exc}")
    if problem:  # outside the except block, so the report is the message alone
        if problem[0] is pytest.skip:
            pytest.skip(problem[1])
        pytest.fail(problem[1], pytrace=False)
    _REPORT.append(f"Moodle {site.url} up: {site.site.timings}")
    try:
        yield site
    finally:
        site.site.stop()


@pytest.fixture
def student(moodle) -> harness.Student:
    """A new student enrolled in the test course, for this test only."""
    return moodle.new_student()


@pytest.fixture
def student_page(moodle, student, new_context):
    """A page in a fresh browser context logged in as ``student``."""
    context = new_context()
    moodle.login(context, student)
    page = context.new_page()
    page.set_default_timeout(harness.PLAYER_TIMEOUT_S * 1000)
    return page
