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
