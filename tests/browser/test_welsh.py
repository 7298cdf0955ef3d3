"""The shipped course built with ``language: cy``: nothing a learner sees or hears is English.

Every page is read with JavaScript on, in the states the scripts change it
into: a quiz answered wrongly, retried and passed, a reflection written, a
course half done and then finished (progress and certificate pages), and
storage refused. Every visible text node and every ``aria-label``, ``alt``,
``title`` and ``placeholder`` is then sorted:

- the author's words (the course's Markdown and YAML, which stay English) are
  allowed;
- an English interface string (from the theme's English catalogues, where the
  Welsh differs) is a failure;
- anything else must be Welsh interface text (from the Welsh catalogues) or a
  number: text that is neither the author's nor the catalogues' was written
  into a template or script without being marked for translation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.answering import answer_arranged
from tests.browser.conftest import REPO_ROOT, SiteMap, serve_directory
from tests.browser.test_axe import format_violations, run_axe_over

LOCALE = REPO_ROOT / "themes" / "default" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
LONG = 40
"""Text this long found in the course's Markdown is the author's, whatever interface string it resembles."""

COLLECT = """() => {
  const out = [];
  const shown = el => el.checkVisibility({visibilityProperty: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template') || !shown(el)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(['text', text, el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')]);
  }
  for (const el of document.querySelectorAll('[aria-label], [alt], [title], [placeholder]')) {
    if (!shown(el)) continue;
    for (const name of ['aria-label', 'alt', 'title', 'placeholder']) {
      const value = (el.getAttribute(name) || '').replace(/\\s+/g, ' ').trim();
      if (value) out.push([name, value, el.tagName.toLowerCase()]);
    }
  }
  out.push(['document.title', document.title, 'title']);
  return out;
}"""


def _segments(text: str) -> list[str]:
    """The pieces of a catalogue string a page shows as separate text: split at its tags."""
    return [s.strip() for s in re.split(r"<[^>]+>", text) if s.strip()]


def _pattern(segment: str) -> re.Pattern:
    parts = PLACEHOLDER.split(segment.replace("%%", "%"))
    return re.compile(r"\s*(.{1,40}?)\s*".join(r"\s+".join(map(re.escape, p.split())) for p in parts), re.S)


def _words(segment: str) -> str:
    return PLACEHOLDER.sub("", segment)


class Interface:
    """The theme's interface strings: the English ones the Welsh replaces, and the Welsh."""

    def __init__(self):
        english, welsh = set(), set()
        for domain in ("messages", "js"):
            with (LOCALE / "cy" / "LC_MESSAGES" / f"{domain}.po").open("rb") as file:
                catalogue = read_po(file)
            for message in catalogue:
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
                strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
                for text in strings:
                    welsh.update(_segments(text))
                for text in ids:
                    english.update(_segments(text))
        # Strings the same in both languages (a name, a symbol) prove nothing either way,
        # nor do ones with hardly a word of their own ("%(seen)s of %(total)s").
        self.english = [_pattern(s) for s in english - welsh if len(re.findall(r"[A-Za-z]", _words(s))) >= 4]
        self.welsh = [(PLACEHOLDER.split(s.replace("%%", "%"))[0].strip(), _pattern(s)) for s in welsh
                      if re.search(r"[^\W\d_]{2}", _words(s))]  # not "%(title)s", which would match anything

    def is_english(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.english)

    def is_welsh(self, text: str) -> bool:
        """Whether ``text`` is Welsh interface text: one catalogue string, or several in a row (a
        sentence and the next, as a template may put them)."""
        ends = [m.start() for m in re.finditer(r"\s", text)] + [len(text)]
        seen: set[int] = set()

        def from_(start: int) -> bool:
            while start < len(text) and text[start].isspace():
                start += 1
            if start == len(text):
                return True
            if start in seen:
                return False
            seen.add(start)
            for prefix, pattern in self.welsh:
                if prefix and not text.startswith(prefix, start):
                    continue
                if any(pattern.fullmatch(text, start, end) and from_(end) for end in ends if end > start):
                    return True
            return False

        return any(p.fullmatch(text) for _, p in self.welsh) or from_(0)


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    text = re.sub(r"[*_`#>|\[\]]", " ", text)  # Markdown's marks split what a page shows into separate text nodes
    return re.sub(r"\s+", " ", text).strip().lower()


class Content:
    """What the author wrote (the course's Markdown and YAML), which stays English in a Welsh course."""

    def __init__(self, course: Path):
        files = [course / "site.yaml", *sorted((course / "content").rglob("*.md"))]
        lines = "\n".join(f.read_text(encoding="utf-8") for f in files).splitlines()
        self.text = _normal("\n".join(lines))
        # Whole lines, list items, table cells, YAML values and container titles: short text is the
        # author's only when it is one of these, not merely a few words found somewhere in a paragraph.
        units = set()
        for line in lines:
            line = re.sub(r"\{#[^}]*\}\s*$", "", line)
            for cell in line.split("|"):
                cell = re.sub(r"^\s*(?:[#>*+-]+|\d+\.|:::+\s*[\w-]+|-?\s*[\w-]+:(?=\s))\s*", "", cell)
                units.add(_normal(cell.strip().strip('"')))
        self.units = units

    def holds(self, text: str) -> bool:
        """Surely the author's: a whole line, item or cell of theirs, or a long stretch of their text."""
        normal = _normal(text)
        return normal in self.units or (len(text) >= LONG and normal in self.text)

    def mentions(self, text: str) -> bool:
        """Words found in the author's text (a link or an emphasis inside a paragraph of theirs)."""
        return re.search(r"(?<!\w)" + re.escape(_normal(text)) + r"(?!\w)", self.text) is not None


WELSH_DATE = re.compile(r"\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|"
                        r"Rhagfyr) \d{4}")


def _explained(text: str, interface: Interface, content: Content) -> bool:
    """Welsh interface text, a Welsh date, a number, or the author's words, alone or joined."""
    stripped = text.strip(" :;,.·–—|()")
    # A status in a sentence is lower-cased ("Modiwl B: heb ddechrau").
    for candidate in dict.fromkeys((text, stripped, stripped[:1].upper() + stripped[1:])):
        if not re.search(r"[^\W\d_]{2}", candidate):  # numbers, symbols, a single letter
            return True
        if interface.is_welsh(candidate) or WELSH_DATE.fullmatch(candidate) or content.mentions(candidate):
            return True
    # Joined from parts, as a page title is ("Page – Module – Course") or a list of answers.
    parts = [part for part in re.split(r"\s*[·–—|]\s+|[,:;]\s+", text) if part.strip()]
    return len(parts) > 1 and all(_explained(part, interface, content) for part in parts)


@pytest.fixture(scope="module")
def welsh_course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("welsh") / "course"
    course.mkdir()
    shutil.copytree(REPO_ROOT / "content", course / "content")
    config = (REPO_ROOT / "site.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: en-GB\n" in config
    (course / "site.yaml").write_text(config.replace("\nlanguage: en-GB\n", "\nlanguage: cy\n"), encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def welsh_site(welsh_course) -> SiteMap:
    out = welsh_course.parent / "site"
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(welsh_course), "--out", str(out),
                           "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "warning" not in done.stderr + done.stdout, "the Welsh catalogues are incomplete:\n" + done.stderr
    return SiteMap.discover(out)


@pytest.fixture(scope="module")
def welsh_url(welsh_site):
    with serve_directory(welsh_site.root) as url:
        yield url


class Reader:
    """Reads pages as the learner sees them, and keeps what is not Welsh."""

    def __init__(self, page, url: str, course: Path):
        self.page, self.url = page, url
        self.interface, self.content = Interface(), Content(course)
        self.english: dict[str, set[str]] = {}
        self.unexplained: dict[str, set[str]] = {}
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def go(self, path: str):
        response = self.page.goto(self.url + path)
        assert response is not None and response.ok, path
        self.page.wait_for_load_state("load")

    def read(self, state: str):
        where = f"{self.page.url.removeprefix(self.url)} ({state})"
        for kind, text, element in self.page.evaluate(COLLECT):
            shown = f"{kind} on {element}: {text!r}"
            if self.content.holds(text):  # the author's words
                continue
            if self.interface.is_english(text):
                self.english.setdefault(where, set()).add(shown)
            elif not _explained(text, self.interface, self.content):
                self.unexplained.setdefault(where, set()).add(shown)

    def report(self) -> str:
        lines = []
        for title, found in (("English interface strings", self.english),
                             ("text neither the author's nor the Welsh catalogues'", self.unexplained)):
            for where, items in sorted(found.items()):
                lines += [f"{title} on {where}:"] + [f"    {item}" for item in sorted(items)]
        return "\n".join(lines)


def _answer(page, right: bool):
    quiz = page.locator("[data-module='quiz']").first
    retry, submit = quiz.locator(".quiz__retry"), quiz.locator(".quiz__submit")
    if retry.is_visible():
        retry.click()
    elif not submit.is_visible():  # passed with a full score already: nothing to answer
        return
    for question in quiz.locator("[data-question-id]").all():
        if not question.is_visible() or answer_arranged(question, right):
            continue
        inputs = question.locator("input")
        choices = question.locator("input[data-correct]" if right else "input:not([data-correct])")
        if right:
            if inputs.first.get_attribute("type") == "checkbox":
                for choice in choices.all():
                    choice.check()
            else:
                choices.first.check()
        else:
            choices.first.check()
    submit.click()
    quiz.locator(".quiz__result p").first.wait_for()


def test_no_english_interface_string_is_left_in_the_welsh_course(welsh_site, welsh_url, welsh_course, new_context):
    context = new_context()
    reader = Reader(context.new_page(), welsh_url, welsh_course)
    site = welsh_site

    # 1. Every page, as a new learner finds it.
    for path in site.pages:
        reader.go(path)
        reader.read("new learner")

    # 2. A quiz answered wrongly, then retried and passed; a reflection written.
    quiz_pages = [p for p in site.content_pages if 'data-module="quiz"' in site.text(p)]
    assert quiz_pages, "the shipped course has no quiz"
    reader.go(quiz_pages[0])
    _answer(reader.page, right=False)
    reader.read("quiz answered wrongly")
    _answer(reader.page, right=True)
    reader.read("quiz passed")
    reflections = [p for p in site.content_pages if 'data-module="reflection"' in site.text(p)]
    if reflections:
        reader.go(reflections[0])
        box = reader.page.locator(".reflection__input").first
        box.fill("Rwy'n meddwl am hyn.")
        box.blur()
        reader.page.locator(".reflection__status").first.wait_for()
        reader.read("reflection written")
    for path in (site.home, "progress.html", "certificate.html", site.first_module):
        reader.go(path)
        reader.read("course under way")

    # 3. The whole course finished: every page seen, every quiz passed.
    for path in site.content_pages:
        reader.go(path)
        if path in quiz_pages:
            _answer(reader.page, right=True)
    for path in (site.home, "progress.html", "certificate.html", *site.modules):
        reader.go(path)
        reader.read("course finished")

    # 4. Storage refused: the notice.
    blocked = new_context()
    blocked.add_init_script("Storage.prototype.setItem = function () { throw new DOMException('full', "
                            "'QuotaExceededError'); };")
    refused = Reader(blocked.new_page(), welsh_url, welsh_course)
    refused.go(site.first_content_page)
    assert refused.page.locator("[data-storage-notice]").is_visible()
    refused.read("storage refused")

    assert not reader.errors + refused.errors, reader.errors + refused.errors
    problems = "\n".join(filter(None, (reader.report(), refused.report())))
    assert not problems, problems


def test_welsh_pages_have_no_axe_violations(welsh_site, welsh_url, axe_path, new_context):
    pages = [welsh_site.home, welsh_site.first_module, *welsh_site.content_pages[:3], "progress.html",
             "certificate.html", welsh_site.not_found, "support.html", "accessibility.html"]
    found = run_axe_over(new_context, welsh_url, axe_path, [p for p in pages if (welsh_site.root / p).exists()])
    assert not found, format_violations(found)


def test_the_english_check_finds_english(welsh_url, new_context, welsh_course):
    """The sorting above would catch an English string: a page with one put back is reported."""
    reader = Reader(new_context().new_page(), welsh_url, welsh_course)
    reader.go("index.html")
    reader.page.evaluate("() => { const p = document.createElement('p'); p.textContent = 'Skip to main content';"
                         " document.querySelector('main').append(p);"
                         " const q = document.createElement('p'); q.textContent = 'Unmarked words here';"
                         " document.querySelector('main').append(q); }")
    reader.read("planted")
    assert any("Skip to main content" in item for items in reader.english.values() for item in items)
    assert any("Unmarked words here" in item for items in reader.unexplained.values() for item in items)


def test_welsh_pages_keep_their_welsh_without_javascript(welsh_url, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(welsh_url + "supportive-culture/summary.html")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator(".skip-link").inner_text() == "Neidio i'r prif gynnwys"
    assert page.locator(".quiz__meta.nojs-only").first.inner_text().startswith("6 chwestiwn i ymarfer arnynt.")
    page.goto(welsh_url + "progress.html")
    assert page.locator("h1").inner_text() == "Eich cynnydd"
    assert page.locator(".nojs-only").first.is_visible()
