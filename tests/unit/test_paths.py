"""Only the course's own content reaches the output: symbolic links, unreadable files and names.

Every case here used to end in a traceback or in a file from outside the course being
published; each is now a diagnostic at the file (and line and column) to fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build, check
from generator.cache import BuildCache
from generator import discover
from generator.discover import slug_of
from generator.errors import BuildFailed
from generator.scorm import package as scorm_package
from generator.scorm.package import package_course
from generator.serve import Preview
from generator.write import SiteWriter
from tests.conftest import REPO

from .helpers import errors_of as all_problems_of


def errors_of(root: Path) -> list[str]:
    """The errors of a failed build (a file refused here is also, by design, "not used by any page")."""
    return [line for line in all_problems_of(root) if ": error: " in line]

PAGE = "content/01-first/01-one.md"
SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
SECRET = "root:x:0:0:SECRET-FROM-OUTSIDE"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the course, with files nobody meant to publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET)
    (folder / "image.svg").write_text(SVG.replace("/>", f"><desc>{SECRET}</desc></svg>"))
    (folder / "page.md").write_text(f"---\ntitle: Outside\n---\n{SECRET}\n")
    module = folder / "03-module"
    module.mkdir()
    (module / "_module.md").write_text(f"---\ntitle: Outside\nsummary: {SECRET}\n---\n")
    return folder


def link(project, rel: str, target: Path | str) -> None:
    path = project.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def published(folder: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


# ---- symbolic links ----------------------------------------------------------------------------

def test_an_image_and_a_download_linked_outside_the_course_are_refused(project, outside, tmp_path):
    link(project, "content/01-first/images/pw.svg", outside / "image.svg")
    link(project, "content/01-first/files/shadow.txt", outside / "passwd")
    project.write(PAGE, "---\ntitle: One\n---\n![Secret](images/pw.svg) and [shadow](files/shadow.txt)\n")
    assert errors_of(project.root) == [
        f"{PAGE}:4:1: error: image file 'images/pw.svg' is a symbolic link to a file outside the content folder",
        f"{PAGE}:4:30: error: link file 'files/shadow.txt' is a symbolic link to a file outside the content folder",
        f"content/01-first/files/shadow.txt:1:1: error: symbolic link to '{outside / 'passwd'}', outside the content folder",
        f"content/01-first/images/pw.svg:1:1: error: symbolic link to '{outside / 'image.svg'}', outside the content folder",
    ]
    with pytest.raises(BuildFailed):
        build(project.root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_an_image_in_a_folder_linked_outside_the_course_is_refused(project, outside, tmp_path):
    link(project, "content/01-first/images", outside)  # the folder is the link; the files in it are plain
    project.write(PAGE, "---\ntitle: One\n---\n![Secret](images/image.svg) and ![Again](images/image.svg)\n")
    assert f"{PAGE}:4:1: error: image file 'images/image.svg' is a symbolic link to a file outside the content folder" \
        in errors_of(project.root)
    with pytest.raises(BuildFailed):
        build(project.root, tmp_path / "site")


def test_pages_and_module_folders_linked_from_outside_are_not_published(project, outside):
    link(project, "content/01-first/03-outside.md", outside / "page.md")
    link(project, "content/03-module", outside / "03-module")
    assert errors_of(project.root) == [
        f"content/01-first/03-outside.md:1:1: error: symbolic link to '{outside / 'page.md'}', outside the content folder",
        f"content/03-module:1:1: error: symbolic link to '{outside / '03-module'}', outside the content folder",
    ]


def test_a_page_linked_outside_is_not_read_through_a_linked_module_folder_either(project, outside, monkeypatch):
    link(project, "content/01-first/03-outside.md", outside / "page.md")
    link(project, "content/02-alias", "01-first")
    read = []
    real_read = discover._read
    monkeypatch.setattr(discover, "_read", lambda path, rel, problems: read.append(rel) or real_read(path, rel, problems))
    assert errors_of(project.root)[0].startswith("content/01-first/03-outside.md:1:1: error: symbolic link to")
    assert not [rel for rel in read if rel.endswith("03-outside.md")]


def test_a_content_folder_that_is_a_link_out_of_the_course_is_refused(project, tmp_path):
    shutil.move(project.root / "content", tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", project.root / "content")
    assert errors_of(project.root) == [
        f"content/:1:1: error: the content folder is a symbolic link to {tmp_path / 'elsewhere'}, outside the course"]


def test_links_that_stay_inside_the_content_folder_are_followed(project):
    project.write("content/logo.svg", SVG)
    link(project, "content/01-first/images/logo.svg", "../../logo.svg")
    link(project, "content/01-first/03-again.md", "02-two.md")
    project.write(PAGE, "---\ntitle: One\n---\n![Logo](images/logo.svg)\n")
    site = build(project.root).site
    assert "first/again.html" in site.files and "first/images/logo.svg" in site.copies


@pytest.mark.parametrize("cached", [False, True])
def test_a_broken_link_anywhere_in_content_is_an_error_not_a_traceback(project, tmp_path, cached):
    link(project, "content/01-first/images/gone.png", tmp_path / "nothing-here.png")
    cache = BuildCache(project.root / "build" / "cache") if cached else None
    with pytest.raises(BuildFailed) as failure:
        build(project.root, tmp_path / "site", cache=cache)
    assert [d.format().splitlines()[0] for d in failure.value.errors] == [
        f"content/01-first/images/gone.png:1:1: error: broken symbolic link: '{tmp_path / 'nothing-here.png'}' does not exist"]


def test_nothing_is_read_forever_from_a_device_or_a_pipe(project, tmp_path):
    link(project, "content/01-first/03-zero.md", "/dev/zero")
    os.mkfifo(project.root / "content/01-first/04-pipe.md")
    run = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project.root, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path)},
                         timeout=60)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "content/01-first/03-zero.md:1:1: error: symbolic link to '/dev/zero', outside the content folder" in run.stderr


def test_editors_lock_files_are_ignored_even_when_they_lead_nowhere(project, tmp_path):
    link(project, "content/01-first/.#01-one.md", "user@host.1234:1700000000")  # how Emacs marks a file it edits
    build(project.root, tmp_path / "site", cache=BuildCache(project.root / "build" / "cache"))


def test_the_preview_never_publishes_a_file_from_outside(project, outside):
    link(project, "content/01-first/images/pw.svg", outside / "image.svg")
    project.write(PAGE, "---\ntitle: One\n---\n![Secret](images/pw.svg)\n")
    preview = Preview(project.root)
    preview.rebuild()
    assert preview.failed and "outside the content folder" in preview.problems[0].message
    assert not (project.root / "build" / "site" / "first" / "images").exists()


# ---- files and folders that cannot be read -------------------------------------------------------

def test_an_unreadable_page_is_an_error_at_the_file(project, monkeypatch):
    real_open = open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("02-two.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr("generator.discover.open", refuse, raising=False)
    assert errors_of(project.root) == ["content/01-first/02-two.md:1:1: error: cannot read the file: permission denied"]


def test_an_unreadable_folder_and_image_are_errors(project, monkeypatch):
    project.write("content/01-first/images/a.svg", SVG)
    project.write(PAGE, "---\ntitle: One\n---\n![A](images/a.svg)\n")
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\n")
    real_scandir, real_open = os.scandir, open

    def scandir(path="."):
        if str(path).endswith("02-second"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def refuse(path, *args, **kwargs):
        if str(path).endswith("a.svg"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr("generator.discover.os.scandir", scandir)
    monkeypatch.setattr("generator.media.files.open", refuse, raising=False)
    assert errors_of(project.root) == [
        f"{PAGE}:4:1: error: cannot read the image file 'images/a.svg': permission denied",
        "content/02-second/:1:1: error: cannot read the folder: permission denied",
    ]


def build_as_someone_else(files: dict[str, str], unreadable: list[str]) -> list[str]:
    """The error lines of ``learnmark build`` on a course of ``files``, run by a user who may not
    read ``unreadable`` (dropping to 'nobody' when the tests run as root, as they do here)."""
    base = Path(tempfile.mkdtemp(prefix="learnmark-perms-"))
    try:
        root = base / "course"
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        command = [sys.executable, "-m", "generator", "build", "--project", str(root)]
        env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(base), "XDG_CACHE_HOME": str(base / "cache")}
        if os.geteuid() == 0:
            drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            if not shutil.which("setpriv") or subprocess.run([*drop, sys.executable, "-c", "import yaml"], env=env,
                                                            cwd=REPO, capture_output=True).returncode != 0:
                pytest.skip("running as root, and cannot run Python as 'nobody' here (setpriv missing, or the "
                            "interpreter is not readable by other users)")
            base.chmod(0o755)
            for folder, folders, names in os.walk(base):
                for name in [".", *folders, *names]:
                    os.chown(os.path.join(folder, name), 65534, 65534)
            command = [*drop, *command]
        for rel in unreadable:
            (root / rel).chmod(0o000)
        run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        return [line for line in run.stderr.splitlines() if ": error: " in line]
    finally:
        for folder, folders, _ in os.walk(base):
            for name in folders:
                os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(base, ignore_errors=True)


COURSE = {
    "site.yaml": "id: perms\ntitle: Permissions\n",
    "content/01-first/_module.md": "---\ntitle: First\nsummary: S.\n---\n![A](images/a.svg) [notes](notes.pdf)\n",
    "content/01-first/01-one.md": "---\ntitle: One\n---\nHello.\n",
    "content/01-first/images/a.svg": SVG,
    "content/01-first/notes.pdf": "%PDF-1.4",
    "content/02-second/_module.md": "---\ntitle: Second\nsummary: S.\n---\n",
}


def test_unreadable_pages_and_folders_as_a_user_who_cannot_read_them():
    assert build_as_someone_else(COURSE, ["content/01-first/01-one.md", "content/02-second"]) == [
        "content/01-first/01-one.md:1:1: error: cannot read the file: permission denied",
        "content/02-second/:1:1: error: cannot read the folder: permission denied",
    ]


def test_unreadable_images_and_downloads_as_a_user_who_cannot_read_them():
    assert build_as_someone_else(COURSE, ["content/01-first/images/a.svg", "content/01-first/notes.pdf"]) == [
        "content/01-first/_module.md:5:1: error: cannot read the image file 'images/a.svg': permission denied",
        "content/01-first/_module.md:5:20: error: cannot read the link file 'notes.pdf': permission denied",
    ]


# ---- names ----------------------------------------------------------------------------------------

def test_a_name_without_letters_a_z_gets_a_stable_id(project):
    project.write("content/01-first/05-日本語.md", "---\ntitle: Japanese\n---\nText.\n")
    project.write("content/02-日本/_module.md", "---\ntitle: Japan\nsummary: S.\n---\n")
    site = build(project.root).site
    page, module = slug_of("05-日本語.md"), slug_of("02-日本")
    assert page.startswith("page-") and module.startswith("module-") and len(page) == len("page-") + 8
    assert f"first/{page}.html" in site.files and f"{module}/index.html" in site.files
    assert slug_of("07-日本語.md") == page  # renumbering keeps the id
    assert slug_of(unicodedata.normalize("NFD", "05-日本語.md")) == page  # as macOS may store the name
    assert slug_of("05-中文.md") != page


def test_a_digest_id_is_a_warning_until_the_author_sets_one(project):
    project.write("content/01-first/05-日本語.md", "---\ntitle: Japanese\n---\nText.\n")
    page = slug_of("05-日本語.md")
    assert [w.format().splitlines()[0] for w in build(project.root).warnings] == [
        f"content/01-first/05-日本語.md:1:1: warning: page id '{page}' is a digest: the name '05-日本語.md' "
        "has no letters a-z or digits to make one from"]
    project.write("content/01-first/05-日本語.md", "---\ntitle: Japanese\nid: japanese\n---\nText.\n")
    assert build(project.root).warnings == []


def test_an_id_in_front_matter_replaces_a_derived_one(project):
    project.write("content/01-first/05-日本語.md", "---\ntitle: Japanese\nid: japanese\n---\nText.\n")
    assert "first/japanese.html" in build(project.root).site.files


def test_a_module_without_letters_a_z_can_be_packaged(project, tmp_path):
    project.write("content/02-日本/_module.md", "---\ntitle: Japan\nsummary: S.\n---\nHello.\n")
    course, _, _ = check(project.root)
    names = sorted(p.path.name for p in package_course(course, tmp_path / "packages", ["1.2"]))
    assert names == ["scratch-first-scorm12.zip", f"scratch-{slug_of('02-日本')}-scorm12.zip"]


@pytest.mark.parametrize("name", ["a#b.svg", "a?b.svg", "a b%.svg", "日本.svg", "c:d.svg"])
def test_media_names_become_urls_that_reach_them(project, name):
    from urllib.parse import quote, unquote
    project.write(f"content/01-first/images/{name}", SVG)
    project.write(PAGE, f"---\ntitle: One\n---\n![A picture](images/{quote(name)}) [it](images/{quote(name)})\n")
    site = build(project.root).site
    prose = BeautifulSoup(site.files["first/one.html"], "html.parser").select_one(".prose")
    src, href = prose.find("img")["src"], prose.find("a")["href"]
    assert src == href and ":" not in src and "#" not in src and "?" not in src
    assert unquote(src) == f"images/{name}" and site.copies[f"first/images/{name}"].name == name


@pytest.mark.parametrize("name, what", [("a\\b.svg", "a backslash (\\)"), ("a\tb.svg", "a control character (U+0009)")])
def test_names_no_published_file_may_have_are_errors_at_the_link(project, tmp_path, name, what):
    from urllib.parse import quote
    project.write(f"content/01-first/images/{name}", SVG)
    project.write(PAGE, f"---\ntitle: One\n---\nSee ![A picture](images/{quote(name)})\n")
    assert errors_of(project.root)[0] == (
        f"{PAGE}:4:5: error: the name 'content/01-first/images/{name}' has {what}, which no published file name may have")
    with pytest.raises(BuildFailed):
        build(project.root, tmp_path / "site")


def test_packages_are_all_written_or_none(project, tmp_path, monkeypatch):
    """Two names that clash in one package are refused before any package is written."""
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nHello.\n")
    course, _, _ = check(project.root)
    monkeypatch.setattr(scorm_package, "LAUNCH", "two.html")
    with pytest.raises(BuildFailed) as failure:
        package_course(course, tmp_path / "packages", ["1.2", "2004-4"])
    assert [d.format().splitlines()[0] for d in failure.value.diagnostics] == [
        "content/01-first/02-two.md:1:1: error: page 'first/two.html' would be written into the package as "
        "'first/two.html', where the launch page of module 'first' is"]
    assert not (tmp_path / "packages").exists() or not list((tmp_path / "packages").iterdir())


def test_a_file_gone_before_packaging_is_an_error_and_no_package_is_left(project, tmp_path):
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\n![A](images/a.svg)\n")
    project.write("content/02-second/images/a.svg", SVG)
    course, _, _ = check(project.root)
    (project.root / "content/02-second/images/a.svg").unlink()
    with pytest.raises(BuildFailed) as failure:
        package_course(course, tmp_path / "packages", ["1.2"])
    assert failure.value.diagnostics[0].format().startswith(
        "content/02-second/images/a.svg:1:1: error: cannot read the file: no such file or directory")
    assert not (tmp_path / "packages").exists(), "the folder the run made is taken away with its zips"


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_file_gone_before_the_build_copies_it_fails_the_build_and_leaves_the_site(project, tmp_path, monkeypatch,
                                                                                    workers):
    """Gone after the check, before the copy (written by a worker, beside the pages, when there are workers):
    the build fails with it at the file, and the last site is left as it was."""
    import generator.load as load_module
    from generator import search
    monkeypatch.setattr(search.INDEXES, "known", None)  # no cache keeps the index: the files are a job of their own
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\n![A](images/a.svg)\n")
    project.write("content/02-second/images/a.svg", SVG)
    out = tmp_path / "site"
    build(project.root, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    checked = load_module.check_course

    def check_then_lose(loaded, *args):
        checked(loaded, *args)
        (project.root / "content/02-second/images/a.svg").unlink()
    monkeypatch.setattr(load_module, "check_course", check_then_lose)
    monkeypatch.setenv("LEARNMARK_WORKERS", workers)
    monkeypatch.chdir(project.root)  # the file is named as the command line would name it
    with pytest.raises(BuildFailed) as failure:
        build(project.root, out)
    assert [d.format().splitlines()[0] for d in failure.value.diagnostics] == [
        "content/02-second/images/a.svg:1:1: error: cannot read the file: no such file or directory"]
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_a_file_gone_before_it_is_copied_is_an_error(tmp_path):
    with pytest.raises(BuildFailed) as failure, SiteWriter(tmp_path / "site") as writer:
        writer.copy("first/a.svg", tmp_path / "gone.svg")
    assert failure.value.diagnostics[0].message == "cannot read the file: no such file or directory"
    assert not (tmp_path / "site").exists()


def test_a_packaged_module_holds_only_its_own_files(project, tmp_path):
    project.write("content/01-first/images/a#b.svg", SVG)
    project.write(PAGE, "---\ntitle: One\n---\n![A](images/a%23b.svg)\n")
    course, _, _ = check(project.root)
    (package,) = package_course(course, tmp_path / "packages", ["1.2"])
    with zipfile.ZipFile(package.path) as archive:
        assert "first/images/a#b.svg" in archive.namelist()
        assert 'src="images/a%23b.svg"' in archive.read("first/one.html").decode()


def test_content_files_lists_what_os_walk_does_without_following_links_to_folders(tmp_path):
    """The stamp and the checks list the content with ``discover.content_files``: as ``os.walk`` (links to folders
    not followed), each folder's names sorted, its files before its folders, hidden and temporary files left out."""
    from generator.discover import content_files, is_ignored
    content = tmp_path / "content"
    for rel in ("b.md", "a.md", ".hidden", "page.md~", "02-two/x.png", "02-two/.swp.swp", "01-one/_module.md",
                "01-one/deep/er/file.txt", ".git/config"):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    (content / "01-one" / "linked").symlink_to(outside, target_is_directory=True)
    (content / "01-one" / "to-a-file.md").symlink_to(content / "a.md")
    (content / "01-one" / "broken.md").symlink_to(tmp_path / "nowhere")
    walked = []
    for folder, folders, files in os.walk(content):
        folders[:] = sorted(name for name in folders if not is_ignored(name))
        walked += (os.path.join(folder, name) for name in sorted(files) if not is_ignored(name))
    assert content_files(str(content)) == walked
    assert [os.path.relpath(path, content) for path in walked] == [
        "a.md", "b.md", "01-one/_module.md", "01-one/broken.md", "01-one/to-a-file.md", "01-one/deep/er/file.txt",
        "02-two/x.png"]
    assert content_files(str(tmp_path / "missing")) == []
