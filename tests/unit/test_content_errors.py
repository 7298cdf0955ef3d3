"""Front matter, discovery and Markdown problems, each at its exact file:line:col."""

from generator.build import build

from .helpers import errors_of, hints_of

PAGE = "content/01-first/01-one.md"


def test_pages_are_ordered_by_number_and_named_without_it(project):
    project.write("content/01-first/10-ten.md", "---\ntitle: Ten\n---\nText.\n")
    project.write("content/01-first/3-three.md", "---\ntitle: Three\n---\nText.\n")
    project.write("content/01-first/.#01-one.md", "editor lock file")
    project.write("content/01-first/02-two.md~", "editor backup")
    module = build(project.root).course.modules[0]
    assert [p.id for p in module.pages] == ["one", "two", "three", "ten"]
    assert [p.url for p in module.pages][:2] == ["first/one.html", "first/two.html"]
    assert module.url == "first/index.html"


def test_front_matter_id_overrides_the_file_name(project):
    project.write(PAGE, "---\ntitle: One\nid: welcome\n---\nText.\n")
    assert build(project.root).course.modules[0].pages[0].url == "first/welcome.html"


def test_module_minutes_default_to_the_sum_of_pages(project):
    project.write("content/01-first/_module.md", "---\ntitle: M\nsummary: S.\n---\n")
    project.write(PAGE, "---\ntitle: One\nminutes: 7\n---\nText.\n")
    assert build(project.root).course.modules[0].minutes == 8  # 7 + one minute for page two


def test_yaml_error_in_front_matter_reports_the_file_line(project):
    project.write(PAGE, "---\ntitle: One\nsummary: [broken\nminutes: 3\n---\nText.\n")
    (line,) = errors_of(project.root)
    assert line.startswith(f"{PAGE}:4:")
    assert "front matter is not valid YAML" in line


def test_front_matter_type_error_points_at_the_value(project):
    project.write(PAGE, "---\ntitle: One\nminutes: soon\n---\nText.\n")
    assert errors_of(project.root) == [f"{PAGE}:3:10: error: 'minutes' must be a whole number, not text"]


def test_unknown_front_matter_key(project):
    project.write(PAGE, "---\ntitel: One\n---\nText.\n")
    assert errors_of(project.root) == [
        f"{PAGE}:1:1: error: front matter has no 'title'",
        f"{PAGE}:2:1: error: unknown key 'titel' in front matter",
    ]
    assert hints_of(project.root)[1] == "did you mean 'title'?"


def test_missing_front_matter(project):
    project.write(PAGE, "## Just text\n")
    assert errors_of(project.root) == [f"{PAGE}:1:1: error: page has no front matter"]


def test_module_needs_a_summary(project):
    project.write("content/01-first/_module.md", "---\ntitle: M\n---\n")
    assert errors_of(project.root) == ["content/01-first/_module.md:1:1: error: front matter has no 'summary'"]


def test_level_one_heading_in_body(project):
    project.write(PAGE, "---\ntitle: One\n---\n# Another title\n")
    assert errors_of(project.root) == [f"{PAGE}:4:1: error: level-1 heading '# Another title' in a page body"]


def test_skipped_heading_level(project):
    project.write(PAGE, "---\ntitle: One\n---\n## Section\n\ntext\n\n#### Too deep\n")
    assert errors_of(project.root) == [f"{PAGE}:8:1: error: heading level skips from 2 to 4"]
    assert hints_of(project.root) == ["use '###' here, so screen-reader users do not think a section is missing"]


def test_expander_without_summary(project):
    project.write(PAGE, "---\ntitle: One\n---\nText.\n\n::: details\nHidden.\n:::\n")
    assert errors_of(project.root) == [f"{PAGE}:6:1: error: expander has no summary"]


def test_unknown_block_name_suggests_the_closest(project):
    project.write(PAGE, "---\ntitle: One\n---\n::: warnng\nCareful.\n:::\n")
    assert errors_of(project.root) == [f"{PAGE}:4:1: error: unknown block '::: warnng'"]
    assert hints_of(project.root) == ["did you mean 'warning'?"]


def test_duplicate_page_ids(project):
    project.write("content/01-first/03-one.md", "---\ntitle: Again\n---\nText.\n")
    assert errors_of(project.root) == [
        "content/01-first/03-one.md:1:1: error: page id 'one' is already used at content/01-first/01-one.md:1"]


def test_module_folder_without_module_file(project):
    project.write("content/02-second/01-page.md", "---\ntitle: P\n---\n")
    assert errors_of(project.root) == ["content/02-second/:1:1: error: module folder has no _module.md"]


def test_markdown_outside_a_module(project):
    project.write("content/stray.md", "---\ntitle: P\n---\n")
    assert errors_of(project.root) == ["content/stray.md:1:1: error: Markdown file outside a module folder"]


def test_file_that_is_not_utf8(project):
    (project.root / PAGE).write_bytes(b"---\ntitle: caf\xe9\n---\n")
    (line,) = errors_of(project.root)
    assert line.startswith(f"{PAGE}:1:1: error: file is not UTF-8 text")


def test_problems_in_several_files_are_all_reported(project):
    project.write(PAGE, "---\ntitle: One\n---\n# Bad\n")
    project.write("content/01-first/02-two.md", "---\ntitle: 2\n---\n")
    assert len(errors_of(project.root)) == 2


def test_yaml_tags_are_refused_not_executed(project):
    project.write(PAGE, "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n")
    (line,) = errors_of(project.root)
    assert line.startswith(f"{PAGE}:2:8: error: 'title' cannot be read: could not determine a constructor")
    assert not (project.root / "pwned").exists()


def test_complex_keys_are_refused(project):
    project.write(PAGE, "---\ntitle: One\n? [a, b]\n: c\n---\n")
    assert errors_of(project.root) == [f"{PAGE}:3:3: error: a key in front matter is not plain text"]


def test_control_character_in_front_matter(project):
    project.write(PAGE, "---\ntitle: One\x1f\n---\n")
    (line,) = errors_of(project.root)
    assert line.startswith(f"{PAGE}:2:1: error: front matter is not valid YAML: unacceptable character #x001f")


# -- ':::' blocks and code blocks that are not closed, closed twice or put inside one another ----------------

BODY = "---\ntitle: One\n---\n## Start\n\n"


def test_a_block_that_is_never_closed(project):
    project.write(PAGE, BODY + "::: note\nCareful.\n\nMore text that was meant to be outside.\n")
    assert errors_of(project.root) == [f"{PAGE}:6:1: error: '::: note' is not closed"]
    assert "add a ':::' line where it ends" in hints_of(project.root)[0]


def test_a_quiz_or_reflection_that_is_never_closed(project):
    project.write(PAGE, BODY + "::: reflection\nWhat helped?\n:::\n\n::: quiz\n### Q\n- [x] A\n- [ ] B\n  > No.\n")
    assert errors_of(project.root) == [f"{PAGE}:10:1: error: '::: quiz' is not closed"]


def test_blocks_nested_with_the_same_colons(project):
    """The inner ':::' closes the outer block: the inner one is left open and the last ':::' closes nothing."""
    project.write(PAGE, BODY + "::: details Read more\n::: tip\nA tip.\n:::\n:::\n")
    assert errors_of(project.root) == [f"{PAGE}:7:1: error: '::: tip' is not closed",
                                       f"{PAGE}:10:1: error: ':::' closes no block"]


def test_blocks_nested_with_more_colons_on_the_outer_one(project):
    project.write(PAGE, BODY + ":::: details Read more\n::: tip\nA tip.\n:::\n::::\n")
    html = build(project.root).site.files["first/one.html"]
    assert '<div class="callout callout--tip"' in html and "::" not in html


def test_a_closing_line_with_no_block(project):
    project.write(PAGE, BODY + "Some text.\n:::\n\n::::\n")
    assert errors_of(project.root) == [f"{PAGE}:7:1: error: ':::' closes no block",
                                       f"{PAGE}:9:1: error: '::::' closes no block"]


def test_a_code_block_that_swallows_the_closing_colons(project):
    project.write(PAGE, BODY + "::: note\nRun:\n```\nlearnmark build\n:::\n\nAfter the note.\n")
    assert errors_of(project.root) == [f"{PAGE}:8:1: error: code block (```) is not closed"]


def test_a_code_block_never_closed_at_the_end_of_the_page(project):
    project.write(PAGE, BODY + "~~~~\ncode\n~~~\n")
    assert errors_of(project.root) == [f"{PAGE}:6:1: error: code block (~~~~) is not closed"]


def test_closed_code_blocks_in_quotes_lists_and_blocks(project):
    project.write(PAGE, BODY + "> ```\n> quoted\n> ```\n\n- ```\n  listed\n  ```\n\n::: note\n````\n```\n````\n:::\n")
    build(project.root)


def test_a_quiz_inside_a_quiz(project):
    """Forgetting the first quiz's ':::' used to show the second quiz as a plain list with its [x] markers."""
    project.write(PAGE, BODY + "::: quiz\n### First?\n- [x] A\n- [ ] B\n  > No.\n"
                               "::: quiz\n### Second?\n- [x] C\n- [ ] D\n  > No.\n:::\n")
    assert errors_of(project.root) == [f"{PAGE}:11:1: error: a quiz cannot be inside a quiz (the quiz starts on line 6)"]
    assert hints_of(project.root) == ["close the quiz with a ':::' line before this quiz starts"]


def test_a_reflection_inside_a_quiz(project):
    project.write(PAGE, BODY + ":::: quiz\n### First?\n- [x] A\n- [ ] B\n  > No.\n\n"
                               "::: reflection\nWhy?\n:::\n::::\n")
    assert errors_of(project.root) == [f"{PAGE}:12:1: error: a reflection cannot be inside a quiz (the quiz starts on line 6)"]


def test_links_and_images_inside_quizzes_and_reflections_are_checked(project):
    project.write("content/01-first/images/yes.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write(PAGE, BODY + "::: quiz\n### Which is [page two](02-too.md)?\n- [x] This ![](images/yes.svg)\n"
                               "- [ ] That\n  > See [two](02-two.md#nowhere).\n:::\n\n"
                               "::: reflection\nThink about ![a tick](images/no.svg).\n:::\n")
    assert errors_of(project.root) == [
        f"{PAGE}:7:14: error: link to a missing page '02-too.md'",
        f"{PAGE}:8:12: error: image has no alt text",
        f"{PAGE}:10:9: error: no heading with id 'nowhere' in content/01-first/02-two.md",
        f"{PAGE}:14:13: error: image file 'images/no.svg' does not exist",
    ]


def test_images_inside_quizzes_are_published(project):
    project.write("content/01-first/images/yes.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write(PAGE, BODY + "::: quiz\n### Which [page](02-two.md)?\n- [x] This ![A tick](images/yes.svg)\n"
                               "- [ ] That\n  > No.\n:::\n")
    site = build(project.root).site
    assert "first/images/yes.svg" in site.copies
    assert 'href="two.html"' in site.files["first/one.html"]


def test_headings_never_take_the_ids_of_a_quiz_or_reflection(project):
    project.write(PAGE, BODY + "## Quiz behaviours\n\n::: quiz id=behaviours\n### Q\n- [x] A\n- [ ] B\n  > No.\n:::\n")
    course = build(project.root).course
    assert [h.id for h in course.modules[0].pages[0].document.headings] == ["start", "quiz-behaviours-section"]


# -- what comes before the front matter --------------------------------------------------------------------


def test_a_byte_order_mark_before_the_front_matter_is_allowed(project):
    (project.root / PAGE).write_bytes("\ufeff---\ntitle: One\n---\n## Start\n\nText.\n".encode())
    assert build(project.root).course.modules[0].pages[0].title == "One"


def test_an_invisible_character_before_the_front_matter_is_named(project):
    project.write(PAGE, "\u200b---\ntitle: One\n---\nText.\n")
    assert errors_of(project.root) == [
        f"{PAGE}:1:1: error: page has no front matter: the first line has an invisible ZERO WIDTH SPACE before '---'"]


def test_empty_lines_before_the_front_matter(project):
    project.write(PAGE, "\n\n---\ntitle: One\n---\nText.\n")
    assert errors_of(project.root) == [f"{PAGE}:3:1: error: front matter must start on the first line"]


def test_front_matter_that_is_not_closed(project):
    project.write(PAGE, "---\ntitle: One\n\nText.\n")
    assert errors_of(project.root) == [f"{PAGE}:1:1: error: front matter has no closing '---'"]


def test_an_empty_page(project):
    project.write(PAGE, "\n")
    assert errors_of(project.root) == [f"{PAGE}:1:1: error: page is empty"]


def test_a_block_opened_in_a_quote_on_the_last_line_is_reported_not_a_crash(project):
    """Found by tests/unit/test_fuzz.py: a page ending in an empty quoted line after a quoted ':::' crashed
    mdit-py-plugins' container rule (it read past the end of the text)."""
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n  > ::: details Open\n  > ")
    assert "content/01-first/02-two.md:4:1: error: '::: details' is not closed" in errors_of(project.root)
