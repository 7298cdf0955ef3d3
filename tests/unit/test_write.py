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
    """Whether ``path`` is removed within ``seconds``: the replaced site is emptied by a process of its own."""
    import time
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not path.exists()


def _left(folder):
    """What is beside the site once the replaced one is dealt with: its name, and the spare's if any."""
    assert all(_gone(p) for p in folder.glob(".site.old-*")), "the replaced site is emptied or removed"
    return sorted("spare" if p.name == ".site.spare" else p.name for p in folder.iterdir())


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def test_the_replaced_site_is_emptied_for_the_next_and_a_removal_cut_short_is_finished_by_the_next_build(tmp_path):
    out = tmp_path / "site"
    for text in ("<p>first</p>", "<p>second</p>"):
        with SiteWriter(out) as writer:
            writer.write("index.html", text)
    assert (out / "index.html").read_text() == "<p>second</p>"
    assert _left(tmp_path) == ["site", "spare"]
    assert _files(tmp_path / ".site.spare") == []
    cut_short = tmp_path / ".site.old-abc123"  # as a machine stopped mid-removal would leave it
    (cut_short / "module").mkdir(parents=True)
    (cut_short / "module" / "page.html").write_text("<p>old</p>")
    with SiteWriter(out) as writer:
        writer.write("index.html", "<p>third</p>")
    assert _gone(cut_short)
    assert _left(tmp_path) == ["site", "spare"]  # one spare at most: the other folder is deleted


def test_a_build_writes_into_the_spare_and_keeps_none_of_the_last_sites_folders_or_files(tmp_path):
    out = tmp_path / "site"
    with SiteWriter(out) as writer:
        writer.write("index.html", "<p>first</p>")
        writer.write("gone/deep/page.html", "<p>a module since removed</p>")
    with SiteWriter(out) as writer:
        writer.write("index.html", "<p>second</p>")
    _left(tmp_path)
    spare = tmp_path / ".site.spare"
    assert (spare / "gone" / "deep").is_dir()  # the first site's folders, kept for a build to reuse
    with SiteWriter(out) as writer:
        assert writer.staging.name.startswith(".site.new-") and writer.recycled == writer.staging
        assert not spare.exists()  # claimed
        writer.write("index.html", "<p>third</p>")
        writer.write("kept/page.html", "<p>a module</p>")
    assert _files(out) == [".learnmark-site", "index.html", "kept/page.html"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["kept"]


def test_a_spare_holding_anything_but_folders_is_never_written_into(tmp_path):
    out = tmp_path / "site"
    with SiteWriter(out) as writer:
        writer.write("index.html", "<p>first</p>")
    spare = tmp_path / ".site.spare"
    (spare / "module").mkdir(parents=True)
    (spare / "module" / "script.js").write_text("alert(1)")
    with SiteWriter(out) as writer:
        assert writer.recycled is None
        writer.write("index.html", "<p>second</p>")
    assert _files(out) == [".learnmark-site", "index.html"] and not spare.exists()


def test_a_file_written_again_with_the_same_bytes_is_linked_from_the_site_it_replaces(tmp_path):
    """Only files the last build left as it wrote them (``unchanged``), and only with the same bytes: any other
    is written anew, so the site holds exactly what this build made."""
    out = tmp_path / "site"
    with SiteWriter(out) as writer:
        for name in ("same.html", "other.html", "unlisted.html", "longer.html"):
            writer.write(name, f"<p>{name}</p>")
        writer.copy("assets/style.css", _source(tmp_path, "style.css", "p { color: red }"))
        writer.copy("assets/edited.css", _source(tmp_path, "edited.css", "p { color: red }"))
    was = {path: (out / path).stat().st_ino for path in _files(out)}
    _source(tmp_path, "edited.css", "p { color: red;}")  # the same size, other bytes
    unchanged = {"same.html", "other.html", "longer.html", "assets/style.css", "assets/edited.css"}
    with SiteWriter(out, unchanged) as writer:
        writer.write("same.html", "<p>same.html</p>")
        writer.write("other.html", "<p>OTHER.html</p>")
        writer.write("unlisted.html", "<p>unlisted.html</p>")
        writer.write("longer.html", "<p>longer.html</p>\n")
        writer.write("new.html", "<p>new</p>")
        writer.copy("assets/style.css", tmp_path / "style.css")
        writer.copy("assets/edited.css", tmp_path / "edited.css")
    now = {path: (out / path).stat().st_ino for path in _files(out)}
    assert {path for path in was if now.get(path) == was[path]} == {"same.html", "assets/style.css"}
    assert (out / "other.html").read_text() == "<p>OTHER.html</p>"
    assert (out / "longer.html").read_text() == "<p>longer.html</p>\n"
    assert (out / "assets/edited.css").read_text() == "p { color: red;}"


def test_a_file_of_the_replaced_site_turned_into_a_link_is_never_linked_into_the_next(tmp_path):
    """What a symbolic link points at is outside the site: its bytes must not decide what is published."""
    out, elsewhere = tmp_path / "site", _source(tmp_path, "elsewhere.html", "<p>page</p>")
    with SiteWriter(out) as writer:
        writer.write("page.html", "<p>page</p>")
    (out / "page.html").unlink()
    (out / "page.html").symlink_to(elsewhere)
    with SiteWriter(out, {"page.html"}) as writer:
        writer.write("page.html", "<p>page</p>")
    assert not (out / "page.html").is_symlink()
    assert (out / "page.html").stat().st_ino != elsewhere.stat().st_ino
    assert (out / "page.html").read_text() == "<p>page</p>"


def _source(folder, name, text):
    (folder / name).write_text(text)
    return folder / name
