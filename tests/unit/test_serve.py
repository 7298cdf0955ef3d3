"""The preview server's rebuilds: incremental, never stale, never half-written; and its file serving."""

from __future__ import annotations

import os
import time

from generator.serve import Preview


def rebuilt(preview):
    preview.rebuild()
    assert not preview.failed, [p.format() for p in preview.problems]
    return {p.relative_to(preview.site).as_posix(): p.stat().st_mtime_ns
            for p in preview.site.rglob("*.html")}


def touch_later(path, text):
    time.sleep(0.01)
    path.write_text(text, encoding="utf-8")


def html(preview, rel):
    return (preview.site / rel).read_text(encoding="utf-8")


def test_editing_one_page_rewrites_only_that_page(project):
    preview = Preview(project.root)
    before = rebuilt(preview)
    touch_later(project.root / "content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nNew words.\n")
    after = rebuilt(preview)
    changed = sorted(path for path in after if after[path] != before[path])
    assert changed == ["first/print.html", "first/two.html"]  # the module's print page holds the page too
    assert "New words." in html(preview, "first/two.html") and "New words." in html(preview, "first/print.html")


def test_a_title_change_reaches_every_page_that_shows_it(project):
    preview = Preview(project.root)
    before = rebuilt(preview)
    touch_later(project.root / "content/01-first/02-two.md", "---\ntitle: Renamed\n---\n## Details of two\n\nText.\n")
    after = rebuilt(preview)
    changed = {path for path in after if after[path] != before[path]}
    # the page itself, its neighbour (next link) and the module landing (contents list) show the title
    assert {"first/two.html", "first/one.html", "first/index.html"} <= changed
    assert "Renamed" in html(preview, "first/one.html") and "Renamed" in html(preview, "first/index.html")


def test_a_linked_anchor_change_is_not_served_stale(project):
    preview = Preview(project.root)
    rebuilt(preview)
    touch_later(project.root / "content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Other heading\n")
    preview.rebuild()
    assert preview.failed and "no heading with id 'details-of-two'" in preview.problems[0].message
    touch_later(project.root / "content/01-first/01-one.md", "---\ntitle: Page one\n---\n[x](02-two.md#other-heading)\n")
    rebuilt(preview)
    assert 'href="two.html#other-heading"' in html(preview, "first/one.html")


def test_a_resized_image_is_not_served_stale(project):
    chart = project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"></svg>')
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n![A chart](images/chart.svg)\n")
    preview = Preview(project.root)
    rebuilt(preview)
    assert 'width="20" height="10"' in html(preview, "first/one.html")
    touch_later(chart, '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>')
    rebuilt(preview)
    assert 'width="40" height="30"' in html(preview, "first/one.html")


def test_template_and_config_changes_rerender_every_page(project, tmp_path):
    import shutil
    from tests.conftest import REPO
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    project.write("site.yaml", "id: scratch\ntitle: Scratch course\ntheme: mine\n")
    preview = Preview(project.root)
    rebuilt(preview)
    footer = theme / "components" / "footer" / "macro.html"
    touch_later(footer, footer.read_text().replace("Made with Learnmark.", "Made with care."))
    os.utime(footer, None)
    rebuilt(preview)
    assert all("Made with care." in html(preview, p) for p in ("first/one.html", "first/two.html", "index.html"))
    project.write("site.yaml", "id: scratch\ntitle: A new course title\ntheme: mine\n")
    rebuilt(preview)
    assert all("A new course title" in html(preview, p) for p in ("first/one.html", "first/two.html", "first/index.html"))


def test_a_failed_rebuild_writes_nothing_and_recovers(project):
    preview = Preview(project.root)
    before = rebuilt(preview)
    touch_later(project.root / "content/01-first/02-two.md", "---\ntitle: [broken\n---\n")
    preview.rebuild()
    # the broken file is reported (later stages may report more, such as links into it)
    assert preview.failed and "content/01-first/02-two.md" in {p.location.path for p in preview.problems}
    assert {p.relative_to(preview.site).as_posix(): p.stat().st_mtime_ns for p in preview.site.rglob("*.html")} == before
    page = b"".join(preview.app({"PATH_INFO": "/first/one.html", "REQUEST_METHOD": "GET"}, lambda *a: None))
    assert b'id="learnmark-overlay" role="alert"' in page and b"content/01-first/02-two.md:2:" in page
    touch_later(project.root / "content/01-first/02-two.md", "---\ntitle: Fixed\n---\n## Details of two\n")
    rebuilt(preview)
    page = b"".join(preview.app({"PATH_INFO": "/first/one.html", "REQUEST_METHOD": "GET"}, lambda *a: None))
    assert b"learnmark-overlay" not in page and b"Fixed" in page


def test_removed_pages_disappear(project):
    preview = Preview(project.root)
    rebuilt(preview)
    (project.root / "content/01-first/01-one.md").write_text("---\ntitle: One\n---\nNo links.\n")
    (project.root / "content/01-first/02-two.md").unlink()
    after = rebuilt(preview)
    assert "first/two.html" not in after


def test_app_refuses_paths_outside_the_site(project):
    preview = Preview(project.root)
    rebuilt(preview)
    (project.root / "build" / "secret.txt").write_text("secret")
    statuses = {}
    for path in ("/../site.yaml", "/%2e%2e/site.yaml", "/..%2fsite.yaml", "/first/../../site.yaml", "/%2e%2e%2f%2e%2e%2fsecret.txt",
                 "/first/", "/", "/missing.html"):
        def start(status, headers, path=path):
            statuses[path] = status.split()[0]
        body = b"".join(preview.app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start))
        assert b"secret" not in body and b"title: Scratch" not in body
    assert statuses == {"/../site.yaml": "404", "/%2e%2e/site.yaml": "404", "/..%2fsite.yaml": "404",
                        "/first/../../site.yaml": "404", "/%2e%2e%2f%2e%2e%2fsecret.txt": "404",
                        "/first/": "200", "/": "200", "/missing.html": "404"}


def test_link_targets_kept_between_rebuilds_never_hide_a_broken_link(project):
    """The preview keeps link targets while no page moves (links.LinkMemo): a removed page or image still breaks."""
    project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"></svg>')
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n[two](02-two.md#details-of-two)\n\n"
                  "![A chart](images/chart.svg)\n")
    preview = Preview(project.root)
    rebuilt(preview)
    touch_later(project.root / "content/01-first/02-two.md", "---\ntitle: Page two\n---\n## Details of two\n\nEdited.\n")
    rebuilt(preview)  # the map is unchanged: targets are lent to this rebuild
    (project.root / "content/01-first/images/chart.svg").unlink()
    preview.rebuild()
    assert preview.failed and "image file 'images/chart.svg' does not exist" in preview.problems[0].message
    project.write("content/01-first/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"></svg>')
    rebuilt(preview)
    project.remove("content/01-first/02-two.md")
    preview.rebuild()
    assert preview.failed and "link to a missing page '02-two.md#details-of-two'" in preview.problems[0].message


def test_a_replaced_theme_is_freed(project):
    """Rebuilds freeze what parsing made (memory.py); an old theme's Jinja2 objects, full of cycles, must not stay."""
    import gc
    import shutil
    import weakref
    from tests.conftest import REPO
    theme = project.root / "themes" / "mine"
    shutil.copytree(REPO / "themes" / "default", theme)
    project.write("site.yaml", "id: scratch\ntitle: Scratch course\ntheme: mine\n")
    preview = Preview(project.root)
    rebuilt(preview)
    rebuilt(preview)  # a second rebuild, so the first theme has been frozen by a parse stage
    old_theme = weakref.ref(preview.theme.env)
    footer = theme / "components" / "footer" / "macro.html"
    touch_later(footer, footer.read_text().replace("Made with Learnmark.", "Made with care."))
    rebuilt(preview)
    gc.collect()
    assert old_theme() is None


def test_overlong_paths_are_404_or_414_not_a_server_error(project):
    """A segment over 255 bytes (NAME_MAX) names no file: 404. A path over 4 KB: 414. Neither may raise."""
    preview = Preview(project.root)
    rebuilt(preview)
    statuses = {}
    for name, path in {"long segment": "/" + "a" * 256 + ".html", "long non-ASCII segment": "/" + "é" * 128,
                       "under 4 KB, over PATH_MAX with the site folder": "/" + "/".join(["b" * 200] * 20),
                       "over 4 KB": "/" + "/".join(["c" * 200] * 25), "escaped, over 4 KB": "/" + "%61" * 1400,
                       "a 255-byte name is looked up": "/" + "d" * 255}.items():
        def start(status, headers, name=name):
            statuses[name] = status.split()[0]
        body = b"".join(preview.app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start))
        assert b"Traceback" not in body
    assert statuses == {"long segment": "404", "long non-ASCII segment": "404",
                        "under 4 KB, over PATH_MAX with the site folder": "404", "over 4 KB": "414",
                        "escaped, over 4 KB": "414", "a 255-byte name is looked up": "404"}


def test_paths_arrive_as_wsgi_latin_1_and_non_ascii_names_are_served(project):
    preview = Preview(project.root)
    rebuilt(preview)
    (preview.site / "café.txt").write_text("croissant")
    wsgi_path = "/café.txt".encode("utf-8").decode("latin-1")  # as tornado (PEP 3333) hands it over
    assert b"".join(preview.app({"PATH_INFO": wsgi_path, "REQUEST_METHOD": "GET"}, lambda *a: None)) == b"croissant"


def test_only_loopback_host_names_with_the_port_are_answered():
    from generator.serve import allowed_hosts, host_allowed
    allowed = allowed_hosts("127.0.0.1", 8000)
    assert allowed == {"127.0.0.1:8000", "localhost:8000"}
    assert all(host_allowed(h, allowed) for h in ("127.0.0.1:8000", "localhost:8000", "LocalHost:8000"))
    assert not any(host_allowed(h, allowed) for h in (None, "", "evil.example:8000", "127.0.0.1", "localhost",
                                                       "127.0.0.1:8001", "127.0.0.1.evil.example:8000",
                                                       "localhost.:8000", "[::1]:8000", "127.0.0.1:8000@evil"))
    assert allowed_hosts("127.0.0.5", 80) == {"127.0.0.1:80", "localhost:80", "127.0.0.5:80",
                                              "127.0.0.1", "localhost", "127.0.0.5"}


def test_each_rebuilds_objects_can_be_freed(project, monkeypatch):
    """A course is full of reference cycles (modules and their pages). Builds freeze what parsing made
    (memory.py); in the preview that kept every rebuild's course, ~210 KB a rebuild, for good."""
    import gc
    import weakref
    from generator import serve
    courses = []

    def check_and_watch(*args, **kwargs):
        course, *rest = check_site(*args, **kwargs)
        courses.append(weakref.ref(course))
        return (course, *rest)
    check_site = serve.check_site
    monkeypatch.setattr(serve, "check_site", check_and_watch)
    preview = Preview(project.root)
    rebuilt(preview)
    for n in range(5):
        touch_later(project.root / "content/01-first/02-two.md", f"---\ntitle: Page two\n---\n## Details of two\n\nEdit {n}.\n")
        rebuilt(preview)
        assert gc.get_freeze_count() == 0  # nothing left out of the collector's reach between rebuilds
    gc.collect()
    assert [ref() is None for ref in courses] == [True] * 6  # the preview keeps what it wrote, not the course
