"""Whatever an author types, the build either succeeds or reports diagnostics: never a traceback.

A crash while rendering is caught and reported as an "internal error" at the page (so an author
never sees a traceback); here it fails the test, because it is a bug all the same.
"""

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import BuildFailed

# Fragments that exercise the parser's edges, mixed with arbitrary text.
PIECES = st.sampled_from([
    "---\n", "title: x\n", ":::", "::::", "::: note", "::: details", "::: details Open\n", "::: quiz\n", "::: reflection\n",
    "\n", "# ", "## ", "#### ", "### Q\n", "- [x] ", "- [ ] ", "{#id}", "{#}", "  > ", "```", "~~~\n", "\ufeff", "\u200b",
    "[a](", ")", "](02-two.md#", "![", "![](", "{.decorative}", "[^1]", "[^1]: n\n", "| a | b |\n|---|---|\n",
    "Term\n: def\n", "<script>", "`", "*", "> ", "- ", "1. ", "#details-of-two", ".md", "../", "%", "是",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=30).map("".join)
YAML = st.lists(st.sampled_from(["title: ", "summary: ", "id: ", "minutes: ", "x", "&a ", "*a", "[", "]", "{", "}",
                                 "- ", "\n", "  ", ": ", "!!int ", "2024-13-01", "'", '"', "#", "²", "\ufeff"]),
                max_size=25).map("".join)


def built_or_reported(project) -> None:
    shutil.rmtree(project.root / "build", ignore_errors=True)
    try:
        build(project.root)
    except BuildFailed as failure:
        assert failure.errors, "BuildFailed must carry at least one error"
        assert not [d for d in failure.diagnostics if d.message.startswith("internal error")], failure.diagnostics


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=TEXT, front=st.booleans())
def test_build_never_crashes(project, body, front):
    page = ("---\ntitle: Fuzz\n---\n" if front else "") + body
    project.write("content/01-first/03-fuzz.md", page)
    built_or_reported(project)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front_matter=YAML, site=YAML)
def test_any_yaml_is_read_or_reported(project, front_matter, site):
    project.write("content/01-first/03-fuzz.md", f"---\ntitle: Fuzz\n{front_matter}\n---\nText.\n")
    project.write("site.yaml", f"id: scratch\ntitle: Scratch\n{site}\n")
    built_or_reported(project)
