"""``learnmark new``: what it writes builds cleanly, numbering follows the folders, and refusals write nothing."""

import html
from pathlib import Path

import pytest

from tests.conftest import CONTACT
from tests.unit.test_cli import learnmark


def new_course(tmp_path: Path) -> Path:
    run = learnmark("new", "course", "my-course", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    return tmp_path / "my-course"


def builds_cleanly(root: Path) -> None:
    check = learnmark("check", cwd=root)
    assert (check.returncode, check.stdout, check.stderr) == (0, "0 errors, 0 warnings.\n", "")
    build = learnmark("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    assert build.stderr == ""


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() if p.is_file() else b"" for p in root.rglob("*")}


def test_new_course_passes_check_and_strict_build_with_a_quiz_and_a_reflection(tmp_path):
    run = learnmark("new", "course", "my-course", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Created my-course/site.yaml",
        "Created my-course/.gitignore",
        "Created my-course/content/01-getting-started/_module.md",
        "Created my-course/content/01-getting-started/01-welcome.md",
        "Created my-course/content/01-getting-started/02-check-your-understanding.md",
    ]
    root = tmp_path / "my-course"
    assert "id: my-course\n" in (root / "site.yaml").read_text()
    assert (root / ".gitignore").read_text() == "build/\n"
    builds_cleanly(root)
    quiz_page = (root / "build/site/getting-started/check-your-understanding.html").read_text()
    assert '<section class="quiz"' in quiz_page
    assert quiz_page.count('type="checkbox"') >= 3  # the {multiple} question
    assert 'data-reflection-key="getting-started/first-module"' in quiz_page
    welcome = (root / "build/site/getting-started/welcome.html").read_text()
    assert '<span class="visually-hidden">Tip: </span>Make it yours' in welcome
    assert '<a href="check-your-understanding.html">' in welcome


def test_new_course_in_an_existing_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert learnmark("new", "course", ".", cwd=tmp_path / "empty").returncode == 0
    assert "id: empty\n" in (tmp_path / "empty/site.yaml").read_text()
    builds_cleanly(tmp_path / "empty")


def test_new_module_numbers_after_the_highest_module_and_each_builds(tmp_path):
    root = new_course(tmp_path)
    (root / "content/01-getting-started").rename(root / "content/07-getting-started")  # gaps are fine
    first = learnmark("new", "module", "Giving feedback", cwd=root)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == ["Created content/08-giving-feedback/_module.md",
                                         "Created content/08-giving-feedback/01-introduction.md"]
    builds_cleanly(root)
    second = learnmark("new", "module", "Receiving feedback", "--project", str(root), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert (root / "content/09-receiving-feedback/_module.md").is_file()
    builds_cleanly(root)
    assert (root / "build/site/receiving-feedback/introduction.html").is_file()


def test_the_first_module_of_a_course_is_01(tmp_path):
    (tmp_path / "site.yaml").write_text("id: bare\ntitle: Bare\n" + CONTACT)
    assert learnmark("new", "module", "Basics", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "content/01-basics").iterdir()) == ["01-introduction.md", "_module.md"]
    builds_cleanly(tmp_path)


def test_new_page_takes_the_next_number_in_a_module_named_by_id_or_folder(tmp_path):
    root = new_course(tmp_path)
    by_id = learnmark("new", "page", "getting-started", "Next steps", cwd=root)
    assert by_id.stdout.splitlines()[0] == "Created content/01-getting-started/03-next-steps.md", by_id.stderr
    by_folder = learnmark("new", "page", "01-getting-started", "Further reading", cwd=root)
    assert by_folder.stdout.splitlines()[0] == "Created content/01-getting-started/04-further-reading.md", by_folder.stderr
    builds_cleanly(root)
    assert (root / "build/site/getting-started/further-reading.html").is_file()


def test_new_page_finds_a_module_by_its_pinned_id(tmp_path):
    root = new_course(tmp_path)
    module = root / "content/01-getting-started/_module.md"
    module.write_text(module.read_text().replace("---\n", "---\nid: start\n", 1))
    run = learnmark("new", "page", "start", "Pinned", cwd=root)
    assert run.returncode == 0, run.stderr
    builds_cleanly(root)
    assert (root / "build/site/start/pinned.html").is_file()


@pytest.mark.parametrize("title", ["Yes: no", "1.10", "No", "O'Neil & <Sons> #1"])
def test_titles_yaml_would_misread_reach_the_page_heading_as_written(tmp_path, title):
    root = new_course(tmp_path)
    assert learnmark("new", "module", title, cwd=root).returncode == 0
    module_id = next(p.name[3:] for p in (root / "content").iterdir() if p.name.startswith("02-"))
    assert learnmark("new", "page", module_id, title, cwd=root).returncode == 0
    builds_cleanly(root)
    escaped = html.escape(title).replace("&#x27;", "&#39;")  # as Jinja escapes it
    page = (root / f"build/site/{module_id}/{module_id}.html").read_text()
    assert f"</span> {escaped}</h1>" in page
    landing = (root / f"build/site/{module_id}/index.html").read_text()
    assert f"</span> {escaped}</h1>" in landing
    as_markdown_escapes = html.escape(title, quote=False).replace('"', "&quot;")
    assert f'<li><a href="{module_id}.html">{as_markdown_escapes}</a></li>' in landing  # in "What you will cover"


def test_new_page_is_added_to_what_you_will_cover_on_the_module_landing_page(tmp_path):
    root = new_course(tmp_path)
    landing = root / "content/01-getting-started/_module.md"
    before = landing.read_text()
    run = learnmark("new", "page", "getting-started", "Next steps", cwd=root)
    assert run.stdout.splitlines() == [
        "Created content/01-getting-started/03-next-steps.md",
        'Updated content/01-getting-started/_module.md: added the page to "What you will cover" (line 16)',
    ], run.stderr
    assert landing.read_text() == before + "3. [Next steps](03-next-steps.md)\n"  # nothing else changes
    assert landing.read_text().splitlines()[15] == "3. [Next steps](03-next-steps.md)"
    builds_cleanly(root)
    cover = (root / "build/site/getting-started/index.html").read_text().split('id="what-you-will-cover"', 1)[1]
    items = [line for line in cover.split("</ol>", 1)[0].splitlines() if "<li>" in line]
    assert items[-1] == '<li><a href="next-steps.html">Next steps</a></li>' and len(items) == 3


def test_the_list_keeps_its_own_style_and_the_rest_of_the_file(tmp_path):
    root = new_course(tmp_path)
    landing = root / "content/01-getting-started/_module.md"
    text = landing.read_text()
    head, tail = text.split("## What you will cover\n", 1)
    bullets = head + "## What You Will Cover ##\n\n* [Welcome](01-welcome.md)\n\n* [Check your understanding](02-check-your-understanding.md)\n  with a second line\n\n## After\n\nMore.\n"
    landing.write_bytes(bullets.replace("\n", "\r\n").encode())
    assert learnmark("new", "page", "getting-started", "Third", cwd=root).returncode == 0
    assert landing.read_bytes().decode() == bullets.replace(
        "  with a second line\n", "  with a second line\n* [Third](03-third.md)\n").replace("\n", "\r\n")
    builds_cleanly(root)


def test_a_landing_page_without_the_list_is_left_alone_with_a_note(tmp_path):
    root = new_course(tmp_path)
    landing = root / "content/01-getting-started/_module.md"
    front = landing.read_text().split("---\n", 2)[1]
    landing.write_text(f"---\n{front}---\n```\n## What you will cover\n\n1. [a](01-welcome.md)\n```\n"
                       "## What you will cover\n\nEverything.\n")  # a list only in a code block
    before = landing.read_bytes()
    run = learnmark("new", "page", "getting-started", "Third", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["Created content/01-getting-started/03-third.md",
                                       "Next: link to 03-third.md from content/01-getting-started/_module.md if its landing "
                                       'text lists the pages (it has no "What you will cover" list to add it to)']
    assert landing.read_bytes() == before
    builds_cleanly(root)


REFUSALS = [
    (("course", "my-course"), "error: my-course already exists and is not an empty folder", "never overwrites"),
    (("page", "getting-startd", "X"), "error: no module 'getting-startd' in content (modules: getting-started)",
     "did you mean 'getting-started'?"),
    (("page", "nothing-like-it", "X"), "modules: getting-started", "give the module's id or folder name"),
    (("module", "Getting started!"), "error: a module with the id 'getting-started' already exists", "new page"),
    (("page", "getting-started", "Welcome"), "error: a page with the id 'welcome' already exists", "another title"),
    (("page", "getting-started", "Index"), "error: the page id 'index' is reserved", "another title"),
    (("module", "日本"), "error: cannot make a module id from the title", "Latin letters"),
    (("page", "OnlyOne"), "error: 'new page' takes 2 arguments, got 1", 'usage: learnmark new page MODULE'),
    (("module", "Giving", "feedback"), "error: 'new module' takes 1 argument, got 2", "quote titles"),
    (("course", "a", "b"), "error: 'new course' takes 1 argument, got 2", "usage: learnmark new course DIR"),
]


@pytest.mark.parametrize("args, message, hint", REFUSALS, ids=[" ".join(r[0]) for r in REFUSALS])
def test_refusals_exit_1_with_a_message_and_hint_and_write_nothing(tmp_path, args, message, hint):
    root = new_course(tmp_path)
    cwd = tmp_path if args[0] == "course" else root
    before = snapshot(tmp_path)
    run = learnmark("new", *args, cwd=cwd)
    assert run.returncode == 1
    assert run.stdout == ""
    assert message in run.stderr
    assert hint in run.stderr.split("  hint: ", 1)[1]
    assert "Traceback" not in run.stderr
    assert snapshot(tmp_path) == before


def test_module_and_page_need_a_site_yaml(tmp_path):
    for args in (("module", "Basics"), ("page", "basics", "Intro")):
        run = learnmark("new", *args, cwd=tmp_path)
        assert run.returncode == 1
        assert run.stderr.startswith(f"error: no site.yaml in {tmp_path}\n  hint: ")
        assert "learnmark new course DIR" in run.stderr
    assert list(tmp_path.iterdir()) == []

