"""Dispatch packages in Chromium: the thin package's launch page on the LMS's origin (127.0.0.1, the test LMS
with scorm-again), the course published on another (127.0.0.2), and pages of a third (127.0.0.3) that try to
drive either side. tests/moodle/test_dispatch.py plays the same packages in a real Moodle.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import zipfile

import pytest

from .conftest import REPO_ROOT, serve_directory
from .test_axe import AXE_TAGS, RUN_AXE
from .test_scorm import MODULE, PAGES, SCORM_AGAIN, Launch, core, interactions, resume_cmi, visit_all

VERSIONS = {"1.2": "scorm12", "2004-4": "scorm2004-4"}
PROTOCOL = {"protocol": "learnmark-dispatch", "v": 1}


class DispatchLaunch(Launch):
    FRAMES = ("#lm-content", "#lm-content")
    """The dispatch launch page frames the hosted launch page, which frames the module's pages."""

    @property
    def hosted(self):
        return self.sco.frame_locator("#lm-content")


def _run(*args):
    run = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def write_course(root, extra_page=False):
    course = root / "course"
    module = course / "content" / "01-safety"
    module.mkdir(parents=True, exist_ok=True)
    (course / "site.yaml").write_text("id: lmstest\ntitle: LMS test\n")
    (module / "_module.md").write_text(MODULE)
    for name, text in PAGES.items():
        (module / name).write_text(text)
    if extra_page:
        (module / "02b-extra.md").write_text("---\ntitle: Extra\n---\n## More\n\nNew page.\n")
    return course


def free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dispatch(tmp_path_factory):
    """{"lms": LMS base URL, "hosted": hosted base URL, "site": hosted folder, "root": scratch folder, "v2": site v2}.

    The LMS folder holds lms.html, scorm-again and the thin packages, unzipped as <version>/; "dead/<version>"
    frames an address where nothing answers yet (its port is in "dead_port")."""
    if not SCORM_AGAIN.is_file():
        pytest.fail(f"{SCORM_AGAIN} is missing: run tests/run, which installs scorm-again from npm")
    root = tmp_path_factory.mktemp("dispatch")
    course = write_course(root / "v1")
    _run("build", "--project", str(course), "--out", str(root / "v1-site"))
    v2 = write_course(root / "v2", extra_page=True)
    _run("build", "--project", str(v2), "--out", str(root / "v2-site"))
    site = root / "site"
    shutil.copytree(root / "v1-site", site)
    lms_dir = root / "lms"
    lms_dir.mkdir()
    shutil.copy(REPO_ROOT / "tests" / "browser" / "lms.html", lms_dir)
    shutil.copy(SCORM_AGAIN, lms_dir)
    dead_port = free_port("127.0.0.2")
    with serve_directory(site, host="127.0.0.2", revalidate=True) as hosted, serve_directory(lms_dir) as lms:
        for folder, base in (("", hosted), ("dead/", f"http://127.0.0.2:{dead_port}/")):
            out = root / f"zips-{folder.strip('/') or 'live'}"
            printed = _run("package", "--project", str(course), "--out", str(out), "--dispatch", "--base-url", base,
                           "--scorm", "1.2", "--scorm", "2004-4")
            assert printed.count(f"frames {base}safety/dispatch.html") == 2, printed
            for version, suffix in VERSIONS.items():
                zipfile.ZipFile(out / f"lmstest-safety-{suffix}.zip").extractall(lms_dir / f"{folder}{version}")
        yield {"lms": lms, "hosted": hosted, "site": site, "root": root, "dead_port": dead_port}


@pytest.fixture
def republished(dispatch):
    """The hosted site republished with a page added, put back as it was afterwards."""
    site = dispatch["site"]
    shutil.rmtree(site)   # copied as files written now: a server answers "not modified" by their time
    shutil.copytree(dispatch["root"] / "v2-site", site, copy_function=shutil.copy)
    yield
    shutil.rmtree(site)
    shutil.copytree(dispatch["root"] / "v1-site", site, copy_function=shutil.copy)


@pytest.mark.parametrize("version", list(VERSIONS))
def test_a_dispatch_launch_records_what_a_package_records(browser, dispatch, version):
    launch = DispatchLaunch(browser, dispatch["lms"], version)
    visit_all(launch)
    launch.answer(right=False)
    cmi, _ = launch.leave()
    v12 = launch.v12
    if v12:
        assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"], cmi["core"]["exit"]) == ("incomplete", "0", "suspend")
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("incomplete", "unknown", "suspend")
    assert core(cmi, v12)["lesson_location" if v12 else "location"] == "check"

    again = DispatchLaunch(browser, dispatch["lms"], version, resume_cmi(cmi, v12))
    assert again.h1().endswith("Check"), "resumed on the page left"
    assert again.hosted.locator("#lm-notice").is_hidden()
    assert again.content.locator(".quiz__result").inner_text().startswith("You answered 0 of 3 correctly")
    again.content.locator(".quiz__retry").click()
    again.answer(right=True)
    cmi2, log = again.leave()
    if v12:
        assert (cmi2["core"]["lesson_status"], cmi2["core"]["score"]["raw"], cmi2["core"]["exit"]) == ("passed", "100", "")
        assert interactions(cmi2, True)[-1] == ("check.speaking-up-early-is-safe", "true-false", "t", ["t"], "correct")
    else:
        assert (cmi2["completion_status"], cmi2["success_status"], cmi2["score"]["scaled"]) == ("completed", "passed", "1")
        assert interactions(cmi2, False)[-1] == ("check.speaking-up-early-is-safe", "true-false", "true", ["true"], "correct")
    assert len(cmi2["interactions"]) == 6, "each attempt's answers"
    assert any(c[0].endswith("Commit") for c in log["calls"]), "committed as the learner went"


@pytest.mark.parametrize("version", list(VERSIONS))
def test_a_republished_site_keeps_progress_and_says_the_module_was_updated(browser, dispatch, version, request):
    launch = DispatchLaunch(browser, dispatch["lms"], version)
    visit_all(launch)
    launch.answer(right=False)
    cmi, _ = launch.leave()
    request.getfixturevalue("republished")
    again = DispatchLaunch(browser, dispatch["lms"], version, resume_cmi(cmi, launch.v12))
    assert "module has been updated" in again.hosted.locator("#lm-notice").inner_text()
    assert again.h1().endswith("Check")
    assert again.content.locator(".module-nav .visited-mark").count() == 4, "4 pages seen; 'Extra' is new"
    assert again.content.locator(".quiz__input:checked").count() == 3
    again.content.locator('a[rel="prev"]').click()
    again.content.locator("h1", has_text="Listening").wait_for()
    cmi2, _ = again.leave()
    assert core(cmi2, launch.v12)["lesson_status" if launch.v12 else "completion_status"] == "incomplete"


def _forge(frame_locator, target_js, element, value):
    """Has a page in ``frame_locator``'s frame post a set message to ``target_js`` (a window expression)."""
    message = {**PROTOCOL, "type": "set", "element": element, "value": value}
    frame_locator.locator("body").evaluate(f"(_, m) => {target_js}.postMessage(m, '*')", message)


def test_messages_from_another_origin_or_another_frame_are_ignored(browser, dispatch, tmp_path):
    (tmp_path / "post.html").write_text(
        "<!DOCTYPE html><title>t</title><script>window.addEventListener('message', e => {"
        " if (e.data && e.data.forward) parent.postMessage(e.data.forward, '*'); });</script>")
    shutil.copy(tmp_path / "post.html", dispatch["site"] / "post.html")   # the hosted origin, another frame
    launch = DispatchLaunch(browser, dispatch["lms"], "1.2")
    launch.next()
    launch.page.wait_for_function("lms.commits > 0 || lms.calls.some(c => c[1] === 'cmi.core.lesson_location')")
    with serve_directory(tmp_path, host="127.0.0.3") as third:
        relay = launch.page.frame_locator("#sco")
        for src in (third + "post.html", dispatch["hosted"] + "post.html"):
            relay.locator("body").evaluate(
                "(b, src) => new Promise(done => { const f = document.createElement('iframe'); f.className = 'spy';"
                " f.src = src; f.onload = done; b.appendChild(f); })", src)
        for i, frame in enumerate(relay.locator("iframe.spy").all()):
            for element in ("cmi.core.lesson_location", "cmi.core.lesson_status"):
                forged = {**PROTOCOL, "type": "set", "element": element, "value": "passed" if "status" in element else f"forged-{i}"}
                frame.evaluate("(f, m) => f.contentWindow.postMessage({forward: m}, '*')", forged)
        # The LMS's own window (another frame of the LMS origin) is no more trusted.
        launch.page.evaluate("m => document.getElementById('sco').contentWindow.postMessage(m, '*')",
                             {**PROTOCOL, "type": "set", "element": "cmi.core.lesson_status", "value": "passed"})
        time.sleep(1.0)
        sets = [c for c in launch.log()["calls"] if c[0] == "LMSSetValue"]
        assert not [c for c in sets if "forged" in c[2] or c[2] == "passed"], sets

        # The frame the launch page opened, at the site's origin, is heard (so the test above could fail) ...
        _forge(launch.hosted, "parent", "cmi.core.lesson_location", "sent-by-the-module")
        launch.page.wait_for_function("lms.calls.some(c => c[2] === 'sent-by-the-module')")
        # ... but not for an element the runtime never writes, nor a value past the limit.
        _forge(launch.hosted, "parent", "cmi.core.student_id", "someone-else")
        _forge(launch.hosted, "parent", "cmi.suspend_data", "x" * 70000)
        time.sleep(0.5)
        sets = [c for c in launch.log()["calls"] if c[0] == "LMSSetValue"]
        assert not [c for c in sets if c[1] == "cmi.core.student_id" or len(c[2]) > 65536]
        assert any("refused a message from the module" in text for _, text in launch.console), launch.console
        launch.leave()


def test_the_hosted_page_sends_nothing_until_its_parent_says_hello(browser, dispatch, tmp_path):
    (tmp_path / "spy.html").write_text(
        "<!DOCTYPE html><title>spy</title><script>window.received = [];"
        " window.addEventListener('message', e => received.push(e.data));</script>"
        f"<iframe id=hosted src='{dispatch['hosted']}safety/dispatch.html'></iframe>"
        "<iframe id=sibling src='sibling.html'></iframe>")
    (tmp_path / "sibling.html").write_text("<!DOCTYPE html><title>sibling</title>")
    with serve_directory(tmp_path, host="127.0.0.3") as third:
        page = browser.new_page()
        page.goto(third + "spy.html")
        page.wait_for_load_state("load")
        hosted = page.frame_locator("#hosted")
        time.sleep(1.0)
        assert page.evaluate("received") == [], "nothing before a hello"
        post = "m => document.getElementById('hosted').contentWindow.postMessage(m, '*')"
        for bad in ({**PROTOCOL, "type": "hello", "scorm": "1.2", "module": "another"},
                    {"protocol": "other", "v": 1, "type": "hello", "scorm": "1.2", "module": "safety"},
                    {**PROTOCOL, "v": 2, "type": "hello", "scorm": "1.2", "module": "safety"},
                    {**PROTOCOL, "type": "hello", "scorm": "3", "module": "safety"}, "hello", None):
            page.evaluate(post, bad)
        # A sibling frame is not the parent, even with a valid hello.
        page.frame_locator("#sibling").locator("body").evaluate(
            "(_, m) => parent.document.getElementById('hosted').contentWindow.postMessage(m, '*')",
            {**PROTOCOL, "type": "hello", "scorm": "1.2", "module": "safety"})
        time.sleep(0.5)
        assert page.evaluate("received") == [], "nothing in answer to an invalid hello, or to anyone but the parent"

        page.evaluate(post, {**PROTOCOL, "type": "hello", "scorm": "1.2", "module": "safety"})
        page.wait_for_function("received.length > 0")
        (ready,) = page.evaluate("received")
        assert (ready["type"], ready["module"]) == ("ready", "safety") and len(ready["content"]) == 8

        # A session from the sibling is ignored; the parent's starts the module in the mode it says.
        review = {"cmi.core.lesson_mode": "review", "cmi.core.lesson_status": "passed"}
        page.frame_locator("#sibling").locator("body").evaluate(
            "(_, m) => parent.document.getElementById('hosted').contentWindow.postMessage(m, '*')",
            {**PROTOCOL, "type": "session", "lms": True, "reason": None, "values": review})
        time.sleep(0.3)
        page.evaluate(post, {**PROTOCOL, "type": "session", "lms": True, "reason": None,
                             "values": {"cmi.core.lesson_mode": "normal", "cmi.core.entry": "ab-initio"}})
        hosted.frame_locator("#lm-content").locator("h1").wait_for()
        assert hosted.locator("#lm-notice").is_hidden(), "not in review mode: the sibling's session was ignored"
        page.wait_for_function("received.some(m => m.type === 'set')")
        sent = page.evaluate("received")
        assert {m["type"] for m in sent} <= {"ready", "set", "commit"}
        assert ("cmi.core.lesson_status", "incomplete") in [(m.get("element"), m.get("value")) for m in sent]
        page.close()


def test_an_unreachable_site_is_said_plainly_records_nothing_and_can_be_retried(browser, dispatch):
    launch = DispatchLaunch(browser, dispatch["lms"], "1.2", launch="dead/1.2/safety/launch.html", wait=False)
    problem = launch.sco.locator("#lm-unreachable")
    problem.wait_for(state="visible", timeout=20_000)
    text = problem.inner_text()
    assert f"could not be loaded from 127.0.0.2:{dispatch['dead_port']}" in text and "nothing has been recorded" in text
    assert launch.sco.locator("#lm-content").is_hidden()
    calls = launch.log()["calls"]
    assert not [c for c in calls if c[0] in ("LMSSetValue", "LMSCommit", "LMSFinish")], calls

    with serve_directory(dispatch["site"], "127.0.0.2", port=dispatch["dead_port"]):
        launch.sco.get_by_role("button", name="Try again").click()
        launch.content.locator("h1").wait_for()
        assert problem.is_hidden()
        launch.next()
        cmi, _ = launch.leave()
    assert cmi["core"]["lesson_location"] == "speak-up"


def test_left_while_unreachable_nothing_is_recorded(browser, dispatch):
    launch = DispatchLaunch(browser, dispatch["lms"], "2004-4", launch="dead/2004-4/safety/launch.html", wait=False)
    launch.sco.locator("#lm-unreachable").wait_for(state="visible", timeout=20_000)
    cmi, log = launch.leave(terminates=False)
    assert log["terminated"] == 0 and not [c for c in log["calls"] if c[0] in ("SetValue", "Commit")]
    assert cmi["completion_status"] == "unknown" and not cmi["suspend_data"]


def test_the_hosted_launch_page_opened_directly_is_the_standalone_module(browser, dispatch):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(dispatch["hosted"] + "safety/dispatch.html")
    content = page.frame_locator("#lm-content")
    content.locator("h1", has_text="Safety culture").wait_for()
    content.locator('a[rel="next"]').click()
    content.locator("h1", has_text="Speaking up").wait_for()
    # The heading is painted before the page's deferred scripts record the visit: wait for the record.
    page.wait_for_function(
        "() => 'speak-up' in (JSON.parse(localStorage.getItem('learnmark:lmstest:v1'))"
        "?.modules?.safety?.visited ?? {})",
        timeout=10_000,
    )
    assert page.locator("#lm-notice").is_hidden() and errors == []
    page.close()


def test_no_learner_data_leaves_for_any_origin_but_the_lms_and_the_site(browser, dispatch):
    """Every request of a launch goes to the LMS or the site, and reflections never leave the device.

    The site is framed by another site here, so the browser keeps it from storage ("third-party" storage,
    blocked by default in this Chromium): the learner is told their reflection cannot be kept."""
    context = browser.new_context()
    hosts = []
    context.on("request", lambda r: hosts.append(r.url.split("/")[2]))
    launch = DispatchLaunch(browser, dispatch["lms"], "2004-4", context=context)
    launch.next()
    launch.next()
    box = launch.content.locator(".reflection textarea")
    box.fill("My manager listened.")
    box.blur()
    launch.content.locator(".reflection__status").filter(has_text="cannot save your reflection").wait_for()
    cmi, _ = launch.leave()
    assert "listened" not in json.dumps(cmi)
    allowed = {dispatch["lms"].split("/")[2], dispatch["hosted"].split("/")[2]}
    assert set(hosts) <= allowed, set(hosts) - allowed
    context.close()


def test_the_launch_pages_have_no_axe_violations(browser, dispatch, axe_path):
    """The unreachable notice with its button, and the hosted launch page with a notice showing."""
    page = browser.new_page()
    page.goto(dispatch["lms"] + "dead/1.2/safety/launch.html")
    page.locator("#lm-unreachable").wait_for(state="visible", timeout=20_000)
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(RUN_AXE, AXE_TAGS) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "lm-retry", "the button is reached by keyboard"
    page.goto(dispatch["hosted"] + "safety/dispatch.html")
    page.frame_locator("#lm-content").locator("h1").wait_for()
    page.evaluate("() => { const n = document.getElementById('lm-notice'); n.textContent = 'A notice.'; n.hidden = false; }")
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(RUN_AXE, AXE_TAGS) == []
    page.close()
