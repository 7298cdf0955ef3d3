"""Whatever an author types, the build either succeeds or reports diagnostics: never a traceback."""

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import BuildFailed

# Fragments that exercise the parser's edges, mixed with arbitrary text.
PIECES = st.sampled_from([
    "---\n", "title: x\n", ":::", "::: note", "::: details", "::: details Open\n", "\n", "# ", "## ", "#### ",
    "[a](", ")", "](02-two.md#", "![", "![](", "{.decorative}", "[^1]", "[^1]: n\n", "| a | b |\n|---|---|\n",
    "Term\n: def\n", "<script>", "`", "*", "> ", "- ", "1. ", "#details-of-two", ".md", "../", "%",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=30).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=TEXT, front=st.booleans())
def test_build_never_crashes(project, body, front):
    page = ("---\ntitle: Fuzz\n---\n" if front else "") + body
    project.write("content/01-first/03-fuzz.md", page)
    shutil.rmtree(project.root / "build", ignore_errors=True)
    try:
        build(project.root)
    except BuildFailed as failure:
        assert failure.errors, "BuildFailed must carry at least one error"
