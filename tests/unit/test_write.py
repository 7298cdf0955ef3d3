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


def _gone(path, seconds=30.0) -> bool:
    """Whether ``path`` is removed within ``seconds``: the replaced site is deleted by a process of its own."""
    import time
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not path.exists()


def test_the_replaced_site_is_deleted_and_a_removal_cut_short_is_finished_by_the_next_build(tmp_path):
    out = tmp_path / "site"
    for text in ("<p>first</p>", "<p>second</p>"):
        with SiteWriter(out) as writer:
            writer.write("index.html", text)
    assert (out / "index.html").read_text() == "<p>second</p>"
    assert all(_gone(p) for p in tmp_path.iterdir() if p.name != "site"), "the replaced site is removed"
    cut_short = tmp_path / ".site.old-abc123"  # as a machine stopped mid-removal would leave it
    (cut_short / "module").mkdir(parents=True)
    (cut_short / "module" / "page.html").write_text("<p>old</p>")
    with SiteWriter(out) as writer:
        writer.write("index.html", "<p>third</p>")
    assert _gone(cut_short)
    assert all(_gone(p) for p in tmp_path.iterdir() if p.name != "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
