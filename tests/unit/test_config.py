"""site.yaml: types, unknown keys and YAML errors are reported at site.yaml:LINE:COL."""

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
