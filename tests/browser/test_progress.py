"""The learner progress tracker (Learnmark.tracker) and its UI, in a real browser.

A scratch course is written to a temporary folder, built with ``python -m generator build``
and served over http://127.0.0.1 (with ``Cache-Control: no-store``, so a rebuilt site is
never served from the browser's cache):

* module ``a`` (``01-a``, default completion ``all-pages``): landing page + pages p1, p2, p3;
* module ``b`` (``02-b``, ``completion: quiz``): landing page + page ``q`` holding quiz
  ``check`` (pass=50) with two single-choice questions, every option with feedback.

Each learner is a fresh browser context, so localStorage starts empty in every test.
Expected numbers (pages per module, version) are read from the built ``assets/course.js``
(``window.LearnmarkCourse``), never hard-coded.
"""

from __future__ import annotations

import datetime
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import REPO_ROOT
from .test_axe import AXE_TAGS, RUN_AXE, format_violations

COURSE_ID = "progtest"
COURSE_TITLE = "Progress test"
KEY = f"learnmark:{COURSE_ID}:v1"
MODULE_TITLES = {"a": "Module A", "b": "Module B"}
PAGE_TITLES = {"a/index": "Module A", "a/p1": "Page 1", "a/p2": "Page 2", "a/p3": "Page 3", "b/index": "Module B", "b/q": "Quiz page"}
NOTICE_TEXT = "This browser is not letting the course save your progress"

QUIZ_PAGE = """---
title: Quiz page
---
Answer both questions.

::: quiz id=check pass=50
### Which is the first right answer?
- [x] Right one
  > Yes, this is the right one.
- [ ] Wrong one
  > No, this is the wrong one.

### Which is the second right answer?
- [x] Right two
  > Yes, this is right two.
- [ ] Wrong two
  > No, this is wrong two.
:::
"""
RIGHT = {"which-is-the-first-right-answer": "right-one", "which-is-the-second-right-answer": "right-two"}
WRONG = {"which-is-the-first-right-answer": "wrong-one", "which-is-the-second-right-answer": "wrong-two"}


# --------------------------------------------------------------------------
# The scratch course: write, build, serve
# --------------------------------------------------------------------------


def write_course(src: Path, a_pages: dict[str, str] | None = None) -> None:
    """Write the course source into ``src`` (replacing what is there).

    ``a_pages`` maps module a's file names to page titles (default 01-p1.md, 02-p2.md, 03-p3.md).
    """
    if src.exists():
        shutil.rmtree(src)
    a, b = src / "content" / "01-a", src / "content" / "02-b"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    (src / "site.yaml").write_text(f"id: {COURSE_ID}\ntitle: {COURSE_TITLE}\n", encoding="utf-8")
    (a / "_module.md").write_text("---\ntitle: Module A\nsummary: The module of plain pages.\n---\nLanding page of A.\n", encoding="utf-8")
    for name, title in (a_pages or {"01-p1.md": "Page 1", "02-p2.md": "Page 2", "03-p3.md": "Page 3"}).items():
        (a / name).write_text(f"---\ntitle: {title}\n---\nThe text of {title}.\n", encoding="utf-8")
    (b / "_module.md").write_text(
        "---\ntitle: Module B\nsummary: The module completed by its quiz.\ncompletion: quiz\n---\nLanding page of B.\n", encoding="utf-8"
    )
    (b / "01-q.md").write_text(QUIZ_PAGE, encoding="utf-8")


def build(src: Path, out: Path) -> None:
    cmd = [sys.executable, "-m", "generator", "build", "--project", str(src), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"build failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}\n{proc.stdout}"
    assert (out / "assets" / "course.js").is_file(), f"the build wrote no assets/course.js into {out}"


def course_data(out: Path) -> dict:
    text = (out / "assets" / "course.js").read_text(encoding="utf-8")
    match = re.search(r"window\.LearnmarkCourse\s*=\s*(\{.*\});", text, re.S)
    assert match, f"assets/course.js does not set window.LearnmarkCourse:\n{text[:300]}"
    return json.loads(match.group(1))


class _NoStoreHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        # Never answer 304: a rebuilt file can have the same second-resolution mtime.
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class Served:
    """A built scratch course served over http://127.0.0.1 on a free port."""

    def __init__(self, src: Path, out: Path):
        self.src, self.out = src, out
        handler = functools.partial(_NoStoreHandler, directory=str(out))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name=f"serve-{out.name}", daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    @property
    def course(self) -> dict:
        return course_data(self.out)

    def module(self, module_id: str) -> dict:
        return next(m for m in self.course["modules"] if m["id"] == module_id)

    def page_urls(self, module_id: str) -> list[str]:
        """Every page of the module, landing page first, by the address course.js implies."""
        return [f"{module_id}/{p['id']}.html" for p in self.module(module_id)["pages"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("progcourse")
    write_course(root / "course")
    build(root / "course", root / "site")
    s = Served(root / "course", root / "site")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def own_site(tmp_path):
    """A served copy of the course of this test's own, to rebuild freely."""
    write_course(tmp_path / "course")
    build(tmp_path / "course", tmp_path / "site")
    s = Served(tmp_path / "course", tmp_path / "site")
    try:
        yield s
    finally:
        s.close()


# --------------------------------------------------------------------------
# Learners and helpers
# --------------------------------------------------------------------------


def learners(new_context, default: Served):
    """learner(init_script=None, site=default, **context options) -> a context whose pages record page errors."""

    def make(init_script: str | None = None, site: Served | None = None, **options):
        ctx = new_context(**options)
        if init_script:
            ctx.add_init_script(init_script)
        ctx.errors = []
        ctx.site = site or default
        ctx.on("page", lambda pg: pg.on("pageerror", lambda exc: ctx.errors.append(f"{pg.url}: {exc}")))
        return ctx

    return make


@pytest.fixture
def learner(new_context, served):
    return learners(new_context, served)


def go(ctx_or_page, path: str):
    """Open ``path`` (relative to the site) in a new page of a context, or in the given page."""
    if hasattr(ctx_or_page, "new_page"):
        pg = ctx_or_page.new_page()
        pg.site = ctx_or_page.site
    else:
        pg = ctx_or_page
    response = pg.goto(pg.site.url + path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    return pg


def page_in(ctx):
    pg = ctx.new_page()
    pg.site = ctx.site
    return pg


def status(pg, module_id: str) -> dict:
    return pg.evaluate("id => Learnmark.tracker.status(id)", module_id)


def stored(pg, suffix: str = ""):
    """The stored record (parsed), or None."""
    text = pg.evaluate("k => localStorage.getItem(k)", KEY + suffix)
    return None if text is None else json.loads(text)


def status_text(pg, module_id: str) -> str:
    return pg.locator(f"[data-module-status='{module_id}']").first.inner_text().strip()


def answer_quiz(pg, answers: dict[str, str]) -> None:
    """On b/q.html: choose an option in each question, submit, wait for the result."""
    retry = pg.locator(".quiz__retry")
    if retry.is_visible():  # the last attempt is shown: start again
        retry.click()
    for qid, choice in answers.items():
        pg.locator(f"[data-question-id='{qid}'] input[value='{choice}']").check()
    pg.locator(".quiz__submit").click()
    pg.locator(".quiz__result p").first.wait_for()


def in_progress(seen: int, pages: int, extra: str = "") -> str:
    return f"In progress: {round(100 * seen / pages)}% seen{extra}"


def visited(pg, module_id: str) -> set[str]:
    return set(pg.evaluate("id => Object.keys((Learnmark.tracker.data().modules[id] || {visited: {}}).visited)", module_id))


def nav_marks(pg) -> dict[str, bool]:
    """{page key: marked "(seen)"} for the module contents links on this page."""
    return pg.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-page-key]')].map(
             a => [a.getAttribute('data-page-key'), a.textContent.includes('(seen)')]))"""
    )


def complete_everything(ctx) -> object:
    """Visit every page of module a and pass module b's quiz; returns the (quiz) page."""
    pg = page_in(ctx)
    for url in ctx.site.page_urls("a"):
        go(pg, url)
    go(pg, "b/q.html")
    answer_quiz(pg, RIGHT)
    return pg


def no_errors(ctx) -> None:
    assert not ctx.errors, "page errors:\n" + "\n".join(ctx.errors)


# --------------------------------------------------------------------------
# 1. Statuses, the continue link and the visited marks
# --------------------------------------------------------------------------


def test_statuses_continue_link_and_seen_marks(learner, served):
    ctx = learner()
    pg = page_in(ctx)
    for path in ("a/index.html", "a/p1.html", "a/p2.html"):
        go(pg, path)
    go(pg, "b/q.html")
    answer_quiz(pg, RIGHT)
    assert "You answered 2 of 2 correctly" in pg.locator(".quiz__result").inner_text()

    go(pg, "index.html")
    pages_a = len(served.module("a")["pages"])
    assert pages_a == 4, served.module("a")["pages"]  # the landing page counts
    assert status_text(pg, "a") == in_progress(3, pages_a)  # 75%
    assert status_text(pg, "b") == "Completed and passed, score 100%"
    assert pg.locator("[data-module-status='a']").get_attribute("data-status") == "doing"
    assert pg.locator("[data-module-status='b']").get_attribute("data-status") == "done"
    assert pg.locator("[data-progress-overall]").inner_text() == "You have completed 1 of 2 modules."

    cont = pg.locator("[data-progress-continue] a")
    assert cont.is_visible()
    assert cont.inner_text().strip() == "Continue where you left off: " + PAGE_TITLES["b/q"]
    assert cont.evaluate("a => a.href") == served.url + "b/q.html"

    s = status(pg, "b")
    assert s["completion_status"] == "completed"
    assert s["success_status"] == "passed"
    assert s["score"] == {"raw": 2, "min": 0, "max": 2, "scaled": 1}
    assert len(s["interactions"]) == 2
    assert [i["result"] for i in s["interactions"]] == ["correct", "correct"]
    assert sorted(i["id"] for i in s["interactions"]) == sorted(f"check.{q}" for q in RIGHT)
    assert sorted(i["learner_response"][0] for i in s["interactions"]) == sorted(RIGHT.values())
    a = status(pg, "a")
    assert (a["completion_status"], a["success_status"], a["pages_seen"], a["pages"], a["location"]) == (
        "incomplete", "unknown", 3, 4, "p2")
    assert a["progress_measure"] == 0.75

    # The progress page's table agrees.
    go(pg, "progress.html")
    assert pg.locator("[data-module-pages='a']").inner_text() == f"3 of {pages_a}"
    assert pg.locator("[data-module-score='b']").inner_text() == "100% (passed)"
    assert pg.locator("[data-module-score='a']").inner_text() == "–"

    # Module a's contents mark the seen pages (checked last: visiting a/ moves the "continue" location).
    go(pg, "a/index.html")
    assert nav_marks(pg) == {"a/index": True, "a/p1": True, "a/p2": True, "a/p3": False}
    mark = pg.locator("[data-page-key='a/p1'] .visited-mark")
    assert mark.text_content() == " ✓ (seen)"
    assert mark.locator("[aria-hidden='true']").text_content() == " ✓"  # the tick is not read out, "(seen)" is
    expect(pg.locator("[data-page-key='a/p1']")).to_have_accessible_name("Page 1 (seen)")
    no_errors(ctx)


# --------------------------------------------------------------------------
# 2. A failed quiz
# --------------------------------------------------------------------------


def test_failed_quiz_is_incomplete_and_not_passed(learner, served):
    ctx = learner()
    pg = go(ctx, "b/q.html")
    answer_quiz(pg, WRONG)
    assert "did not reach the pass mark of 50%" in pg.locator(".quiz__result").inner_text()
    s = status(pg, "b")
    assert s["completion_status"] == "incomplete"  # rule "quiz": not passed, not complete
    assert s["success_status"] == "unknown"  # not "failed" while a retry remains (retries are unlimited here)
    assert s["score"]["scaled"] == 0
    assert [i["result"] for i in s["interactions"]] == ["incorrect", "incorrect"]
    pages_b = len(served.module("b")["pages"])
    expected = in_progress(1, pages_b, ", quiz not passed yet")
    assert status_text(pg, "b") == expected  # the module contents on the quiz page, updated at once

    go(pg, "index.html")
    assert status_text(pg, "b") == expected
    assert pg.locator("[data-module-status='b']").get_attribute("data-status") == "doing"
    assert status_text(pg, "a") == "Not started"
    go(pg, "progress.html")
    assert pg.locator("[data-module-score='b']").inner_text() == "0% (not passed yet)"
    no_errors(ctx)


# --------------------------------------------------------------------------
# 3. A corrupt or damaged record
# --------------------------------------------------------------------------

SEED_ONCE = """(() => {
  try {
    if (location.protocol !== 'http:' || localStorage.getItem('test:seeded')) return;
    localStorage.setItem('test:seeded', '1');
    localStorage.setItem(%s, %s);
  } catch (e) {}
})();"""


def seed_once(text: str) -> str:
    """An init script storing ``text`` as the record before the first page of the context runs."""
    return SEED_ONCE % (json.dumps(KEY), json.dumps(text))


def test_unreadable_record_is_kept_aside_and_the_site_works(learner, served):
    ctx = learner(seed_once("{not json"))
    pg = go(ctx, "index.html")
    assert status_text(pg, "a") == "Not started"
    assert status_text(pg, "b") == "Not started"
    assert pg.evaluate("k => localStorage.getItem(k)", KEY + ":corrupt") == "{not json"

    go(pg, "a/p1.html")
    pages_a = len(served.module("a")["pages"])
    assert status_text(pg, "a") == in_progress(1, pages_a)
    record = stored(pg)  # now valid JSON again
    assert list(record["modules"]["a"]["visited"]) == ["p1"]
    go(pg, "index.html")
    assert status_text(pg, "a") == in_progress(1, pages_a)
    assert pg.evaluate("k => localStorage.getItem(k)", KEY + ":corrupt") == "{not json"
    assert pg.locator("[data-storage-notice]").is_hidden()
    no_errors(ctx)


def test_damaged_record_keeps_its_readable_parts(learner, served):
    record = {
        "schema": 1,
        "course": COURSE_ID,
        "updated": "yesterday",
        "location": 17,
        "visited": "x",
        "reflections": "none",
        "modules": {
            "a": {"visited": {"index": 1000, "p1": 2000, "p2": "soon"}, "location": ["p1"], "total_time": "long", "quizzes": 5},
            "b": 42,
            "zz": {"visited": {"index": 1}},
        },
    }
    ctx = learner(seed_once(json.dumps(record)))
    pg = go(ctx, "index.html")
    pages_a = len(served.module("a")["pages"])
    assert status_text(pg, "a") == in_progress(2, pages_a)  # index and p1; p2's time was not a number
    assert status_text(pg, "b") == "Not started"
    assert visited(pg, "a") == {"index", "p1"}
    assert pg.locator("[data-progress-continue]").is_hidden()
    assert pg.evaluate("k => localStorage.getItem(k)", KEY + ":corrupt") is None  # it was valid JSON

    go(pg, "a/p3.html")
    assert status_text(pg, "a") == in_progress(3, pages_a)
    saved = stored(pg)
    assert "zz" not in saved["modules"]  # not in the course
    assert not saved["modules"].get("b", {}).get("visited") and not saved["modules"].get("b", {}).get("quizzes")  # 42: nothing readable
    assert set(saved["modules"]["a"]["visited"]) == {"index", "p1", "p3"}
    assert saved["modules"]["a"]["visited"]["index"] == 1000
    no_errors(ctx)


# Found while writing the tests above: garbage inside a module's quiz entry is NOT dropped.
@pytest.mark.parametrize(
    "entry",
    [
        pytest.param({"attempts": 1, "best": {"passed": True}, "last": None}, id="best-without-score"),
        pytest.param({"attempts": 1, "best": None, "last": {"questions": "x"}}, id="last-questions-not-a-list"),
    ],
)
def test_damaged_quiz_entry_does_not_break_pages(learner, served, entry):
    record = {"schema": 1, "course": COURSE_ID, "modules": {"a": {"visited": {"index": 1000}}, "b": {"quizzes": {"check": entry}}}}
    ctx = learner(seed_once(json.dumps(record)))
    pg = go(ctx, "index.html")
    no_errors(ctx)
    assert pg.locator("[data-progress-overall]").inner_text() != "", "the home page's progress was not rendered"
    assert status_text(pg, "a") == in_progress(1, len(served.module("a")["pages"]))
    go(pg, "b/q.html")
    assert pg.locator(".quiz__submit").is_visible()
    no_errors(ctx)


# --------------------------------------------------------------------------
# 4. Storage unavailable or full
# --------------------------------------------------------------------------

NO_STORAGE = """Object.defineProperty(window, 'localStorage', {
  configurable: true,
  get() { throw new DOMException('The user denied access to storage.', 'SecurityError'); }
});"""

QUOTA_FULL = """Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};"""


@pytest.mark.parametrize("script", [pytest.param(NO_STORAGE, id="throws-on-access"), pytest.param(QUOTA_FULL, id="quota-exceeded")])
def test_unsaveable_progress_lives_in_memory_with_a_notice(learner, served, script):
    ctx = learner(script)
    pg = go(ctx, "a/p1.html")
    pages_a = len(served.module("a")["pages"])
    assert status_text(pg, "a") == in_progress(1, pages_a)  # visited, in memory
    assert nav_marks(pg)["a/p1"] is True
    assert pg.evaluate("Learnmark.tracker.saved") is False
    notice = pg.locator("[data-storage-notice]")
    assert notice.is_visible()
    assert NOTICE_TEXT in notice.inner_text()
    assert notice.get_attribute("role") == "status"
    assert notice.locator("a").get_attribute("href") == "../progress.html"

    # A quiz on the same page load is recorded in memory too.
    go(pg, "b/q.html")
    answer_quiz(pg, RIGHT)
    assert status_text(pg, "b") == "Completed and passed, score 100%"
    assert pg.locator("[data-storage-notice]").is_visible()
    no_errors(ctx)


# Found while writing the tests above: the notice depends on a failed save, and pages without a
# page key (home, progress, certificate) never save on load, so they claim all is well.
@pytest.mark.parametrize("path", ["index.html", "progress.html", "certificate.html"])
def test_notice_shows_on_pages_that_do_not_record_a_visit(learner, path):
    ctx = learner(NO_STORAGE)
    pg = go(ctx, "a/p1.html")
    assert pg.locator("[data-storage-notice]").is_visible()
    go(pg, path)
    assert pg.evaluate("Learnmark.tracker.saved") is False, "tracker.saved is true although localStorage throws"
    assert pg.locator("[data-storage-notice]").is_visible(), f"{path} hides the storage notice although nothing can be saved"
    no_errors(ctx)


# --------------------------------------------------------------------------
# 5. A new version of the course
# --------------------------------------------------------------------------


def test_progress_survives_reordering_and_a_removed_page(learner, own_site):
    ctx = learner(site=own_site)
    pg = page_in(ctx)
    for url in own_site.page_urls("a"):
        go(pg, url)
    assert [p["id"] for p in own_site.module("a")["pages"]] == ["index", "p1", "p2", "p3"]
    go(pg, "index.html")
    assert status_text(pg, "a") == "Completed"
    old_version = pg.evaluate("LearnmarkCourse.version")

    # Reorder module a (p3 first, then p1) and remove p2; same ids after the numbers.
    write_course(own_site.src, a_pages={"01-p3.md": "Page 3", "02-p1.md": "Page 1"})
    build(own_site.src, own_site.out)
    assert [p["id"] for p in own_site.module("a")["pages"]] == ["index", "p3", "p1"]

    pg.reload()
    assert pg.evaluate("LearnmarkCourse.version") != old_version
    assert pg.evaluate("LearnmarkCourse.modules[0].pages.map(p => p.id)") == ["index", "p3", "p1"]
    assert visited(pg, "a") == {"index", "p1", "p3"}  # p2 gone, the others kept
    assert status_text(pg, "a") == "Completed"
    s = status(pg, "a")
    assert (s["completion_status"], s["pages_seen"], s["pages"]) == ("completed", 3, 3)

    go(pg, "a/index.html")
    assert nav_marks(pg) == {"a/index": True, "a/p3": True, "a/p1": True}
    assert "p2" not in stored(pg)["modules"]["a"]["visited"]  # and the saved record dropped it too
    no_errors(ctx)


# --------------------------------------------------------------------------
# 6. Two tabs
# --------------------------------------------------------------------------


def test_two_tabs_update_each_other_and_never_overwrite(learner, served):
    ctx = learner()
    tab1, tab2 = go(ctx, "index.html"), go(ctx, "index.html")
    pages_a = len(served.module("a")["pages"])
    assert status_text(tab2, "a") == "Not started"

    go(tab1, "a/p1.html")
    # tab 2's home page updates without a reload (the storage event).
    tab2.wait_for_function("t => document.querySelector(\"[data-module-status='a']\").textContent === t", arg=in_progress(1, pages_a))
    tab2_cont = tab2.locator("[data-progress-continue] a")
    expect(tab2_cont).to_be_visible()
    # The title comes with assets/course-titles.js, which the link asks for the first time it shows one.
    expect(tab2_cont).to_have_text(re.compile(re.escape(PAGE_TITLES["a/p1"]) + r"\s*$"))

    go(tab2, "a/p2.html")  # tab 2 loaded its data before and merges tab 1's
    tab1.wait_for_function("() => document.querySelector(\"[data-page-key='a/p2']\").textContent.includes('(seen)')")
    assert status_text(tab1, "a") == in_progress(2, pages_a)
    record = stored(tab1)
    assert set(record["modules"]["a"]["visited"]) == {"p1", "p2"}
    assert record["location"]["page"] == "a/p2"

    # A quiz passed in tab 1 while tab 2 still shows its page: tab 2 does not lose it on its next save.
    go(tab1, "b/q.html")
    answer_quiz(tab1, RIGHT)
    tab2.evaluate("() => Learnmark.tracker.addTime('a', 5)")  # tab 2 saves something of its own
    record = stored(tab2)
    assert record["modules"]["b"]["quizzes"]["check"]["best"]["passed"] is True
    assert set(record["modules"]["a"]["visited"]) == {"p1", "p2"}
    assert record["modules"]["a"]["total_time"] >= 5
    no_errors(ctx)


# --------------------------------------------------------------------------
# 7. Export, reset, import
# --------------------------------------------------------------------------

ALL_STATUSES = "() => Object.fromEntries(LearnmarkCourse.modules.map(m => [m.id, Learnmark.tracker.status(m.id)]))"
ACTIVE_IN_DIALOG = "() => !!document.activeElement && !!document.activeElement.closest('dialog[open]')"


def test_export_reset_import_round_trip(learner, served, tmp_path):
    ctx = learner()
    pg = page_in(ctx)
    for path in ("a/index.html", "a/p1.html"):
        go(pg, path)
    go(pg, "b/q.html")
    answer_quiz(pg, WRONG)
    go(pg, "progress.html")
    before = pg.evaluate(ALL_STATUSES)
    texts = {m: status_text(pg, m) for m in ("a", "b")}
    assert texts["a"] == in_progress(2, len(served.module("a")["pages"]))
    assert texts["b"].endswith("quiz not passed yet")

    with pg.expect_download() as info:
        pg.get_by_role("button", name="Download my progress and reflections").click()
    download = info.value
    assert download.suggested_filename == f"learnmark-{COURSE_ID}-progress.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["learnmark"] == "progress" and exported["course"] == COURSE_ID
    assert exported["version"] == pg.evaluate("LearnmarkCourse.version")
    assert exported["statuses"]["b"]["success_status"] == "unknown"  # retries remain
    assert exported["statuses"]["b"]["score"]["scaled"] == 0
    assert set(exported["record"]["modules"]["a"]["visited"]) == {"index", "p1"}

    # Cancel keeps the data.
    reset = pg.get_by_role("button", name="Reset my progress")
    reset.click()
    dialog = pg.get_by_role("dialog", name="Reset your progress?")
    assert dialog.is_visible()
    assert pg.evaluate(ACTIVE_IN_DIALOG)
    dialog.get_by_role("button", name="No, keep it").click()
    expect(dialog).to_be_hidden()
    expect(reset).to_be_focused()  # focus returns to the reset button (the "close" event has run)
    assert pg.evaluate(ALL_STATUSES) == before
    assert status_text(pg, "a") == texts["a"]

    # Confirm resets.
    reset.click()
    assert dialog.is_visible()
    assert pg.evaluate("() => document.querySelector('dialog').matches(':modal')")
    assert pg.evaluate(ACTIVE_IN_DIALOG)
    dialog.get_by_role("button", name="Yes, reset my progress").click()
    expect(dialog).to_be_hidden()
    message = pg.locator("[data-progress-message]")
    expect(message).to_have_text("Your progress on this device has been reset.")  # after the "close" event
    assert message.get_attribute("role") == "status" and message.get_attribute("aria-live") == "polite"
    assert status_text(pg, "a") == "Not started"
    assert status_text(pg, "b") == "Not started"
    expect(reset).to_be_focused()
    assert stored(pg)["modules"] == {}
    assert pg.locator("[data-progress-continue]").is_hidden()

    # Import brings everything back as it was.
    pg.locator("#lm-import").set_input_files(str(path))
    pg.wait_for_function("() => document.querySelector('[data-progress-message]').textContent.includes('has been added')")
    assert message.inner_text() == f"Your progress from {path.name} has been added."
    assert pg.evaluate(ALL_STATUSES) == before
    assert {m: status_text(pg, m) for m in ("a", "b")} == texts
    go(pg, "index.html")  # and it was saved
    assert pg.evaluate(ALL_STATUSES) == before
    no_errors(ctx)


def test_import_rejects_a_file_for_another_course(learner, tmp_path):
    ctx = learner()
    pg = go(ctx, "a/p1.html")
    go(pg, "progress.html")
    before = pg.evaluate(ALL_STATUSES)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"learnmark": "progress", "course": "another", "record": {"modules": {"a": {"visited": {"p2": 1}}}}}))
    pg.locator("#lm-import").set_input_files(str(other))
    pg.wait_for_function("() => document.querySelector('[data-progress-message]').textContent !== ''")
    assert pg.locator("[data-progress-message]").inner_text() == "other.json is not a progress file for this course, so nothing was changed."
    assert pg.evaluate(ALL_STATUSES) == before
    no_errors(ctx)


# <dialog>.returnValue is not reset by showModal(): Escape must not act on the previous opening's "reset".
def test_escape_after_an_earlier_reset_does_not_reset_again(learner):
    ctx = learner()
    pg = go(ctx, "a/p1.html")
    go(pg, "progress.html")
    reset = pg.get_by_role("button", name="Reset my progress")
    dialog = pg.get_by_role("dialog", name="Reset your progress?")
    reset.click()
    dialog.get_by_role("button", name="Yes, reset my progress").click()
    expect(pg.locator("[data-module-status='a']")).to_have_text("Not started")

    # Same page load as the reset: new progress, then open the dialog again and press Escape.
    pg.evaluate("() => Learnmark.tracker.visit('a/p3')")
    seen = pg.evaluate("() => Learnmark.tracker.status('a').pages_seen")
    assert seen == 1
    reset.click()
    assert dialog.is_visible()
    pg.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(reset).to_be_focused()  # the "close" event has run
    assert pg.evaluate("() => Learnmark.tracker.status('a').pages_seen") == seen, "Escape reset the progress"
    no_errors(ctx)


# --------------------------------------------------------------------------
# 8. The certificate
# --------------------------------------------------------------------------

PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def test_certificate_pending_then_ready(learner, served):
    ctx = learner()
    pg = go(ctx, "a/p1.html")
    go(pg, "certificate.html")
    assert pg.locator("[data-certificate-pending]").is_visible()
    assert pg.locator("[data-certificate-ready]").is_hidden()
    assert pg.locator("[data-certificate-remaining-text]").inner_text() == (
        "You have completed 0 of 2 modules. Complete these to get your certificate:")
    items = pg.locator("[data-certificate-remaining] li")
    assert items.all_inner_texts() == [
        f"Module A: {in_progress(1, len(served.module('a')['pages'])).lower()}",
        "Module B: not started",
    ]
    assert [a.evaluate("a => a.href") for a in items.locator("a").all()] == [served.url + "a/index.html", served.url + "b/index.html"]

    # Complete module a only: b is still listed.
    for url in served.page_urls("a"):
        go(pg, url)
    go(pg, "certificate.html")
    assert items.all_inner_texts() == ["Module B: not started"]
    assert pg.locator("[data-certificate-ready]").is_hidden()

    go(pg, "b/q.html")
    answer_quiz(pg, RIGHT)
    go(pg, "certificate.html")
    assert pg.locator("[data-certificate-pending]").is_hidden()
    cert = pg.locator(".certificate")
    assert cert.is_visible()
    # Empty until a name is typed (the screen shows a "Your name" placeholder; paper a line to write on).
    assert cert.locator("[data-certificate-name]").inner_text() == ""
    pg.get_by_label("Your name, as it should appear on the certificate").fill("Ada Lovelace")
    assert cert.locator("[data-certificate-name]").inner_text() == "Ada Lovelace"
    assert cert.locator(".certificate__course").inner_text() == COURSE_TITLE
    assert cert.locator(".certificate__modules li").all_inner_texts() == [MODULE_TITLES["a"], MODULE_TITLES["b"]]
    today = datetime.date.today()
    assert cert.locator("[data-certificate-date]").inner_text() == f"{today.day} {today:%B} {today.year}"
    version = pg.evaluate("LearnmarkCourse.version")
    assert version == served.course["version"] and re.fullmatch(r"[0-9a-f]{10}", version)
    # The version is for the tracker, not for learners: the certificate gives the learning time instead.
    assert version not in cert.inner_text() and "Learning time: about" in cert.inner_text()

    pg.emulate_media(media="print")
    pdf = pg.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(PDF_PAGE.findall(pdf)) == 1, f"the certificate prints on {len(PDF_PAGE.findall(pdf))} A4 pages"
    no_errors(ctx)


# --------------------------------------------------------------------------
# 9. axe-core
# --------------------------------------------------------------------------


def test_home_offers_start_then_continue_then_the_certificate(learner, served):
    ctx = learner()
    pg = go(ctx, "index.html")
    start, cont = pg.locator("[data-progress-start] a"), pg.locator("[data-progress-continue] a")
    assert start.is_visible() and start.inner_text().startswith("Start the course") and not cont.is_visible()
    assert start.evaluate("a => a.href") == served.url + "a/index.html"

    go(pg, "a/p1.html")
    go(pg, "index.html")
    assert not start.is_visible() and cont.inner_text().startswith("Continue where you left off")

    pg = complete_everything(ctx)
    go(pg, "index.html")
    link = pg.locator("[data-progress-continue] a")
    assert link.is_visible() and link.inner_text() == "Get your certificate of completion", link.inner_text()
    assert link.evaluate("a => a.href") == served.url + "certificate.html"
    assert not pg.locator("[data-progress-start]").is_visible()
    # The progress page drops "Continue" at 100%; its certificate link is a button, not a plain link.
    go(pg, "progress.html")
    assert not pg.locator("[data-progress-continue]").is_visible()
    cert = pg.get_by_role("link", name="Your certificate of completion", exact=True)
    assert cert.is_visible() and "button" in cert.get_attribute("class").split()
    no_errors(ctx)


def test_progress_table_keeps_its_labels_on_a_phone(learner):
    ctx = learner(viewport={"width": 320, "height": 640})
    pg = go(ctx, "progress.html")
    labels = pg.evaluate("""() => [...document.querySelectorAll('.progress-table tbody td')].map(
        td => getComputedStyle(td, '::before').content)""")
    assert labels and all(c.strip('"').rstrip(": ") in ("Status", "Pages seen", "Quiz score") for c in labels), labels


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_ready_certificate_layout(learner, width):
    ctx = learner(viewport={"width": width, "height": 800})
    pg = complete_everything(ctx)
    go(pg, "certificate.html")
    name = pg.get_by_label("Your name, as it should appear on the certificate")
    button = pg.get_by_role("button", name="Print or save as PDF")
    gap = button.bounding_box()["y"] - (name.bounding_box()["y"] + name.bounding_box()["height"])
    assert gap >= 16, f"the print button is {gap}px below the name box"
    cert = pg.locator(".certificate")
    assert cert.locator(".certificate__organisation").count() == 0  # this course names no organisation
    assert re.search(r"Learning time: about \d+ minutes", cert.inner_text())
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= width
    name.fill("Ada Lovelace")
    shots = Path(__file__).resolve().parents[1] / ".screenshots"
    shots.mkdir(exist_ok=True)
    pg.screenshot(path=str(shots / f"{width}-light-certificate-ready.png"), full_page=True)
    name.fill("")
    pg.emulate_media(media="print")
    # An empty name prints as a line to write on, not as "Your name".
    assert "Your name" not in pg.evaluate("() => getComputedStyle(document.querySelector('.certificate__name'), '::before').content")
    assert cert.locator(".certificate__name").bounding_box()["height"] > 20
    no_errors(ctx)


def _axe(pg, axe_path) -> list[dict]:
    if not pg.evaluate("() => !!window.axe"):
        pg.add_script_tag(path=str(axe_path))
    return pg.evaluate(RUN_AXE, AXE_TAGS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_ui_has_no_axe_violations(learner, axe_path, scheme):
    ctx = learner(bypass_csp=True, color_scheme=scheme)
    found = {}

    def check(name, pg):
        violations = _axe(pg, axe_path)
        if violations:
            found[name] = violations

    pg = go(ctx, "a/p1.html")
    go(pg, "certificate.html")
    check("certificate.html (pending)", pg)
    go(pg, "b/q.html")
    answer_quiz(pg, WRONG)
    go(pg, "index.html")
    assert status_text(pg, "a").startswith("In progress") and pg.locator("[data-progress-continue]").is_visible()
    check("index.html (progress shown)", pg)
    go(pg, "progress.html")
    check("progress.html", pg)
    pg.get_by_role("button", name="Reset my progress").click()
    assert pg.get_by_role("dialog").is_visible()
    check("progress.html (reset dialog open)", pg)
    pg.keyboard.press("Escape")

    pg = complete_everything(ctx)
    go(pg, "certificate.html")
    assert pg.locator(".certificate").is_visible()
    pg.get_by_label("Your name, as it should appear on the certificate").fill("Ada Lovelace")
    check("certificate.html (ready)", pg)
    assert not found, f"axe-core ({scheme}):\n" + format_violations(found)
    no_errors(ctx)


# --------------------------------------------------------------------------
# 10. Without JavaScript
# --------------------------------------------------------------------------


def test_without_javascript_no_progress_ui_is_shown(new_context, served):
    pg = new_context(java_script_enabled=False).new_page()
    pg.goto(served.url + "index.html")
    statuses = pg.locator("[data-module-status]")
    assert statuses.count() == 2
    for el in statuses.all():
        assert el.is_hidden() or el.inner_text().strip() == ""
    assert pg.locator("[data-progress-continue]").is_hidden()
    assert pg.locator("[data-progress-continue] a").is_hidden()
    assert pg.locator("[data-progress-overall]").is_hidden()
    assert pg.locator("[data-storage-notice]").is_hidden()

    pg.goto(served.url + "a/p1.html")
    assert pg.locator(".visited-mark").count() == 0
    assert pg.locator("[data-module-status='a']").is_hidden()

    pg.goto(served.url + "progress.html")
    sentence = pg.get_by_text("Your progress is kept by your browser and shown here when JavaScript is on.")
    assert sentence.is_visible()
    assert pg.locator("[data-progress-page]").is_hidden()
    assert pg.get_by_role("button", name="Reset my progress").count() == 0  # hidden, so not in the accessibility tree

    pg.goto(served.url + "certificate.html")
    assert pg.get_by_text("Turn on JavaScript to see it.").is_visible()
    assert pg.locator("[data-certificate]").is_hidden()
