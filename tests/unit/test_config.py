"""site.yaml: types, unknown keys and YAML errors are reported at site.yaml:LINE:COL."""

import pytest

from generator.build import build

from .helpers import errors_of, hints_of


def test_valid_config_is_loaded_with_defaults(project):
    config = build(project.root).course.config
    assert (config.id, config.title, config.organisation) == ("scratch", "Scratch course", "Test Trust")
    assert config.language == "en-GB"
    assert config.allow_html is False
    assert config.modules is None


def test_unknown_key_suggests_the_closest(project):
    project.write("site.yaml", "id: scratch\ntitle: Scratch\nlangauge: cy\n")
    assert errors_of(project.root) == ["site.yaml:3:1: error: unknown key 'langauge' in site.yaml"]
    assert hints_of(project.root) == ["did you mean 'language'?"]


def test_number_where_text_expected_names_the_value(project):
    project.write("site.yaml", "id: scratch\ntitle: 1.10\n")
    assert errors_of(project.root) == ["site.yaml:2:8: error: 'title' must be text, not a number"]
    assert 'quotes' in hints_of(project.root)[0]


def test_yes_no_is_not_text(project):
    project.write("site.yaml", "id: scratch\ntitle: Scratch\norganisation: no\n")
    assert errors_of(project.root) == ["site.yaml:3:15: error: 'organisation' must be text, not true/false"]


def test_boolean_option_rejects_text(project):
    project.write("site.yaml", "id: scratch\ntitle: Scratch\nallow_html: 'yes'\n")
    assert errors_of(project.root) == ["site.yaml:3:13: error: 'allow_html' must be true/false, not text"]


def test_missing_required_key(project):
    project.write("site.yaml", "title: Scratch\n")
    assert errors_of(project.root) == ["site.yaml:1:1: error: site.yaml has no 'id'"]


def test_course_id_must_be_a_slug(project):
    project.write("site.yaml", "id: My Course\ntitle: Scratch\n")
    assert errors_of(project.root) == ["site.yaml:1:5: error: 'My Course' is not a valid id for 'id'"]


def test_yaml_syntax_error_points_at_the_bad_token(project):
    project.write("site.yaml", "id: scratch\ntitle: [unclosed\norganisation: x\n")
    (line,) = errors_of(project.root)
    assert line.startswith("site.yaml:3:")
    assert "site.yaml is not valid YAML" in line


def test_duplicate_key(project):
    project.write("site.yaml", "id: scratch\ntitle: A\ntitle: B\n")
    assert errors_of(project.root) == ["site.yaml:3:1: error: 'title' is set twice in site.yaml"]


def test_every_problem_is_reported_at_once(project):
    project.write("site.yaml", "id: scratch\ntitle: 3\nthem: x\n")
    assert len(errors_of(project.root)) == 2


def test_module_order_from_config(project):
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\n")
    project.write("site.yaml", "id: scratch\ntitle: T\nmodules:\n  - second\n  - first\n")
    assert [m.id for m in build(project.root).course.modules] == ["second", "first"]


def test_module_order_lists_unknown_module(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nmodules:\n  - frist\n")
    assert errors_of(project.root) == [
        "site.yaml:4:3: error: 'modules' lists 'frist', but there is no such module",
        "site.yaml:4:3: error: module 'first' (content/01-first) is missing from 'modules'",
    ]
    assert hints_of(project.root)[0] == "did you mean 'first'?"


def test_unknown_theme(project):
    project.write("site.yaml", "id: scratch\ntitle: T\ntheme: fancy\n")
    assert errors_of(project.root) == ["site.yaml:3:8: error: theme 'fancy' not found"]


def test_missing_config_file(tmp_path):
    (line,) = errors_of(tmp_path)
    assert line.startswith("site.yaml:1:1: error: no site.yaml in ")


def test_language_must_be_a_language_tag(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nlanguage: English\n")
    assert errors_of(project.root) == ["site.yaml:3:11: error: 'English' is not a language tag"]


def test_base_url_must_be_a_web_address(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nbase_url: learning.example.org\n")
    assert errors_of(project.root) == ["site.yaml:3:11: error: 'learning.example.org' is not a web address"]


def test_base_url_gives_canonical_links_and_an_absolute_404_page(project):
    project.write("site.yaml", "id: scratch\ntitle: T\nbase_url: https://learning.example.org/culture\n")
    files = build(project.root).site.files
    assert '<link rel="canonical" href="https://learning.example.org/culture/first/one.html">' in files["first/one.html"]
    assert 'href="https://learning.example.org/culture/index.html"' in files["404.html"]


def test_scorm_mastery_is_refused_with_the_reason(project):
    """A mastery score in a package let Moodle fail an attempt that still had retries (issue 11)."""
    project.write("site.yaml", "id: scratch\ntitle: Scratch\nscorm_mastery: 80\n")
    assert errors_of(project.root) == ["site.yaml:3:1: error: 'scorm_mastery' is no longer used"]
    assert "retries" in hints_of(project.root)[0]
    project.write("site.yaml", "id: scratch\ntitle: Scratch\n")
    project.write("content/01-first/_module.md", "---\ntitle: First\nsummary: S.\nscorm_mastery: 80\n---\nHi.\n")
    assert errors_of(project.root) == ["content/01-first/_module.md:4:1: error: 'scorm_mastery' is no longer used"]


def test_completion_rule_defaults_to_including_the_quiz(project):
    """Unset, a module with a quiz is complete only once its quiz is resolved (issue 11)."""
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nHi.\n")
    project.write("content/02-second/01-check.md", "---\ntitle: Check\n---\n::: quiz\n### Q\n- [x] A\n- [ ] B\n  > No.\n:::\n")
    first, second = build(project.root).course.modules
    assert (first.completion, second.completion) == ("all-pages", "all-pages+quiz")
    project.write("site.yaml", "id: scratch\ntitle: Scratch\ncompletion: all-pages\n")
    assert [m.completion for m in build(project.root).course.modules] == ["all-pages", "all-pages"]


# -- YAML that could hang, exhaust memory or crash the build -------------------------------------------------

LAUGHS = "".join(f"  {name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
                 for prev, name in zip("abcdefgh", "bcdefghi"))
BILLION_LAUGHS = "extra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + LAUGHS


def test_billion_laughs_in_site_yaml_is_refused_at_the_first_alias(project):
    """Nine levels of nine aliases (about 400 bytes) would expand to 387 million items (issue: build hung)."""
    project.write("site.yaml", "id: scratch\ntitle: Scratch\n" + BILLION_LAUGHS)
    assert errors_of(project.root) == ["site.yaml:5:10: error: site.yaml uses an alias ('*a'), which Learnmark does not read"]


def test_billion_laughs_in_front_matter_is_refused(project):
    project.write("content/01-first/01-one.md", "---\ntitle: One\nsumary: x\n" + BILLION_LAUGHS.replace("extra", "x") + "---\nText.\n")
    assert "content/01-first/01-one.md:6:10: error: front matter uses an alias ('*a'), which Learnmark does not read" \
        in errors_of(project.root)


def test_every_alias_is_refused_even_a_harmless_one(project):
    project.write("site.yaml", "id: &id scratch\ntitle: *id\n")
    assert errors_of(project.root) == ["site.yaml:2:8: error: site.yaml uses an alias ('*id'), which Learnmark does not read"]
    assert "put it in quotes" in hints_of(project.root)[0]


def test_stars_in_text_are_only_text(project):
    project.write("site.yaml", "id: scratch\ntitle: \"*Draft* course\"\norganisation: A * B # with a comment *x\n")
    config = build(project.root).course.config
    assert (config.title, config.organisation) == ("*Draft* course", "A * B")


def nested(depth: int, flow: bool) -> str:
    if flow:
        return "extra:\n  x: " + "[" * depth + "]" * depth + "\n"
    return "extra:\n  x:\n    " + "- " * depth + "1\n"  # compact nested lists: block style, one line


def test_twenty_levels_are_enough(project):
    project.write("site.yaml", "id: scratch\ntitle: Scratch\nextra:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 20)))
    assert build(project.root).course.config.extra["k1"]["k2"]


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
@pytest.mark.parametrize("depth", [21, 500, 5000])
def test_deep_nesting_is_an_error_not_a_recursion_error(project, depth, flow):
    project.write("site.yaml", "id: scratch\ntitle: Scratch\n" + nested(depth, flow))
    (line,) = errors_of(project.root)
    assert line.startswith("site.yaml:") and line.endswith("is nested more than 20 levels deep"), line


def test_nesting_in_front_matter_is_bounded_too(project):
    project.write("content/01-first/01-one.md", "---\ntitle: One\nsummary: " + "[" * 600 + "]" * 600 + "\n---\n")
    project.write("content/01-first/_module.md", "---\ntitle: M\nsummary: S.\nobjectives: *x\n---\n")
    assert errors_of(project.root) == [
        "content/01-first/01-one.md:3:29: error: 'summary' is nested more than 20 levels deep",
        "content/01-first/_module.md:4:13: error: front matter uses an alias ('*x'), which Learnmark does not read",
    ]


def test_yaml_longer_than_a_million_characters_is_refused(project):
    project.write("site.yaml", "id: scratch\ntitle: Scratch\nextra:\n  notes: " + "x" * 1_000_000 + "\n")
    assert errors_of(project.root) == [
        "site.yaml:1:1: error: site.yaml is too long (1,000,044 characters; the most is 1,000,000)"]


def test_site_yaml_that_is_not_utf8_names_the_line(project):
    (project.root / "site.yaml").write_bytes(b"id: scratch\ntitle: Caf\xe9 course\n")
    assert errors_of(project.root) == [
        "site.yaml:2:11: error: site.yaml is not UTF-8 text (invalid continuation byte at byte 22)"]
    assert hints_of(project.root) == ["save the file as UTF-8 in your editor"]


def test_site_yaml_may_start_with_a_byte_order_mark(project):
    (project.root / "site.yaml").write_bytes("\ufeffid: scratch\ntitle: Café\n".encode())
    assert build(project.root).course.config.title == "Café"


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "!!int x", "!!timestamp x", "!!bool x", "9" * 5000])
def test_values_pyyaml_cannot_construct_are_errors_at_the_value(project, value):
    project.write("site.yaml", f"id: scratch\ntitle: {value}\n")
    (line,) = errors_of(project.root)
    assert line.startswith("site.yaml:2:8: error: 'title' cannot be read as "), line
    assert hints_of(project.root) == ['put the value in quotes: title: "..."']
