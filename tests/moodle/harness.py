"""A real Moodle 4.5 for tests: upload SCORM packages, play them as a student in Moodle's player, read what it stored.

The ``moodle`` fixture (tests/moodle/conftest.py) gives a :class:`Moodle`, started once per test
session (see provision.py for how and how long). Typical use::

    activity = moodle.add_scorm(zip_path, name="Safety")      # the "Add SCORM package" form's defaults
    student = moodle.new_student()                             # a fresh enrolled student per test
    context = new_context(); moodle.login(context, student); page = context.new_page()
    sco = moodle.enter(page, activity)                         # the SCO's Frame inside Moodle's player
    sco.frame_locator("#lm-content").locator('a[rel="next"]').click()
    moodle.exit_activity(page)                                 # "Exit activity", and the last commit landed
    moodle.tracks(activity, student)   # {1: {"cmi.core.lesson_location": "...", ...}}

Course, users, activities are made by Moodle's own PHP API in the CLI scripts in php/; reads go
straight to the database with psql. Moodle's defaults are never changed.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .provision import MoodleSite, ProvisioningError, tail

PHP_DIR = Path(__file__).resolve().parent / "php"
STUDENT_PASSWORD = "Student-pass-1"
PLAYER_TIMEOUT_S = 30
NAVIGATION_TIMEOUT_S = 5
COMMIT_TIMEOUT_S = 15

# mdl_course_modules_completion.completionstate
COMPLETION_INCOMPLETE, COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS, COMPLETION_COMPLETE_FAIL = 0, 1, 2, 3


@dataclass(frozen=True)
class Activity:
    """A SCORM activity in the test course."""

    cmid: int
    """Course module id: /mod/scorm/view.php?id=CMID."""
    instance: int
    """mdl_scorm.id (scormid in mdl_scorm_attempt, iteminstance in mdl_grade_items)."""
    course: int
    contextid: int
    """The module context: its content is served from /pluginfile.php/CONTEXTID/mod_scorm/content/REVISION/..."""
    name: str
    revision: int
    """mdl_scorm.revision, raised by one each time a new package is parsed."""
    version: str
    """What Moodle read from the manifest: SCORM_1.2 or SCORM_1.3 (for 2004)."""
    scorm: dict = field(repr=False, compare=False)
    """The whole mdl_scorm row, as strings (every setting the form gave it)."""
    completion: dict = field(repr=False, compare=False)
    """completion, completionview, completionstatusrequired, completionscorerequired, completionstatusallscos."""

    @classmethod
    def from_php(cls, data: dict) -> "Activity":
        return cls(cmid=data["cmid"], instance=data["instance"], course=data["course"], contextid=data["contextid"],
                   name=data["scorm"]["name"], revision=data["revision"], version=data["version"], scorm=data["scorm"],
                   completion=data["completion"])


@dataclass(frozen=True)
class Student:
    id: int
    username: str
    password: str


class MoodleError(AssertionError):
    """A harness step that Moodle refused (a CLI script failed, the player did not appear...)."""


class Moodle:
    """The running test site and what tests do with it."""

    def __init__(self, site: MoodleSite):
        self.site = site
        self.url = site.url
        """Base URL, e.g. http://127.0.0.1:PORT (no trailing slash)."""
        self._students = itertools.count(1)
        self._courses = itertools.count(1)
        course = self.php("create_course.php", shortname="packages", fullname="Learnmark packages")
        self.course_id: int = course["id"]
        """The test course (completion tracking on) that add_scorm() adds to."""
        self.teacher_id: int = course["teacherid"]
        """Its editing teacher, who adds and updates the activities."""

    # ---- Moodle's PHP API ----------------------------------------------------------

    def php(self, script: str, **args: Any) -> dict:
        """Runs php/SCRIPT with args as its JSON argument; returns its result (MoodleError if it fails)."""
        cmd = [self.site.php, str(PHP_DIR / script), json.dumps(args)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=self.site.php_env(), timeout=300,
                              stdin=subprocess.DEVNULL)
        marker = "LEARNMARK_RESULT "
        lines = [line for line in proc.stdout.splitlines() if line.startswith(marker)]
        if proc.returncode != 0 or not lines:
            raise MoodleError(f"php/{script} failed (exit {proc.returncode}) with {json.dumps(args)}\n"
                              f"--- stderr ---\n{proc.stderr.strip()}\n--- stdout ---\n{proc.stdout.strip()[-4000:]}")
        return json.loads(lines[-1][len(marker):])

    def add_scorm(self, zip_path: str | Path, name: str | None = None, *, completion: str = "default",
                  settings: dict | None = None, course: int | None = None) -> Activity:
        """Adds a SCORM activity from a zip as the course's teacher would, every setting at the form's default.

        ``completion="default"``: automatic completion with the rule the form ticks when adding,
        status "Completed" (completionstatusrequired = 4). ``"none"``: the radio as the form first shows it
        on a fresh site (no completion tracking). ``settings`` overrides form fields (e.g.
        ``{"forcenewattempt": 2}``) for tests that need a non-default activity.
        A package the form refuses (scorm_validate_package() and the rest of its validation) raises
        MoodleError with the form's errors.
        """
        zip_path = Path(zip_path).resolve()
        data = self.php("add_scorm.php", course=course or self.course_id, teacher=self.teacher_id, zip=str(zip_path),
                        name=name or zip_path.stem, completion=completion, settings=settings or {})
        return Activity.from_php(data)

    def update_package(self, activity: Activity, zip_path: str | Path) -> Activity:
        """Uploads a new zip into the activity's settings as its teacher would; returns it with the new revision."""
        data = self.php("update_package.php", cmid=activity.cmid, teacher=self.teacher_id,
                        zip=str(Path(zip_path).resolve()))
        return Activity.from_php(data)

    def new_student(self, course: int | None = None) -> Student:
        """A new user enrolled as a student in the course (one per test keeps tests apart)."""
        username = f"student{next(self._students)}-{int(time.time() * 1000) % 10**8}"
        data = self.php("create_student.php", course=course or self.course_id, username=username,
                        password=STUDENT_PASSWORD)
        return Student(id=data["id"], username=data["username"], password=data["password"])

    def new_course(self, shortname: str | None = None) -> int:
        """Another course (completion on, same teacher); add_scorm(course=...) and new_student(course=...) use it."""
        shortname = shortname or f"course{next(self._courses)}-{int(time.time() * 1000) % 10**8}"
        data = self.php("create_course.php", shortname=shortname, teacher=self.teacher_id)
        return data["id"]

    # ---- the browser ---------------------------------------------------------------

    def login(self, context, student: Student) -> None:
        """Logs the browser context in as student, through Moodle's login form (/login/index.php).

        The form is fetched and posted with the context's own request client, which shares its cookies,
        so the session is the browser's without rendering the login page and the dashboard.
        """
        login_url = f"{self.url}/login/index.php"
        page = context.request.get(login_url)
        html = page.text()
        token = _input_value(html, "logintoken")
        if token is None:
            raise MoodleError(f"no logintoken in {login_url} (HTTP {page.status})")
        response = context.request.post(login_url, form={"username": student.username, "password": student.password,
                                                         "logintoken": token, "anchor": ""}, max_redirects=0)
        where = response.headers.get("location", "")
        # Success is a redirect to Moodle's cookie check, /login/index.php?testsession=USERID.
        if response.status not in (302, 303) or f"testsession={student.id}" not in where:
            raise MoodleError(f"logging in as {student.username} failed: HTTP {response.status}, redirected to {where!r}")
        response = context.request.get(where, max_redirects=0)
        if response.status not in (302, 303):
            raise MoodleError(f"Moodle's session check after logging in as {student.username} gave HTTP "
                              f"{response.status} at {where}")

    def enter(self, page, activity: Activity, *, new_attempt: bool = False):
        """Opens the activity and presses Enter as a student would; returns the Frame of the SCO in the player.

        "Start a new attempt" is left unticked unless new_attempt=True (Moodle only offers it after
        a completed attempt; asking for it when it is not offered is an error). The returned Frame is
        Moodle's iframe #scorm_object, showing the SCO's launch page from pluginfile.php.
        """
        page.goto(f"{self.url}/mod/scorm/view.php?id={activity.cmid}")
        form = page.locator("#scormviewform")
        if form.count() == 0:
            raise MoodleError(f"no Enter form on /mod/scorm/view.php?id={activity.cmid} "
                              f"(attempts used up, or not enrolled?):\n{page.locator('#region-main').inner_text()[:2000]}")
        box = form.locator('input[type="checkbox"][name="newattempt"]')
        if box.count():
            box.set_checked(new_attempt)
        elif new_attempt:
            raise MoodleError("Moodle does not offer 'Start a new attempt' here (only after a completed attempt)")
        with page.expect_navigation(url="**/mod/scorm/player.php*"):
            form.locator('button[name="mode"][value="normal"]').click()
        return self.sco_frame(page)

    def sco_frame(self, page, *, not_this=None, timeout: float = PLAYER_TIMEOUT_S):
        """The Frame of the SCO Moodle's player shows (iframe#scorm_object), once its launch page has loaded.

        The iframe first loads /mod/scorm/loadSCO.php, which sends it on to the SCO's file under
        /pluginfile.php/CONTEXTID/mod_scorm/content/REVISION/; this waits for that file to load.
        """
        deadline = time.monotonic() + timeout
        while True:
            handle = page.query_selector("iframe#scorm_object")
            frame = handle.content_frame() if handle else None
            if frame is not None and frame is not not_this and "/mod_scorm/content/" in frame.url:
                try:
                    frame.wait_for_load_state("load", timeout=max(1, deadline - time.monotonic()) * 1000)
                    return frame
                except Exception:
                    if frame.is_detached():
                        continue
                    raise
            if time.monotonic() > deadline:
                raise MoodleError(f"Moodle's player at {page.url} showed no SCO (iframe#scorm_object) within "
                                  f"{timeout} s; frames: {[f.url for f in page.frames]}")
            page.wait_for_timeout(100)

    def next_sco(self, page):
        """Presses the player's ">" button (under the SCO); returns the Frame of the SCO it launches.

        MoodleError if the button launches nothing within a few seconds.
        """
        return self._navigate(page, "#nav_next", ">")

    def previous_sco(self, page):
        """Presses the player's "<" button; returns the Frame of the SCO it launches."""
        return self._navigate(page, "#nav_prev", "<")

    def open_sco(self, page, sco: int | str):
        """Clicks a SCO in the player's table of contents (by mdl_scorm_scoes id or title); returns its Frame."""
        if isinstance(sco, int):
            link = page.locator(f'#scorm_tree a[data-scoid="{sco}"]')
        else:
            link = page.locator("#scorm_tree a[data-scoid]", has_text=sco)
        return self._launch(page, link, f"the table of contents' entry for {sco!r}")

    def _navigate(self, page, button: str, label: str):
        control = page.locator(button)
        if control.is_disabled():
            raise MoodleError(f"the player's {label} button ({button}) is disabled (no SCO that way?)")
        return self._launch(page, control, f'the player\'s "{label}" button ({button})')

    def _launch(self, page, control, what: str):
        old = self.sco_frame(page)
        before = page.locator("iframe#scorm_object").get_attribute("src")
        mark = self.site.log_mark()
        # Focus the player first. While focus is inside the SCO, a click's mousedown gives the player's
        # window focus, and Moodle's focus handler then focuses the current table-of-contents entry,
        # scrolling the page, so the mouseup lands elsewhere and the click is lost.
        control.focus()
        control.click()
        deadline = time.monotonic() + NAVIGATION_TIMEOUT_S
        while page.locator("iframe#scorm_object").get_attribute("src") == before:
            if time.monotonic() > deadline:
                raise MoodleError(f"{what} launched nothing in {NAVIGATION_TIMEOUT_S} s: the player still shows {before}")
            page.wait_for_timeout(100)
        frame = self.sco_frame(page, not_this=old)
        self.settle(mark)
        return frame

    def exit_activity(self, page) -> None:
        """Follows the player's "Exit activity" link, and waits until the SCO's last calls reached Moodle.

        Leaving unloads the SCO; Moodle's API sends what it commits then with navigator.sendBeacon
        (POST /mod/scorm/datamodel.php?api=beacon), which neither the next page nor Playwright waits
        for. This waits until Moodle has answered it (see settle()).
        """
        link = page.get_by_role("link", name="Exit activity")
        mark = self.site.log_mark()
        link.focus()  # see _launch()
        with page.expect_navigation(url="**/course/view.php*"):
            link.click()
        self.settle(mark)

    @contextmanager
    def settled(self, timeout: float = COMMIT_TIMEOUT_S):
        """Context manager: on leaving the block, waits until Moodle answered every request made in it.

        For leaving a SCO other ways than exit_activity(): ``with moodle.settled(): page.close(run_before_unload=True)``.
        """
        mark = self.site.log_mark()
        yield
        self.settle(mark, timeout=timeout)

    def _commits(self, page=None):
        """Old name of settled() (the page is not needed)."""
        return self.settled()

    def mark(self) -> int:
        """A point in the server's log, for settle(mark)."""
        return self.site.log_mark()

    def settle(self, mark: int | None = None, timeout: float = COMMIT_TIMEOUT_S) -> None:
        """Waits until Moodle has answered every request made since mark (default: any still open).

        Watches php -S's log, so it also sees beacons sent by pages being left, which the browser
        does not report. Use it after closing a page or context before reading the database.
        """
        try:
            self.site.wait_idle(0 if mark is None else mark, timeout=timeout)
        except ProvisioningError as exc:
            raise MoodleError(str(exc)) from None

    # ---- the database ---------------------------------------------------------------

    def sql(self, query: str, params: dict | None = None) -> list[dict]:
        """Rows of a read-only query as dicts (typed as PostgreSQL's JSON gives them: ints, floats, None).

        Parameters are psql variables: write ``:'name'`` for a quoted literal and pass {"name": value}.
        Tables have Moodle's prefix: mdl_scorm_attempt, mdl_grade_grades...
        """
        query = query.strip().rstrip(";")
        cmd = [str(self.site.pg_bin / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        for name, value in (params or {}).items():
            cmd += ["-v", f"{name}={value}"]
        cmd += ["-f", "-"]
        wrapped = f"SELECT coalesce(json_agg(row_to_json(q)), '[]'::json) FROM ({query}) AS q;\n"
        proc = subprocess.run(cmd, input=wrapped, capture_output=True, text=True, env=self.site.pg_env(), timeout=60)
        if proc.returncode != 0:
            raise MoodleError(f"psql failed (exit {proc.returncode}) on:\n{query}\nwith {params}\n{proc.stderr}")
        return json.loads(proc.stdout)

    def scoes(self, activity: Activity) -> list[dict]:
        """The activity's mdl_scorm_scoes rows that are SCOs (not the organisation), in manifest order."""
        return self.sql("SELECT id, identifier, title, launch, scormtype, sortorder FROM mdl_scorm_scoes "
                        "WHERE scorm = :'scorm' AND launch <> '' ORDER BY sortorder, id", {"scorm": activity.instance})

    def sco_ids(self, activity: Activity) -> list[int]:
        return [row["id"] for row in self.scoes(activity)]

    def tracks_by_sco(self, activity: Activity, student: Student) -> dict[int, dict[int, dict[str, str]]]:
        """{attempt: {sco id: {element: value}}} from mdl_scorm_attempt, mdl_scorm_scoes_value, mdl_scorm_element."""
        rows = self.sql(
            "SELECT a.attempt, v.scoid, e.element, v.value FROM mdl_scorm_attempt a "
            "JOIN mdl_scorm_scoes_value v ON v.attemptid = a.id JOIN mdl_scorm_element e ON e.id = v.elementid "
            "WHERE a.scormid = :'scorm' AND a.userid = :'user' ORDER BY a.attempt, v.scoid, v.id",
            {"scorm": activity.instance, "user": student.id})
        out: dict[int, dict[int, dict[str, str]]] = {}
        for row in rows:
            out.setdefault(row["attempt"], {}).setdefault(row["scoid"], {})[row["element"]] = row["value"]
        return out

    def tracks(self, activity: Activity, student: Student, sco: int | None = None) -> dict[int, dict[str, str]]:
        """{attempt: {element: value}}: what Moodle stored for one SCO (sco=mdl_scorm_scoes.id).

        Without sco, the activity must have stored values for one SCO only (else pass sco=, or use
        tracks_by_sco()). Attempts without values are left out (see attempts()).
        """
        out = {}
        for attempt, by_sco in self.tracks_by_sco(activity, student).items():
            if sco is None:
                if len(by_sco) > 1:
                    raise MoodleError(f"attempt {attempt} has values for SCOs {sorted(by_sco)}: pass sco=")
                out[attempt] = next(iter(by_sco.values()))
            elif sco in by_sco:
                out[attempt] = by_sco[sco]
        return out

    def attempts(self, activity: Activity, student: Student) -> list[int]:
        """The student's attempt numbers (mdl_scorm_attempt rows), in order."""
        return [row["attempt"] for row in self.sql(
            "SELECT attempt FROM mdl_scorm_attempt WHERE scormid = :'scorm' AND userid = :'user' ORDER BY attempt",
            {"scorm": activity.instance, "user": student.id})]

    def grade(self, activity: Activity, student: Student) -> float | None:
        """The student's final grade for the activity in the gradebook (None: no grade), out of grade_max()."""
        rows = self.sql(
            "SELECT gg.finalgrade FROM mdl_grade_items gi JOIN mdl_grade_grades gg ON gg.itemid = gi.id "
            "WHERE gi.itemtype = 'mod' AND gi.itemmodule = 'scorm' AND gi.iteminstance = :'scorm' "
            "AND gi.itemnumber = 0 AND gg.userid = :'user'", {"scorm": activity.instance, "user": student.id})
        return None if not rows or rows[0]["finalgrade"] is None else float(rows[0]["finalgrade"])

    def grade_max(self, activity: Activity) -> float:
        rows = self.sql("SELECT grademax FROM mdl_grade_items WHERE itemtype = 'mod' AND itemmodule = 'scorm' "
                        "AND iteminstance = :'scorm' AND itemnumber = 0", {"scorm": activity.instance})
        if not rows:
            raise MoodleError(f"activity {activity.cmid} has no grade item")
        return float(rows[0]["grademax"])

    def completion(self, activity: Activity, student: Student) -> int | None:
        """mdl_course_modules_completion.completionstate for the student (None: no row yet).

        0 incomplete, 1 complete, 2 complete and passed, 3 complete and failed (COMPLETION_* here).
        """
        rows = self.sql("SELECT completionstate FROM mdl_course_modules_completion "
                        "WHERE coursemoduleid = :'cm' AND userid = :'user'", {"cm": activity.cmid, "user": student.id})
        return rows[0]["completionstate"] if rows else None

    def wait_for(self, read: Callable[[], Any], until: Callable[[Any], bool] = bool,
                 timeout: float = COMMIT_TIMEOUT_S) -> Any:
        """Calls read() until until(value) holds; returns the value (MoodleError with the last value on timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            value = read()
            if until(value):
                return value
            if time.monotonic() > deadline:
                raise MoodleError(f"still {value!r} after {timeout} s")
            time.sleep(0.2)

    def server_log(self, lines: int = 60) -> str:
        """The end of php -S's log (PHP errors from Moodle's pages land there)."""
        return tail(self.site.log("php-server.log"), lines)


def _input_value(html: str, name: str) -> str | None:
    import re

    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or \
        re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{re.escape(name)}"', html)
    return match.group(1) if match else None


def start() -> Moodle:
    """Brings up the site (MoodleUnavailable: skip; ProvisioningError: fail) and makes the test course."""
    site = MoodleSite().start()
    try:
        return Moodle(site)
    except BaseException as exc:
        logs = tail(site.log("php-server.log"))
        site.stop()
        if isinstance(exc, MoodleError):
            raise ProvisioningError(f"setting up the test course failed: {exc}\n--- php -S log ---\n{logs}") from exc
        raise
