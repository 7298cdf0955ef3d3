"""Output paths: nothing is ever written outside the site folder or a package's archive (both use ``checked``)."""

from __future__ import annotations

import pytest

from generator.write import SiteWriter, UnsafeOutput, checked


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/passwd", "a/../../b.html", "a\\..\\b.html", "", "a/../.."])
def test_paths_that_could_leave_the_folder_are_refused(rel):
    with pytest.raises(UnsafeOutput):
        checked(rel)


@pytest.mark.parametrize("rel", ["index.html", "module/page.html", "assets/learnmark.css", "a/./b.html"])
def test_plain_relative_paths_are_accepted(rel):
    assert checked(rel) == rel


def test_a_refused_path_leaves_no_site_and_no_staging_folder(tmp_path):
    with pytest.raises(UnsafeOutput), SiteWriter(tmp_path / "site") as writer:
        writer.write("index.html", "<p>ok</p>")
        writer.write("../outside.html", "<p>no</p>")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
