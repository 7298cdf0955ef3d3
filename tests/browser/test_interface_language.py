"""The scripts speak the course's language: the shipped course built with ``language: cy`` (a copy, one quiz given
two retries so that counts of attempts show), driven through a quiz, a reflection, the progress and certificate
pages and a browser that cannot save; and the SCORM runtime's notices, in the test LMS and a dispatch package.

Only text the scripts write is read (the elements they create or change, live regions included, with their
aria-label and title), with the course's own titles taken out: it must hold no English string of the js catalogue
that Welsh changes, and must hold the Welsh expected. (The templates' text is another part of the work.)
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from generator.theme import DEFAULT_THEME

from tests.answering import answer_arranged

from .conftest import REPO_ROOT, serve_directory
from .test_dispatch import DispatchLaunch, free_port, write_course
from .test_scorm import SCORM_AGAIN, Launch, visit_all

QUIZ_PAGE = "supportive-culture/summary.html"
REFLECTION_PAGE = "compassionate-leadership/summary.html"
WRITTEN = [  # what the scripts write, element by element
    ".quiz__number", ".quiz__result", ".quiz__verdicts", ".quiz__verdict", ".quiz__tag", ".quiz__error-summary ul",
    ".reflection__status", "[data-module-status]", "[data-module-pages]", "[data-module-score]", ".visited-mark",
    "[data-progress-overall]", "[data-progress-continue] a", "[data-certificate-remaining-text]",
    "[data-certificate-remaining] li", "[data-certificate-date]", "[data-progress-message]", "#lm-notice",
    "#lm-unreachable-text", ".media__load", ".media__done",
]
COLLECT = """selectors => {
  const course = window.LearnmarkCourse || { modules: [] };
  // Page titles are in assets/course-titles.js, loaded where one is shown ("Continue where you left off").
  const titles = course.modules.map(m => m.title).concat(Object.values(window.LearnmarkTitles || {})).filter(Boolean)
    .sort((a, b) => b.length - a.length);
  const out = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (el.closest('[hidden]')) continue;
      for (let text of [el.textContent, el.getAttribute('aria-label'), el.getAttribute('title')]) {
        if (!text) continue;
        for (const title of titles) text = text.split(title).join('');
        out.push(text.trim());
      }
    }
  }
  return out.filter(Boolean);
}"""


def _catalogue(path):
    with path.open("rb") as file:
        return read_po(file)


def _english_patterns() -> list[tuple[str, re.Pattern]]:
    """Each English string of the js catalogue that Welsh changes, placeholders as wildcards."""
    patterns = []
    for message in _catalogue(DEFAULT_THEME / "locale" / "cy" / "LC_MESSAGES" / "js.po"):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        welsh = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for text in english:
            if text in welsh:
                continue
            parts = re.split(r"%\(\w+\)s", text.replace("%%", "%"))
            pattern = r"\S+".join(re.escape(part) for part in parts)
            patterns.append((text, re.compile(r"(?<![\w'])" + pattern + r"(?![\w'])")))
    return patterns


ENGLISH = _english_patterns()


def written(page_or_frame) -> list[str]:
    return page_or_frame.evaluate(COLLECT, WRITTEN) if hasattr(page_or_frame, "evaluate") else \
        page_or_frame.locator("html").evaluate(f"(_, s) => ({COLLECT})(s)", WRITTEN)


def assert_no_english(texts: list[str]) -> None:
    assert texts, "the scripts wrote nothing to check"
    found = [(english, text) for text in texts for english, pattern in ENGLISH if pattern.search(text)]
    assert found == [], found


def _run(*args):
    run = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    """The shipped course in Welsh, built and served: its base URL."""
    root = tmp_path_factory.mktemp("welsh")
    course = root / "course"
    shutil.copytree(REPO_ROOT / "content", course / "content")
    site_yaml = (REPO_ROOT / "site.yaml").read_text(encoding="utf-8")
    assert "language: en-GB" in site_yaml
    (course / "site.yaml").write_text(site_yaml.replace("language: en-GB", "language: cy"), encoding="utf-8")
    quiz = course / "content" / "01-supportive-culture" / "04-summary.md"
    text = quiz.read_text(encoding="utf-8")
    assert "::: quiz id=supportive-culture-check pass=80\n" in text
    quiz.write_text(text.replace("::: quiz id=supportive-culture-check pass=80\n",
                                 "::: quiz id=supportive-culture-check pass=80 retries=2\n"), encoding="utf-8")
    _run("build", "--project", str(course), "--out", str(root / "site"))
    with serve_directory(root / "site") as base:
        yield base


def answer(page, right: bool):
    questions = page.locator(".quiz__question:visible")
    for i in range(questions.count()):
        if answer_arranged(questions.nth(i), right):
            continue
        choices = questions.nth(i).locator("input[data-correct]" if right else "input:not([data-correct])")
        for j in range(choices.count() if right or questions.nth(i).get_attribute("data-kind") == "multiple" else 1):
            choices.nth(j).check()
    page.locator(".quiz__submit").click()


def test_a_quiz_wrong_twice_then_right_in_welsh(welsh, new_context):
    page = new_context().new_page()
    page.goto(welsh + QUIZ_PAGE)
    count = page.locator(".quiz__question:visible").count()
    assert page.locator(".quiz__number").first.text_content() == f"Cwestiwn 1 o {count}:"
    page.locator(".quiz__submit").click()
    assert page.locator(".quiz__error-summary li a").first.inner_text() == "Atebwch gwestiwn 1"
    texts = written(page)

    answer(page, right=False)
    result = page.locator(".quiz__result")
    assert result.locator("p").first.inner_text() == (
        f"Gwnaethoch chi ateb 0 o {count} yn gywir — ni wnaethoch chi gyrraedd y marc llwyddo, sef 80%.")
    # Two attempts left: the "two" form, with its mutation.
    assert result.locator(".quiz__attempts").inner_text().endswith("Gallwch chi roi cynnig arni ddwywaith eto.")
    assert page.locator(".quiz__verdict").first.inner_text() == "✗ Ddim yn hollol gywir"
    assert "Eich ateb: anghywir" in page.locator(".quiz__tag").all_inner_texts()[0]
    assert "Yr ateb cywir" in " ".join(page.locator(".quiz__tag").all_inner_texts())
    assert page.locator(".quiz__verdicts a").first.inner_text() == "✗ Cwestiwn 1: anghywir"
    texts += written(page)

    page.locator(".quiz__retry").click()
    answer(page, right=False)
    assert result.locator(".quiz__attempts").inner_text().endswith("Gallwch chi roi cynnig arni unwaith eto.")  # "one"
    texts += written(page)

    page.locator(".quiz__retry").click()
    answer(page, right=True)
    assert result.locator("p").first.inner_text() == (
        f"Gwnaethoch chi ateb {count} o {count} yn gywir — rydych chi wedi llwyddo.")
    assert result.locator(".quiz__attempts").inner_text() == "Rydych chi wedi defnyddio eich holl gynigion."  # the third
    assert page.locator(".quiz__verdict").first.inner_text() == "✓ Cywir"
    texts += written(page)
    assert_no_english(texts)

    # The progress page, after the quiz: statuses, counts, the continue link.
    page.goto(welsh + "progress.html")
    assert page.locator("[data-progress-overall]").inner_text() == "Rydych chi wedi cwblhau 0 o 5 modiwl."
    status = page.locator("[data-module-status='supportive-culture']").inner_text()
    assert status.startswith("Ar y gweill: wedi gweld ") and status.endswith(", wedi llwyddo yn y cwis"), status
    assert page.locator("[data-module-status='learning-culture']").inner_text() == "Heb ddechrau"
    assert page.locator("[data-progress-continue] a").inner_text().startswith(
        "Parhau o'r man lle gwnaethoch chi adael: ")
    texts = written(page)
    page.set_input_files("#lm-import", files=[{"name": "nid-cynnydd.json", "mimeType": "application/json",
                                                 "buffer": b'{"not": "progress"}'}])
    message = page.locator("[data-progress-message]").first
    message.filter(has_text="nid-cynnydd.json").wait_for()
    assert message.inner_text() == "Nid yw nid-cynnydd.json yn ffeil cynnydd ar gyfer y cwrs hwn, felly does dim wedi newid."
    texts += written(page)

    page.goto(welsh + "certificate.html")
    assert page.locator("[data-certificate-remaining-text]").inner_text() == (
        "Rydych chi wedi cwblhau 0 o 5 modiwl. Cwblhewch y rhain i gael eich tystysgrif:")
    assert page.locator("[data-certificate-remaining] li").last.inner_text().endswith(": heb ddechrau")
    texts += written(page)
    assert_no_english(texts)


def test_the_certificate_date_is_written_in_welsh(welsh, new_context):
    page = new_context().new_page()
    page.goto(welsh + "certificate.html")
    page.evaluate("""() => {
      const t = Learnmark.tracker;
      for (const m of t.course.modules) {
        for (const p of m.pages) t.visit(m.id + '/' + p.id);
        // course.js gives each quiz's question count, not its ids (only SCORM launch pages read those).
        for (const q of m.quizzes) t.recordQuiz(m.id + '/' + q.id, {
          questions: Array.from({ length: q.count }, (_, i) => ({ id: 'q' + i, response: ['a'], correct: true })),
          score: { raw: q.count, max: q.count }, passed: true,
          timestamp: new Date().toISOString() });
      }
    }""")
    page.reload()
    date = page.locator("[data-certificate-date]")
    date.wait_for()
    # CLDR's Welsh long date: Chromium's Intl has no Welsh months, so the build sends them.
    today = datetime.date.fromisoformat(page.evaluate("new Date().toISOString().slice(0, 10)"))
    assert date.inner_text() in {format_date(day, "long", locale="cy") for day in (today, today - datetime.timedelta(1))}
    assert_no_english(written(page))


def test_a_reflection_and_its_download_in_welsh(welsh, new_context):
    page = new_context().new_page()
    page.goto(welsh + REFLECTION_PAGE)
    page.locator(".reflection textarea").fill("Gwrando mwy.")
    status = page.locator(".reflection__status")
    status.filter(has_text="Wedi'i gadw").wait_for()
    assert status.inner_text() == "Wedi'i gadw ar y ddyfais hon."
    markdown = page.evaluate("Learnmark.reflections.markdown()")
    assert markdown.startswith("# Fy myfyrdodau: ") and "Golygwyd ddiwethaf " in markdown
    ours = [line for line in markdown.splitlines() if line.startswith(("# ", "_"))]  # the rest is the course's
    assert ours and not [english for english, pattern in ENGLISH for line in ours if pattern.search(line)]
    with page.expect_download() as download:
        page.locator(".reflection__download").click()
    assert download.value.suggested_filename == "fy-myfyrdodau.md"
    assert_no_english(written(page))


NO_STORAGE = """Object.defineProperty(window, 'localStorage', {
  configurable: true,
  get() { throw new DOMException('The user denied access to storage.', 'SecurityError'); }
});"""


def test_a_browser_that_cannot_save_is_told_in_welsh(welsh, new_context):
    context = new_context()
    context.add_init_script(NO_STORAGE)
    page = context.new_page()
    page.goto(welsh + REFLECTION_PAGE)
    assert page.locator(".reflection__status").inner_text() == (
        "Ni all y porwr hwn gadw eich myfyrdod. Lawrlwythwch ef, neu copïwch ef i rywle diogel, cyn i chi adael y dudalen.")
    assert_no_english(written(page))


def test_progress_saved_by_a_newer_version_is_told_in_welsh(welsh, new_context):
    context = new_context()
    context.add_init_script("""localStorage.setItem('learnmark:workplace-culture:v1',
      JSON.stringify({ schema: 99, course: 'workplace-culture', modules: {} }));""")
    page = context.new_page()
    page.goto(welsh + REFLECTION_PAGE)
    assert page.locator(".reflection__status").inner_text().startswith(
        "Cafodd eich cynnydd ei gadw gan fersiwn mwy newydd o'r cwrs hwn, felly ni all y dudalen hon gadw eich myfyrdod.")
    notice = page.locator("[data-storage-notice]").first
    assert notice.inner_text().startswith("Cafodd eich cynnydd ei gadw gan fersiwn mwy newydd o'r cwrs hwn")
    assert_no_english(written(page) + [notice.inner_text()])


# --------------------------------------------------------------------------
# SCORM: the launch page's notices, and a dispatch package's
# --------------------------------------------------------------------------

def welsh_course(root):
    course = write_course(root)
    (course / "site.yaml").write_text("id: lmstest\ntitle: LMS test\nlanguage: cy\n")
    return course


@pytest.fixture(scope="module")
def welsh_lms(tmp_path_factory):
    """The test LMS with a Welsh package (1.2/) and a Welsh dispatch package framing an address where nothing
    answers (dead/1.2/)."""
    if not SCORM_AGAIN.is_file():
        pytest.fail(f"{SCORM_AGAIN} is missing: run tests/run, which installs scorm-again from npm")
    root = tmp_path_factory.mktemp("welsh-lms")
    course = welsh_course(root)
    _run("package", "--project", str(course), "--out", str(root / "zips"), "--scorm", "1.2")
    dead = f"http://127.0.0.2:{free_port('127.0.0.2')}/"
    _run("package", "--project", str(course), "--out", str(root / "dead"), "--scorm", "1.2", "--dispatch",
         "--base-url", dead)
    site = root / "lms"
    site.mkdir()
    shutil.copy(REPO_ROOT / "tests" / "browser" / "lms.html", site)
    shutil.copy(SCORM_AGAIN, site)
    zipfile.ZipFile(root / "zips" / "lmstest-safety-scorm12.zip").extractall(site / "1.2")
    (dispatch_zip,) = (root / "dead").glob("*.zip")
    zipfile.ZipFile(dispatch_zip).extractall(site / "dead" / "1.2")
    with serve_directory(site) as base:
        yield {"base": base, "site": site}


def test_review_mode_is_told_in_welsh(browser, welsh_lms):
    launch = Launch(browser, welsh_lms["base"], "1.2", {"core": {"lesson_status": "passed", "lesson_mode": "review"}})
    notice = launch.sco.locator("#lm-notice")
    assert notice.inner_text() == (
        "Rydych chi'n adolygu'r modiwl hwn, felly nid yw'r ymweliad hwn yn cael ei gofnodi: mae eich platfform "
        "dysgu yn cadw'r canlyniad sydd gennych chi eisoes. Ni fydd eich atebion yma yn ei newid.")
    visit_all(launch)
    launch.answer(right=False)
    assert launch.content.locator(".quiz__result p").first.inner_text().startswith("Gwnaethoch chi ateb 0 o 3 yn gywir")
    assert_no_english(written(launch.sco) + written(launch.content))
    launch.leave()


def test_a_launch_from_another_origin_is_told_in_welsh(browser, welsh_lms):
    with serve_directory(welsh_lms["site"], host="127.0.0.2") as elsewhere:
        launch = Launch(browser, welsh_lms["base"], "1.2", launch=elsewhere + "1.2/safety/launch.html")
        notice = launch.sco.locator("#lm-notice")
        assert notice.inner_text().startswith("Nid yw eich cynnydd yn cael ei gofnodi. Mae'r modiwl hwn yn rhedeg ar "
                                              "gyfeiriad gwe gwahanol i'ch platfform dysgu")
        assert_no_english(written(launch.sco))
        launch.page.close()
        launch.context.close()


def test_an_unreachable_course_is_told_in_welsh(browser, welsh_lms):
    launch = DispatchLaunch(browser, welsh_lms["base"], "1.2", launch="dead/1.2/safety/launch.html", wait=False)
    problem = launch.sco.locator("#lm-unreachable-text")
    problem.wait_for(state="visible", timeout=20_000)
    assert problem.inner_text().startswith("Nid oedd modd llwytho'r modiwl hwn o 127.0.0.2:")
    assert problem.inner_text().endswith("rhowch wybod i'ch tîm dysgu a datblygu.")
    assert_no_english(written(launch.sco))
    launch.page.close()
    launch.context.close()
