"""The build cache (build/cache/) may make a build faster, never different.

The oracle for every case is a clean build of the same course with
``--no-cache``: after any edit, a cached build must write the same site.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from generator import load as load_module, memo
from generator.build import build
from generator.cache import BuildCache
from generator.errors import BuildFailed
from tests.conftest import PAGE_ONE, PAGE_TWO, REPO, SITE

from .test_cli import learnmark


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cached_build(project) -> str:
    run = learnmark("build", cwd=project.root)
    assert run.returncode == 0, run.stderr
    return run.stdout


def assert_same_as_clean_build(project) -> None:
    clean = project.root.parent / "clean"
    run = learnmark("build", "--no-cache", "--out", str(clean), cwd=project.root)
    assert run.returncode == 0, run.stderr
    assert site_files(project.root / "build" / "site") == site_files(clean)
    shutil.rmtree(clean)


def test_an_unchanged_course_is_not_built_again(project):
    assert cached_build(project).startswith("Built ")
    before = site_files(project.root / "build" / "site")
    assert cached_build(project).startswith("Up to date: 10 pages (1 module, 2 lesson pages)")
    assert site_files(project.root / "build" / "site") == before


def _own_theme(project) -> Path:
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    project.write("site.yaml", "id: scratch\ntitle: Scratch course\ntheme: mine\n")
    return theme / "templates" / "page.html"


EDITS = {
    "template": lambda project, page_template: page_template.write_text(
        page_template.read_text().replace("{{ page.title }}", "{{ page.title }} (edited)")),
    "title in the nav": lambda project, _: project.write(
        "content/01-first/02-two.md", "---\ntitle: Page two renamed\n---\n## Details of two\n\nSome text.\n"),
    "linked anchor": lambda project, _: (
        project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## More on two\n\nSome text.\n"),
        project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n## Start here\n\n"
                      "Read [page two](02-two.md#more-on-two).\n")),
    "config": lambda project, _: project.write("site.yaml", "id: scratch\ntitle: Renamed course\ntheme: mine\n"),
    "image": lambda project, _: project.write(
        "content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>'),
    "new page": lambda project, _: project.write("content/01-first/03-three.md", "---\ntitle: Page three\n---\nNew.\n"),
    "removed page": lambda project, _: project.remove("content/01-first/02-two.md"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_cached_build_after_an_edit_equals_a_clean_build(project, edit):
    page_template = _own_theme(project)
    project.write("content/01-first/images/chart.svg",
                  '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"></svg>')
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n## Start here\n\n"
                  "Read [page two](02-two.md#details-of-two).\n\n![A chart](images/chart.svg)\n")
    cached_build(project)
    before = site_files(project.root / "build" / "site")
    if edit == "removed page":
        project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n## Start here\n\n![A chart](images/chart.svg)\n")
    EDITS[edit](project, page_template)
    assert cached_build(project).startswith("Built ")
    assert site_files(project.root / "build" / "site") != before
    assert_same_as_clean_build(project)


def test_a_changed_or_missing_output_file_is_written_again(project):
    cached_build(project)
    site = project.root / "build" / "site"
    (site / "first" / "one.html").write_text("tampered")
    (site / "first" / "two.html").unlink()
    assert cached_build(project).startswith("Built ")
    assert_same_as_clean_build(project)


def test_an_unreadable_cache_is_ignored(project):
    cached_build(project)
    stored = [path for path in (project.root / "build" / "cache").rglob("*") if path.is_file()]
    for path in stored:
        path.write_bytes(b"not a pickle")
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther text.\n")
    assert cached_build(project).startswith("Built ")
    assert_same_as_clean_build(project)


def test_only_changed_files_are_parsed_again(project, monkeypatch):
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    build(project.root, out, cache=BuildCache(cache))
    parsed = []
    real_parse = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda source, *rest: parsed.append(source.rel) or real_parse(source, *rest))
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther text.\n")
    result = build(project.root, out, cache=BuildCache(cache))
    assert parsed == ["content/01-first/02-two.md"]
    assert "Other text." in (out / "first" / "two.html").read_text()
    assert not result.up_to_date


def test_only_changed_pages_are_indexed_for_search_again(project, monkeypatch):
    from generator import search
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    build(project.root, out, cache=BuildCache(cache))
    search.ENTRIES.seed({})  # forget what this process made: the next build reads build/cache/ as a new process would
    indexed = []
    real_entry = search._entry
    monkeypatch.setattr(search, "_entry", lambda doc, module: indexed.append(doc.url) or real_entry(doc, module))
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther words.\n")
    build(project.root, out, cache=BuildCache(cache))
    assert indexed == ["first/two.html"]
    assert '"other"' in (out / search.SEARCH_INDEX).read_text()
    project.write("content/01-first/02-two.md", "---\ntitle: Page two renamed\n---\n## Details of two\n\nOther words.\n")
    indexed.clear()
    build(project.root, out, cache=BuildCache(cache))
    assert indexed == ["first/two.html"]  # its title is in its own entry only
    assert_same_as_clean_build(project)


def test_links_are_resolved_again_only_on_the_edited_page_while_no_page_moves(project, monkeypatch):
    from generator import links
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>')
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\nSee [two](02-two.md#details-of-two).\n\n"
                  "![A chart](images/chart.svg)\n")
    build(project.root, out, cache=BuildCache(cache))
    resolved = []
    real = links._resolve
    monkeypatch.setattr(links, "_resolve", lambda ref, doc, course: resolved.append(ref.target) or real(ref, doc, course))
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\n[Back](01-one.md).\n")
    build(project.root, out, cache=BuildCache(cache))
    assert sorted(resolved) == ["01-one.md"]  # the edited page's link (the image's file is checked, not resolved)
    project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    with pytest.raises(BuildFailed) as failed:  # a kept file's target holds only while the file may be published
        build(project.root, out, cache=BuildCache(cache))
    assert "script" in str(failed.value.diagnostics)
    (project.root / "content/01-first/images/chart.svg").unlink()
    with pytest.raises(BuildFailed) as failed:
        build(project.root, out, cache=BuildCache(cache))
    assert "image file 'images/chart.svg' does not exist" in str(failed.value.diagnostics)
    project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>')
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Other details\n")  # the anchor goes
    with pytest.raises(BuildFailed) as failed:
        build(project.root, out, cache=BuildCache(cache))
    assert "no heading with id 'details-of-two'" in str(failed.value.diagnostics)


def test_a_new_version_of_learnmark_does_not_read_the_old_cache(project, monkeypatch):
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    build(project.root, out, cache=BuildCache(cache))
    monkeypatch.setattr("generator.cache.code_version", lambda: "another version")
    parsed = []
    real_parse = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda source, *rest: parsed.append(source.rel) or real_parse(source, *rest))
    assert not build(project.root, out, cache=BuildCache(cache)).up_to_date
    assert len(parsed) == 3


def test_no_cache_neither_reads_nor_writes_it(project):
    run = learnmark("build", "--no-cache", cwd=project.root)
    assert run.returncode == 0, run.stderr
    assert not (project.root / "build" / "cache").exists()
    assert learnmark("build", "--no-cache", cwd=project.root).stdout.startswith("Built ")


def test_unchanged_pages_are_taken_from_the_last_site(project):
    cached_build(project)
    site = project.root / "build" / "site"
    inodes = {path: (site / path).stat().st_ino for path in ("first/one.html", "first/two.html", "first/index.html",
                                                             "404.html", "assets/learnmark.css", "assets/course.js",
                                                             ".learnmark-site")}
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther text.\n")
    assert cached_build(project).startswith("Built ")
    assert (site / "first/one.html").stat().st_ino == inodes["first/one.html"]  # same file, linked not rendered
    # The site's own files made again with the same bytes are linked too; course.js names the content's version.
    assert [(site / path).stat().st_ino == inodes[path] for path in (
        "404.html", "assets/learnmark.css", ".learnmark-site", "assets/course.js")] == [True, True, True, False]
    assert (site / "first/two.html").stat().st_ino != inodes["first/two.html"]
    assert "Other text." in (site / "first/two.html").read_text()
    assert_same_as_clean_build(project)


def test_unchanged_content_files_are_taken_from_the_last_site(project):
    project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>')
    project.write("content/01-first/images/map.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10"/>')
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n![A chart](images/chart.svg)\n\n"
                  "![A map](images/map.svg)\n")
    cached_build(project)
    site = project.root / "build" / "site"
    inode = lambda path: (site / path).stat().st_ino  # noqa: E731
    chart, map_ = inode("first/images/chart.svg"), inode("first/images/map.svg")
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\nOther text.\n")
    project.write("content/01-first/images/map.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="31" height="9"/>')
    assert cached_build(project).startswith("Built ")
    assert inode("first/images/chart.svg") == chart  # linked, not copied again
    assert inode("first/images/map.svg") != map_
    assert 'width="31"' in (site / "first/images/map.svg").read_text()
    (site / "first/images/chart.svg").write_text("tampered")  # the site's copy changed: copied again
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\nMore text.\n")
    assert cached_build(project).startswith("Built ")
    assert_same_as_clean_build(project)


def test_compiled_templates_are_kept_outside_the_course(project):
    """They are code (Jinja2 bytecode): a course must not be able to bring its own."""
    from generator.cache import user_folder
    cached_build(project)
    assert not any(path.suffix == ".cache" for path in (project.root / "build").rglob("*"))
    assert any((user_folder() / "templates").glob("*.cache"))


def test_a_build_without_the_courses_cache_still_keeps_compiled_templates(project, tmp_path, monkeypatch):
    """Jinja2 keys them by the template's source: every worker of a --no-cache build compiled them again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    build(project.root, project.root / "build" / "site")  # no BuildCache: as --no-cache
    assert any((tmp_path / "user-cache" / "learnmark" / "templates").glob("*.cache"))
    assert not (project.root / "build" / "cache").exists()


def test_compiled_templates_no_build_used_for_a_month_are_dropped(project, tmp_path, monkeypatch):
    """Jinja2 keeps a file per version of each template's source, for good: every theme edited and every course's
    overrides added files (240 MB in a month here). A build marks those it loads used, at most once a day; a
    template compiled looks for unused ones, at most once a day."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    folder = tmp_path / "user-cache" / "learnmark" / "templates"
    build(project.root, project.root / "out")
    kept = sorted(folder.glob("__jinja2_*.cache"))
    assert kept and (folder / ".dropped").exists()
    month_ago, hours_ago = time.time() - 31 * 86400, time.time() - 3 * 3600

    def aged(path: Path, when: float) -> Path:
        os.utime(path, (when, when))
        return path
    used, recent = aged(kept[0], month_ago), aged(kept[1], hours_ago)
    unused, other = folder / kept[0].name.replace("__jinja2_", "__jinja2_0"), folder / "notes.txt"
    for path in (unused, other):
        path.write_bytes(b"no build uses this")
        aged(path, month_ago)
    aged(folder / ".dropped", hours_ago)  # looked for unused ones today
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\nNew text.\n")
    build(project.root, project.root / "out")
    assert used.stat().st_mtime > month_ago + 86400, "a file a build loads is marked used"
    assert recent.stat().st_mtime == hours_ago, "not again the same day"
    assert unused.exists(), "unused ones are looked for once a day"
    aged(folder / ".dropped", time.time() - 2 * 86400)
    overrides = project.root / "overrides" / "templates"
    overrides.mkdir(parents=True)
    (overrides / "404.html").write_text('{% extends "default:404.html" %}')  # a template compiled anew
    project.write("site.yaml", SITE + "theme:\n  overrides: overrides\n")
    build(project.root, project.root / "out")
    assert not unused.exists() and used.exists() and other.exists()
    assert (folder / ".dropped").stat().st_mtime > time.time() - 60


def test_a_cache_not_signed_by_this_user_is_never_unpickled(project, tmp_path, monkeypatch):
    """Unpickling runs code: a build/cache/ that came with someone else's course must not be loaded."""
    import pickle

    from generator import cache as cache_module
    cached_build(project)
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (marker.write_text, ("unpickled",))

    data = pickle.dumps((cache_module.code_version(), Payload()))
    stored = sorted((project.root / "build" / "cache").glob("*.pickle"))
    assert {path.name for path in stored} >= {"last-build.pickle"} and any(p.name.startswith("parse-") for p in stored)
    for path in stored:
        path.write_bytes(b"\0" * 32 + data)
    assert cached_build(project).startswith("Built ")
    assert not marker.exists()
    assert_same_as_clean_build(project)
    # and the same files, signed with this user's key, are read (so the check above is the signature's doing)
    key = cache_module._secret()
    import hmac
    (project.root / "build" / "cache" / "last-build.pickle").write_bytes(hmac.digest(key, data, "sha256") + data)
    cache_module.BuildCache(project.root / "build" / "cache").last_build(project.root / "build" / "site")
    assert marker.read_text() == "unpickled"


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(project):
    (project.root / "build").mkdir()
    (project.root / "build" / "cache").write_text("a file where the cache folder would go")
    assert cached_build(project).startswith("Built ")
    assert cached_build(project).startswith("Built ")  # nothing was cached, so it builds again
    assert_same_as_clean_build(project)


def test_an_edit_writes_again_only_its_folder_s_parses(project):
    """The parse cache is kept per folder, so saving after a one-page edit does not pickle the whole course."""
    cache = project.root / "build" / "cache"
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nHello.\n")
    project.write("content/02-second/01-other.md", "---\ntitle: Other\n---\nText.\n")
    cached_build(project)
    before = {path.name: path.stat().st_mtime_ns for path in cache.glob("parse-*.pickle")}
    assert len(before) >= 2  # one per module folder
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nEdited.\n")
    assert cached_build(project).startswith("Built ")
    after = {path.name: path.stat().st_mtime_ns for path in cache.glob("parse-*.pickle")}
    assert set(after) == set(before)
    assert len([name for name in after if after[name] != before[name]]) == 1
    assert_same_as_clean_build(project)


def test_a_sites_listing_is_every_file_os_walk_finds(tmp_path):
    from generator.cache import listing
    site = tmp_path / "site"
    for path in ("index.html", "assets/learnmark.css", "first/two.html", "first/deep/er/page.html"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path)
    (site / "to-a-folder").symlink_to(site / "first", target_is_directory=True)
    (site / "to-a-file").symlink_to(site / "index.html")
    expected = {}
    for folder, _, files in os.walk(site):
        for name in files:
            found = os.stat(os.path.join(folder, name))
            expected[os.path.relpath(os.path.join(folder, name), site)] = (found.st_size, found.st_mtime_ns)
    assert listing(site) == expected
    assert "to-a-file" in expected and not any(path.startswith("to-a-folder") for path in expected)
    assert listing(tmp_path / "missing") == {}


def test_the_themes_catalogues_are_kept_in_the_cache(project, monkeypatch):
    from generator.i18n import catalogues
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    build(project.root, out, cache=BuildCache(cache))
    read, real_read = [], catalogues._read.__wrapped__  # without its lru_cache: as a new process
    monkeypatch.setattr(catalogues, "_read", lambda path, *version: read.append(path.name) or real_read(path, *version))
    catalogues.CATALOGUES.seed({})
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther words.\n")
    build(project.root, out, cache=BuildCache(cache))
    assert read == []
    assert_same_as_clean_build(project)


def test_a_build_without_the_courses_cache_reads_each_catalogue_text_with_babel_once(project, tmp_path, monkeypatch):
    """Kept for the user, as compiled templates are: a --no-cache build, a new course or ``check`` read the theme's
    catalogues with Babel every time. A changed catalogue is read again; a text not used for a month is dropped; a
    kept one not signed by this user is not used."""
    import shutil

    from generator.i18n import catalogues
    from tests.conftest import CONTACT, REPO
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    project.write("site.yaml", "id: scratch\ntitle: T\ntheme: mine\nlanguage: cy\n" + CONTACT)
    parsed, real_parsed = [], catalogues._parsed
    monkeypatch.setattr(catalogues, "_parsed", lambda path, data: parsed.append(path.name) or real_parsed(path, data))

    def fresh_build() -> str:  # as a new process without the course's cache: nothing remembered in memory
        catalogues._read.cache_clear()
        monkeypatch.setattr(catalogues.CATALOGUES, "known", None)  # the course cache's memo: off, as with no cache
        parsed.clear()
        return build(project.root, project.root / "out").course.config.id
    fresh_build()
    assert "messages.po" in parsed and "js.po" in parsed
    folder = tmp_path / "user-cache" / "learnmark" / "catalogues"
    assert sorted(path.name[:3] for path in folder.glob("*.pickle")) == ["po-", "po-", "pot", "pot"]
    assert not (project.root / "build" / "cache").exists()
    first = (project.root / "out" / "index.html").read_bytes()
    fresh_build()
    assert parsed == [] and (project.root / "out" / "index.html").read_bytes() == first
    welsh = theme / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
    welsh.write_text(welsh.read_text(encoding="utf-8").replace('msgstr "Hafan y cwrs"', 'msgstr "Cartref y cwrs"'),
                     encoding="utf-8")
    fresh_build()
    assert parsed == ["messages.po"] and "Cartref y cwrs" in (project.root / "out" / "index.html").read_text()
    stale = folder / "po-unused.pickle"
    stale.write_bytes(b"kept by a build long ago")
    month_ago = time.time() - 31 * 86400
    os.utime(stale, (month_ago, month_ago))
    welsh.write_text(welsh.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    fresh_build()
    assert parsed == ["messages.po"] and not stale.exists(), "a text not used for a month is dropped"
    fresh_build()
    assert parsed == [], "the texts in use are kept"
    for path in folder.glob("*.pickle"):
        path.write_bytes(b"\0" * 32 + path.read_bytes()[32:])  # another key's signature
    fresh_build()
    assert {"messages.po", "js.po"} <= set(parsed)


def test_what_babel_answered_is_kept_in_the_cache_and_its_locale_data_not_loaded_again(project, monkeypatch):
    """An edit's build in a new process asks Babel nothing: the pages' direction, the modules' minutes, the
    statement's dates; in a bilingual course the language switch's names and the Welsh plurals and months too."""
    from babel import localedata
    from generator.i18n import language
    from tests.bilingual import write_bilingual
    bilingual = write_bilingual(project.root.parent / "bilingual")
    for root, page in ((project.root, "content/01-first/02-two.md"), (bilingual, "content/01-first/01-reading.md")):
        out, cache = root / "build" / "site", root / "build" / "cache"
        build(root, out, cache=BuildCache(cache))
        loaded = []
        real = localedata.get_locale_data
        monkeypatch.setattr(localedata, "get_locale_data", lambda name: loaded.append(name) or real(name))
        language.CLDR.known = None  # as a new process: only what build/cache/ kept
        (root / page).write_text((root / page).read_text() + "\nOne more line.\n")
        build(root, out, cache=BuildCache(cache))
        assert loaded == []
        monkeypatch.undo()
    assert 'dir="ltr"' in (project.root / "build/site/index.html").read_text()
    assert ">Cymraeg<" in (bilingual / "build/site/index.html").read_text()
    welsh = (bilingual / "build/site/cy/index.html").read_text()
    assert ">English<" in welsh and "4 munud" in welsh
    assert_same_as_clean_build(project)


def test_an_edits_build_in_a_new_process_imports_none_of_babels_catalogue_or_formatting_code(project):
    """The cache keeps the theme's catalogues as ``catalogues.Strings`` and Babel's answers (``language.CLDR``),
    so an edit's build neither unpickles Babel's ``Catalog`` nor imports the code behind it (12-24 ms)."""
    import subprocess
    import sys
    cached_build(project)
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther words.\n")
    script = ("import sys; from generator.cli import main; status = main(['build', '-q']); "
              "print(sorted(m for m in sys.modules if m.startswith(('babel.messages', 'babel.dates', "
              "'babel.numbers', 'babel.units')))); sys.exit(status)")
    run = subprocess.run([sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert_same_as_clean_build(project)


def test_a_pages_digest_is_remembered_by_its_times_unless_it_changed_too_recently_for_those_to_tell(tmp_path,
                                                                                                      monkeypatch):
    from generator import cache as cache_module, memo as memo_module
    page, digests = tmp_path / "page.md", {}
    page.write_text("---\ntitle: One\n---\nText.\n")
    assert cache_module._digest(str(page), time.time_ns(), digests) == cache_module._content(str(page))
    assert digests == {}  # just written: read again next time
    later = time.time_ns() + memo_module.RACY_NS + 1
    first = cache_module._digest(str(page), later, digests)
    assert str(page) in digests
    read = []
    real = cache_module._content
    monkeypatch.setattr(cache_module, "_content", lambda path, **kw: read.append(path) or real(path, **kw))
    assert cache_module._digest(str(page), later, digests) == first and read == []  # its times unchanged: not read
    page.write_text("---\ntitle: Two\n---\nText.\n")  # the same size: only the times can tell
    assert cache_module._digest(str(page), later, digests) != first and read == [str(page)]


def test_a_build_reads_no_page_its_times_say_is_unchanged_and_an_edit_just_before_it_still_counts(project, monkeypatch):
    from generator import cache as cache_module
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther text.\n")
    build(project.root, out, cache=BuildCache(cache))  # just after the edit: every page is read
    real_time, real_content = time.time_ns, cache_module._content
    monkeypatch.setattr(time, "time_ns", lambda: real_time() + 10 * 10**9)  # ten seconds on
    read = []
    monkeypatch.setattr(cache_module, "_content", lambda path, **kw: read.append(path) or real_content(path, **kw))
    assert build(project.root, out, cache=BuildCache(cache)).up_to_date  # the same stamp: by content, read again
    assert [path for path in read if path.endswith(".md")]
    read.clear()
    assert build(project.root, out, cache=BuildCache(cache)).up_to_date
    assert not [path for path in read if path.endswith(".md")]  # remembered by their times
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nOther words.\n")
    result = build(project.root, out, cache=BuildCache(cache))
    assert not result.up_to_date and "Other words." in (out / "first" / "two.html").read_text()
    (project.root / "content/01-first/02-two.md").unlink()
    with pytest.raises(BuildFailed):  # 01-one.md links to it
        build(project.root, out, cache=BuildCache(cache))
    assert not any(path.endswith("02-two.md") for path in BuildCache(cache).digests)  # a page gone is forgotten


def test_the_link_memo_holds_in_a_new_process(project):
    """The memo is kept on disk, so the digest of the course's map must not depend on the process (a set's
    order changes with Python's string hashing, which each process seeds afresh)."""
    import subprocess
    import sys
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\n" + "".join(
        f"## Heading {n}\n\nText.\n\n" for n in range(12)))
    code = ("import sys; from pathlib import Path; from generator.build import check; from generator.links import LinkMemo;"
            "course = check(Path(sys.argv[1]))[0]; memo = LinkMemo(); memo.lend(course); print(memo._map.hex())")
    digests = {subprocess.run([sys.executable, "-c", code, str(project.root)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1


def test_a_content_file_is_checked_again_only_when_it_changed_and_a_changed_svg_is_refused(project, monkeypatch):
    """The build cache keeps each content file's verdict (media.files.Verdicts) by its path, size, times and
    inode: an edit's build does not read the course's images again. An SVG rewritten with a script, to the same
    size and modification time, has another change time (no program can set it), so it is read and refused."""
    from generator.media import files
    svg = project.root / "content" / "01-first" / "images" / "chart.svg"
    hostile = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect/></svg>'
    safe = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="3"/></svg>'.ljust(len(hostile))
    assert len(safe) == len(hostile)
    project.write("content/01-first/01-one.md", PAGE_ONE + "\n![A chart](images/chart.svg)\n")
    project.write("content/01-first/images/chart.svg", safe)
    settled = time.time_ns() + memo.RACY_NS + 1  # as if the file had been written long ago: its verdict is kept
    monkeypatch.setattr(files.time, "time_ns", lambda: settled)
    read, real = [], files._content_problem
    monkeypatch.setattr(files, "_content_problem", lambda path, *rest: read.append(path) or real(path, *rest))
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"

    def fresh_build():  # as a new process: nothing from this one's memos, the verdicts from build/cache/
        files.VERDICTS.known = None
        return build(project.root, out, cache=BuildCache(cache))
    fresh_build()
    assert read == [str(svg)]
    project.write("content/01-first/02-two.md", PAGE_TWO + "\nOne more line.\n")
    fresh_build()
    assert read == [str(svg)]  # kept: not read again
    stamp = svg.stat()
    svg.write_text(hostile)
    os.utime(svg, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert (svg.stat().st_size, svg.stat().st_mtime_ns) == (stamp.st_size, stamp.st_mtime_ns)
    project.write("content/01-first/02-two.md", PAGE_TWO + "\nAnother line.\n")  # a build, not "up to date"
    with pytest.raises(BuildFailed) as failed:
        fresh_build()
    assert read == [str(svg)] * 2
    assert any("chart.svg" in str(d.location) and "script" in d.message for d in failed.value.diagnostics)


def test_an_edit_writes_only_the_search_entries_shards_it_changed_and_the_index_without_its_rows(project, monkeypatch):
    """The search entries (4 MB at 1,000 pages) are kept in shards by their keys (memo.Memo.SHARDS): an edit
    writes those holding its page's old and new entries, not all; and the index is kept without its rows,
    which the entries hold (search.Indexes), rather than the text of every page a second time."""
    import pickle

    from generator import cache as cache_module, search
    out, cache = project.root / "build" / "site", project.root / "build" / "cache"
    build(project.root, out, cache=BuildCache(cache))
    names = {path.name for path in cache.glob("search*.pickle")} - {"search-index.pickle"}
    assert names and names <= {f"search-{n}.pickle" for n in range(search.Entries.SHARDS)}
    kept = pickle.loads((cache / "search-index.pickle").read_bytes()[32:])[1]
    assert [index.rows for index in kept.values()] == [[]]
    stored = []
    real = cache_module.BuildCache._store
    monkeypatch.setattr(cache_module.BuildCache, "_store", lambda self, name, value: stored.append(name) or real(self, name, value))
    project.write("content/01-first/02-two.md", PAGE_TWO + "\nWombats listen.\n")
    build(project.root, out, cache=BuildCache(cache))
    written = [name for name in stored if name.startswith("search-") and name != "search-index"]
    assert 1 <= len(written) <= 2 and "search-index" in stored
    assert_same_as_clean_build(project)


def test_a_themes_stamp_names_its_files_and_their_overrides_and_changes_with_them(tmp_path):
    """Regular files only, each once, folders' links not followed (as ``rglob`` lists them), overrides too."""
    from generator.theme import theme_stamp
    theme, overrides, elsewhere = tmp_path / "theme", tmp_path / "overrides", tmp_path / "elsewhere"
    for folder in (theme / "templates", overrides, elsewhere):
        folder.mkdir(parents=True)
    (theme / "templates" / "page.html").write_text("<p>page</p>")
    (theme / "style.css").write_text("p {}")
    (overrides / "style.css").write_text("p { color: red }")
    (elsewhere / "outside.html").write_text("not the theme's")
    (theme / "linked").symlink_to(elsewhere, target_is_directory=True)
    (theme / "gone.css").symlink_to(tmp_path / "missing.css")
    stamp = theme_stamp(theme, overrides)
    assert [Path(path).relative_to(tmp_path).as_posix() for path, _, _ in stamp] == [
        "theme/style.css", "theme/templates/page.html", "overrides/style.css"]
    assert theme_stamp(theme, overrides) == stamp and theme_stamp(theme) == stamp[:2]
    (overrides / "style.css").write_text("p { color: blue; }")
    assert theme_stamp(theme, overrides) != stamp
